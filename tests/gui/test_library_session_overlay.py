"""In the charting screen: a suggestion, or a charted mark with a library trigger point, overlays
its referral pattern on the figure; a second click or Esc clears it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from dn_bodymap.charting.records import Patient
from dn_bodymap.gui.canvas.view import Tool


def _session(window, repo):
    patient = repo.add_patient(Patient(display_name="Demo Patient Overlay", height_cm=170, weight_kg=65))
    window.start_session(patient.id)
    return window.controller, window.session_page


def _point_without_hazard(library):
    """A library trigger point on the back view where the safety engine finds no hazard, so
    placing a mark there asks for no acknowledgement."""
    from dn_bodymap.safety.assess import assess

    for (_, side), tp in sorted(library.instances.items(), key=lambda kv: kv[0]):
        if side != "right" or not tp.essential:
            continue
        for loc in tp.locations:
            if loc.view == "posterior" and not assess("posterior", (loc.x, loc.y)).hazards:
                return tp, loc
    raise AssertionError("no hazard-free trigger point on the back view")


def _pattern_labels(page, view: str) -> list[str]:
    return [o.label for o in page.canvas.scenes[view].figure.options().overlays]


def test_clicking_a_mark_with_a_library_point_overlays_its_pattern(qtbot, make_window):
    window, repo = make_window()
    controller, page = _session(window, repo)
    tp, loc = _point_without_hazard(window.library)
    mark = controller.place_mark("posterior", loc.x, loc.y, muscle_id=tp.muscle)
    assert mark is not None and mark.trigger_point_id
    page.canvas.show_view("posterior")
    view = page.canvas.views["posterior"]
    item = page.canvas.scenes["posterior"].marks[mark.id]
    pos = view.mapFromScene(item.pos())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert page.referral.shown == (mark.trigger_point_id, "right")
    assert page.canvas.pattern is not None and page.canvas.pattern[1:] == (mark.trigger_point_id, "right")
    assert "essential zone" in _pattern_labels(page, "posterior") or "spillover" in _pattern_labels(
        page, "posterior"
    )
    assert "On the figure" in page.referral.pattern_label.text()
    # a second click on the same (still selected) mark clears it
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert page.referral.shown is None and page.canvas.pattern is None
    assert "essential zone" not in _pattern_labels(page, "posterior")


def test_clicking_a_suggestion_overlays_it_and_esc_clears_it(qtbot, make_window):
    window, repo = make_window()
    _, page = _session(window, repo)
    page.canvas.show_view("anterior")
    page.canvas.set_tool(Tool.BRUSH)
    temple = window.atlas.view("anterior").landmark("temple", "right")
    view = page.canvas.views["anterior"]
    vp = view.viewport()
    points = [(temple.x + 2, temple.y - 6), (temple.x + 4, temple.y + 4), (temple.x + 5, temple.y + 12)]
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=view.mapFromScene(*points[0]))
    for x, y in points[1:]:
        qtbot.mouseMove(vp, view.mapFromScene(x, y))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=view.mapFromScene(*points[-1]))
    qtbot.waitUntil(lambda: page.referral.suggestions.count() > 0)
    suggestions = page.referral.suggestions
    first = suggestions.item(0)
    tid, side = first.data(Qt.ItemDataRole.UserRole)
    rect = suggestions.visualItemRect(first)
    page.right_tabs.setCurrentWidget(page.referral)
    qtbot.mouseClick(suggestions.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.referral.shown == (tid, side)
    assert any(label == "essential zone" for v in page.canvas.scenes for label in _pattern_labels(page, v))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert page.referral.shown is None and page.canvas.pattern is None
    # clicking the same suggestion twice shows, then clears
    qtbot.mouseClick(suggestions.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.referral.shown == (tid, side)
    qtbot.mouseClick(suggestions.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.referral.shown is None
