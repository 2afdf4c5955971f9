"""A finished stroke's geometry runs off the UI thread (issue #13, "Freeze"): the stroke shows as
pending, the area appears when the worker is done, through the ordinary editing command (one undo
step), and strokes drawn meanwhile are applied in order.

The core's ``plan_stroke`` is wrapped to record the thread it runs on and to hold until the test
lets it go, so "still pending" is a state the test controls, not a race it hopes to win.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from test_end_to_end import drag_scene

from dn_bodymap.charting.editing import sketch
from dn_bodymap.charting.records import Patient, Session
from dn_bodymap.gui.canvas.view import Tool


class Gate:
    """Holds every ``plan_stroke`` call until opened; records where it ran."""

    def __init__(self, real: Callable) -> None:
        self.real = real
        self.opened = threading.Event()
        self.threads: list[int] = []
        self.started = threading.Semaphore(0)

    def __call__(self, *args):
        self.threads.append(threading.get_ident())
        self.started.release()
        assert self.opened.wait(60), "the test never let the stroke go"
        return self.real(*args)


@pytest.fixture
def gate(monkeypatch):
    held = Gate(sketch.plan_stroke)
    monkeypatch.setattr(sketch, "plan_stroke", held)
    yield held
    held.opened.set()  # never leave a pool thread waiting


def open_session(window, repo):
    patient = repo.add_patient(Patient(display_name="Demo Patient Sketch Worker"))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    window.open_session(session.id)
    return window.session_page, window.controller


def thigh(window) -> tuple[float, float]:
    patella = window.atlas.view("anterior").landmark("patella", "left")
    return patella.x, patella.y - 70


def test_a_drawn_outline_is_pending_then_applied_off_the_ui_thread(qtbot, make_window, gate):
    window, repo = make_window()
    page, controller = open_session(window, repo)
    x, y = thigh(window)
    page.canvas.show_view("anterior")
    page.canvas.set_tool(Tool.LASSO)
    drag_scene(
        qtbot, page, "anterior", [(x - 10, y - 10), (x + 10, y - 10), (x + 10, y + 10), (x - 10, y + 10)]
    )
    # The UI thread is free while the worker holds the stroke: events run, the trace shows.
    qtbot.waitUntil(lambda: len(gate.threads) == 1)
    assert controller.pain_areas() == [] and len(controller.sketches.pending) == 1
    (trace,) = page.pending_strokes.items
    assert trace.scene() is page.canvas.scenes["anterior"] and trace.pen().style() == Qt.PenStyle.DashLine
    assert not controller.sign("Dr Test")  # nothing is signed while a stroke is unsaved
    assert window.save_label.text() == "Saving the drawing…"
    gate.opened.set()
    qtbot.waitUntil(lambda: len(controller.pain_areas()) == 1)
    assert gate.threads[0] != threading.get_ident()  # the repair ran on a worker, not the UI thread
    assert page.pending_strokes.items == [] and trace.scene() is None
    assert window.save_label.text() == "All changes saved"
    (area,) = controller.pain_areas()
    assert area.id in page.canvas.scenes["anterior"].areas and repo.get_pain_area(area.id) == area
    assert controller.editing.undo_text  # the ordinary command: one undo step
    window.undo_action.trigger()
    assert controller.pain_areas() == []


def test_strokes_drawn_while_one_is_pending_apply_in_order(qtbot, make_window, gate):
    window, repo = make_window()
    _, controller = open_session(window, repo)
    x, y = thigh(window)
    controller.brush_width = 10.0
    settled: list[bool] = []
    controller.sketches.settled.connect(settled.append)
    assert controller.finish_stroke("anterior", "brush", [(x, y - 20), (x, y)])
    assert controller.finish_stroke("anterior", "brush", [(x, y - 5), (x, y + 20)])  # overlaps the first
    assert controller.finish_stroke("anterior", "brush", [(-x, y - 20), (-x, y)])  # the other thigh
    assert len(controller.sketches.pending) == 3 and controller.pain_areas() == []
    gate.opened.set()
    qtbot.waitUntil(lambda: len(settled) == 3)
    assert settled == [True, True, True]
    first, other = sorted(controller.pain_areas(), key=lambda a: sketch.from_record(a.geometry).centroid.x)
    merged = sketch.from_record(other.geometry if x > 0 else first.geometry)
    assert merged.bounds[3] - merged.bounds[1] > 35  # the second stroke extended the first area
    # Undo walks back in drawing order: the far stroke, the extension, the first area.
    undo = [controller.editing.undo_text]
    controller.undo()
    undo.append(controller.editing.undo_text)
    assert len(controller.pain_areas()) == 1 and undo[1] == "Extend pain area"
    controller.undo()
    controller.undo()
    assert controller.pain_areas() == []


def test_a_stroke_whose_areas_changed_meanwhile_is_planned_again(qtbot, make_window, gate):
    window, repo = make_window()
    _, controller = open_session(window, repo)
    x, y = thigh(window)
    gate.opened.set()
    with qtbot.waitSignal(controller.sketches.settled):
        controller.finish_stroke("anterior", "brush", [(x, y - 20), (x, y)])
    (area,) = controller.pain_areas()
    gate.opened.clear()
    controller.finish_stroke("anterior", "brush", [(x, y - 5), (x, y + 20)])  # would extend it
    qtbot.waitUntil(lambda: len(gate.threads) == 2)
    assert controller.delete_area(area.id)  # meanwhile the area goes
    with qtbot.waitSignal(controller.sketches.settled) as done:
        gate.opened.set()
    assert done.args == [True] and len(gate.threads) == 3  # planned again from the areas now
    (fresh,) = controller.pain_areas()
    assert fresh.id != area.id  # a new area, not an extension of a deleted one


def test_a_drawing_the_core_refuses_is_a_message_from_the_worker(qtbot, make_window, gate):
    window, repo = make_window()
    _, controller = open_session(window, repo)
    x, y = thigh(window)
    messages: list[str] = []
    controller.message.connect(messages.append)
    star = [  # a 61-point star drawn in one outline: hundreds of self-crossings
        (x + 20 * math.cos(2 * math.pi * i * 29 / 61), y + 20 * math.sin(2 * math.pi * i * 29 / 61))
        for i in range(61)
    ]
    gate.opened.set()
    with qtbot.waitSignal(controller.sketches.settled) as done:
        controller.finish_stroke("anterior", "lasso", star)
    assert done.args == [False] and controller.pain_areas() == []
    assert messages and "crosses itself" in messages[-1]
