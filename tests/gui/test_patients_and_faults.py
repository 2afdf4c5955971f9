"""Patients screen behaviour and a failed save that is shown, kept and retried."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from dn_bodymap.charting.records import Patient


def test_search_as_you_type_and_recent_first(qtbot, make_window):
    window, repo = make_window()
    alex = repo.add_patient(Patient(display_name="Demo Patient Alex Rivera", record_number="D-7"))
    repo.add_patient(Patient(display_name="Demo Patient Zoe Brant"))
    window.start_session(alex.id)
    window.show_patients()
    page = window.patients
    assert page.list_title.text() == "Recent patients"
    assert page.patients.item(0).data(Qt.ItemDataRole.UserRole) == alex.id  # seen most recently
    qtbot.keyClicks(page.search, "zoe")
    qtbot.waitUntil(lambda: page.patients.count() == 1)
    assert "Zoe" in page.patients.item(0).text() and page.list_title.text() == "Matching patients"
    page.search.clear()
    qtbot.keyClicks(page.search, "d-7")
    qtbot.waitUntil(lambda: page.patients.count() == 1 and "Alex" in page.patients.item(0).text())


def test_a_failed_save_is_shown_kept_and_retried(qtbot, make_window, monkeypatch):
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Disk Full"))
    window.start_session(patient.id)
    controller = window.controller
    real_add = repo.add_mark
    failures = {"left": 2}

    def flaky(mark, acknowledgement=None):
        if failures["left"]:
            failures["left"] -= 1
            raise sqlite3.OperationalError("database or disk is full")
        return real_add(mark, acknowledgement)

    monkeypatch.setattr(repo, "add_mark", flaky)
    mark = controller.place_mark("anterior", 60.0, 620.0)
    assert mark is None  # not saved yet …
    assert controller.pending and "Not saved" in window.save_label.text()
    assert repo.list_marks(controller.session_id) == []
    controller.retry_pending()  # still failing
    assert controller.pending and "Still not saved" in window.save_label.text()
    controller.retry_pending()  # space is back
    assert not controller.pending and window.save_label.text() == "All changes saved"
    assert len(repo.list_marks(controller.session_id)) == 1
    assert controller.editing.can_undo
