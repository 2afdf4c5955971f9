"""Record builders shared by the store tests (plain functions, importable by name)."""

from __future__ import annotations

from dn_bodymap.charting.enums import HazardLevel, Side, View
from dn_bodymap.charting.records import (
    HazardAcknowledgement,
    Mark,
    PainArea,
    Patient,
    Session,
)

ATLAS = "test-1"


def make_patient(name: str = "Test Patient Casey Moss", **kw: object) -> Patient:
    return Patient(display_name=name, **kw)  # type: ignore[arg-type]


def make_mark(session: Session, **kw: object) -> Mark:
    values: dict[str, object] = {
        "session_id": session.id,
        "view": View.POSTERIOR,
        "x": 72.5,
        "y": 188.25,
        "atlas_version": ATLAS,
        "side": Side.RIGHT,
        "muscle_id": "trapezius",
        "trigger_point_id": "trapezius.1",
    }
    values.update(kw)
    return Mark(**values)  # type: ignore[arg-type]


def make_ack(mark: Mark, **kw: object) -> HazardAcknowledgement:
    values: dict[str, object] = {
        "session_id": mark.session_id,
        "mark_id": mark.id,
        "hazard_ids": ("pleura_apex",),
        "level": HazardLevel.HIGH,
        "message_shown": "Lung apex beneath: risk of pneumothorax.",
        "acknowledged_by": "Dr Test",
    }
    values.update(kw)
    return HazardAcknowledgement(**values)  # type: ignore[arg-type]


def make_area(session: Session, **kw: object) -> PainArea:
    values: dict[str, object] = {
        "session_id": session.id,
        "view": View.POSTERIOR,
        "geometry": [[[40.0, 60.0], [75.1234567890123, 70.0], [80.0, 150.0]]],
        "atlas_version": ATLAS,
    }
    values.update(kw)
    return PainArea(**values)  # type: ignore[arg-type]
