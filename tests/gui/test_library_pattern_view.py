"""PatternView, the figure every teaching screen reuses: its interface, and zones that stand out
from the muscles under them on the light, dark and greyscale looks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF

from dn_bodymap.gui.teaching.pattern_view import PatternView
from dn_bodymap.render.style import DARK, LIGHT


@pytest.fixture
def view(qtbot):
    widget = PatternView(view="posterior")
    qtbot.addWidget(widget)
    widget.resize(500, 900)
    return widget


def test_interface(view):
    view.show_patterns([("soleus.1", "right", 0), ("piriformis.1", "right", 1)])
    assert view.patterns() == [("soleus.1", "right", 0), ("piriformis.1", "right", 1)]
    assert view.render_options().highlight == frozenset({"soleus", "piriformis"})
    assert view.shows_anything()
    view.set_view("lateral_left")
    assert view.view() == "lateral_left" and "lateral left" in view.accessibleName()
    assert not view.shows_anything()  # right-side patterns do not show on the left side view
    view.clear()
    assert view.patterns() == [] and not view.render_options().overlays
    with pytest.raises(KeyError):
        view.show_patterns([("nobody.1", "right", 0)])
    with pytest.raises(ValueError):
        view.set_muscles_mode("transparent")
    with pytest.raises(ValueError):
        view.set_view("upside_down")


def _luma(c) -> float:
    return 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()


@pytest.mark.parametrize("palette, greyscale", [(LIGHT, False), (DARK, False), (LIGHT, True)])
def test_the_essential_zone_stands_out_from_the_muscle_under_it(view, palette, greyscale):
    tp = view.library.instances[("soleus.1", "right")]
    zone = tp.zone_geometry("essential", "posterior")
    inside = zone.representative_point()
    view.set_palette(palette, greyscale)
    before = view.grab_image()
    view.show_patterns([("soleus.1", "right", 0)])
    after = view.grab_image()
    p = view.to_widget(inside.x, inside.y)
    ratio = before.devicePixelRatio()
    at = QPointF(p.x() * ratio, p.y() * ratio).toPoint()
    a, b = before.pixelColor(at), after.pixelColor(at)
    if greyscale:
        assert abs(_luma(a) - _luma(b)) > 25
    else:
        distance = abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())
        assert distance > 120, (a.name(), b.name())
