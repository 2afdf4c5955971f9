"""A faded previous-session mark taken over on the canvas (double-click or its context menu) goes
through the controller and so through the hazard rule: the acknowledgement dialog is asked, and
the mark enters this session with its own acknowledgement; declined, nothing changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_hazard_acknowledgement import answer_dialog, patient_with_signed_visit


def open_with_overlay(qtbot, window, patient):
    window.show_patients()
    window.patients.refresh(select=patient.id)
    qtbot.mouseClick(window.patients.overlay_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.controller is not None and window.stack.currentWidget() is window.session_page
    )
    page = window.session_page
    page.canvas.show_view("posterior")
    view = page.canvas.views["posterior"]
    qtbot.waitUntil(view.isVisible)
    faded = next(i for i in page.canvas.scenes["posterior"].overlay_marks if i.source_id)
    return page, view, faded


def double_click(qtbot, view, item) -> None:
    point = view.mapFromScene(item.scenePos())
    assert view.itemAt(point) is item  # the gesture really lands on the faded mark
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_double_click_takes_over_a_hazardous_faded_mark_with_its_own_acknowledgement(qtbot, make_window):
    window, repo = make_window()
    patient, previous, apex = patient_with_signed_visit(repo)
    page, view, faded = open_with_overlay(qtbot, window, patient)
    controller = window.controller
    assert controller.marks() == [] and faded.source_id == apex.id
    seen = answer_dialog(qtbot)
    double_click(qtbot, view, faded)
    assert seen["labels"] == ["Trapezius (right)"] and "VERY HIGH RISK" in seen["headline"]
    (taken,) = controller.marks()
    assert taken.id != apex.id and taken.session_id == controller.session_id
    assert (str(taken.view), taken.x, taken.y) == ("posterior", apex.x, apex.y)
    assert not taken.needled and taken.technique == seen["technique"]
    (ack,) = controller.acknowledgements()
    assert ack.session_id == controller.session_id and ack.mark_id == taken.id
    assert str(ack.level) == "very_high"
    # the new mark is on the canvas with its badge and selected; the previous session is untouched
    item = page.canvas.scenes["posterior"].marks[taken.id]
    assert item.level == "very_high" and item.isSelected()
    assert [a.mark_id for a in repo.list_acknowledgements(previous.id)] == [apex.id]
    # the copy now covers the faded mark: a second double-click there lands on the copy, not a new one
    point = view.mapFromScene(faded.scenePos())
    assert view.itemAt(point) is item
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert [m.id for m in controller.marks()] == [taken.id] and len(controller.acknowledgements()) == 1
    # undone, it can be taken over again
    window.undo()
    assert controller.marks() == []
    answer_dialog(qtbot)
    double_click(qtbot, view, faded)
    assert len(controller.marks()) == 1


def test_declined_take_over_changes_nothing(qtbot, make_window):
    window, repo = make_window()
    patient, _, _ = patient_with_signed_visit(repo)
    page, view, faded = open_with_overlay(qtbot, window, patient)
    controller = window.controller
    seen = answer_dialog(qtbot, accept=False)
    double_click(qtbot, view, faded)
    assert seen["labels"] == ["Trapezius (right)"]
    assert controller.marks() == [] and controller.acknowledgements() == []
    assert page.canvas.scenes["posterior"].marks == {}
    assert faded.isVisible()  # still there to take over later


def test_context_menu_offers_take_over_only_on_a_faded_mark(qtbot, make_window):
    window, repo = make_window()
    patient, _, apex = patient_with_signed_visit(repo)
    page, view, faded = open_with_overlay(qtbot, window, patient)
    assert view.overlay_menu(page.canvas.scenes["posterior"].figure) is None
    menu = view.overlay_menu(faded)
    (action,) = menu.actions()
    assert action.text() == "Take over this mark"
    seen = answer_dialog(qtbot)
    action.trigger()
    assert seen["labels"] == ["Trapezius (right)"]
    (taken,) = window.controller.marks()
    assert (taken.x, taken.y) == (apex.x, apex.y)


def test_a_single_click_on_a_faded_mark_places_nothing(qtbot, make_window):
    window, repo = make_window()
    patient, _, _ = patient_with_signed_visit(repo)
    _, view, faded = open_with_overlay(qtbot, window, patient)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(faded.scenePos()))
    assert window.controller.marks() == []
