"""An open session screen shows what a sync round pulled from another room (issue #16): an addendum
or a late adverse event written in Room 2 appears under the note, and when Room 2 erased the patient
the screen closes with one sentence and the patient list shows.

Room 2 is a second local store; its changes reach this window through the sync status's own
local-write step (``ClinicSync._finish`` → ``sync.engine.finish`` → ``apply_pulled``), with the
server's part of the round (``exchange``) stood in by handing over Room 2's rows, so no PostgreSQL
is needed.
"""

from __future__ import annotations

import pytest

from dn_bodymap.charting.records import Addendum, AdverseEvent, Patient, Session

URL = "postgresql://clinic.example/dn_clinic"


class Server:
    """Carries rows between stores in one order, as the clinic server's change feed does."""

    def __init__(self) -> None:
        self.ord = 0

    def rows(self, repo) -> list:
        changes, head = repo.changes_to_push()
        repo.mark_pushed(head)
        origin = repo.sync_workstation_id()
        out = []
        for change in changes:
            self.ord += 1
            out.append((self.ord, origin, change))
        return out

    def pull_into_store(self, repo, rows) -> None:
        repo.apply_pulled([(origin, change) for _, origin, change in rows], pulled_to=rows[-1][0])

    def pull_into_window(self, window, repo, rows) -> None:
        """The GUI's round, after the network part: the local write and what it announces."""
        from dn_bodymap.sync.engine import Incoming, Outgoing

        outgoing = Outgoing(repo.sync_workstation_id(), "Room 1", [], 0, repo.sync_state()[2])
        window.clinic_sync._finish(URL, outgoing, Incoming(rows=rows, pushed=True))


@pytest.fixture
def rooms(make_window, tmp_path):
    from dn_bodymap.store import open_store

    window, repo = make_window()
    if window.clinic_sync is None:
        pytest.skip("the clinic extra (psycopg, keyring) is not installed")
    room2 = open_store(tmp_path / "room2.db", backups=False)
    server = Server()
    patient = repo.add_patient(Patient(display_name="Demo Patient Pulled"))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    repo.sign_session(session.id, "Dr Test")
    server.pull_into_store(room2, server.rows(repo))  # Room 2 has the signed session too
    window.open_session(session.id)
    yield window, repo, room2, server, session
    room2.close()


def test_an_addendum_and_a_late_event_from_another_room_appear_on_the_open_session(qtbot, rooms):
    window, repo, room2, server, session = rooms
    header = window.session_page.header
    assert "None recorded" in header.entries.text()
    room2.add_addendum(Addendum(session_id=session.id, author="Dr Other", text="Called back: better"))
    room2.add_adverse_event(
        AdverseEvent(session_id=session.id, type="Bruising", severity="mild", recorded_by="Dr Other")
    )
    server.pull_into_window(window, repo, server.rows(room2))
    assert window.clinic_sync.label.text() == "Synced" and window.clinic_sync.last_report.applied == 2
    text = header.entries.text()
    assert "Called back: better" in text and "Bruising" in text and "(2)" in header.entries_box.title()
    assert window.stack.currentWidget() is window.session_page


def test_a_patient_erased_in_another_room_closes_the_open_session(qtbot, rooms):
    window, repo, room2, server, session = rooms
    room2.erase_patient(session.patient_id)
    server.pull_into_window(window, repo, server.rows(room2))
    assert window.stack.currentWidget() is window.patients
    assert "erased on another workstation" in window.statusBar().currentMessage()
    assert window.settings.value("last_session") == ""  # not reopened at the next start


def test_a_draft_voided_in_another_room_closes_the_open_session(qtbot, rooms):
    window, repo, room2, server, _ = rooms
    patient = repo.add_patient(Patient(display_name="Demo Patient Pulled Draft"))
    draft_id = window.start_session(patient.id)
    server.pull_into_store(room2, server.rows(repo))
    room2.void_session(draft_id, "Started by mistake")
    server.pull_into_window(window, repo, server.rows(room2))
    assert window.stack.currentWidget() is window.patients
    assert "voided on another workstation" in window.statusBar().currentMessage()
