"""Referral arrows and pinned notes through the real widgets: draw, move, undo/redo, delete,
reopen, and a signed session that refuses them."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog
from test_end_to_end import click_scene_point, drag_scene

from dn_bodymap.charting.records import Patient, Session
from dn_bodymap.gui.canvas.items import ArrowItem, NoteItem
from dn_bodymap.gui.canvas.view import Tool
from dn_bodymap.gui.session.controller import AcknowledgementAnswer


def open_new_session(window, repo) -> str:
    patient = repo.add_patient(Patient(display_name="Demo Patient Ada Notes"))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    window.open_session(session.id)
    # a hazard prompt, should the site need one, is answered without a modal dialog
    window.controller.ack_provider = lambda needs: [AcknowledgementAnswer("", "")] * len(needs)
    return session.id


def thigh(window) -> tuple[float, float]:
    patella = window.atlas.view("anterior").landmark("patella", "left")
    return patella.x, patella.y - 70


def answer_text(monkeypatch, text: str, ok: bool = True) -> list[tuple]:
    asked: list[tuple] = []

    def get_text(*args, **kwargs):
        asked.append(args)
        return text, ok

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    return asked


def test_arrow_from_a_mark_with_undo_redo(qtbot, make_window):
    window, repo = make_window()
    open_new_session(window, repo)
    page, controller = window.session_page, window.controller
    x, y = thigh(window)
    click_scene_point(qtbot, page, "anterior", x, y)
    qtbot.waitUntil(lambda: len(controller.marks()) == 1)
    mark = controller.marks()[0]

    # a pain patch higher up the thigh, where the arrow will point
    page.canvas.set_tool(Tool.BRUSH)
    drag_scene(qtbot, page, "anterior", [(x, y - 60), (x + 2, y - 55), (x + 3, y - 50)])
    qtbot.waitUntil(lambda: len(controller.pain_areas()) == 1)
    area = controller.pain_areas()[0]

    # the tool is on the toolbar with its shortcut and tooltip
    action = page.canvas.tool_actions[Tool.ARROW]
    assert action.shortcut() == QKeySequence("A") and "(A)" in action.toolTip()
    action.trigger()
    assert page.canvas.views["anterior"].tool == Tool.ARROW

    # press a little off the mark: the arrow starts exactly at the mark
    drag_scene(qtbot, page, "anterior", [(x + 1.5, y + 1.0), (x + 1, y - 30), (x + 2, y - 55)])
    qtbot.waitUntil(lambda: len(controller.annotations()) == 1)
    arrow = controller.annotations()[0]
    assert str(arrow.kind) == "arrow" and str(arrow.view) == "anterior"
    assert arrow.mark_id == mark.id and arrow.start == (mark.x, mark.y)
    assert arrow.pain_area_id == area.id
    assert math.dist(arrow.tip, (x + 2, y - 55)) < 2.5  # one screen pixel in atlas units
    scene = page.canvas.scenes["anterior"]
    item = scene.annotations[arrow.id]
    assert isinstance(item, ArrowItem) and item.type() == ArrowItem.Type
    assert item.flags() & item.GraphicsItemFlag.ItemIsSelectable
    assert "Referral arrow from" in item.toolTip()
    assert window.undo_action.isEnabled() and controller.editing.undo_text == "Draw arrow"

    # a click without a drag is no arrow, and says why
    messages: list[str] = []
    controller.message.connect(messages.append)
    drag_scene(qtbot, page, "anterior", [(x + 40, y), (x + 40, y)])
    assert len(controller.annotations()) == 1
    assert messages and "drag" in messages[-1]

    # one gesture, one undo step
    window.undo_action.trigger()
    assert controller.annotations() == [] and arrow.id not in scene.annotations
    assert len(controller.pain_areas()) == 1
    window.redo_action.trigger()
    assert controller.annotations() == [arrow]
    assert isinstance(scene.annotations[arrow.id], ArrowItem)

    # Delete removes the selected arrow, undo brings it back
    scene.annotations[arrow.id].setSelected(True)
    window.delete_action.trigger()
    assert controller.annotations() == [] and len(controller.marks()) == 1
    window.undo_action.trigger()
    assert controller.annotations() == [arrow]


def test_note_add_move_undo_and_reopen(qtbot, make_window, monkeypatch):
    window, repo = make_window()
    session_id = open_new_session(window, repo)
    page, controller = window.session_page, window.controller
    x, y = thigh(window)
    page.canvas.tool_actions[Tool.NOTE].trigger()
    action = page.canvas.tool_actions[Tool.NOTE]
    assert action.shortcut() == QKeySequence("N") and "(N)" in action.toolTip()

    # cancelling the dialog or leaving it empty adds nothing
    answer_text(monkeypatch, "whatever", ok=False)
    click_scene_point(qtbot, page, "anterior", x + 60, y)
    answer_text(monkeypatch, "   ")
    click_scene_point(qtbot, page, "anterior", x + 60, y)
    assert controller.annotations() == [] and not controller.editing.can_undo

    asked = answer_text(monkeypatch, "  Worse after long drives  ")
    click_scene_point(qtbot, page, "anterior", x + 60, y)
    qtbot.waitUntil(lambda: len(controller.annotations()) == 1)
    assert len(asked) == 1
    note = controller.annotations()[0]
    assert str(note.kind) == "note" and note.text == "Worse after long drives"
    assert math.dist(note.tip, (x + 60, y)) < 2.5
    scene = page.canvas.scenes["anterior"]
    item = scene.annotations[note.id]
    assert isinstance(item, NoteItem) and item.type() == NoteItem.Type
    assert item.flags() & item.GraphicsItemFlag.ItemIgnoresTransformations
    assert item.text == "Worse after long drives"

    # drag the note by its pin: previews while dragging, ONE undo step on release
    view = page.canvas.views["anterior"]
    vp = view.viewport()
    start = view.mapFromScene(*note.tip)
    end = view.mapFromScene(note.tip[0] + 40, note.tip[1] + 80)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, 6):
        qtbot.mouseMove(vp, start + (end - start) * (i / 5))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)
    qtbot.waitUntil(lambda: controller.annotations()[0].tip != note.tip)
    moved = controller.annotations()[0]
    assert math.dist(moved.tip, (note.tip[0] + 40, note.tip[1] + 80)) < 3
    assert controller.editing.undo_text == "Move note"
    assert moved.id == note.id and moved.text == note.text
    window.undo_action.trigger()
    assert controller.annotations() == [note]
    assert (item.pos().x(), item.pos().y()) == pytest.approx(note.tip)
    assert controller.editing.undo_text == "Pin note"  # the move was one step
    window.redo_action.trigger()
    assert controller.annotations() == [moved]
    assert (item.pos().x(), item.pos().y()) == pytest.approx(moved.tip)

    # undo / redo the note itself
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert controller.annotations() == [] and note.id not in scene.annotations
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert controller.annotations() == [moved]

    # an arrow too, then reopen the database in a new window: both are on the canvas
    page.canvas.set_tool(Tool.ARROW)
    drag_scene(qtbot, page, "anterior", [(x - 20, y + 40), (x - 20, y + 100)])
    qtbot.waitUntil(lambda: len(controller.annotations()) == 2)
    arrow = next(a for a in controller.annotations() if str(a.kind) == "arrow")
    assert arrow.mark_id is None
    window.close()
    repo.close()

    window2, repo2 = make_window()
    window2.open_session(session_id)
    scene2 = window2.session_page.canvas.scenes["anterior"]
    assert set(scene2.annotations) == {moved.id, arrow.id}
    assert isinstance(scene2.annotations[moved.id], NoteItem)
    assert scene2.annotations[moved.id].text == "Worse after long drives"
    assert isinstance(scene2.annotations[arrow.id], ArrowItem)
    assert repo2.load_session(session_id).annotations == (moved, arrow)


def test_a_selected_note_is_deleted_not_the_inspected_mark(qtbot, make_window, monkeypatch):
    window, repo = make_window()
    open_new_session(window, repo)
    page, controller = window.session_page, window.controller
    x, y = thigh(window)
    click_scene_point(qtbot, page, "anterior", x, y)
    qtbot.waitUntil(lambda: len(controller.marks()) == 1)
    assert page.inspector.mark_id is not None
    page.canvas.set_tool(Tool.NOTE)
    answer_text(monkeypatch, "Tender")
    click_scene_point(qtbot, page, "anterior", x + 60, y - 40)
    qtbot.waitUntil(lambda: len(controller.annotations()) == 1)
    note = controller.annotations()[0]
    # clicking the note (here in the trigger-point tool) selects it rather than placing a mark
    page.canvas.set_tool(Tool.MARK)
    click_scene_point(qtbot, page, "anterior", *note.tip)
    assert page.canvas.scenes["anterior"].annotations[note.id].isSelected()
    assert len(controller.marks()) == 1 and page.inspector.mark_id is None
    window.delete_action.trigger()
    assert controller.annotations() == [] and len(controller.marks()) == 1
    assert controller.editing.undo_text == "Delete note"


def test_a_signed_session_refuses_arrows_and_notes(qtbot, make_window, monkeypatch):
    window, repo = make_window()
    session_id = open_new_session(window, repo)
    page, controller = window.session_page, window.controller
    x, y = thigh(window)
    page.canvas.set_tool(Tool.NOTE)
    answer_text(monkeypatch, "Before signing")
    click_scene_point(qtbot, page, "anterior", x, y)
    qtbot.waitUntil(lambda: len(controller.annotations()) == 1)
    note = controller.annotations()[0]
    assert controller.sign("Dr Test")

    assert not page.canvas.toolbar.isEnabled()
    assert not page.canvas.views["anterior"].isInteractive()
    refusals: list[str] = []
    controller.refused.connect(refusals.append)
    assert controller.add_note("anterior", x, y, "After signing") is None
    assert controller.add_arrow("anterior", [(x, y), (x, y - 50)]) is None
    assert not controller.move_note(note.id, x + 10, y)
    assert not controller.delete_annotation(note.id)
    assert len(refusals) == 4 and all("signed" in r for r in refusals)
    assert controller.annotations() == [note]
    window.close()
    repo.close()

    window2, _ = make_window()
    window2.open_session(session_id)
    assert window2.controller.is_signed and window2.controller.annotations() == [note]
    assert not window2.session_page.canvas.toolbar.isEnabled()  # no arrow or note tool


def test_arrows_follow_their_mark_and_go_with_it(qtbot, make_window):
    from dn_bodymap.charting.records import Patient

    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Arrow Follow"))
    window.start_session(patient.id)
    controller = window.controller
    mark = controller.place_mark("anterior", 60.0, 620.0)
    assert controller.add_arrow("anterior", [(60.0, 620.0), (62.0, 700.0)])
    (arrow,) = repo.list_annotations(controller.session_id)
    assert arrow.mark_id == mark.id
    assert controller.move_mark(mark.id, 58.0, 610.0)
    assert repo.get_annotation(arrow.id).points[0] == (58.0, 610.0)
    controller.undo()  # one step: the mark and its arrow move back together
    assert repo.get_mark(mark.id).y == 620.0
    assert repo.get_annotation(arrow.id).points[0] == (60.0, 620.0)
    assert controller.delete_mark(mark.id)
    assert repo.list_annotations(controller.session_id) == []
    controller.undo()
    assert len(repo.list_annotations(controller.session_id)) == 1


def test_double_click_edits_a_note(qtbot, make_window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from dn_bodymap.charting.records import Patient

    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Note Edit"))
    window.start_session(patient.id)
    controller, page = window.controller, window.session_page
    note = controller.add_note("anterior", 40.0, 300.0, "ache here")
    item = page.canvas.scenes["anterior"].annotations[note.id]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("sharp at night", True))
    item.editRequested.emit(note.id)
    assert repo.get_annotation(note.id).text == "sharp at night"
    assert page.canvas.scenes["anterior"].annotations[note.id].text == "sharp at night"
    controller.undo()
    assert repo.get_annotation(note.id).text == "ache here"
