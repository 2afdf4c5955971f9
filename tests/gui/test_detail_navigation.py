"""Navigation to the detail views in the session canvas: the drop-down lists the views whose data
loaded, the "Enlarge" button appears beside the cursor over a region a detail view enlarges (and
not elsewhere), one click on it opens the detail view, "Back" returns, and a plain click on the
heel still places a mark."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt

from dn_bodymap.atlas.model import Side


def _viewport_point(canvas, view: str, x: float, y: float) -> QPoint:
    return canvas.views[view].mapFromScene(QPointF(x, y))


def _heel(canvas) -> tuple[float, float]:
    region = next(
        r for r in canvas.atlas.view("posterior").regions if r.id == "heel" and r.side is Side.RIGHT
    )
    return region.anchor


def test_the_detail_list_is_built_from_the_atlas(canvas):
    items = [canvas.detail_box.itemData(i) for i in range(canvas.detail_box.count())]
    assert items[0] is None
    assert items[1:] == list(canvas.atlas.detail_views())
    assert "plantar" in items
    assert set(canvas.scenes) == {*canvas.atlas.views}


def test_choosing_a_detail_view_shows_it_with_a_way_back(canvas, qtbot):
    canvas.show_view("lateral_right")
    canvas.detail_box.setCurrentIndex(canvas.detail_box.findData("plantar"))
    canvas.detail_box.activated.emit(canvas.detail_box.currentIndex())
    assert canvas.current == "plantar"
    assert canvas.visible_views() == ["plantar"]
    assert canvas.views["plantar"].isVisibleTo(canvas)  # inside the canvas, not a window of its own
    assert canvas.back_button.isVisible()
    assert "Right side" in canvas.back_button.text()
    assert not any(b.isChecked() for b in canvas.view_buttons.buttons())
    qtbot.mouseClick(canvas.back_button, Qt.MouseButton.LeftButton)
    assert canvas.current == "lateral_right"
    assert not canvas.back_button.isVisible()
    assert canvas.detail_box.currentIndex() == 0


def test_hovering_the_heel_offers_the_soles_and_the_button_opens_them(canvas, qtbot):
    canvas.show_view("posterior")
    x, y = _heel(canvas)
    pos = _viewport_point(canvas, "posterior", x, y)
    qtbot.mouseMove(canvas.views["posterior"].viewport(), pos)
    qtbot.waitUntil(canvas.enlarge_button.isVisible)
    assert "Soles" in canvas.enlarge_button.text()
    # beside the cursor, never under it: the click that places a mark stays the canvas's
    button_rect = canvas.enlarge_button.geometry()
    assert not button_rect.contains(
        canvas.views["posterior"].viewport().mapTo(canvas.views["posterior"], pos)
    )
    qtbot.mouseClick(canvas.enlarge_button, Qt.MouseButton.LeftButton)
    assert canvas.current == "plantar"
    assert "Back" in canvas.back_button.text()
    canvas.go_back()
    assert canvas.current == "posterior"


def test_no_offer_away_from_the_feet(canvas, qtbot):
    canvas.show_view("posterior")
    lumbar = next(r for r in canvas.atlas.view("posterior").regions if r.id == "lumbar")
    pos = _viewport_point(canvas, "posterior", *lumbar.anchor)
    qtbot.mouseMove(canvas.views["posterior"].viewport(), pos)
    assert canvas.detail_at("posterior", *lumbar.anchor) is None
    assert not canvas.enlarge_button.isVisible()


def test_a_click_on_the_heel_still_places_a_mark(canvas, qtbot):
    canvas.show_view("posterior")
    x, y = _heel(canvas)
    pos = _viewport_point(canvas, "posterior", x, y)
    viewport = canvas.views["posterior"].viewport()
    qtbot.mouseMove(viewport, pos)
    with qtbot.waitSignal(canvas.views["posterior"].placeRequested) as placed:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    assert placed.args[0] == "posterior"
    assert canvas.current == "posterior"


def test_marks_can_be_placed_on_the_plantar_view(canvas, qtbot):
    canvas.show_view("plantar")
    heel = next(r for r in canvas.atlas.view("plantar").regions if r.id == "plantar_heel_pad")
    pos = _viewport_point(canvas, "plantar", *heel.anchor)
    with qtbot.waitSignal(canvas.views["plantar"].placeRequested) as placed:
        qtbot.mouseClick(canvas.views["plantar"].viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert placed.args[0] == "plantar"


def _right_click(canvas, view: str, x: float, y: float, monkeypatch, choose: str | None) -> list[str]:
    """Send a context-menu event to the view's viewport; the menu's entries are returned and the one
    starting with ``choose`` is triggered instead of showing the menu (no blocking exec in tests)."""
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    shown: list[str] = []

    def fake_exec(menu, _at) -> None:
        shown.extend(a.text() for a in menu.actions() if not a.isSeparator())
        for action in menu.actions():
            if choose and action.text().startswith(choose):
                action.trigger()

    monkeypatch.setattr(canvas, "_exec_menu", fake_exec)
    viewport = canvas.views[view].viewport()
    pos = _viewport_point(canvas, view, x, y)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)
    return shown


def test_a_right_click_on_the_heel_offers_the_soles(canvas, monkeypatch):
    canvas.show_view("posterior")
    assert _right_click(canvas, "posterior", *_heel(canvas), monkeypatch, choose=None) == [
        "Enlarge: " + canvas.atlas.view_meta["plantar"].label
    ]
    assert canvas.current == "posterior"  # shown, not chosen
    _right_click(canvas, "posterior", *_heel(canvas), monkeypatch, choose="Enlarge")
    assert canvas.current == "plantar" and "Back" in canvas.back_button.text()
    canvas.go_back()
    lumbar = next(r for r in canvas.atlas.view("posterior").regions if r.id == "lumbar")
    assert _right_click(canvas, "posterior", *lumbar.anchor, monkeypatch, choose=None) == []
    assert canvas.context_menu("posterior", _viewport_point(canvas, "posterior", *lumbar.anchor)) is None
