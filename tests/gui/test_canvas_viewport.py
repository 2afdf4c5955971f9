"""The body-map views make their viewports themselves (issue #14): PySide then never has to type a
viewport Qt made (which loaded every widget class of QtWidgets before the session's first paint),
and the figure looks exactly as on Qt's own viewport."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette

from dn_bodymap.gui.canvas import view as view_module
from dn_bodymap.gui.session.canvas_panel import CanvasPanel


def test_each_view_has_the_viewport_it_made(canvas: CanvasPanel) -> None:
    for view in canvas.views.values():
        viewport = view.viewport()
        assert viewport.objectName() == "qt_scrollarea_viewport"  # as Qt names its own
        assert viewport.backgroundRole() is QPalette.ColorRole.Base and viewport.autoFillBackground()


def test_the_figure_is_painted_as_on_qts_own_viewport(make_canvas, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = make_canvas(900, 700).grab().toImage()
    monkeypatch.setattr(view_module, "_viewport", lambda: None)  # Qt makes the viewport itself
    theirs = make_canvas(900, 700).grab().toImage()
    assert ours == theirs
