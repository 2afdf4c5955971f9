"""Assessment of one needling site: the hazards under it, patient modifiers, the overall level.

``assess(view, (x, y), patient)`` never fails for a point of a known view: a point outside the
figure (or not a finite number) comes back as ``inside = False`` with a message saying so. The
result supports clinical judgement; no wording calls a site or a depth free of risk.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dn_bodymap.atlas.locate import AtlasIndex
from dn_bodymap.atlas.model import ALL_VIEWS
from dn_bodymap.safety.hazards import (
    DepthFigure,
    HazardSet,
    HazardZone,
    ZonePiece,
    default_hazards,
    ordered_depths,
)
from dn_bodymap.safety.levels import highest, raised, rank
from dn_bodymap.safety.modifiers import Modifier, Site, site_modifiers
from dn_bodymap.safety.patient import Patient

#: Shown with every depth list: group figures never make a depth free of risk for one patient.
DEPTH_CAVEAT = (
    "Published group figures: depth varies between people and with posture and breathing, so no "
    "depth is free of risk for an individual patient; measure with ultrasound where available."
)
DEPTH_CAVEAT_SOURCES = ("Chu-2018", "Folli-2020")
DISCLAIMER = (
    "Hazard zones are approximate surface projections on a standard figure. This assessment "
    "supports clinical judgement and does not replace it."
)


@dataclass(frozen=True, slots=True)
class HazardHit:
    id: str
    kind: str
    level: str
    base_level: str
    structure: str
    side: str
    message: str
    guidance: str
    sources: tuple[str, ...]
    depth: tuple[DepthFigure, ...]
    raised_by: tuple[str, ...]

    def to_document(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "level": self.level,
            "base_level": self.base_level,
            "structure": self.structure,
            "side": self.side,
            "message": self.message,
            "guidance": self.guidance,
            "sources": list(self.sources),
            "depth": [d.to_document() for d in self.depth],
            "raised_by": list(self.raised_by),
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    view: str
    x: float
    y: float
    inside: bool
    level: str
    side: str | None
    region: str | None
    hazards: tuple[HazardHit, ...]
    modifiers: tuple[Modifier, ...]
    advice: tuple[str, ...]
    outside_message: str | None
    notes: tuple[str, ...]

    @property
    def thoracic(self) -> bool:
        return any(h.kind == "pneumothorax" for h in self.hazards)

    def thoracic_sides(self) -> set[str]:
        return {h.side for h in self.hazards if h.kind == "pneumothorax"}

    def to_document(self) -> dict[str, Any]:
        return {
            "view": self.view,
            "x": self.x if math.isfinite(self.x) else None,
            "y": self.y if math.isfinite(self.y) else None,
            "inside": self.inside,
            "level": self.level,
            "side": self.side,
            "region": self.region,
            "hazards": [h.to_document() for h in self.hazards],
            "modifiers": [m.to_document() for m in self.modifiers],
            "advice": list(self.advice),
            "outside_message": self.outside_message,
            "notes": list(self.notes),
            "depth_caveat": DEPTH_CAVEAT if any(h.depth for h in self.hazards) else None,
            "disclaimer": DISCLAIMER,
        }


_indexes: dict[int, AtlasIndex] = {}


def _index(hazards: HazardSet) -> AtlasIndex:
    key = id(hazards.atlas)
    if key not in _indexes:
        _indexes.clear()
        _indexes[key] = AtlasIndex(hazards.atlas)
    return _indexes[key]


def assess(
    view: str,
    point: tuple[float, float],
    patient: Patient | None = None,
    hazards: HazardSet | None = None,
) -> Assessment:
    """The hazards at ``point`` on ``view`` for ``patient`` (all factors optional)."""
    if view not in ALL_VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {', '.join(ALL_VIEWS)}")
    patient = patient or Patient()
    hazards = hazards or default_hazards()
    if view not in hazards.atlas.views:
        raise ValueError(f"the {view} view is not in this atlas yet")
    notes = list(patient.notes)
    if patient.unrecognised:
        notes.append("conditions not recognised (ignored): " + ", ".join(patient.unrecognised))
    try:
        x, y = float(point[0]), float(point[1])
    except (TypeError, ValueError, IndexError):
        x = y = math.nan
    if not (math.isfinite(x) and math.isfinite(y)):
        return _outside(view, x, y, "The point is not a pair of finite numbers.", notes)
    located = _index(hazards).locate(view, x, y)
    if not located.inside:
        return _outside(
            view,
            x,
            y,
            f"({x:g}, {y:g}) is outside the figure on the {view.replace('_', ' ')} view: place "
            "the site on the body to assess it.",
            notes,
        )
    pieces = hazards.hits(view, x, y)
    zones = [hazards.zones[p.zone_id] for p in pieces]
    side = str(located.side) if located.side is not None else None
    region = located.region.id if located.region is not None else None
    areas = tuple(hazards.areas_at(view, x, y, "pregnancy_"))
    modifiers = site_modifiers(patient, Site(view, side, region, zones, areas))
    hits = tuple(_hit(hazards.zones[p.zone_id], p, modifiers, patient) for p in pieces)
    level = highest([h.level for h in hits] + [m.level for m in modifiers if m.level])
    return Assessment(
        view,
        x,
        y,
        True,
        level,
        side,
        region,
        hits,
        tuple(modifiers),
        tuple(_advice(hits, level)),
        None,
        tuple(notes),
    )


def _outside(view: str, x: float, y: float, message: str, notes: list[str]) -> Assessment:
    return Assessment(view, x, y, False, "none", None, None, (), (), (), message, tuple(notes))


def _hit(zone: HazardZone, piece: ZonePiece, modifiers: Iterable[Modifier], patient: Patient) -> HazardHit:
    raisers = tuple(m.id for m in modifiers if zone.kind in m.raises)
    level = raised(zone.level, len(raisers)) if raisers else zone.level
    depth = ordered_depths(zone.depth, patient.sex)
    message = f"{zone.structure}: {zone.reason}"
    if raisers and level != zone.level:
        message += f" Raised from {zone.level.replace('_', ' ')} by: {', '.join(raisers)}."
    elif raisers:
        message += f" Patient factors add to this risk: {', '.join(raisers)}."
    return HazardHit(
        id=zone.id,
        kind=zone.kind,
        level=level,
        base_level=zone.level,
        structure=zone.structure,
        side=str(piece.side),
        message=message,
        guidance=zone.technique,
        sources=zone.all_sources(),
        depth=depth,
        raised_by=raisers,
    )


def _advice(hits: tuple[HazardHit, ...], level: str) -> list[str]:
    lines: list[str] = []
    if any(h.kind == "pneumothorax" for h in hits):
        lines.append(
            "Over the thorax: do not needle both sides of the thorax in one session, and tell the "
            "patient before they leave which symptoms mean they must seek help at once (chest "
            "pain, breathlessness, pain on breathing in, a dry cough), which can start hours later "
            "or the next day. [SAAHPC-thorax, HDC-15HDC00947]"
        )
    if any(h.kind in ("neurovascular", "nerve") for h in hits):
        lines.append(
            "Near vessels and nerves: palpate pulses, lift the muscle with a pincer grip, insert "
            "slowly, and withdraw at stinging or burning (possible vessel) or shooting pain "
            "(possible nerve). [SAAHPC-vessels]"
        )
    if rank(level) >= rank("high"):
        lines.append(
            "Record the technique, needle length, direction and the patient's position for this "
            "site; depth to the pleura changes with position. [HDC-15HDC00947, Mitchell-2018]"
        )
    if level == "no_needle":
        lines.append("Do not needle this site.")
    return lines


def assess_document(
    view: str,
    x: float,
    y: float,
    *,
    sex: object = None,
    bmi: object = None,
    conditions: Iterable[object] | str | None = None,
    hazards: HazardSet | None = None,
    depth_mm: object = None,
    **_ignored: object,
) -> dict[str, Any]:
    """The ``assess`` JSON document (CLI and GUI): loose inputs are tolerated and reported.

    With ``depth_mm`` (needle depth or length) the document carries ``depth_warning`` (or null);
    a depth that is not a plausible number of millimetres is reported in ``notes`` and ignored.
    """
    from dn_bodymap.safety.depth import check_depth, depth_warning

    patient = Patient.from_values(sex=sex, bmi=bmi, conditions=conditions)
    assessment = assess(view, (x, y), patient, hazards)
    result = assessment.to_document()
    if depth_mm is not None:
        try:
            depth = check_depth(depth_mm)
        except ValueError as exc:
            result["notes"].append(f"{exc}; ignored")
        else:
            warning = depth_warning(assessment, depth)
            result["depth_mm"] = depth
            result["depth_warning"] = warning.to_document() if warning else None
    result["patient"] = {
        "sex": patient.sex,
        "bmi": patient.bmi,
        "conditions": sorted(patient.conditions),
    }
    if _ignored:
        result["notes"].append("factors not used: " + ", ".join(sorted(_ignored)))
    return result
