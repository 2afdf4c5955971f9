"""Leaving a session screen never drops a stroke still being worked out (issue #13).

A finished stroke is planned on a worker thread (gui/session/sketch_worker.py). Each way out of the
session screen (the patient list, the library, another session, closing the window) first waits
for the worker, with "Saving the drawing…" on screen, and applies the stroke through the ordinary
editing command.
The core's ``plan_stroke`` is held by a gate the test opens only once the leave path is waiting, so
"still pending when the screen goes" is a state the test controls, not a race.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from test_sketch_worker import Gate, open_session, thigh

from dn_bodymap.charting.editing import sketch
from dn_bodymap.charting.records import Patient


@pytest.fixture
def gate(monkeypatch):
    held = Gate(sketch.plan_stroke)
    monkeypatch.setattr(sketch, "plan_stroke", held)
    yield held
    held.opened.set()  # never leave a pool thread waiting


def _leave(window, repo, how: str) -> None:
    if how == "patients":
        window.show_patients()
    elif how == "library":
        window.show_library()
    elif how == "another session":
        other = repo.add_patient(Patient(display_name="Demo Patient Next"))
        window.start_session(other.id)
    else:
        window.close()


@pytest.mark.parametrize("how", ["patients", "library", "another session", "close"])
def test_a_stroke_pending_when_the_screen_goes_is_saved_first(qtbot, make_window, gate, how):
    window, repo = make_window()
    _, controller = open_session(window, repo)
    session_id = controller.session_id
    x, y = thigh(window)
    square = [(x - 10, y - 10), (x + 10, y - 10), (x + 10, y + 10), (x - 10, y + 10)]
    assert controller.finish_stroke("anterior", "lasso", square)
    qtbot.waitUntil(lambda: len(gate.threads) == 1)  # the worker holds the stroke
    assert not repo.load_session(session_id).pain_areas
    shown: list[str] = []

    def release() -> None:  # runs only while the leave path waits for the worker
        shown.append(window.save_label.text())
        gate.opened.set()

    QTimer.singleShot(0, release)
    _leave(window, repo, how)
    # Saved by the time the screen has gone, as one ordinary undoable edit of that session.
    (area,) = repo.load_session(session_id).pain_areas
    assert str(area.quality) == controller.pain_quality and str(area.view) == "anterior"
    assert shown == ["Saving the drawing…"]
    assert not controller.sketches.busy and controller.editing.undo_text
    if how == "another session":
        assert window.controller is not controller and window.controller.pain_areas() == []


def test_leaving_with_nothing_pending_does_not_wait(qtbot, make_window, gate):
    window, repo = make_window()
    _, controller = open_session(window, repo)
    assert controller.leave()  # no stroke: returns at once, the gate never asked
    window.show_patients()
    assert gate.threads == []


def test_a_flush_out_of_time_keeps_the_stroke_and_the_window_stays_open(qtbot, make_window, gate):
    window, repo = make_window()
    _, controller = open_session(window, repo)
    x, y = thigh(window)
    assert controller.finish_stroke("anterior", "brush", [(x, y - 20), (x, y)])
    qtbot.waitUntil(lambda: len(gate.threads) == 1)
    assert not controller.sketches.flush(timeout_ms=1)  # the backstop: nothing dropped
    assert controller.sketches.busy
    refused: list[str] = []
    controller.refused.connect(refused.append)
    controller.sketches.flush = lambda *args, **kwargs: False  # as if the 60 s wait ran out
    assert not window.close()  # closing now would lose the stroke: refused, with why
    assert window.isVisible() and refused and "still being saved" in refused[-1]
    del controller.sketches.flush  # the real one again
    gate.opened.set()
    qtbot.waitUntil(lambda: not controller.sketches.busy)
    assert len(repo.load_session(controller.session_id).pain_areas) == 1
