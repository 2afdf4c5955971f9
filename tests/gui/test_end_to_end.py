"""A clinician's whole path through the real widgets: patient → session → marks with a hazard
acknowledgement → pain area → undo/redo → sign → reopen and find everything."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QTextBrowser

from dn_bodymap.gui.canvas.view import Tool
from dn_bodymap.gui.patients.patient_dialog import PatientDialog
from dn_bodymap.gui.session.ack_dialog import HazardAcknowledgementDialog
from dn_bodymap.gui.session.screening_dialog import ScreeningDialog


def answer_modal(qtbot, handler):
    """Run ``handler(dialog)`` on the next modal dialog that opens."""

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        handler(dialog)

    QTimer.singleShot(0, poll)


def click_scene_point(qtbot, page, view: str, x: float, y: float) -> None:
    canvas = page.canvas
    canvas.show_view(view)
    widget = canvas.views[view]
    pos = widget.mapFromScene(x, y)
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def drag_scene(qtbot, page, view: str, points) -> None:
    widget = page.canvas.views[view]
    vp = widget.viewport()
    first = widget.mapFromScene(*points[0])
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=first)
    for x, y in points[1:]:
        qtbot.mouseMove(vp, widget.mapFromScene(x, y))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=widget.mapFromScene(*points[-1]))


def test_chart_a_session_from_patient_to_signature(qtbot, make_window, monkeypatch):
    window, repo = make_window()
    atlas = window.atlas

    # -- create a patient through the real dialog
    def fill_patient(dialog):
        assert isinstance(dialog, PatientDialog)
        dialog.name.setText("Demo Patient Sam Ortega")
        dialog.record_number.setText("DEMO-42")
        dialog.height.setValue(172)
        dialog.weight.setValue(58)
        dialog._accept()

    answer_modal(qtbot, fill_patient)
    qtbot.mouseClick(window.patients.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.patients.patients.count() == 1)

    # -- start a session
    qtbot.mouseClick(window.patients.start_button, Qt.MouseButton.LeftButton)
    page = window.session_page
    assert page is not None and window.stack.currentWidget() is page
    controller = window.controller

    # -- screening and consent
    def screen(dialog):
        assert isinstance(dialog, ScreeningDialog)
        dialog.accept()

    answer_modal(qtbot, screen)
    qtbot.mouseClick(page.header.screening_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.session.screening_result is not None)
    page.header.consent_type.setCurrentIndex(page.header.consent_type.findData("written"))
    page.header.consent_type.activated.emit(page.header.consent_type.currentIndex())
    page.header.pneumothorax.setChecked(True)
    assert controller.session.consent is not None and controller.session.consent.pneumothorax_discussed

    # -- three marks: upper trapezius (hazard → acknowledged), and two limb points
    post = atlas.view("posterior")
    c7, acromion = post.landmark("c7"), post.landmark("acromion", "right")
    trap = ((c7.x + acromion.x) / 2, (c7.y + acromion.y) / 2 + 3)

    def acknowledge(dialog):
        assert isinstance(dialog, HazardAcknowledgementDialog)
        assert "pneumothorax" in dialog.findChild(QTextBrowser).toPlainText().lower()
        assert not dialog.ok_button.isEnabled()
        dialog.confirm.setChecked(True)
        dialog.technique.setCurrentIndex(0)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    answer_modal(qtbot, acknowledge)
    click_scene_point(qtbot, page, "posterior", *trap)
    qtbot.waitUntil(lambda: len(controller.marks()) == 1)
    first = controller.marks()[0]
    assert first.muscle_id == "trapezius" and str(first.side) == "right"
    acks = controller.acknowledgements()
    assert len(acks) == 1 and acks[0].mark_id == first.id and str(acks[0].level) in ("high", "very_high")

    ant = atlas.view("anterior")
    patella = ant.landmark("patella", "left")
    # lateral thigh, clear of the adductor canal (a high-level zone medially above the knee)
    click_scene_point(qtbot, page, "anterior", patella.x + 15, patella.y - 70)
    lat = atlas.view("posterior").landmark("deltoid_tuberosity", "right")
    click_scene_point(qtbot, page, "posterior", lat.x - 6, lat.y - 25)
    qtbot.waitUntil(lambda: len(controller.marks()) == 3)
    assert page.marks_list.count() == 3
    # the hazard badge is on the canvas and in the list
    assert page.canvas.scenes["posterior"].marks[first.id].level in ("high", "very_high")

    # -- a pain area with the brush on the patient's right temple (anterior x < 0)
    page.canvas.set_tool(Tool.BRUSH)
    temple = ant.landmark("temple", "right")
    drag_scene(
        qtbot,
        page,
        "anterior",
        [(temple.x + 2, temple.y - 6), (temple.x + 4, temple.y + 4), (temple.x + 5, temple.y + 12)],
    )
    qtbot.waitUntil(lambda: len(controller.pain_areas()) == 1)
    assert "temple" in page.referral.summary.text()

    # -- undo and redo the drawing (one gesture = one step)
    window.undo_action.trigger()
    assert controller.pain_areas() == []
    window.redo_action.trigger()
    assert len(controller.pain_areas()) == 1

    # -- sign
    answer_modal(qtbot, lambda dialog: dialog.sign_button.click())  # the profile signs, confirmed
    window.sign_action.trigger()
    assert controller.is_signed
    assert not window.undo_action.isEnabled()
    session_id = controller.session_id
    window.close()
    repo.close()

    # -- reopen in a new window: everything is there
    window2, _repo2 = make_window()
    window2.open_session(session_id)
    c2 = window2.controller
    assert c2.is_signed
    assert len(c2.marks()) == 3 and len(c2.pain_areas()) == 1
    acks2 = c2.acknowledgements()
    assert len(acks2) == 1 and acks2[0].technique_chosen
    assert window2.session_page.marks_list.count() == 3


def test_backup_now_writes_a_checked_copy(qtbot, make_window, db_path):
    from dn_bodymap.store.backup import backups_of, integrity_problems

    window, _repo = make_window()
    before = set(backups_of(db_path))
    window.backup_action.trigger()
    new = set(backups_of(db_path)) - before
    assert len(new) == 1 and integrity_problems(next(iter(new))) == []
    assert "Backup written" in window.statusBar().currentMessage()
