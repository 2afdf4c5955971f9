"""A whole quiz round of each kind through the window, scored against the library's own zones."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from shapely import affinity

from dn_bodymap.gui.teaching.quiz_window import QuizError, open_quiz

SHOULDER = ["infraspinatus", "supraspinatus", "levator_scapulae", "teres_minor", "trapezius"]


@pytest.fixture
def quiz(qtbot):
    def make(kind, muscles=SHOULDER, count=3, seed=1):
        window = open_quiz(None, kind, muscles, count=count, seed=seed)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        qtbot.waitExposed(window)
        return window

    return make


def zones(window):
    q = window.round.current
    tp = window.library.instances[(q.trigger_point, q.side)]
    return q, tp.zone_geometry("essential", q.view), tp.zone_geometry("spillover", q.view)


def send(widget, kind, pos: QPointF, buttons) -> None:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def drag(widget, points: list[QPointF]) -> None:
    left = Qt.MouseButton.LeftButton
    send(widget, QEvent.Type.MouseButtonPress, points[0], left)
    for p in points[1:]:
        send(widget, QEvent.Type.MouseMove, p, left)
    send(widget, QEvent.Type.MouseButtonRelease, points[-1], Qt.MouseButton.NoButton)


def test_pick_the_muscle_round_by_keys(qtbot, quiz):
    w = quiz("name_the_muscle")
    assert w.progress_label.text() == "Question 1 of 3"
    q = w.round.current
    # The pattern shows, but not the trigger point and not the muscle's outline (that is the answer).
    shown = [o.label for o in w.figure.render_options().overlays]
    assert "essential zone" in shown and not any(lab.startswith("trigger point") for lab in shown)
    assert w.figure.render_options().highlight == frozenset()
    assert [b.property("muscle") for b in w.choice_buttons] == list(q.choices)

    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    right = q.choices.index(q.muscle) + 1
    qtbot.keyClick(w, Qt.Key(Qt.Key.Key_0 + right))
    assert w.round.result(1).correct
    assert all(not b.isEnabled() for b in w.choice_buttons)
    assert "Right" in w.feedback_label.text()
    qtbot.keyClick(w, Qt.Key.Key_Return)

    q = w.round.current
    assert q.number == 2
    wrong = next(m for m in q.choices if m != q.muscle)
    qtbot.mouseClick(w.choice_buttons[q.choices.index(wrong)], Qt.MouseButton.LeftButton)
    result = w.round.result(2)
    assert not result.correct and result.given == wrong
    assert q.muscle_name in w.feedback_label.text()
    assert w.figure.render_options().highlight == frozenset({q.muscle})
    qtbot.keyClick(w, Qt.Key.Key_Return)

    q = w.round.current
    qtbot.mouseClick(w.choice_buttons[q.choices.index(q.muscle)], Qt.MouseButton.LeftButton)
    qtbot.keyClick(w, Qt.Key.Key_Return)

    assert w.pages.currentWidget() is w.summary_page
    summary = w.round.summary()
    assert (summary.correct, summary.asked, summary.percent) == (2, 3, 67)
    assert w.headline_label.text().startswith("67 %") and "2 of 3" in w.headline_label.text()
    text = w.summary_label.text()
    assert "you chose" in text and w.atlas.muscles[wrong].name in text
    assert "To review" in text and w.round.questions[1].muscle_name in text

    qtbot.keyClick(w, Qt.Key.Key_Return)  # a new round starts
    assert w.pages.currentWidget() is w.question_page and w.round.current.number == 1


def test_draw_the_zone_round_scored_against_known_geometry(qtbot, quiz):
    w = quiz("draw_the_zone", count=3, seed=4)
    q, essential, _ = zones(w)
    shown = [o.label for o in w.figure.render_options().overlays]
    assert not any(lab.startswith(("essential", "spillover")) for lab in shown)
    assert q.trigger_point_label in w.prompt_label.text()

    # 1. A brush stroke through the middle of the essential zone, drawn with the mouse.
    c = essential.representative_point()
    start, end = w.figure.to_widget(c.x - 8, c.y), w.figure.to_widget(c.x + 8, c.y)
    drag(w.figure, [start, QPointF((start.x() + end.x()) / 2, start.y()), end])
    drawn = w.figure.drawing()
    assert not drawn.is_empty and drawn.intersects(essential)
    assert drawn.within(w.atlas.view(q.view).silhouette.buffer(0.5))
    qtbot.mouseClick(w.submit_button, Qt.MouseButton.LeftButton)
    first = w.round.result(1)
    assert 0 < first.score < 1 and f"{round(100 * first.score)} %" in w.feedback_label.text()
    # The answer lies over the attempt: the drawing is painted first.
    labels = [o.label for o in w.figure.render_options().overlays]
    assert labels.index("your drawing") < labels.index("essential zone")
    assert w.figure.focus_rect() is not None
    qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)

    # 2. Exactly the essential zone: full marks.
    q, essential, _ = zones(w)
    w.figure.set_drawing(essential)
    w.submit_drawing()
    assert w.round.result(2).score == pytest.approx(1.0, abs=1e-3)
    assert w.round.result(2).correct
    w.next_question()

    # 3. The essential zone moved well away from itself: no overlap, no score.
    _, essential, spill = zones(w)
    away = affinity.translate(essential, 0, 400)
    assert not away.intersects(essential.union(spill))
    w.figure.set_drawing(away)
    w.submit_drawing()
    assert w.round.result(3).score == 0
    w.next_question()

    summary = w.round.summary()
    assert w.pages.currentWidget() is w.summary_page
    assert summary.correct == 1 + int(first.correct)
    assert summary.score == pytest.approx((first.score + 1.0 + 0.0) / 3, abs=1e-3)
    assert f"{summary.percent} %" in w.headline_label.text()


def test_outline_tool_clear_and_skip(qtbot, quiz):
    w = quiz("draw_the_zone", count=2, seed=9)
    _, essential, _ = zones(w)
    w.outline_button.click()
    assert w.figure.tool() == "outline"
    minx, miny, maxx, maxy = essential.bounds
    corners = [(minx, miny), (maxx, miny), (maxx, maxy), (minx, maxy)]
    drag(w.figure, [w.figure.to_widget(x, y) for x, y in corners])
    assert w.figure.drawing().area > 0.5 * essential.area
    w.clear_button.click()
    assert w.figure.drawing().is_empty
    # A click without a stroke gives a message, not an area.
    p = w.figure.to_widget(minx, miny)
    drag(w.figure, [p, p])
    assert w.figure.drawing().is_empty and w.feedback_label.text()
    w.skip_button.click()
    assert w.round.current.number == 2 and w.round.result(1) is None
    w.figure.set_drawing(zones(w)[1])
    w.submit_drawing()
    w.next_question()
    summary = w.round.summary()
    assert [s.number for s in summary.skipped] == [1] and "skipped" in w.summary_label.text()


def test_muscles_without_patterns_are_refused(qtbot):
    with pytest.raises(QuizError):
        open_quiz(None, "name_the_muscle", ["not_a_muscle"])
