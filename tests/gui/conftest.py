"""GUI fixtures: a fresh record store, private settings, and no stray message boxes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox


@pytest.fixture(autouse=True)
def no_unexpected_message_boxes(monkeypatch):
    """A message box nobody expected fails the test instead of hanging it."""

    def fail(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, fail)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "records.db"


@pytest.fixture
def make_window(qtbot, settings, db_path):
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.atlas.trigger_points import default_library
    from dn_bodymap.charting.referral.index_cache import default_referral_index
    from dn_bodymap.gui.main_window import MainWindow
    from dn_bodymap.store import open_store

    opened = []

    def make():
        repo = open_store(db_path)
        opened.append(repo)
        window = MainWindow(
            repo, default_atlas(), default_library(), default_referral_index(), settings, "Dr Test"
        )
        qtbot.addWidget(window)
        window.resize(1500, 950)
        window.show_patients()
        window.show()
        return window, repo

    yield make
    for repo in opened:
        repo.close()


@pytest.fixture
def make_canvas(qtbot):
    """``make_canvas(width, height)``: the session's canvas panel alone on the default atlas, shown
    at that size, light palette."""
    from PySide6.QtWidgets import QLayout

    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.gui.session.canvas_panel import CanvasPanel
    from dn_bodymap.render.style import LIGHT
    from dn_bodymap.render.view_painter import RenderOptions

    def make(width: int = 1000, height: int = 800) -> CanvasPanel:
        panel = CanvasPanel(default_atlas(), lambda layers: RenderOptions(layers=layers, palette=LIGHT))
        qtbot.addWidget(panel)
        panel.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        panel.show()
        panel.resize(width, height)
        qtbot.waitUntil(lambda: panel.width() == width)
        return panel

    return make


@pytest.fixture
def canvas(make_canvas):
    """The session's canvas panel alone on the default atlas, 1000 x 800 px, light palette."""
    return make_canvas()
