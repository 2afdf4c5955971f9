"""Background sync with the clinic server, its status-bar text, and the draft-lease banner.

The local database is only ever touched on the GUI thread, and only briefly (reading what changed,
applying a pulled batch in one transaction); the network part of a round (``sync.engine.exchange``:
push, draft leases, fetch) runs in a ``QThread``, so charting never waits on the server. A round
starts every ``INTERVAL_MS``, soon after an edit, and when File → Clinic server… changes the
settings. The status bar says "Synced", "Offline — N changes waiting" or what failed.

Leases: the open draft is offered to the server at each round (``LeaseKeeper``); when another
workstation holds it, the core refuses edits (``DraftHeldElsewhere``) and the session screen shows
"Open in Room 2 (since 10:42) — read-only here" with a Take over button.
"""

from __future__ import annotations

import importlib.util
import socket
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QMenu, QPushButton, QStackedWidget, QWidget

from dn_bodymap.sync.errors import ServerUnreachable, SyncError
from dn_bodymap.sync.server_url import SETTING_KEY

if TYPE_CHECKING:
    from dn_bodymap.sync.engine import Incoming, Outgoing
    from dn_bodymap.sync.leases import Lease, LeaseKeeper

# psycopg takes a third of a second to import: only a workstation with a server configured pays it,
# when its first round starts (the window shows first).
AVAILABLE = all(importlib.util.find_spec(name) is not None for name in ("psycopg", "keyring"))

INTERVAL_MS = 30_000  # a round every 30 s; leases last 120 s, so a live workstation keeps its own
NUDGE_MS = 3_000  # after an edit: soon, but one round for a burst of edits
NAME_SETTING = "clinic.workstation_name"


