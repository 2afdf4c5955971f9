"""The one place that wires the record store into the running application."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("dn_bodymap")


def install_excepthook(app: QApplication) -> None:
    """An unexpected error is logged in full and shown as one plain sentence, never a traceback."""

    def hook(exc_type, exc, tb) -> None:
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        text = "".join(traceback.format_exception_only(exc_type, exc)).strip()
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Something went wrong",
            "An unexpected problem occurred. Everything shown as saved is safe.\n\n"
            f"Details for support: {text[:300]}",
        )
        box.exec()

    sys.excepthook = hook


def open_repository(db: str | None, demo: bool):
    from dn_bodymap.store import open_store, resolve_db_path

    path = resolve_db_path(db)
    if demo and db is None:
        path = path.with_name("demo-records.db")
    fresh = not path.exists()
    repo = open_store(path)
    if demo and fresh:
        from dn_bodymap.store.demo import fill_demo

        fill_demo(repo)
    return repo, path


def run_app(db: str | None = None, demo: bool = False) -> int:
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.gui.main_window import MainWindow
    from dn_bodymap.gui.theme import apply_palette
    from dn_bodymap.store import StoreError

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("dn-bodymap")
    app.setOrganizationName("dn-bodymap")
    install_excepthook(app)
    settings = QSettings("dn-bodymap", "dn-bodymap")
    apply_palette(app, settings.value("dark", False, type=bool))
    try:
        repo, path = open_repository(db, demo)
    except StoreError as exc:
        QMessageBox.critical(None, "Cannot open the records", str(exc))
        return 2
    atlas = default_atlas()
    library, index = _library_and_index(atlas)
    window = MainWindow(repo, atlas, library, index, settings)
    window.setWindowTitle(f"dn-bodymap — {Path(path).name}")
    if not window.reopen_last():
        window.show_patients()
    window.show()
    from dn_bodymap.gui.backups_dialog import after_first_paint, finish_backups

    after_first_paint(window)  # the read-only reason, and a backup off the path to the first paint
    try:
        return app.exec()
    finally:
        finish_backups(window)
        repo.close()


def _library_and_index(atlas):
    try:
        from dn_bodymap.atlas.trigger_points import default_library
        from dn_bodymap.charting.referral.index_cache import default_referral_index

        return default_library(), default_referral_index()
    except Exception:
        log.exception("trigger-point library unavailable")
        return None, None
