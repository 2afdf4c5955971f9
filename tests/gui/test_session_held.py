"""A draft held by another room's lease is read-only on this session screen before anyone types,
and editable again once it is taken over or released (issue #16).

The core decides (``EditingSession.edit_refusal``: the same checks every edit runs); the screen
asks it when the leases change (``ClinicSync.leasesChanged``). A fake ``DraftLeases`` stands in for
the server, so no PostgreSQL is needed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from dn_bodymap.charting.editing import EditingSession, SessionLockedError
from dn_bodymap.charting.editing.session import DraftHeldElsewhere
from dn_bodymap.charting.records import Patient, Session


class Room1:
    """DraftLeases: another room holds the draft until ``held`` is cleared (taken over, released)."""

    def __init__(self) -> None:
        self.held = True

    def check(self, session_id) -> None:
        if self.held:
            raise DraftHeldElsewhere("Room 1", datetime(2026, 1, 1, 10, 42, tzinfo=UTC), "Dr Other")


def test_the_core_answers_whether_an_edit_would_be_refused_by_the_same_checks(tmp_path):
    from dn_bodymap.store import open_store

    repo = open_store(tmp_path / "r.db", backups=False)
    try:
        patient = repo.add_patient(Patient(display_name="Demo Patient Held Core"))
        session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
        leases = Room1()
        editing = EditingSession(repo, session.id, leases=leases)
        refusal = editing.edit_refusal()
        assert isinstance(refusal, DraftHeldElsewhere) and refusal.holder == "Room 1"
        assert not editing.can_edit()
        with pytest.raises(DraftHeldElsewhere):  # what the query says, an edit meets
            editing.sign("Dr Test")
        leases.held = False
        assert editing.edit_refusal() is None and editing.can_edit()
        editing.sign("Dr Test")
        assert isinstance(editing.edit_refusal(), SessionLockedError)  # signed: read-only for good
    finally:
        repo.close()


def _header_fields(header):
    return [
        header.pain_pre,
        header.pain_post,
        header.position,
        header.consent_type,
        header.pneumothorax,
        header.copy_given,
        header.notes,
        header.advice,
        header.plan,
        header.screening_button,
        header.sign_button,
        header.adverse_button,  # on a draft, an adverse event is an edit too
    ]


def test_the_session_screen_is_read_only_while_another_room_holds_the_draft(qtbot, make_window):
    window, repo = make_window()
    if window.clinic_sync is None:
        pytest.skip("the clinic extra (psycopg, keyring) is not installed")
    patient = repo.add_patient(Patient(display_name="Demo Patient Held"))
    session_id = window.start_session(patient.id)
    controller, page = window.controller, window.session_page
    header = page.header
    assert all(w.isEnabled() for w in _header_fields(header)) and header.status.text() == "Draft"
    leases = Room1()
    controller.editing.leases = leases  # as ClinicSync.attach wires its lease keeper
    window.clinic_sync.leasesChanged.emit()  # a sync round saw Room 1's lease
    assert not any(w.isEnabled() for w in _header_fields(header))
    assert "open in Room 1" in header.status.text() and "read-only" in header.status.text()
    assert not page.canvas.toolbar.isEnabled()
    assert not any(v.isInteractive() for v in page.canvas.views.values())
    assert not page.inspector.isEnabled()
    assert not window.sign_action.isEnabled() and not window.screening_action.isEnabled()
    assert not window.adverse_action.isEnabled()
    header.notes.setFocus()
    qtbot.keyClicks(header.notes, "typed in Room 2")  # a disabled field takes no typing
    assert repo.get_session(session_id).notes == "" and header.notes.toPlainText() == ""
    refused: list[str] = []
    controller.refused.connect(refused.append)
    assert not controller.finish_stroke("anterior", "brush", [(60.0, 600.0), (60.0, 620.0)])
    assert refused and "open in Room 1" in refused[-1] and not controller.sketches.busy
    # Taken over here (or released there): the next round says so and the screen is editable again.
    leases.held = False
    window.clinic_sync.leasesChanged.emit()
    assert all(w.isEnabled() for w in _header_fields(header)) and header.status.text() == "Draft"
    assert page.canvas.toolbar.isEnabled() and window.sign_action.isEnabled()
    qtbot.keyClicks(header.notes, "after take-over")
    assert repo.get_session(session_id).notes == "after take-over"


def test_a_lease_change_on_a_session_left_behind_touches_only_the_open_screen(qtbot, make_window):
    window, repo = make_window()
    if window.clinic_sync is None:
        pytest.skip("the clinic extra (psycopg, keyring) is not installed")
    first = window.start_session(repo.add_patient(Patient(display_name="Demo Patient Left")).id)
    left_behind = window.controller
    leases = Room1()
    leases.held = False
    left_behind.editing.leases = leases
    window.start_session(repo.add_patient(Patient(display_name="Demo Patient Now")).id)
    assert window.controller.session_id != first
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the first screen is deleted
    leases.held = True  # another room takes the draft left behind
    window.clinic_sync.leasesChanged.emit()  # no slot of the deleted screen runs (pytest-qt fails on one)
    assert all(w.isEnabled() for w in _header_fields(window.session_page.header))
