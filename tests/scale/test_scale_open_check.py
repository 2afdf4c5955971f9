"""Opening skips the full page check only for the file exactly as our last clean close left it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dn_bodymap.charting.records import Patient
from dn_bodymap.store import open_read_only, open_store, read_only_listing, repository
from dn_bodymap.store.open_check import marker_path


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each open asked for the full check (the real check still runs when asked)."""
    seen: list[bool] = []
    for module in (repository, read_only_listing):
        real = module.inspect

        def spy(db, path, *, check: bool = True, _real=real) -> int:
            seen.append(check)
            return _real(db, path, check=check)

        monkeypatch.setattr(module, "inspect", spy)
    return seen


def _store(path: Path) -> None:
    with open_store(path, backups=False) as repo:
        repo.add_patient(Patient(display_name="Test Patient Robin Vale"))


def test_a_cleanly_closed_file_opens_without_the_full_check(tmp_path: Path, checks: list[bool]) -> None:
    path = tmp_path / "records.db"
    _store(path)
    assert marker_path(path).is_file()
    with open_store(path, backups=False) as repo:
        assert not marker_path(path).exists()  # forgotten while the writer may change the file
        repo.add_patient(Patient(display_name="Test Patient Sky Moreno"))
    with open_read_only(path) as repo:
        assert len(repo.search_patients()) == 2
    assert checks == [False, False, False]  # created (nothing to check), then twice unchanged


def test_a_file_changed_by_another_program_is_checked_again(tmp_path: Path, checks: list[bool]) -> None:
    path = tmp_path / "records.db"
    _store(path)
    conn = sqlite3.connect(path)  # e.g. an sqlite3 shell: the same records, rewritten pages
    conn.execute("VACUUM")
    conn.close()
    open_store(path, backups=False).close()
    assert checks == [False, True]  # created, then changed behind our back


def test_a_writer_that_did_not_close_leaves_no_stamp(tmp_path: Path, checks: list[bool]) -> None:
    path = tmp_path / "records.db"
    _store(path)
    repo = open_store(path, backups=False)
    repo.add_patient(Patient(display_name="Test Patient Ash Novak"))
    assert not marker_path(path).exists()  # a crash now: the next open checks every page
    repo.close()
    assert marker_path(path).is_file()


def test_a_stale_stamp_never_matches_a_replaced_file(tmp_path: Path, checks: list[bool]) -> None:
    path, other = tmp_path / "records.db", tmp_path / "other.db"
    _store(path)
    _store(other)
    stamp = marker_path(path).read_text()
    other.replace(path)  # a restore or a copy put another file at the name
    marker_path(path).write_text(stamp)
    open_read_only(path).close()
    assert checks[-1] is True
