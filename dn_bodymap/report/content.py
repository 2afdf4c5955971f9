"""What a session report says, gathered from the record before anything is drawn.

Marks are numbered in the order they were charted (the order the session's list shows them); each
carries its hazard level: the acknowledged level when the clinician acknowledged one, otherwise the
safety engine's assessment of the site, so a caution-level site still shows its badge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dn_bodymap.atlas.model import ALL_VIEWS, Atlas
from dn_bodymap.charting.records import HazardAcknowledgement, Mark, Patient
from dn_bodymap.charting.summaries import SessionRecord

VIEW_ORDER = ALL_VIEWS  # the body views, then the detail views (docs/atlas-detail-views.md)
VIEW_TITLES = {
    "anterior": "Anterior",
    "posterior": "Posterior",
    "lateral_right": "Right lateral",
    "lateral_left": "Left lateral",
    "plantar": "Soles (plantar)",
    "palmar": "Palms",
    "dorsal_hand": "Backs of the hands",
    "face": "Face",
    "head_lateral_right": "Head, right side",
    "head_lateral_left": "Head, left side",
}
QUALITY_TITLES = {
    "ache": "Ache",
    "sharp": "Sharp",
    "burning": "Burning",
    "numbness_tingling": "Numbness / tingling",
    "other": "Other",
}
LEVEL_TITLES = {
    "none": "",
    "caution": "caution",
    "high": "high",
    "very_high": "very high",
    "no_needle": "do not needle",
}


@dataclass(frozen=True, slots=True)
class HazardNote:
    structure: str
    level: str


@dataclass(frozen=True, slots=True)
class ReportMark:
    number: int
    mark: Mark
    muscle: str
    trigger_point: str
    level: str
    hazards: tuple[HazardNote, ...]
    acknowledgements: tuple[HazardAcknowledgement, ...]
    #: The site is over a pleural hazard: the handout then names the pneumothorax symptoms.
    thoracic: bool = False


@dataclass(frozen=True, slots=True)
class ReportContext:
    """Everything outside the record that a report prints: who made it, when, with what."""

    clinic: str = ""
    generated_at: datetime | None = None  # local time; now when None
    app_version: str = ""
    #: The clinic's logo (PNG or JPEG bytes) for the page header, from the database's settings.
    logo: bytes | None = None
    #: The audit chain's head when the report was made: a reader can ask the clinic to show that the
    #: record still ends there (tamper evidence anchored outside the database).
    fingerprint: str = ""


def local_time(stamp: str | None, *, with_zone: bool = True) -> str:
    """UTC ISO 8601 → '6 Dec 2026, 09:14 CET' in the computer's local time zone."""
    if not stamp:
        return "—"
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    text = f"{when.day} {when:%b %Y, %H:%M}"
    return f"{text} {when:%Z}".rstrip() if with_zone else text


def calendar_date(value: str | None) -> str:
    """'1984-03-12' → '12 Mar 1984'."""
    if not value:
        return "—"
    try:
        d = datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        return value
    return f"{d.day} {d:%b %Y}"


def muscle_name(atlas: Atlas, muscle_id: str | None) -> str:
    if muscle_id and muscle_id in atlas.muscles:
        return atlas.muscles[muscle_id].name
    return "Unidentified muscle" if not muscle_id else muscle_id.replace("_", " ").capitalize()


def trigger_point_label(tp_id: str | None, side: str) -> str:
    """The library's wording ('Trapezius, TrP in the upper fibres…') or the id when unknown."""
    if not tp_id:
        return ""
    from dn_bodymap.atlas.trigger_points import default_library

    library = default_library()
    for key in ((tp_id, side), (tp_id, "right"), (tp_id, "left")):
        tp = library.instances.get(key)  # type: ignore[call-overload]
        if tp is not None and tp.label:
            return tp.label
    return tp_id


def numbered_marks(record: SessionRecord, atlas: Atlas) -> list[ReportMark]:
    from dn_bodymap.safety.assess import assess
    from dn_bodymap.safety.hazards import default_hazards
    from dn_bodymap.safety.levels import highest

    hazards = default_hazards()
    acks: dict[str, list[HazardAcknowledgement]] = {}
    for ack in record.acknowledgements:
        acks.setdefault(ack.mark_id, []).append(ack)
    out: list[ReportMark] = []
    for n, mark in enumerate(record.marks, start=1):
        mine = tuple(sorted(acks.get(mark.id, ()), key=lambda a: a.acknowledged_at))
        site = assess(str(mark.view), (mark.x, mark.y), None, hazards)
        notes = [HazardNote(h.structure, h.level) for h in site.hazards]
        for ack in mine:
            for hid in ack.hazard_ids:
                zone = hazards.zones.get(hid)
                if zone is not None and all(n.structure != zone.structure for n in notes):
                    notes.append(HazardNote(zone.structure, str(ack.level)))
        thoracic = site.thoracic or any(
            getattr(hazards.zones.get(hid), "kind", "") == "pneumothorax"
            for a in mine
            for hid in a.hazard_ids
        )
        levels = [site.level, *(str(a.level) for a in mine)]
        level = highest(levels) if any(lv != "none" for lv in levels) else "none"
        out.append(
            ReportMark(
                number=n,
                mark=mark,
                muscle=muscle_name(atlas, mark.muscle_id),
                trigger_point=trigger_point_label(mark.trigger_point_id, str(mark.side)),
                level=level,
                hazards=tuple(notes),
                acknowledgements=mine,
                thoracic=thoracic,
            )
        )
    return out


def views_in_use(record: SessionRecord) -> list[str]:
    """Views that hold a mark, a pain area or an annotation, in the atlas's order."""
    used = {str(m.view) for m in record.marks}
    used |= {str(a.view) for a in record.pain_areas}
    used |= {str(a.view) for a in record.annotations}
    return [v for v in VIEW_ORDER if v in used]


def patient_age(patient: Patient, on: str) -> int | None:
    if not patient.date_of_birth:
        return None
    try:
        born = datetime.strptime(patient.date_of_birth, "%Y-%m-%d").date()
        day = datetime.fromisoformat(on.replace("Z", "+00:00")).date()
    except ValueError:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
