"""A patient whose record uses every part of the exchange format, and database snapshots."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from dn_bodymap.charting.enums import AnnotationKind, HazardLevel, PainQuality, Severity, Side, View
from dn_bodymap.charting.exchange import PatientBundle, encode
from dn_bodymap.charting.records import (
    Addendum,
    AdverseEvent,
    Annotation,
    Consent,
    HazardAcknowledgement,
    Mark,
    PainArea,
    Patient,
    Session,
)
from dn_bodymap.store import open_store
from dn_bodymap.store.repository import SqliteRepository

ATLAS = "exchange-test-1"
# Doubles that a 6-decimal format would round: they must come back bit for bit.
AWKWARD_X = 0.1 + 0.2
AWKWARD_Y = 123.45678901234567
SQUARE_WITH_HOLE = {
    "type": "MultiPolygon",
    "coordinates": [
        [
            [[10.0, 100.0], [60.0, 100.0], [60.0, 150.0], [10.0, 150.0], [10.0, 100.0]],
            [[20.0, 110.0], [30.0, 110.0], [30.0, 120.0], [20.0, 110.0]],
        ],
        [[[-80.0, 300.0], [-40.123456789012345, 300.0], [-60.0, 340.0], [-80.0, 300.0]]],
    ],
}


def open_fresh(path: Path, actor: str = "Dr Exchange") -> SqliteRepository:
    return open_store(path, actor=actor, backups=False)


def fill_rich_patient(repo: SqliteRepository) -> Patient:
    """Signed, draft and deleted sessions; deleted parts; every record kind and optional field."""
    patient = repo.add_patient(
        Patient(
            display_name="Test Patient Zoë Ångström-Núñez",
            record_number="EX-0001",
            date_of_birth="1979-02-28",
            sex="female",
            height_cm=171.5,
            weight_kg=64.25,
            notes='Fictitious. Line one\nline two, with "quotes" and a tab\t.',
        )
    )
    signed = repo.create_session(
        Session(
            patient_id=patient.id,
            clinician="Dr Exchange",
            consent=Consent(
                type="written",
                date="2026-03-01",
                risks_discussed=("pneumothorax", "bruising"),
                pneumothorax_discussed=True,
                patient_copy_given=True,
            ),
            screening_answers={"anticoagulants": False, "pregnancy": None, "bmi": 21.5, "notes.x": "none"},
            screening_result="no contraindication",
            pain_pre=6,
            pain_post=3,
            patient_position="prone",
            notes="Upper trapezius, right.",
            advice_given="Heat, gentle movement.",
            plan="Review in one week.",
        )
    )
    mark = _mark(signed, x=AWKWARD_X, y=AWKWARD_Y, depth_mm=12.5, needle_length_mm=30.0, needled=True)
    repo.add_mark(mark, _ack(mark))
    gone = _mark(
        signed, x=-72.5, y=190.0, muscle_id="levator_scapulae", trigger_point_id="levator_scapulae.1"
    )
    repo.add_mark(gone, _ack(gone, level=HazardLevel.VERY_HIGH, technique_chosen="flat angle"))
    repo.delete_mark(gone.id)  # deleted before signing: its acknowledgement still points at it
    area = repo.add_pain_area(
        PainArea(
            session_id=signed.id,
            view=View.POSTERIOR,
            geometry=SQUARE_WITH_HOLE,
            atlas_version=ATLAS,
            quality=PainQuality.BURNING,
            intensity=7,
            mark_id=mark.id,
            notes="Refers to the temple.",
        )
    )
    repo.add_annotation(
        Annotation(
            session_id=signed.id,
            view=View.POSTERIOR,
            kind=AnnotationKind.ARROW,
            points=((mark.x, mark.y), (15.5, 120.25), (40.0, 140.0)),
            atlas_version=ATLAS,
            text="refers",
            mark_id=mark.id,
            pain_area_id=area.id,
        )
    )
    repo.add_annotation(
        Annotation(
            session_id=signed.id,
            view=View.ANTERIOR,
            kind=AnnotationKind.NOTE,
            points=((-20.0, 400.0),),
            atlas_version=ATLAS,
            text="=cmd|' /C calc'!A0",  # a spreadsheet formula: CSV must not run it
        )
    )
    repo.sign_session(signed.id, "Dr Exchange, physiotherapist")
    repo.add_adverse_event(AdverseEvent(session_id=signed.id, type="bruising", severity=Severity.MILD))
    repo.add_addendum(Addendum(session_id=signed.id, author="Dr Exchange", text="Bruise resolved."))

    draft = repo.create_session(Session(patient_id=patient.id, clinician="Dr Exchange", pain_pre=4))
    over_lung = _mark(draft, view=View.ANTERIOR, x=-30.0, y=260.0, side=Side.RIGHT)
    draft_mark = repo.add_mark(over_lung, _ack(over_lung, hazard_ids=("pleura_chest_wall",)))
    erased = repo.add_pain_area(
        PainArea(
            session_id=draft.id,
            view=View.ANTERIOR,
            geometry=[[[0.0, 200.0], [20.0, 200.0], [10.0, 230.0]]],
            atlas_version=ATLAS,
        )
    )
    repo.delete_pain_area(erased.id)
    repo.update_mark(dataclasses.replace(draft_mark, notes="moved after palpation", tenderness=8))

    deleted = repo.create_session(Session(patient_id=patient.id, clinician="Dr Exchange"))
    repo.add_mark(_mark(deleted))
    repo.delete_session(deleted.id)
    return patient


def _mark(session: Session, **kw: Any) -> Mark:
    values: dict[str, Any] = {
        "session_id": session.id,
        "view": View.POSTERIOR,
        "x": 62.0,
        "y": 171.0,
        "atlas_version": ATLAS,
        "side": Side.LEFT,
        "muscle_id": "trapezius",
        "trigger_point_id": "trapezius.1",
    }
    values.update(kw)
    return Mark(**values)


def _ack(mark: Mark, **kw: Any) -> HazardAcknowledgement:
    values: dict[str, Any] = {
        "session_id": mark.session_id,
        "mark_id": mark.id,
        "hazard_ids": ("pleura_apex",),
        "level": HazardLevel.HIGH,
        "message_shown": "Lung apex beneath: risk of pneumothorax.",
        "acknowledged_by": "Dr Exchange",
    }
    values.update(kw)
    return HazardAcknowledgement(**values)


def document_of(bundle: PatientBundle) -> dict[str, Any]:
    return encode.patient_document(bundle, exported_at="2026-03-02T10:00:00.000000Z", app_version="test")


def snapshot(repo: SqliteRepository) -> list[str]:
    """Every row of every table (audit log included), as SQL text: equal means untouched."""
    return list(repo.db.conn.iterdump())


def session_shows(repo: SqliteRepository, patient_id: str) -> list[dict[str, Any]]:
    patient = repo.get_patient(patient_id)
    return [
        encode.session_document(repo.load_session(s.session.id), patient)
        for s in repo.list_sessions(patient_id)
    ]
