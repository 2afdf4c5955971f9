"""Presentation mode driven by keys: reveal steps, navigation, toggles, zoom, pointer, close."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from dn_bodymap.atlas.model import Side
from dn_bodymap.gui.teaching.presentation import POINTER_COLOUR, DeckError, open_presentation
from dn_bodymap.render.style import DARK, pattern_colour
from dn_bodymap.teaching.lessons import builtin_lessons

MUSCLES = ["infraspinatus", "trapezius", "gluteus_minimus"]


@pytest.fixture
def show(qtbot):
    def make(what=MUSCLES):
        window = open_presentation(None, what, full_screen=False)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        qtbot.waitExposed(window)
        return window

    return make


def labels(window) -> list[str]:
    return [o.label for o in window.view.render_options().overlays]


def pattern_pixels(image: QImage) -> int:
    """Pixels in the hue of the first pattern colour on the dark palette (the essential zone)."""
    hue = pattern_colour(0, DARK).hue()
    small = image.scaled(image.width() // 3, image.height() // 3)
    count = 0
    for x in range(small.width()):
        for y in range(small.height()):
            c = QColor(small.pixel(x, y))
            if c.hue() >= 0 and abs(c.hue() - hue) < 10 and c.saturation() > 90:
                count += 1
    return count


def key(qtbot, window, k, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(window, k)


def test_space_reveals_point_then_pattern_then_moves_on(qtbot, show):
    w = show()
    deck = w.deck
    assert (deck.index, deck.stage) == (0, 0)
    assert not any(lab.startswith("trigger point") or lab.startswith("essential") for lab in labels(w))
    assert "trigger point" in w.notes_label.text()
    before = pattern_pixels(w.view.grab_image())
    key(qtbot, w, Qt.Key.Key_Space)
    assert deck.stage == 1
    assert any(lab.startswith("trigger point") for lab in labels(w))
    assert not any(lab.startswith("essential") for lab in labels(w))
    key(qtbot, w, Qt.Key.Key_Space)
    assert deck.stage == 2 and "essential zone" in labels(w)
    assert "Essential zone" in w.notes_label.text()
    assert pattern_pixels(w.view.grab_image()) > before + 50
    key(qtbot, w, Qt.Key.Key_Space)  # fully revealed: space goes to the next slide
    assert (deck.index, deck.stage) == (1, 0)


def test_arrow_keys_walk_the_lesson_in_order(qtbot, show):
    w = show()
    deck = w.deck
    ids = [s.trigger_point for s in deck.slides]
    assert [s.muscle for s in deck.slides] == sorted(
        [s.muscle for s in deck.slides], key=lambda m: MUSCLES.index(m)
    )
    assert w.title_label.text() == w.atlas.muscles["infraspinatus"].name
    key(qtbot, w, Qt.Key.Key_Right, len(ids) + 3)  # stops at the last slide
    assert deck.index == len(ids) - 1
    assert w.title_label.text() == w.atlas.muscles["gluteus_minimus"].name
    assert w.counter_label.text().startswith(f"{len(ids)} / {len(ids)}")
    key(qtbot, w, Qt.Key.Key_Left)
    assert deck.index == len(ids) - 2
    key(qtbot, w, Qt.Key.Key_Home)
    assert deck.index == 0
    key(qtbot, w, Qt.Key.Key_End)
    assert deck.index == len(ids) - 1
    key(qtbot, w, Qt.Key.Key_PageUp)
    assert w.view.patterns()[0][0] == ids[-2]


def test_toggles_spillover_muscles_side_and_view(qtbot, show):
    w = show(["trapezius"])
    key(qtbot, w, Qt.Key.Key_A)  # everything at once
    assert "spillover" in labels(w)
    key(qtbot, w, Qt.Key.Key_E)
    assert "spillover" not in labels(w) and "essential zone" in labels(w)
    assert "essential only" in w.status_label.text()
    key(qtbot, w, Qt.Key.Key_E)
    assert "spillover" in labels(w)

    modes = []
    for _ in range(3):
        key(qtbot, w, Qt.Key.Key_M)
        modes.append(w.view.muscles_mode())
    assert modes == ["hidden", "normal", "faded"]

    first_view = w.view.view()
    key(qtbot, w, Qt.Key.Key_V)
    assert w.view.view() != first_view and w.view.view() in w.current_views()

    assert w.view.patterns()[0][1] == "right"
    key(qtbot, w, Qt.Key.Key_S)
    assert w.view.patterns()[0][1] == "left" and w.deck.side is Side.LEFT
    assert "left side" in w.subtitle_label.text()


def test_zoom_frames_the_pattern(qtbot, show):
    w = show(["infraspinatus"])
    key(qtbot, w, Qt.Key.Key_A)
    assert w.view.focus_rect() is None
    key(qtbot, w, Qt.Key.Key_Z)
    focus = w.view.focus_rect()
    tid, side, _ = w.view.patterns()[0]
    tp = w.library.instances[(tid, Side(side))]
    minx, miny, maxx, maxy = tp.zone_geometry("essential", w.view.view()).bounds
    assert focus.contains(QRectF(minx, miny, maxx - minx, maxy - miny))
    # The essential zone now fills much more of the screen.
    zoomed = pattern_pixels(w.view.grab_image())
    key(qtbot, w, Qt.Key.Key_Z)
    assert w.view.focus_rect() is None
    assert zoomed > 2 * pattern_pixels(w.view.grab_image()) > 0


def test_pointer_highlight_follows_the_mouse(qtbot, show):
    w = show()
    key(qtbot, w, Qt.Key.Key_L)
    assert w.view.pointer_enabled() and "pointer" in w.status_label.text()
    pos = QPointF(w.view.width() / 2, w.view.height() / 2)
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        pos,
        w.view.mapToGlobal(pos),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(w.view, move)
    image = w.view.grab().toImage()
    ring = QColor(image.pixel(round(pos.x() + 30), round(pos.y())))
    assert abs(ring.hue() - POINTER_COLOUR.hue()) < 8 and ring.saturation() > 150
    key(qtbot, w, Qt.Key.Key_L)
    assert not w.view.pointer_enabled()


def test_a_lesson_plays_and_escape_closes(qtbot, show):
    lesson = builtin_lessons()[0]
    w = show(lesson)
    assert lesson.title in w.counter_label.text()
    assert w.deck.slides[0].muscle == next(m for m in lesson.muscles if m not in w.deck.skipped)
    with qtbot.waitSignal(w.destroyed, timeout=2000):
        key(qtbot, w, Qt.Key.Key_Escape)


def test_nothing_to_present_is_refused(qtbot):
    with pytest.raises(DeckError, match="none of these muscles"):
        open_presentation(None, ["not_a_muscle"], full_screen=False)
