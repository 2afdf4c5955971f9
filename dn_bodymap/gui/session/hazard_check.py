"""A small adapter over the safety engine so the GUI speaks one shape of assessment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVELS = ("none", "caution", "high", "very_high", "no_needle")


@dataclass(frozen=True, slots=True)
class HazardHit:
    id: str
    kind: str
    level: str
    structure: str
    message: str
    guidance: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Assessment:
    inside: bool
    level: str
    hazards: tuple[HazardHit, ...] = ()
    advice: tuple[str, ...] = field(default_factory=tuple)

    @property
    def needs_acknowledgement(self) -> bool:
        return LEVELS.index(self.level) >= LEVELS.index("high")

    @property
    def summary(self) -> str:
        if not self.hazards:
            return ""
        return "; ".join(f"{h.structure} ({h.level.replace('_', ' ')})" for h in self.hazards)


def level_rank(level: str | None) -> int:
    return LEVELS.index(level) if level in LEVELS else 0


def assess_site(view: str, x: float, y: float, factors: dict[str, Any] | None = None) -> Assessment:
    """The safety engine's assessment of a needling site, in the GUI's terms."""
    from dn_bodymap.safety.assess import assess_document

    doc = assess_document(view, x, y, **(factors or {}))
    hits = tuple(
        HazardHit(
            h["id"],
            h["kind"],
            h["level"],
            h.get("structure", ""),
            h.get("message", ""),
            h.get("guidance", ""),
            tuple(h.get("sources", ())),
        )
        for h in doc.get("hazards", [])
    )
    advice = tuple(doc.get("advice", ()) or ())
    return Assessment(bool(doc.get("inside")), doc.get("level", "none"), hits, advice)
