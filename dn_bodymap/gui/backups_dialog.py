"""File → Backups…: where this database's backups go, what is kept, and "Back up now".

Backups run off the UI thread (the store's ``make_backup`` opens its own read connection), and the
automatic one starts only after the window has shown, so neither the first paint nor an edit waits
for a copy. What is kept and when an erased patient leaves the backups are the store's decisions
(``store/backup_policy.py``); this dialog shows them.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.gui.local_time import local_text
from dn_bodymap.store.backup import LOCATION_SETTING, backup_infos, backup_location
from dn_bodymap.store.backup_policy import DEFAULT_POLICY, erasure_sentence
from dn_bodymap.store.errors import StoreError

BACKUP_EVERY_MS = 10 * 60 * 1000
log = logging.getLogger(__name__)


class BackgroundBackup(QObject):
    """One backup at a time in a worker thread; ``done`` carries the new file (None: nothing had
    changed), ``failed`` one sentence."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, repo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.repo = repo
        self._thread: threading.Thread | None = None
        self._busy = threading.Event()  # cleared before the result is announced, so a slot may start the next

    @property
    def running(self) -> bool:
        return self._busy.is_set()

    def start(self, *, force: bool = False) -> bool:
        """False when one is already running (or this repository cannot be backed up)."""
        if self.running or getattr(self.repo, "backup_if_changed", None) is None or self.repo.read_only:
            return False
        job = self.repo.backup_now if force else self.repo.backup_if_changed
        self._busy.set()
        self._thread = threading.Thread(target=self._run, args=(job,), name="dn-bodymap backup", daemon=True)
        self._thread.start()
        return True

    def _run(self, job) -> None:
        try:
            made = job()
        except Exception as exc:  # a worker's exception would otherwise vanish with its thread
            message = str(exc) if isinstance(exc, StoreError) else f"the backup failed: {exc}"
            self._busy.clear()
            self.failed.emit(message)
            return
        self._busy.clear()
        self.done.emit(made)

    def wait(self) -> None:
        """Let a running copy finish (it is renamed into place only when complete anyway)."""
        if self._thread is not None:
            self._thread.join()


_REASONS = {
    "auto": "after a change",
    "close": "on closing after a change",
    "now": "Back up now",
    "open": "before an upgrade",
    "manual": "db backup",
    "before-restore": "the database replaced by a restore",
}


def _size_text(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} B"  # pragma: no cover


