"""Automatic and manual backups, rotation, verified restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from store_builders import make_patient

from dn_bodymap.store import DatabaseInUseError, open_store
from dn_bodymap.store.backup import KEEP_AUTOMATIC, backups_of, integrity_problems
from dn_bodymap.store.errors import BackupError
from dn_bodymap.store.restore import restore_backup


def names(path: Path) -> list[str]:
    with open_store(path, backups=False) as repo:
        return sorted(s.patient.display_name for s in repo.search_patients(""))


def test_backups_on_open_and_close_are_verified_and_rotated(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    with open_store(path) as repo:  # new file: nothing to back up on open
        repo.add_patient(make_patient("First"))
    assert [p.name.rsplit("-", 1)[1] for p in backups_of(path)] == ["close.db"]
    with open_store(path):  # nothing written: only the open backup
        pass
    reasons = [p.stem.rsplit("-", 1)[1] for p in backups_of(path)]
    assert reasons == ["open", "close"]
    for i in range(KEEP_AUTOMATIC):
        with open_store(path) as repo:
            repo.add_patient(make_patient(f"P{i}"))
    found = backups_of(path)
    assert len(found) == KEEP_AUTOMATIC
    assert all(integrity_problems(p) == [] for p in found)
    newest = found[0]
    assert names(newest) == sorted(["First", *[f"P{i}" for i in range(KEEP_AUTOMATIC)]])
    assert not list(path.parent.glob("records-backups/*.tmp"))
    assert not list(path.parent.glob("records-backups/*-wal"))


def test_restore_replaces_and_keeps_the_current_file(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    with open_store(path, backups=False) as repo:
        repo.add_patient(make_patient("Before"))
    backup = tmp_path / "copy.db"
    from dn_bodymap.store.backup import copy_database

    conn = sqlite3.connect(path)
    copy_database(conn, backup)
    conn.close()
    with open_store(path, backups=False) as repo:
        repo.add_patient(make_patient("After"))
    assert names(path) == ["After", "Before"]

    kept = restore_backup(path, backup)
    assert names(path) == ["Before"]
    assert kept is not None and kept.name.endswith("-before-restore.db")
    assert names(kept) == ["After", "Before"]


def test_restore_refuses_bad_backup_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    with open_store(path, backups=False) as repo:
        repo.add_patient(make_patient("Current"))
    before = path.read_bytes()
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    with pytest.raises(BackupError, match="integrity check"):
        restore_backup(path, bad)
    foreign = tmp_path / "foreign.db"
    c = sqlite3.connect(foreign)
    c.execute("CREATE TABLE x (y)")
    c.commit()
    c.close()
    from dn_bodymap.store import NotADatabaseError

    with pytest.raises(NotADatabaseError):
        restore_backup(path, foreign)
    assert path.read_bytes() == before
    assert names(path) == ["Current"]


def test_restore_refused_while_app_is_open(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    backup = tmp_path / "b.db"
    with open_store(path, backups=False) as repo:
        repo.add_patient(make_patient("X"))
        from dn_bodymap.store.backup import copy_database

        copy_database(repo.db.conn, backup)
        with pytest.raises(DatabaseInUseError):
            restore_backup(path, backup)
