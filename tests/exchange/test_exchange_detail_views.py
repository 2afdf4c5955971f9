"""Marks on the detail views (issue #15) travel through the exchange document and the store exactly,
and the published schema lists every view a record allows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exchange_builders import document_of, open_fresh

from dn_bodymap.charting.enums import Side, View
from dn_bodymap.charting.exchange import PatientBundle, SessionBundle, Stored, encode
from dn_bodymap.charting.exchange.decode import loads, parse_document
from dn_bodymap.charting.records import Mark, Patient, Session

DETAIL = [
    View.PLANTAR,
    View.PALMAR,
    View.DORSAL_HAND,
    View.FACE,
    View.HEAD_LATERAL_RIGHT,
    View.HEAD_LATERAL_LEFT,
]


def _bundle() -> PatientBundle:
    patient = Patient(display_name="Test Patient Detail Views")
    session = Session(
        patient_id=patient.id,
        clinician="Dr D",
        started_at="2026-01-01T00:00:00Z",
        status="signed",
        signed_by="Dr D",
        signed_at="2026-01-01T01:00:00Z",
    )
    at = "2026-01-01T00:00:00.000000Z"
    marks = tuple(
        Stored(
            Mark(session_id=session.id, view=v, x=120.0, y=800.0 - i, atlas_version="1.0", side=Side.RIGHT),
            at,
            at,
        )
        for i, v in enumerate(DETAIL)
    )
    return PatientBundle(Stored(patient, at, at), (SessionBundle(Stored(session, at, at), marks=marks),))


def test_detail_view_marks_survive_the_document_exactly() -> None:
    original = _bundle()
    document = json.loads(encode.dumps(document_of(original)))
    assert {m["view"] for s in document["sessions"] for m in s["marks"]} == {v.value for v in DETAIL}
    assert parse_document(loads(encode.dumps(document_of(original)))) == original


def test_detail_view_marks_survive_the_store(tmp_path: Path) -> None:
    repo = open_fresh(tmp_path / "records.db")
    try:
        bundle = _bundle()
        repo.import_patient_bundle(bundle)
        stored = repo.list_marks(bundle.sessions[0].session.record.id)
        assert sorted(str(m.view) for m in stored) == sorted(v.value for v in DETAIL)
    finally:
        repo.close()


@pytest.mark.parametrize("view", DETAIL)
def test_the_schema_lists_each_detail_view(view: View) -> None:
    schema = json.loads((Path(__file__).resolve().parents[2] / "docs" / "exchange-schema.json").read_text())
    assert view.value in schema["$defs"]["view"]["enum"]
