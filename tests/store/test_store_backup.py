"""Backups only after a change, thinned by the policy, in the chosen location; verified restore;
opening never needs a backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database
from store_builders import make_patient

from dn_bodymap.store import DatabaseInUseError, open_read_only, open_store, repository
from dn_bodymap.store.backup import (
    AUTOMATIC_REASONS,
    LOCATION_SETTING,
    backup_infos,
    backup_location,
    backups_hint,
    backups_of,
    integrity_problems,
    plain_backup,
    verify_copy,
)
from dn_bodymap.store.backup_policy import DEFAULT_POLICY
from dn_bodymap.store.errors import BackupError
from dn_bodymap.store.restore import restore_backup


def names(path: Path) -> list[str]:
    with open_read_only(path) as repo:  # no lock file beside a backup
        return sorted(s.patient.display_name for s in repo.search_patients(""))


def reasons(path: Path) -> list[str]:
    return [b.reason for b in backup_infos(path)]


def test_a_backup_only_after_a_change_and_never_a_copy_on_close(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    with open_store(path) as repo:  # new file: nothing to back up on open
        repo.add_patient(make_patient("First"))
    assert backups_of(path) == []  # closing never copies (issue #14), even after a write
    with open_store(path) as repo:
        first = repo.backup_if_changed()  # what the GUI runs after its window shows
        assert first is not None
    for _ in range(3):  # launches without edits copy nothing
        with open_store(path) as repo:
            assert repo.backup_if_changed() is None
    assert backups_of(path) == [first]
    with open_store(path) as repo:
        repo.add_patient(make_patient("Second"))
        made = repo.backup_if_changed()
        assert made is not None
        assert repo.backup_if_changed() is None
    assert reasons(path) == ["auto", "auto"]
    found = backups_of(path)
    assert all(p.name.endswith(".db.gz") for p in found)  # the app's own copies are compressed
    with plain_backup(found[0]) as newest, plain_backup(found[1]) as older:
        assert integrity_problems(newest) == [] and integrity_problems(older) == []
        assert names(newest) == ["First", "Second"] and names(older) == ["First"]
    assert not list(path.parent.glob("records-backups/.*"))
    assert not list(path.parent.glob("records-backups/*-wal"))


def test_back_up_now_always_writes_and_automatic_copies_are_thinned(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    with open_store(path) as repo:
        repo.add_patient(make_patient("Only"))
        first = repo.backup_now()
        second = repo.backup_now()
    assert first != second and {first, second} <= set(backups_of(path))
    # Many changed sessions in one day: the tiers keep the newest few and today's, not all.
    for i in range(DEFAULT_POLICY.last + 5):
        with open_store(path) as repo:
            repo.add_patient(make_patient(f"P{i}"))
            assert repo.backup_if_changed() is not None
    automatic = [b.path for b in backup_infos(path) if b.reason in AUTOMATIC_REASONS]
    assert len(automatic) == DEFAULT_POLICY.last
    with plain_backup(automatic[0]) as newest:
        assert names(newest)[-1] == f"P{DEFAULT_POLICY.last + 4}"


def test_the_location_setting_is_honoured_and_older_copies_stay_listed(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    other_disk = tmp_path / "usb"
    other_disk.mkdir()
    with open_store(path) as repo:
        repo.add_patient(make_patient("A"))
        repo.backup_if_changed()
    old = backups_of(path)
    with open_store(path) as repo:
        repo.set_setting(LOCATION_SETTING, str(other_disk))
        assert backup_location(path, repo.db.conn) == other_disk
        repo.backup_if_changed()
    assert backup_location(path) == other_disk
    new = [p for p in backups_of(path) if p not in old]
    assert len(new) == 1 and new[0].parent == other_disk  # the setting itself was a change
    assert set(old) <= set(backups_of(path))
    assert str(other_disk) in backups_hint(path)
    other_disk.rename(tmp_path / "unplugged")
    with open_store(path) as repo, pytest.raises(BackupError, match="is not there"):
        repo.backup_now()
    assert not other_disk.exists()  # a missing chosen folder is never created


def test_a_backup_restores_and_verifies(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    with open_store(path) as repo:
        repo.add_patient(make_patient("Kept"))
        made = repo.backup_now()
        repo.add_patient(make_patient("Later"))
    assert integrity_problems(made) == []
    restore_backup(path, made)
    assert names(path) == ["Kept"]
    with open_store(path, backups=False) as repo:
        assert repo.verify_audit() == []


def test_a_copy_whose_audit_head_is_not_the_databases_is_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    with open_store(path, backups=False) as repo:
        repo.add_patient(make_patient("A"))
        made = repo.backup_now()
        conn = sqlite3.connect(made)
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET hash = 'forged' WHERE seq = (SELECT max(seq) FROM audit_log)")
        conn.commit()
        conn.close()
        assert verify_copy(made, repo.db.conn)
        other = tmp_path / "foreign.db"
        sqlite3.connect(other).close()
        assert "not a dn-bodymap database" in verify_copy(other, repo.db.conn)[0]


def test_opening_never_needs_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x")  # a location that cannot be written, even by root
    with open_store(path) as repo:
        repo.add_patient(make_patient("A"))
        repo.set_setting(LOCATION_SETTING, str(not_a_folder / "backups"))
    with open_store(path) as repo:  # backups cannot be written: the store still opens for writing
        assert not repo.read_only
        repo.add_patient(make_patient("B"))
        with pytest.raises(BackupError):
            repo.backup_if_changed()
    assert names(path) == ["A", "B"]


def test_a_full_disk_opens_read_only_and_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "records.db"
    with open_store(path) as repo:
        repo.add_patient(make_patient("A"))
    real_connect = repository.connect

    def full(*args: object, **kwargs: object) -> Database:
        db = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow, as on a full disk
        return db

    def fill_on_open(db: Database, at: Path) -> None:
        db.execute("CREATE TABLE filler (x BLOB)")  # the first write of an open needs room
        db.execute("INSERT INTO filler VALUES (zeroblob(1000000))")

    monkeypatch.setattr(repository, "connect", full)
    monkeypatch.setattr(repository, "migrate", fill_on_open)
    with open_store(path) as repo:
        assert repo.read_only and "full" in (repo.read_only_reason or "")
        assert names_of(repo) == ["A"]


def names_of(repo: object) -> list[str]:
    return sorted(s.patient.display_name for s in repo.search_patients(""))  # type: ignore[attr-defined]


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