class _Call(QThread):
    """One network call off the GUI thread; emits its result, or its message and whether the
    server was simply out of reach."""

    succeeded = Signal(object)
    failed = Signal(str, bool)

    def __init__(self, call: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._call = call

    def run(self) -> None:
        try:
            result = self._call()
        except ServerUnreachable as exc:
            self.failed.emit(str(exc), True)
        except SyncError as exc:
            self.failed.emit(str(exc), False)
        except Exception as exc:  # never a traceback in a worker thread: say what failed
            self.failed.emit(f"{type(exc).__name__}: {exc}", False)
        else:
            self.succeeded.emit(result)


def waiting_text(count: int) -> str:
    return f"Offline — {count} change{'s' if count != 1 else ''} waiting"


class ClinicSync(QObject):
    """The workstation's side of the clinic server, owned by the main window."""

    statusChanged = Signal(str)
    leasesChanged = Signal()
    recordsChanged = Signal()  # another workstation's records were applied here
    recordsPulled = Signal(object)  # with the ids of the patients they belong to (None: unknown)
    tookOver = Signal(str)  # a draft taken over: the message for the status bar

    def __init__(
        self,
        repo: object,
        clinician: Callable[[], str],
        parent: QObject | None = None,
        interval_ms: int = INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self._clinician = clinician
        self.label = QLabel()
        self.label.setAccessibleName("Clinic server sync status")
        self.label.setVisible(False)
        self.keeper: LeaseKeeper | None = None
        self.url: str | None = None
        self.last_report = None
        self._call: _Call | None = None
        self._again = False
        self._open_draft: str | None = None
        self._banners: list[LeaseBanner] = []
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.sync_now)
        self._nudge = QTimer(self)
        self._nudge.setSingleShot(True)
        self._nudge.setInterval(NUDGE_MS)
        self._nudge.timeout.connect(self.sync_now)
        self.reconfigure()

    # -- configuration ------------------------------------------------------------------------
    @property
    def supported(self) -> bool:
        """Only the SQLite store replicates (tests and tools may hand the window another). Asked of
        the class: the read-only store the first screen is painted from would open the writer to
        answer (store/first_screen.py); the window hands over the writer just after (``use_repository``)."""
        return hasattr(type(self.repo), "changes_to_push")

    def workstation_name(self) -> str:
        return self.repo.get_setting(NAME_SETTING) or socket.gethostname()  # type: ignore[attr-defined]

    def reconfigure(self) -> None:
        """Read the URL and name from the database's settings; start or stop syncing."""
        url = self.repo.get_setting(SETTING_KEY) if self.supported else None  # type: ignore[attr-defined]
        if url:
            from dn_bodymap.sync.server_url import checked_url
        try:
            self.url = checked_url(url) if url else None
        except SyncError as exc:
            self.url = None
            self._show(f"Sync off: {exc}")
            return
        if self.url is None:
            self.keeper = None
            self.timer.stop()
            self.label.setVisible(False)
            self.leasesChanged.emit()
            return
        from dn_bodymap.sync.leases import LeaseKeeper

        workstation = self.repo.sync_workstation_id()  # type: ignore[attr-defined]
        self.keeper = LeaseKeeper(workstation, self.workstation_name(), self._clinician())
        if self._open_draft is not None:
            self.keeper.open(self._open_draft)
        self.label.setVisible(True)
        self._show("Syncing…")
        self.timer.start()
        QTimer.singleShot(0, self.sync_now)  # after the window shows (the first round loads psycopg)

    # -- rounds ---------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._call is not None

    def nudge(self) -> None:
        """An edit was saved: sync soon (one round for a burst of edits)."""
        if self.url is not None:
            self._nudge.start()

    def sync_now(self) -> None:
        if self.url is None or self.keeper is None:
            return
        if self._call is not None:
            self._again = True  # one more round when this one ends
            return
        from dn_bodymap.sync.engine import exchange, prepare

        try:
            outgoing = prepare(self.repo, self.workstation_name())  # type: ignore[arg-type]
        except Exception as exc:  # the local store refused (e.g. read-only): say so, keep charting
            self._show(f"Sync failed: {exc}")
            return
        url, keeper = self.url, self.keeper
        keeper.clinician = self._clinician()
        self._start(
            _Call(lambda: exchange(url, outgoing, keeper), self),
            lambda incoming: self._finish(url, outgoing, incoming),  # type: ignore[arg-type]
        )

    def _start(
        self, call: _Call, done: Callable[[object], None], failed: Callable[[str, bool], None] | None = None
    ) -> None:
        self._call = call
        call.succeeded.connect(done)
        call.failed.connect(failed or self._failed)
        call.finished.connect(self._ended)
        call.start()

    def _ended(self) -> None:
        call, self._call = self._call, None
        if call is not None:
            call.deleteLater()
        if self._again:
            self._again = False
            self.sync_now()

    def _finish(self, url: str, outgoing: Outgoing, incoming: Incoming) -> None:
        from dn_bodymap.sync.engine import finish

        try:
            report = finish(self.repo, url, outgoing, incoming)  # type: ignore[arg-type]
        except Exception as exc:
            self._failed(str(exc), isinstance(exc, ServerUnreachable))
            return
        self.last_report = report
        self._show("Synced", f"{report.summary()} at {datetime.now():%H:%M}")
        self.leasesChanged.emit()
        if report.applied or report.erased:
            self.recordsChanged.emit()
            mine = outgoing.workstation
            self.recordsPulled.emit(frozenset(c.patient_id for _, o, c in incoming.rows if o != mine))

    def _failed(self, message: str, offline: bool) -> None:
        if offline:
            try:
                waiting = self.repo.changes_waiting()  # type: ignore[attr-defined]
            except Exception:
                waiting = 0
            self._show(waiting_text(waiting), message)
        else:
            self._show(f"Sync failed: {message}", message)
        self.leasesChanged.emit()

    def _show(self, text: str, tip: str = "") -> None:
        self.label.setText(text)
        self.label.setToolTip(tip or text)
        self.label.setVisible(True)
        self.statusChanged.emit(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The window closing: let a round in flight end first (its thread belongs to us)."""
        if event.type() == QEvent.Type.Close:
            self.wait()
            QTimer.singleShot(0, self._resume)  # the close may be refused (unsaved changes)
        return False

    def _resume(self) -> None:
        parent = self.parent()
        if self.url is not None and isinstance(parent, QWidget) and parent.isVisible():
            self.timer.start()

    def wait(self, ms: int = 15_000) -> None:
        """Stop the timers and let a round in flight end (closing the window)."""
        self.timer.stop()
        self._nudge.stop()
        if self._call is not None:
            self._call.wait(ms)

    # -- leases -----------------------------------------------------------------------------
    def holder(self) -> Lease | None:
        """Another workstation's lease on the draft open here, as last seen."""
        if self.keeper is None or self._open_draft is None:
            return None
        return self.keeper.holder(self._open_draft)

    def attach(self, controller: object, page: QWidget) -> None:
        """A session screen opened: its edits ask the lease keeper, a banner shows who holds it,
        and the draft is held while the screen is the one shown."""
        editing = controller.editing  # type: ignore[attr-defined]
        editing.leases = self  # through ``check`` below, so a later reconfigure still applies
        # Read-only while another room holds it: the screen asks the core again at each change.
        refresh = controller.refresh_editable  # type: ignore[attr-defined]
        self.leasesChanged.connect(lambda: refresh() if _alive(page) else None)
        refresh()
        session_id = str(controller.session_id)  # type: ignore[attr-defined]
        is_draft = not controller.is_signed  # type: ignore[attr-defined]
        banner = LeaseBanner(self, session_id)
        banner.takeOver.connect(lambda: self.take_over(session_id))
        layout = page.signed_banner.parentWidget().layout()  # type: ignore[attr-defined]
        layout.insertWidget(0, banner)
        self._banners = [b for b in self._banners if _alive(b)] + [banner]
        controller.changed.connect(lambda *_: self.nudge())  # type: ignore[attr-defined]
        self._set_open(session_id if is_draft else None)
        stack = page.parentWidget()
        if not is_draft or not isinstance(stack, QStackedWidget):
            return

        def shown_or_hidden(*_: object) -> None:  # held while shown, released when another screen is
            if _alive(page):
                self._set_open(session_id if stack.currentWidget() is page else None)

        stack.currentChanged.connect(shown_or_hidden)

    def check(self, session_id: str) -> None:
        """charting's ``DraftLeases``: refuses while another workstation holds the draft."""
        if self.keeper is not None:
            self.keeper.check(session_id)  # type: ignore[arg-type]

    def _set_open(self, session_id: str | None) -> None:
        if session_id == self._open_draft:
            return
        if self.keeper is not None and self._open_draft is not None:
            self.keeper.close(self._open_draft)
        self._open_draft = session_id
        if self.keeper is not None and session_id is not None:
            self.keeper.open(session_id)
        self.leasesChanged.emit()
        self.sync_now()

    def take_over(self, session_id: str) -> None:
        """The clinician chose to take the draft over: on the server, then in the audit log."""
        if self.url is None or self.keeper is None:
            return
        if self._call is not None:  # one network call at a time: after this round
            self._call.finished.connect(lambda: self.take_over(session_id))
            return
        from dn_bodymap.sync.leases import take_over_draft

        url, keeper = self.url, self.keeper
        self._start(
            _Call(lambda: take_over_draft(keeper, url, session_id), self),
            lambda previous: self._took_over(session_id, previous),  # type: ignore[arg-type]
            self._take_over_failed,
        )

    def _take_over_failed(self, message: str, offline: bool) -> None:
        self.tookOver.emit(f"The draft could not be taken over: {message}")
        self._failed(message, offline)

    def _took_over(self, session_id: str, previous: Lease | None) -> None:
        name = previous.workstation_name if previous is not None else "no other workstation"
        try:
            self.repo.record_take_over(session_id, name)  # type: ignore[attr-defined]
        except Exception as exc:
            self._show(f"Sync failed: {exc}")
            return
        self.leasesChanged.emit()
        self.tookOver.emit(f"You took over this draft from {name}; the take-over is recorded.")


def _alive(widget: QWidget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:  # its C++ side was deleted with its page
        return False
    return True


class LeaseBanner(QWidget):
    """ "Open in Room 2 (since 10:42) — read-only here" with a Take over button."""

    takeOver = Signal()

    def __init__(self, sync: ClinicSync, session_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sync = sync
        self.session_id = session_id
        self.setAccessibleName("Draft open on another workstation")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setStyleSheet("background:#e1ecfd;color:#0d2f66;padding:6px;border-radius:4px;")
        self.button = QPushButton("Take over")
        self.button.setToolTip("Edit this draft here; the other workstation becomes read-only. Recorded.")
        self.button.clicked.connect(self.takeOver)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        sync.leasesChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        if not _alive(self):
            return
        holder = self.sync.keeper.holder(self.session_id) if self.sync.keeper is not None else None
        self.setVisible(holder is not None)
        if holder is not None:
            who = f" by {holder.clinician}" if holder.clinician else ""
            self.text.setText(
                f"Open in {holder.workstation_name}{who} (since {holder.since.astimezone():%H:%M})"
                " — read-only here."
            )


def install_clinic_sync(window: QMainWindow, file_menu: QMenu) -> ClinicSync | None:
    """File → Clinic server…, the status-bar text, and background sync for ``window`` (whose
    ``repo``, ``stack``, ``controller``, ``session_page`` and ``clinician`` it reads). Nothing
    happens until a server is configured; None when the clinic extra is not installed."""
    if not AVAILABLE:
        return None
    sync = ClinicSync(window.repo, lambda: window.clinician, window)  # type: ignore[attr-defined]
    window.statusBar().addPermanentWidget(sync.label)
    action = file_menu.addAction("Clinic server…")
    action.setToolTip("Share records with the clinic's server: address, role, this room's name")
    action.setStatusTip(action.toolTip())
    action.triggered.connect(lambda: open_clinic_server_dialog(sync, window))
    # The patients screen, if built (it lists the records afresh when it is).
    sync.recordsChanged.connect(lambda: window._patients is not None and window._patients.refresh())  # type: ignore[attr-defined]
    sync.recordsPulled.connect(window.show_pulled_records)  # type: ignore[attr-defined]
    sync.tookOver.connect(lambda text: window.statusBar().showMessage(text, 10000))
    stack: QStackedWidget = window.stack  # type: ignore[attr-defined]
    attached: list[QWidget] = []

    def screen_changed(*_: object) -> None:  # a new session screen: its edits ask the leases
        page = getattr(window, "session_page", None)
        if page is not None and stack.currentWidget() is page and page not in attached:
            attached[:] = [page]
            sync.attach(window.controller, page)  # type: ignore[attr-defined]

    stack.currentChanged.connect(screen_changed)
    window.installEventFilter(sync)
    window.clinic_sync = sync  # type: ignore[attr-defined]
    return sync


def open_clinic_server_dialog(sync: ClinicSync, parent: QWidget) -> None:
    from dn_bodymap.gui.clinic_server_dialog import ClinicServerDialog

    ClinicServerDialog(sync, parent).open()