class BackupsDialog(QDialog):
    """The location (changeable), the list of backups with times and sizes, and Back up now."""

    def __init__(self, repo, worker: BackgroundBackup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backups")
        self.resize(760, 460)
        self.repo = repo
        self.worker = worker
        self.location = QLineEdit()
        self.location.setReadOnly(True)
        self.change_button = QPushButton("Change…")
        self.change_button.setToolTip("Keep this database's backups in another folder, e.g. on another disk")
        self.change_button.clicked.connect(self._choose_location)
        self.change_button.setEnabled(not repo.read_only)
        where = QHBoxLayout()
        where.addWidget(QLabel("Location:"))
        where.addWidget(self.location, 1)
        where.addWidget(self.change_button)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Made", "Size", "Kept"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        policy = DEFAULT_POLICY
        self.policy_label = QLabel(
            f"Kept: the {policy.last} newest, then one a day for {policy.daily} days, one a week for "
            f"{policy.weekly} weeks and one a month for {policy.monthly} months, within "
            f"{policy.budget_factor:g} × the database's size. A backup is made only after a change."
        )
        self.erasure_label = QLabel(erasure_sentence(policy))
        self.status = QLabel()
        for label in (self.policy_label, self.erasure_label, self.status):
            label.setWordWrap(True)
        self.backup_button = QPushButton("Back up now")
        self.backup_button.clicked.connect(self.back_up_now)
        self.backup_button.setEnabled(not repo.read_only)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(where)
        layout.addWidget(self.table, 1)
        for widget in (self.policy_label, self.erasure_label, self.status, buttons):
            layout.addWidget(widget)
        worker.done.connect(self._backed_up)
        worker.failed.connect(self._failed)
        self.refresh()

    def refresh(self) -> None:
        folder = backup_location(self.repo.path, self.repo.db.conn)
        self.location.setText(str(folder))
        found = backup_infos(self.repo.path, folder)
        self.table.setRowCount(len(found))
        for row, info in enumerate(found):
            why = _REASONS.get(info.reason, info.reason)
            kept = f"{why}; thinned by the tiers" if info.automatic else f"{why}; kept until removed"
            cells = (local_text(info.made_at.isoformat()), _size_text(info.size), kept)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(info.path))
                self.table.setItem(row, column, item)
        if not found:
            self.status.setText("No backups yet: one is made after the first change.")

    def back_up_now(self) -> None:
        if self.worker.start(force=True):
            self.backup_button.setEnabled(False)
            self.status.setText("Writing a checked backup…")
        else:
            self.status.setText("A backup is already being written; try again in a moment.")

    def set_location(self, folder: Path) -> bool:
        try:
            self.repo.set_setting(LOCATION_SETTING, str(folder))
        except (StoreError, ValueError) as exc:
            self.status.setText(f"The location was not changed: {exc}")
            return False
        self.status.setText(f"New backups go to {folder}; the older ones stay listed where they are.")
        self.refresh()
        return True

    def _choose_location(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Backup folder", self.location.text())
        if chosen:
            self.set_location(Path(chosen))

    def _backed_up(self, made: Path | None) -> None:
        self.backup_button.setEnabled(not self.repo.read_only)
        self.status.setText(f"Backup written: {made}" if made else "Nothing changed since the newest backup.")
        self.refresh()

    def _failed(self, message: str) -> None:
        self.backup_button.setEnabled(not self.repo.read_only)
        self.status.setText(f"The backup failed: {message}")


def install_backups(window, menu) -> None:
    """File → Backups…; ``window.background_backup`` is the one worker the app waits for."""
    window.background_backup = BackgroundBackup(window.repo, window)
    window.background_backup.failed.connect(
        lambda message: window.statusBar().showMessage(f"The automatic backup failed: {message}", 15000)
    )
    window.backups_action = QAction("Backups…", window)
    window.backups_action.setStatusTip("Where backups go, which are kept, and Back up now")

    def show() -> None:
        dialog = BackupsDialog(window.repo, window.background_backup, window)
        dialog.exec()
        dialog.deleteLater()  # its connections to the worker go with it

    window.backups_action.triggered.connect(show)
    menu.addAction(window.backups_action)


def after_first_paint(window) -> None:
    """Once the window shows: say why the database is read-only, if it is, and back up in the
    background if anything changed since the newest backup."""
    reason = getattr(window.repo, "read_only_reason", None)
    if reason:
        window.statusBar().addPermanentWidget(QLabel(reason))
    from dn_bodymap.gui.records_check import start_records_check

    QTimer.singleShot(0, lambda: start_records_check(window))  # chain-end warning, then the full check
    worker = getattr(window, "background_backup", None)
    if worker is not None:
        QTimer.singleShot(0, worker.start)
        # Then now and again: a check costs one indexed read when nothing changed.
        window.backup_timer = QTimer(window)
        window.backup_timer.setInterval(BACKUP_EVERY_MS)
        window.backup_timer.timeout.connect(worker.start)
        window.backup_timer.start()


def finish_backups(window) -> None:
    """At exit, with the window already gone (nobody waits for it): let a running copy finish, then
    copy what changed since the newest backup. Closing the store itself never copies."""
    worker = getattr(window, "background_backup", None)
    if worker is None:
        return
    worker.wait()
    if not window.repo.read_only:
        try:
            window.repo.backup_if_changed()
        except StoreError as exc:  # the next start tries again; the records themselves are saved
            log.warning("backup at exit failed: %s", exc)
