"""Settings that belong to one database (the clinician profile, the clinic), voided drafts, and
who recorded an adverse event."""

from __future__ import annotations

from pathlib import Path

import pytest

from dn_bodymap.charting.enums import AuditAction
from dn_bodymap.charting.errors import ConflictError, SignedSessionError
from dn_bodymap.charting.records import AdverseEvent, Clinician, Patient, Session
from dn_bodymap.charting.validation import ValidationError
from dn_bodymap.store import open_store
from dn_bodymap.store.repository import SqliteRepository


def _draft(repo: SqliteRepository) -> Session:
    patient = repo.add_patient(Patient(display_name="Demo Patient Test"))
    return repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))


def test_clinician_profile_is_kept_in_the_database_and_names_the_audit(db_path: Path) -> None:
    with open_store(db_path, backups=False) as repo:
        assert repo.get_clinician() is None
        repo.set_clinician(Clinician(name="Jo Rivera", profession="Physiotherapist"))
        repo.set_setting("clinic_name", "Riverside")
    with open_store(db_path, backups=False) as repo:
        expected = Clinician(name="Jo Rivera", profession="Physiotherapist", initials="JR")
        assert repo.get_clinician() == expected
        assert repo.get_setting("clinic_name") == "Riverside"
        assert repo.get_setting("missing", "fallback") == "fallback"
        session = _draft(repo)
        assert repo.list_audit(session.id)[0].actor == "Jo Rivera, Physiotherapist"


def test_clinician_needs_a_name() -> None:
    with pytest.raises(ValidationError):
        Clinician(name="  ")
    assert Clinician(name="Ana-Lu de Sá", registration_number="X1").signature == "Ana-Lu de Sá, reg. X1"
    assert Clinician(name="Ana-Lu de Sá").initials == "ALDS"


def test_void_a_draft_keeps_it_with_its_reason(repo: SqliteRepository) -> None:
    session = _draft(repo)
    with pytest.raises(ValidationError):
        repo.void_session(session.id, "   ")
    voided = repo.void_session(session.id, "Wrong patient")
    assert voided.is_voided and voided.void_reason == "Wrong patient"
    assert repo.list_sessions() == []
    assert repo.get_session(session.id, include_deleted=True) == voided
    assert repo.list_audit(session.id)[0].action is AuditAction.VOID
    with pytest.raises(ConflictError):
        repo.restore_session(session.id)


def test_a_signed_session_cannot_be_voided_but_takes_late_events(repo: SqliteRepository) -> None:
    session = _draft(repo)
    repo.sign_session(session.id, "Dr Test")
    with pytest.raises(SignedSessionError):
        repo.void_session(session.id, "too late")
    event = repo.add_adverse_event(
        AdverseEvent(session_id=session.id, type="Bruising", severity="mild", recorded_by="Dr Test")
    )
    assert repo.list_adverse_events(session.id) == [event]
    assert repo.get_session(session.id).is_signed
