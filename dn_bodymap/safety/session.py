"""Rules over a whole session: thoracic sites on both sides, and the count of high-level sites.

A guideline says never to needle both sides of the thorax in one session (bilateral
pneumothorax); a bilateral case has been published. ``review_session`` raises that as a warning of
its own and reports how many sites were high level or above.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dn_bodymap.safety.assess import Assessment, assess
from dn_bodymap.safety.hazards import HazardSet
from dn_bodymap.safety.levels import highest, rank
from dn_bodymap.safety.patient import Patient


@dataclass(frozen=True, slots=True)
class SessionWarning:
    id: str
    level: str
    message: str
    sources: tuple[str, ...]

    def to_document(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "message": self.message,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class SessionReview:
    assessments: tuple[Assessment, ...]
    high_level_sites: int
    thoracic_sides: frozenset[str]
    warnings: tuple[SessionWarning, ...]

    @property
    def level(self) -> str:
        return highest([a.level for a in self.assessments] + [w.level for w in self.warnings])

    def to_document(self) -> dict[str, Any]:
        return {
            "sites": len(self.assessments),
            "high_level_sites": self.high_level_sites,
            "thoracic_sides": sorted(self.thoracic_sides),
            "level": self.level,
            "warnings": [w.to_document() for w in self.warnings],
        }


BILATERAL_THORAX = "bilateral_thorax"


def bilateral_thorax_warning(sides: Iterable[str]) -> SessionWarning | None:
    found = set(sides) & {"left", "right"}
    if found != {"left", "right"}:
        return None
    return SessionWarning(
        BILATERAL_THORAX,
        "very_high",
        "Thoracic hazard zones on both the left and the right in one session: a pneumothorax on "
        "both sides at once is a medical emergency. Guidance is never to needle both sides of the "
        "thorax in one session; keep the other side for another day.",
        ("SAAHPC-thorax", "IrMedJ-2022"),
    )


def review_assessments(assessments: Iterable[Assessment]) -> SessionReview:
    done = tuple(assessments)
    sides: set[str] = set()
    for a in done:
        sides |= a.thoracic_sides()
    high = sum(1 for a in done if a.inside and rank(a.level) >= rank("high"))
    warning = bilateral_thorax_warning(sides)
    return SessionReview(done, high, frozenset(sides), (warning,) if warning else ())


def review_session(
    sites: Iterable[tuple[str, float, float]],
    patient: Patient | None = None,
    hazards: HazardSet | None = None,
) -> SessionReview:
    """Assess each (view, x, y) site of a session and apply the session rules."""
    return review_assessments(assess(v, (x, y), patient, hazards) for v, x, y in sites)
