"""Signing goes through the editing session, so every rule an edit obeys holds for signing too."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dn_bodymap.charting.editing import EditingSession, SessionLockedError
from dn_bodymap.charting.editing.session import DraftHeldElsewhere
from dn_bodymap.charting.records import Patient, Session


@pytest.fixture
def session(repo):
    patient = repo.add_patient(Patient(display_name="Demo Patient Sign"))
    return repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))


class HeldInRoom2:
    def check(self, session_id) -> None:
        raise DraftHeldElsewhere("Room 2", datetime(2026, 1, 1, 10, 42, tzinfo=UTC))


def test_a_draft_held_by_another_room_cannot_be_signed_here(repo, session):
    editing = EditingSession(repo, session.id, leases=HeldInRoom2())
    with pytest.raises(DraftHeldElsewhere, match="open in Room 2"):
        editing.sign("Dr Test")
    assert str(repo.get_session(session.id).status) != "signed"


def test_signing_clears_the_history_and_a_second_signature_is_refused(repo, session):
    editing = EditingSession(repo, session.id)
    editing.sign("Dr Test")
    assert str(repo.get_session(session.id).status) == "signed"
    assert not editing.can_undo
    with pytest.raises(SessionLockedError):
        editing.sign("Dr Test")
