"""The one place that wires the record store into the running application.

Start-up shows the patient list first (issue #14): the atlas, the trigger-point library, the
referral index, the Teaching menu and the session screen's modules are loaded just after the list
is painted, one step per turn of the event loop, or earlier when the window needs one of them
(reopening the last session loads what the session needs before the first paint).
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

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
    from dn_bodymap.gui.passphrase_dialog import install_passphrase_asker

    asker = install_passphrase_asker()  # asked only when the records are encrypted
    repo = open_store(path)
    asker.remember_if_chosen()  # in the system keyring, when the clinician ticked the box
    if demo and fresh:
        from dn_bodymap.store.demo import fill_demo

        fill_demo(repo)
    return repo, path


def run_app(db: str | None = None, demo: bool = False) -> int:
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
    window = MainWindow(repo, _atlas, _library, _referral_index, settings)  # each loaded on first use
    window.setWindowTitle(f"dn-bodymap — {Path(path).name}")
    if not window.reopen_last():
        window.show_patients()
    window.show()
    from dn_bodymap.gui.backups_dialog import after_first_paint, finish_backups

    after_first_paint(window)  # the read-only reason, and a backup off the path to the first paint
    warm_up_after_first_paint(window, warm_up_steps(window))
    try:
        return app.exec()
    finally:
        finish_backups(window)
        repo.close()


def _atlas():
    from dn_bodymap.atlas.loader import default_atlas

    return default_atlas()


def _library():
    try:
        from dn_bodymap.atlas.trigger_points import default_library

        return default_library()
    except Exception:
        log.exception("trigger-point library unavailable")
        return None


def _referral_index():
    try:
        from dn_bodymap.charting.referral.index_cache import default_referral_index

        return default_referral_index()  # its tables are built when first queried
    except Exception:
        log.exception("referral index unavailable")
        return None


def warm_up_steps(window) -> list[Callable[[], object]]:
    """What the first screen does not show but the next click may need, in the order needed."""

    def session_modules() -> None:
        import dn_bodymap.gui.session.ack_dialog
        import dn_bodymap.gui.session.page  # noqa: F401

    return [
        lambda: window.atlas,
        lambda: window.library,
        lambda: window.referral_index,
        lambda: window.index,
        lambda: window.teaching_menu,
        session_modules,
    ]


class _FirstPaint(QObject):
    """Calls ``then`` once, after the first paint of any widget of ``window``."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window, self._then = window, then
        QApplication.instance().installEventFilter(self)
        QTimer.singleShot(2000, self._fire)  # no paint (a minimised start): warm up anyway

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) and obj.window() is self._window:
            QTimer.singleShot(0, self._fire)  # after this paint has been delivered
        return False

    def _fire(self) -> None:
        if self._then is None:
            return
        then, self._then = self._then, None
        QApplication.instance().removeEventFilter(self)
        then()


def warm_up_after_first_paint(window: QWidget, steps: list[Callable[[], object]]) -> None:
    """Run ``steps`` after the first paint, one per turn of the event loop (input stays live); a
    failing step is logged, and what it loads is loaded again (with its error) when first used."""
    pending = list(steps)

    def next_step() -> None:
        if not pending:
            return
        step = pending.pop(0)
        try:
            step()
        except Exception:
            log.exception("loading after start-up failed")
        QTimer.singleShot(0, next_step)

    window._first_paint = _FirstPaint(window, next_step)
