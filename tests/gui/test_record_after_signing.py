"""After signing and between visits: addenda and late adverse events shown under the signed note,
"from previous" starts from a signed visit (or one picked), a mistaken draft is voided with a
reason, the faded overlay stays with its session, and the pre-sign check informs."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from dn_bodymap.charting.enums import AuditAction
from dn_bodymap.charting.records import Mark, Patient, Session
from dn_bodymap.gui.record_dialogs import AddendumDialog, VoidDraftDialog
from dn_bodymap.gui.session.adverse_event_dialog import AdverseEventDialog
from dn_bodymap.gui.sign_dialog import SignDialog


def answer_modal(handler):
    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        handler(dialog)

    QTimer.singleShot(0, poll)


def _session_with_mark(repo, patient, atlas, muscle: str, started_at: str, sign: bool) -> Session:
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test", started_at=started_at))
    anchor = next(s for s in atlas.view("anterior").muscle_shapes if s.muscle_id == muscle)
    repo.add_mark(
        Mark(
            session_id=session.id,
            view="anterior",
            x=anchor.anchor[0],
            y=anchor.anchor[1],
            atlas_version=atlas.version,
            side=str(anchor.side),
            muscle_id=muscle,
        )
    )
    if sign:
        repo.sign_session(session.id, "Dr Test")
    return session


def test_late_adverse_event_and_addendum_are_shown_under_the_signed_note(qtbot, make_window):
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Noor Aziz"))
    window.start_session(patient.id)
    controller, page = window.controller, window.session_page
    answer_modal(lambda dialog: dialog.sign_button.click())
    window.sign_action.trigger()
    assert controller.is_signed
    header = page.header
    assert window.adverse_action.isEnabled() and header.adverse_button.isEnabled()
    assert header.addendum_button.isVisible() and not header.sign_button.isVisible()

    def report(dialog):
        assert isinstance(dialog, AdverseEventDialog)
        dialog.type.setCurrentText("Suspected pneumothorax")
        dialog.severity.setCurrentIndex(2)
        dialog.notes.setPlainText("Short of breath at 18:00; sent to the emergency department.")
        dialog._accept()

    answer_modal(report)
    qtbot.mouseClick(header.adverse_button, Qt.MouseButton.LeftButton)

    def write(dialog):
        assert isinstance(dialog, AddendumDialog)
        assert dialog.text.lineWrapMode() is QPlainTextEdit.LineWrapMode.WidgetWidth
        dialog.text.setPlainText("Patient phoned: chest X-ray clear, discharged.")
        dialog._accept()

    answer_modal(write)
    qtbot.mouseClick(header.addendum_button, Qt.MouseButton.LeftButton)

    assert controller.is_signed  # the entries do not unlock the note
    shown = header.entries.text()
    assert "Suspected pneumothorax" in shown and "after signing" in shown
    assert "chest X-ray clear" in shown and "Dr Test" in shown
    assert shown.index("Suspected pneumothorax") < shown.index("chest X-ray clear")  # in time order
    record = repo.load_session(controller.session_id)
    assert len(record.adverse_events) == 1 and len(record.addenda) == 1
    assert record.adverse_events[0].recorded_at > controller.session.signed_at

    # reopened later, they are still shown under the session
    window.open_session(controller.session_id)
    assert "chest X-ray clear" in window.session_page.header.entries.text()


def test_from_previous_copies_the_last_signed_visit_not_a_draft(qtbot, make_window):
    window, repo = make_window()
    atlas = window.atlas
    patient = repo.add_patient(Patient(display_name="Demo Patient Ivo Brandt"))
    older = _session_with_mark(repo, patient, atlas, "deltoid", "2026-01-05T09:00:00.000000Z", True)
    _session_with_mark(repo, patient, atlas, "tibialis_anterior", "2026-02-05T09:00:00.000000Z", True)
    _session_with_mark(repo, patient, atlas, "biceps_brachii", "2026-03-05T09:00:00.000000Z", False)
    window.patients.refresh(select=patient.id)
    pages = window.patients
    assert pages.copy_button.isEnabled()
    pages.copy_button.click()
    assert [m.muscle_id for m in window.controller.marks()] == ["tibialis_anterior"]  # not the draft

    # the arrow of the button picks any earlier signed visit
    window.show_patients()
    window.patients.refresh(select=patient.id)
    actions = [a for a in pages.copy_menu.actions() if a.text().startswith("Copy from")]
    assert len(actions) == 2 and "(last signed)" in actions[0].text()
    actions[1].trigger()
    assert [m.muscle_id for m in window.controller.marks()] == ["deltoid"]
    assert window.controller.session_id != older.id


def test_void_a_draft_with_a_reason(qtbot, make_window):
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Ula Berg"))
    draft = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    window.patients.refresh(select=patient.id)
    pages = window.patients
    assert pages.sessions.rowCount() == 1 and pages.void_button.isEnabled()

    def give_reason(dialog):
        assert isinstance(dialog, VoidDraftDialog)
        dialog._accept()  # an empty reason is refused
        assert dialog.isVisible() and dialog.error.text()
        dialog.text.setPlainText("Opened for the wrong patient.")
        dialog._accept()

    answer_modal(give_reason)
    qtbot.mouseClick(pages.void_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pages.sessions.rowCount() == 0)  # hidden from lists and charts
    assert repo.list_sessions(patient.id) == []
    assert repo.load_patient_chart(patient.id).sessions == ()
    kept = repo.get_session(draft.id, include_deleted=True)
    assert kept.void_reason == "Opened for the wrong patient." and kept.is_voided
    assert repo.list_audit(draft.id)[0].action is AuditAction.VOID


def test_a_signed_session_cannot_be_voided(qtbot, make_window):
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Ora Lenz"))
    _session_with_mark(repo, patient, window.atlas, "deltoid", "2026-01-05T09:00:00.000000Z", True)
    window.patients.refresh(select=patient.id)
    assert not window.patients.void_button.isEnabled()


def test_the_faded_previous_session_stays_with_the_draft(qtbot, make_window):
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Per Holm"))
    _session_with_mark(repo, patient, window.atlas, "deltoid", "2026-01-05T09:00:00.000000Z", True)
    window.patients.refresh(select=patient.id)
    window.patients.overlay_button.click()
    draft = window.controller.session_id
    assert len(window.session_page.canvas.scenes["anterior"].overlay_marks) == 1
    window.show_patients()
    window.open_session(draft)  # reopened: the overlay is still there
    assert len(window.session_page.canvas.scenes["anterior"].overlay_marks) == 1


def test_presign_check_informs_and_signing_stays_possible(qtbot, make_window):
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Rhea Voss"))
    _session_with_mark(repo, patient, window.atlas, "deltoid", "2026-01-05T09:00:00.000000Z", False)
    session_id = repo.list_sessions(patient.id)[0].session.id
    window.open_session(session_id)
    seen = []

    def look_then_sign(dialog):
        assert isinstance(dialog, SignDialog)
        seen.append(dialog.check.text())
        dialog.sign_button.click()

    answer_modal(look_then_sign)
    window.sign_action.trigger()
    text = seen[0]
    assert "1 of 1 marks not recorded as needled" in text
    assert "Pain after treatment is not recorded" in text
    assert "Consent is not recorded" in text and "screening checklist is not done" in text
    assert window.controller.is_signed


def test_ctrl_s_says_changes_are_saved_as_you_go(qtbot, make_window):
    window, _repo = make_window()
    window.save_action.trigger()
    assert window.statusBar().currentMessage() == "All changes are saved as you go."


def test_ctrl_shift_n_opens_new_patient_on_the_patients_screen(qtbot, make_window):
    window, _repo = make_window()
    opened = []

    def close(dialog):
        opened.append(type(dialog).__name__)
        dialog.reject()

    answer_modal(close)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.patients.search.setFocus()
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.patients.search, Qt.Key.Key_N, keys)
    qtbot.waitUntil(lambda: opened == ["PatientDialog"])


def test_compare_two_visits_side_by_side(qtbot, make_window):
    from dn_bodymap.charting.records import PainArea
    from dn_bodymap.gui.compare_dialog import CompareVisitsDialog

    window, repo = make_window()
    atlas = window.atlas
    patient = repo.add_patient(Patient(display_name="Demo Patient Cy Dorn"))
    first = _session_with_mark(repo, patient, atlas, "deltoid", "2026-01-05T09:00:00.000000Z", False)
    repo.update_session(dataclasses.replace(repo.get_session(first.id), pain_pre=7))
    square = {
        "type": "Polygon",
        "coordinates": [[[-60, 300], [-20, 300], [-20, 340], [-60, 340], [-60, 300]]],
    }
    repo.add_pain_area(
        PainArea(session_id=first.id, view="anterior", geometry=square, atlas_version=atlas.version)
    )
    second = _session_with_mark(
        repo, patient, atlas, "tibialis_anterior", "2026-02-05T09:00:00.000000Z", False
    )
    repo.update_session(dataclasses.replace(repo.get_session(second.id), pain_pre=4))
    window.patients.refresh(select=patient.id)
    assert window.patients.compare_button.isEnabled()
    seen = []

    def look(dialog):
        assert isinstance(dialog, CompareVisitsDialog)
        seen.append((dialog.summary.text(), dialog.left.pixmap().isNull(), dialog.right.pixmap().isNull()))
        dialog.reject()

    answer_modal(look)
    qtbot.mouseClick(window.patients.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen))
    text, left_empty, right_empty = seen[0]
    assert "lower by 3 (7 → 4)" in text and "smaller" in text
    assert not left_empty and not right_empty
