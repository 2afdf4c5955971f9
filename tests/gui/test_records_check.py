"""After the window shows, the chain-end warning from opening is shown at once and the full check
runs in a worker thread; what it finds reaches the status bar as one sentence (issue #13)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from dn_bodymap.charting.records import Patient
from dn_bodymap.gui import records_check
from dn_bodymap.gui.backups_dialog import after_first_paint
from dn_bodymap.store import audit_key, open_store
from dn_bodymap.store.records_check import run_full_check


@pytest.fixture(autouse=True)
def private_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(audit_key.KEY_ENV, str(tmp_path / "config" / "audit.key"))


APPEND_ONLY = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
)


def make_store(path: Path, patients: int = 20) -> None:
    with open_store(path, backups=False) as repo:
        for i in range(patients):
            repo.add_patient(Patient(display_name=f"Test Patient {i}"))


def tamper_old_entry(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'Dr Impostor' WHERE seq = 2")
    conn.execute(APPEND_ONLY)
    conn.commit()
    conn.close()


def window_on(qtbot, path: Path) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.repo = open_store(path, backups=False)  # type: ignore[attr-defined]
    window.show()
    return window


def warnings_in(window: QMainWindow) -> list[str]:
    """The full sentences behind the status bar's one warning line."""
    labels = window.statusBar().findChildren(QLabel, "recordsWarning")
    assert len(labels) <= 1
    return list(labels[0].details) if labels else []


def test_a_sound_store_is_reported_checked(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    make_store(path)
    window = window_on(qtbot, path)
    try:
        after_first_paint(window)
        qtbot.waitUntil(lambda: "Records checked" in window.statusBar().currentMessage())
        assert "20 records" in window.statusBar().currentMessage()
        assert warnings_in(window) == []
    finally:
        window.repo.close()


def test_damage_the_open_cannot_see_is_found_in_the_background(qtbot, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "records.db"
    make_store(path)
    tamper_old_entry(path)  # older than the tail opening reads
    threads: list[int] = []
    real = records_check.run_full_check

    def recording(p: Path):
        threads.append(threading.get_ident())
        return real(p)

    monkeypatch.setattr(records_check, "run_full_check", recording)
    window = window_on(qtbot, path)
    try:
        assert window.repo.integrity_warning is None
        after_first_paint(window)
        qtbot.waitUntil(lambda: bool(warnings_in(window)))
        (text,) = warnings_in(window)
        assert text.startswith(
            "The background check of the records found a problem: audit log: audit entry 2"
        )
        assert threads and threads[0] != threading.get_ident()  # not on the UI thread
    finally:
        window.repo.close()


def test_the_chain_end_warning_shows_at_once(qtbot, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "records.db"
    make_store(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'Dr Impostor' WHERE seq = (SELECT max(seq) FROM audit_log)")
    conn.execute(APPEND_ONLY)
    conn.commit()
    conn.close()
    window = window_on(qtbot, path)
    try:
        records_check.start_records_check(window)
        assert any("does not check out" in t for t in warnings_in(window))
        qtbot.waitUntil(lambda: len(warnings_in(window)) == 2)  # and the full check agrees
        label = window.statusBar().findChild(QLabel, "recordsWarning")
        assert "audit trail does not check out" in label.text() and "Details" in label.text()
        shown: list[str] = []
        monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
        label.linkActivated.emit("details")
        assert shown and "dn-bodymap db check" in shown[0] and "audit entry" in shown[0]
    finally:
        window.repo.close()


def test_the_full_check_sees_one_state_while_the_app_writes(tmp_path: Path) -> None:
    """Run beside a writer: a check that read the log and the records at different moments would
    report records "changed outside dn-bodymap" that were only just saved."""
    path = tmp_path / "records.db"
    make_store(path, 5)
    results = []
    with open_store(path, backups=False) as repo:
        stop = threading.Event()

        def check() -> None:
            while not stop.is_set():
                results.append(run_full_check(path))

        worker = threading.Thread(target=check)
        worker.start()
        patient = repo.add_patient(Patient(display_name="Busy Patient"))
        while len(results) < 20:
            repo.update_patient(Patient(display_name=f"Busy Patient {len(results)}", id=patient.id))
        stop.set()
        worker.join()
    assert all(r.ok for r in results), [r.problems for r in results if not r.ok][:1]
