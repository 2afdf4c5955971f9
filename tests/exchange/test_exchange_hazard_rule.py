"""Import is a path to a needle: a draft's hazardous marks need an acknowledgement of that session."""

from __future__ import annotations

import json
from typing import Any

import pytest
from exchange_builders import document_of, snapshot

from dn_bodymap.charting.exchange import ExchangeError, PatientBundle
from dn_bodymap.charting.exchange.decode import loads, parse_document
from dn_bodymap.store.repository import SqliteRepository


def _doc(bundle: PatientBundle) -> dict[str, Any]:
    return json.loads(json.dumps(document_of(bundle)))


def _session(doc: dict[str, Any], signed: bool) -> dict[str, Any]:
    return next(
        s
        for s in doc["sessions"]
        if (s["session"]["status"] == "signed") is signed and not s["session"].get("deleted_at")
    )


def test_a_draft_without_its_acknowledgement_is_refused_and_nothing_written(
    bundle: PatientBundle, target: SqliteRepository
) -> None:
    doc = _doc(bundle)
    draft = _session(doc, signed=False)
    assert draft["marks"], "the fixture's draft holds a mark over the chest wall"
    draft["acknowledgements"] = []
    before = snapshot(target)
    with pytest.raises(ExchangeError, match="draft with marks over a hazard"):
        target.import_patient_bundle(parse_document(loads(json.dumps(doc))))
    assert snapshot(target) == before


def test_an_acknowledgement_from_another_session_does_not_cover_a_draft_mark(bundle: PatientBundle) -> None:
    doc = _doc(bundle)
    draft, signed = _session(doc, signed=False), _session(doc, signed=True)
    draft["acknowledgements"] = []
    # the signed session's acknowledgement, moved over, still names its own session: refused as foreign
    moved = json.loads(json.dumps(signed["acknowledgements"][0]))
    moved["mark_id"] = draft["marks"][0]["id"]
    draft["acknowledgements"] = [moved]
    with pytest.raises(ExchangeError):
        parse_document(loads(json.dumps(doc)))


def test_a_signed_session_is_imported_as_charted(bundle: PatientBundle, target: SqliteRepository) -> None:
    """A finished record is never re-judged against today's atlas: it stays importable."""
    doc = _doc(bundle)
    signed = _session(doc, signed=True)
    signed["acknowledgements"] = [
        a for a in signed["acknowledgements"] if a["mark_id"] != signed["marks"][0]["id"]
    ]
    parsed = parse_document(loads(json.dumps(doc)))
    assert parsed.patient.record.id == bundle.patient.record.id
