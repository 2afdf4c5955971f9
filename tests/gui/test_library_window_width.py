"""Opening the Library must not widen the main window past the screen (walkthrough finding, helper Q).

The Library builds a figure column for every view, detail views included, and hides most of them
before it is first shown; the row's cached minimum once stayed at all ten columns (~1860 px), and
the main window grew to it, off a 1600-px screen.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.trigger_points import default_library
from dn_bodymap.charting.referral.index_cache import default_referral_index


def test_a_library_page_not_yet_shown_asks_only_for_its_visible_columns(qtbot, tmp_path):
    from dn_bodymap.gui.teaching.library_page import LibraryPage

    page = LibraryPage(
        default_atlas(), default_library(), default_referral_index(), lessons_path=tmp_path / "lessons.json"
    )
    qtbot.addWidget(page)
    assert page.visible_views() == ["anterior", "posterior"]
    shown = len(page.visible_views())
    # Two figure columns and the side lists: far less than the ten columns it holds.
    assert page.minimumSizeHint().width() < 1300, page.minimumSizeHint().width()
    assert len(page.view_columns) > shown


def test_opening_the_library_keeps_the_main_window_width(qtbot, make_window):
    window, _ = make_window()
    qtbot.waitExposed(window)
    width = window.width()
    window.library_action.trigger()
    QApplication.processEvents()  # run the posted layout request, as the event loop would
    assert window.stack.currentWidget() is window.library_page
    assert window.minimumWidth() <= width
    assert window.width() == width
    window.library_page.set_mode("lookup")
    window.library_page.set_mode("compare")
    assert window.width() == width
