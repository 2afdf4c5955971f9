"""The one place that wires the record store into the running application.

Start-up shows the patient list first (issue #14). On a database the writer would open unchanged
(store/first_screen.py), the list is painted from a read-only connection and the writer (sqlite-utils,
migrations, the identity lock, the chain-end check) opens in the first turn of the event loop after
that paint, before anything else; then come the backup, clinic sync and idle lock menus, the
read-only reason, the background backup and the records check, then the atlas, the trigger-point
library, the referral index, the Teaching menu and the session screen's modules, one step per turn
of the event loop (earlier when the window needs one of them). Reopening the last session loads what
the session needs first; on such a database it too is painted from the read-only connection (the
repository's own reads) and the writer opens in the same first step after the paint.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from dn_bodymap.gui import qt_import_hook

qt_import_hook.install()  # before the window's modules load: PySide reads each one's source

log = logging.getLogger("dn_bodymap")


class StartAborted(BaseException):
    """The writer could not open after the first paint; its message was shown and the app exits.

    A BaseException, so that no "Not saved" handler (``except Exception``) reports it a second time."""


def install_excepthook(app: QApplication) -> None:
    """An unexpected error is logged in full and shown as one plain sentence, never a traceback."""

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, StartAborted):
            return
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        text = "".join(traceback.format_exception_only(exc_type, exc)).strip()
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Something went wrong",
            "An unexpected problem occurred. Everything shown as saved is safe.\n\n"
            f"Details for support: {text[:300]}",
        )
        box.exec()

    sys.excepthook = hook


def open_repository(db: str | None, demo: bool):
    from dn_bodymap.store import open_store

    path = database_path(db, demo)
    fresh = not path.exists()
    from dn_bodymap.gui.passphrase_dialog import install_passphrase_asker

    asker = install_passphrase_asker()  # asked only when the records are encrypted
    repo = open_store(path)
    asker.remember_if_chosen()  # in the system keyring, when the clinician ticked the box
    if demo and fresh:
        from dn_bodymap.store.demo import fill_demo

        fill_demo(repo)
    return repo, path


def database_path(db: str | None, demo: bool) -> Path:
    from dn_bodymap.store import resolve_db_path

    path = resolve_db_path(db)
    return path.with_name("demo-records.db") if demo and db is None else path


def first_screen_store(db: str | None, demo: bool, settings: QSettings, open_writer: Callable[[], object]):
    """A read-only store to paint the first screen from — the patient list, or the last session to
    reopen (its reads are the repository's own) — or None: the writer opens first (another file
    than store/first_screen.py allows, or an empty ``--db``)."""
    try:
        path = database_path(db, demo)
    except Exception:  # the writer's path gives the message
        return None
    from dn_bodymap.store.first_screen import open_first_screen

    return open_first_screen(path, open_writer, session=bool(str(settings.value("last_session", "") or "")))


def cannot_open(exc: Exception) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(None, "Cannot open the records", str(exc))


def run_app(db: str | None = None, demo: bool = False) -> int:
    from dn_bodymap.gui import start_gc
    from dn_bodymap.gui.theme import apply_palette

    start_gc.pause()  # until the first paint (gui/start_gc.py)
    try:
        app = QApplication.instance() or QApplication(sys.argv)
        app.setApplicationName("dn-bodymap")
        app.setOrganizationName("dn-bodymap")
        install_excepthook(app)
        settings = QSettings("dn-bodymap", "dn-bodymap")
        apply_palette(app, settings.value("dark", False, type=bool))
        start = Start(db, demo, settings)
        if start.window is None:
            return 2
        try:
            code = app.exec()
        finally:
            start.finish()
        return 2 if start.aborted else code
    finally:
        start_gc.resume()  # the app ends without a paint (the records could not open)


class Start:
    """The window on its database: shown (``window``; None when the records cannot be opened, after
    the message), with the writer opened before it or, on the first screen's store, just after its
    first paint (then ``first`` is that store). ``finish()`` once the event loop is over."""

    def __init__(self, db: str | None, demo: bool, settings: QSettings) -> None:
        from dn_bodymap.gui.main_window import MainWindow
        from dn_bodymap.store.errors import StoreError

        self.db, self.demo = db, demo
        self.aborted = False
        self.window: MainWindow | None = None
        self.first = first_screen_store(db, demo, settings, self.open_writer)
        if self.first is None:
            try:
                repo, path = open_repository(db, demo)
            except StoreError as exc:
                cannot_open(exc)
                return
        else:
            repo, path = self.first, self.first.path
        # The atlas, the library and the referral index load on first use.
        window = MainWindow(repo, _atlas, _library, _referral_index, settings, defer=True)
        self.window = window
        window.setWindowTitle(f"dn-bodymap — {Path(path).name}")
        if not window.reopen_last():
            window.show_patients(refresh=False)  # the page listed them when it was built
        window.show()
        warm_up_after_first_paint(window, [self.after_first_paint, *warm_up_steps(window)])

    def open_writer(self):
        """Just after the first paint, or at the first use of anything but the first screen's reads
        (a click handled before that step): the same opening, message and exit code as when the
        writer opens before the window."""
        from dn_bodymap.store.errors import StoreError

        try:
            repo, _ = open_repository(self.db, self.demo)
        except StoreError as exc:
            self.aborted = True
            if self.window is not None:
                self.window.hide()
            cannot_open(exc)
            self.exit_app(2)
            raise StartAborted(str(exc)) from exc
        return repo

    @staticmethod
    def exit_app(code: int) -> None:
        QApplication.exit(code)  # the event loop returns ``code`` from ``run_app``

    def after_first_paint(self) -> None:
        """The first step after the first paint: the writer (StartAborted ends the steps), then
        what the first screen does not show."""
        from dn_bodymap.gui import start_gc

        start_gc.resume()
        if self.first is not None:
            self.window.use_repository(self.first.take_writer())
        finish_start(self.window)

    def finish(self) -> None:
        from dn_bodymap.gui.backups_dialog import finish_backups

        window, first = self.window, self.first
        if window is None:
            return
        if first is not None and first.writer is None:
            first.close()  # the writer never opened (closed at once, or refused): nothing was written
            return
        if first is not None and window.repo is first:
            window.use_repository(first.writer)
        finish_backups(window)
        window.repo.close()


def finish_start(window) -> None:
    """With the writer open: what the window builds after the first paint (the backup, clinic sync
    and idle lock menus), then the read-only reason, a backup and the records check in the
    background."""
    from dn_bodymap.gui.backups_dialog import after_first_paint

    window.finish_start()
    after_first_paint(window)  # starts the backup worker finish_start made


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
        lambda: window.patients,  # not painted at a start into the last session
    ]


class _FirstPaint(QObject):
    """Calls ``then`` once, after the first paint of ``window``.

    A filter on the window alone (its own paint comes first, its children are painted in the same
    pass): an application-wide Python filter is handed every object's events, and converting an
    object of a class PySide does not wrap (Qt's animation timer) makes it create every lazily
    loaded class of QtCore, QtGui and QtWidgets — ~110 enum classes, ~40 ms before the first paint."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window, self._then = window, then
        window.installEventFilter(self)
        QTimer.singleShot(2000, self._fire)  # no paint (a minimised start): go on anyway

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._fire)  # after this paint (and its children's) is delivered
        return False

    def _fire(self) -> None:
        if self._then is None:
            return
        then, self._then = self._then, None
        self._window.removeEventFilter(self)
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
        except StartAborted:
            pending.clear()  # the app is closing
            return
        except Exception:
            log.exception("loading after start-up failed")
        QTimer.singleShot(0, next_step)

    window._first_paint = _FirstPaint(window, next_step)
