"""What the window says about the records' soundness once it shows (issue #13).

Opening has already checked the audit chain's end (store/chain_head.py): if that failed, a short
red line goes in the status bar at once and stays, with the store's full sentence behind it. Then
the full check (store/records_check.py: SQLite's integrity check, the whole keyed chain with every
record's content, the backups' anchor) runs in a child process waited for by a worker thread, off
the path to the first paint and off the window's GIL;
when it ends the status bar says so: a passing check briefly, a problem on the same red line. The
GUI decides nothing: it shows what the store found.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from dn_bodymap.store.records_check import CheckResult
from dn_bodymap.store.records_check import run_full_check_in_child as run_full_check

# ``run_full_check`` runs the check in a child process: the walk (~45 s of Python on a clinic's
# file) holds that process's GIL, not the window's; the worker thread here only waits for it.

SHOW_PASS_MS = 8000


class RecordsCheck(QObject):
    """The full check in a child process, waited for by a daemon thread (it only reads, so an exit
    mid-check loses nothing: the child stops when the app's end closes its pipe)."""

    finished = Signal(object)  # CheckResult

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="dn-bodymap records check", daemon=True)
        self.thread.start()

    def show_in_window(self, result: CheckResult) -> None:
        window = self.parent()
        if isinstance(window, QMainWindow):
            show_result(window, result)

    def _run(self) -> None:
        try:
            result = run_full_check(self.path)
        except Exception as exc:  # a worker's exception would otherwise vanish with its thread
            result = CheckResult((f"the check itself failed ({exc})",), 0, 0)
        with contextlib.suppress(RuntimeError):  # the window (and this object) already closed
            self.finished.emit(result)


class RecordsWarning(QLabel):
    """One short line in the status bar; the full sentences (which problem, what to do, where the
    file as found was copied) are its tooltip and behind its "Details…" link."""

    def __init__(self, parent: QMainWindow) -> None:
        super().__init__(parent)
        self.setObjectName("recordsWarning")
        self.setAccessibleName("Records warning")
        self.setStyleSheet("QLabel#recordsWarning { color: #b3261e; font-weight: 600; }")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.details: list[str] = []
        self.headline = ""
        self.linkActivated.connect(lambda _: self.show_details())

    def add(self, headline: str, sentence: str) -> None:
        self.details.append(sentence)
        if len(self.details) == 1:
            self.headline = headline
        more = f" (and {len(self.details) - 1} more)" if len(self.details) > 1 else ""
        self.setText(f'{self.headline}{more}. <a href="details">Details…</a>')
        self.setToolTip("\n\n".join(self.details))

    def show_details(self) -> None:
        QMessageBox.warning(self.window(), "Records warning", "\n\n".join(self.details))


def records_warning(window: QMainWindow) -> RecordsWarning:
    found = window.statusBar().findChild(RecordsWarning, "recordsWarning")
    if found is None:
        found = RecordsWarning(window)
        window.statusBar().addPermanentWidget(found)
    return found


def show_result(window: QMainWindow, result: CheckResult) -> None:
    if result.ok:
        window.statusBar().showMessage(result.sentence(), SHOW_PASS_MS)
    else:
        records_warning(window).add("The background check found a problem in the records", result.sentence())


def start_records_check(window: QMainWindow) -> RecordsCheck | None:
    """Show the chain-end warning if opening gave one, then start the full check in the background."""
    repo = getattr(window, "repo", None)
    warning = getattr(repo, "integrity_warning", None)
    if warning:
        records_warning(window).add("The records' audit trail does not check out", warning)
    path = getattr(repo, "path", None)
    if path is None:
        return None
    check = RecordsCheck(Path(path), window)
    # A method of an object that lives on the UI thread: the result arrives there (queued).
    check.finished.connect(check.show_in_window)
    window.records_check = check  # type: ignore[attr-defined]
    check.start()
    return check
