"""The main window and the report preview open within the screen they are shown on."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from dn_bodymap.gui.screen_fit import SCREEN_SHARE, resize_within_screen


def test_a_window_larger_than_the_screen_is_opened_within_it(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    available = widget.screen().availableGeometry()
    resize_within_screen(widget, available.width() * 3, available.height() * 3)
    assert widget.width() <= available.width() * SCREEN_SHARE
    assert widget.height() <= available.height() * SCREEN_SHARE


def test_a_window_that_fits_keeps_the_size_asked_for(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    resize_within_screen(widget, 300, 200)
    assert (widget.width(), widget.height()) == (300, 200)


def test_the_main_window_opens_within_the_screen_and_can_fit_a_laptop(qtbot, settings, db_path) -> None:
    """Built as the app builds it (the shared fixture resizes its windows on purpose)."""
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.atlas.trigger_points import default_library
    from dn_bodymap.charting.referral.index_cache import default_referral_index
    from dn_bodymap.gui.main_window import MainWindow
    from dn_bodymap.store import open_store

    repo = open_store(db_path)
    try:
        window = MainWindow(
            repo, default_atlas(), default_library(), default_referral_index(), settings, "Dr Test"
        )
        qtbot.addWidget(window)
        available = window.screen().availableGeometry()
        assert window.height() <= available.height() and window.width() <= available.width()
        hint = window.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768  # a common clinic laptop
    finally:
        repo.close()
