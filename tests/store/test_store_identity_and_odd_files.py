"""Issue #13: one writer per file under any name; odd files refused untouched in one sentence;
companions and temporary files private."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest
from store_builders import make_patient

from dn_bodymap.store import DatabaseInUseError, StoreError, open_read_only, open_store
from dn_bodymap.store.backup import backup_dir
from dn_bodymap.store.restore import restore_backup

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX links and permission bits")
not_root = pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores modes")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def store_with_patient(path: Path) -> Path:
    with open_store(path, backups=False) as repo:
        repo.add_patient(make_patient())
    return path


# -- one writer -----------------------------------------------------------------------------
@posix_only
def test_hard_link_shares_the_writer_lock(tmp_path: Path) -> None:
    path = store_with_patient(tmp_path / "a" / "records.db")
    other = tmp_path / "b" / "same.db"
    other.parent.mkdir()
    os.link(path, other)
    with open_store(path, backups=False), pytest.raises(DatabaseInUseError):
        open_store(other, backups=False)


@posix_only
def test_symlink_shares_the_writer_lock_and_restore_is_refused(tmp_path: Path) -> None:
    path = store_with_patient(tmp_path / "records.db")
    with open_store(path, backups=False) as repo:
        good = repo.backup_now()
    link = tmp_path / "elsewhere.db"
    link.symlink_to(path)
    with open_store(path, backups=False) as writer:
        with pytest.raises(DatabaseInUseError):
            open_store(link, backups=False)
        with pytest.raises(DatabaseInUseError):
            restore_backup(link, good)
        writer.add_patient(make_patient("Second Patient"))
    with open_read_only(path) as reader:
        assert len(reader.search_patients()) == 2


@posix_only
def test_restore_through_a_symlink_replaces_the_real_file(tmp_path: Path) -> None:
    path = store_with_patient(tmp_path / "records.db")
    with open_store(path, backups=False) as repo:
        good = repo.backup_now()
        repo.add_patient(make_patient("After Backup"))
    link = tmp_path / "elsewhere.db"
    link.symlink_to(path)
    restore_backup(link, good)
    assert link.is_symlink()
    with open_read_only(path) as reader:
        assert len(reader.search_patients()) == 1


def test_sqlite_write_lock_of_another_program_gets_one_sentence(tmp_path: Path) -> None:
    path = store_with_patient(tmp_path / "records.db")
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match=r"another program.*close it and try again"):
            open_store(path, backups=False, check=False)
    finally:
        other.rollback()
        other.close()


def test_a_save_blocked_by_another_programs_lock_says_who_and_what_to_do(tmp_path: Path) -> None:
    path = store_with_patient(tmp_path / "records.db")
    with open_store(path, backups=False) as repo:
        repo.db.execute("PRAGMA busy_timeout = 50")
        other = sqlite3.connect(path)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreError, match=r"another program.*close that program and try again"):
                repo.add_patient(make_patient("Blocked"))
        finally:
            other.rollback()
            other.close()
        repo.add_patient(make_patient("Saved Afterwards"))


def test_reading_takes_no_write_lock(tmp_path: Path) -> None:
    path = store_with_patient(tmp_path / "records.db")
    with open_read_only(path) as reader:
        reader.search_patients()
        with open_store(path, backups=False) as writer:  # a listing never blocks the app
            writer.add_patient(make_patient("While Listing"))


# -- damaged and odd files --------------------------------------------------------------------
def _blank_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.execute("DROP TABLE t")
    conn.close()


def _ours_without_tables(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1145979469")
    conn.execute("PRAGMA user_version = 3")
    conn.execute("CREATE TABLE patients(id)")
    conn.close()


def _user_version_minus_one(path: Path) -> None:
    store_with_patient(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = -1")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def _dropped_audit_log(path: Path) -> None:
    store_with_patient(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE audit_log")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def _damaged_page_two(path: Path) -> None:
    store_with_patient(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page : page * 2] = os.urandom(page)
    path.write_bytes(bytes(data))


ODD_FILES = {
    "empty": lambda p: p.write_bytes(b""),
    "one-byte": lambda p: p.write_bytes(b"\x00"),
    "random-byte": lambda p: p.write_bytes(b"\x9b"),
    "blank-sqlite": _blank_sqlite,
    "ours-without-tables": _ours_without_tables,
    "user-version-minus-one": _user_version_minus_one,
    "dropped-audit-log": _dropped_audit_log,
    "damaged-page-2": _damaged_page_two,
}


@pytest.mark.parametrize("kind", sorted(ODD_FILES))
def test_odd_file_is_refused_in_one_sentence_and_untouched(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "records.db"
    ODD_FILES[kind](path)
    before, names = digest(path), sorted(p.name for p in tmp_path.iterdir())
    for opener in (open_store, open_read_only):
        with pytest.raises(StoreError) as caught:
            opener(path).close()
        message = str(caught.value)
        assert "\n" not in message and "Traceback" not in message
        assert str(path) in message
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [
        n for n in names if not n.endswith(".lock")
    ]


def test_only_a_missing_file_creates_a_store(tmp_path: Path) -> None:
    path = tmp_path / "new" / "records.db"
    with open_store(path, backups=False) as repo:
        assert repo.search_patients() == []
    leftovers = [p.name for p in path.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_empty_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="empty"):
        open_store("", backups=False)
    with pytest.raises(StoreError, match="empty"):
        open_read_only("")


@posix_only
def test_folder_below_a_file_gets_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match=r"below a file|cannot use"):
        open_store(blocker / "records.db", backups=False)


def test_too_long_path_gets_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="too long"):
        open_store(tmp_path / ("x" * 5000) / "records.db", backups=False)


@posix_only
@not_root
def test_read_only_file_opens_read_only_and_says_so(tmp_path: Path) -> None:
    path = store_with_patient(tmp_path / "records.db")
    os.chmod(path, 0o400)
    before = digest(path)
    with open_store(path, backups=False) as repo:
        assert repo.read_only and "read-only" in (repo.read_only_reason or "")
        with pytest.raises(StoreError, match="read-only"):
            repo.add_patient(make_patient())
    assert digest(path) == before


@posix_only
@not_root
def test_read_only_folder_gets_one_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    os.chmod(folder, 0o500)
    try:
        with pytest.raises(StoreError, match="may not write"):
            open_store(folder / "records.db", backups=False)
    finally:
        os.chmod(folder, 0o700)


def test_restore_refuses_empty_blank_and_broken_chain_backups(tmp_path: Path) -> None:
    path = store_with_patient(tmp_path / "records.db")
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.db"
    _blank_sqlite(blank)
    with open_store(path, backups=False) as repo:
        repo.add_patient(make_patient("Second Patient"))
        broken = repo.backup_now()
    conn = sqlite3.connect(broken)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq = 1")
    conn.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'x'); END"
    )
    conn.commit()
    conn.close()
    before = digest(path)
    for bad in (empty, blank, broken):
        with pytest.raises(StoreError, match=r"nothing was restored|not changed") as caught:
            restore_backup(path, bad)
        assert bad.name in str(caught.value)
    assert digest(path) == before


# -- privacy ----------------------------------------------------------------------------------
@posix_only
def test_companions_of_a_0644_database_are_0600(tmp_path: Path) -> None:
    path = store_with_patient(tmp_path / "records.db")
    os.chmod(path, 0o644)
    with open_read_only(path) as reader:
        reader.search_patients()
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                assert stat.S_IMODE(companion.stat().st_mode) == 0o600
    os.chmod(path, 0o644)
    with open_store(path, backups=False) as repo:
        repo.add_patient(make_patient())
        for suffix in ("", "-wal", "-shm"):
            assert stat.S_IMODE(path.with_name(path.name + suffix).stat().st_mode) == 0o600


def test_temporary_tables_stay_in_memory(tmp_path: Path) -> None:
    path = store_with_patient(tmp_path / "records.db")
    with open_store(path, backups=False) as repo:
        assert repo.db.execute("PRAGMA temp_store").fetchone()[0] == 2
    with open_read_only(path) as reader:
        assert reader.db.execute("PRAGMA temp_store").fetchone()[0] == 2


def test_stale_backup_temp_files_are_removed_at_open(tmp_path: Path) -> None:
    path = store_with_patient(tmp_path / "records.db")
    folder = backup_dir(path)
    folder.mkdir(exist_ok=True)
    stale = folder / ".records-20260101T000000000000Z-open.db.abcd1234.tmp"
    fresh = folder / ".records-20260101T000000000001Z-open.db.abcd1235.tmp"
    beside = path.with_name(f".{path.name}.deadbeef.restore")
    for leftover in (stale, fresh, beside):
        leftover.write_bytes(b"patient records")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(beside, (old, old))
    open_store(path, backups=False).close()
    assert not stale.exists() and not beside.exists()
    assert fresh.exists()  # a backup running right now in another process is left alone


def test_unwritable_file_opens_read_only_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same path as a 0400 file, reachable when the tests run as root (which ignores modes)."""
    from dn_bodymap.store import opening

    path = store_with_patient(tmp_path / "records.db")
    before = digest(path)
    monkeypatch.setattr(opening, "may_write", lambda p: False)
    with open_store(path, backups=False) as repo:
        assert repo.read_only and "opened read-only" in (repo.read_only_reason or "")
        assert len(repo.search_patients()) == 1
        with pytest.raises(StoreError, match="read-only"):
            repo.add_patient(make_patient("Refused"))
    assert digest(path) == before
    monkeypatch.undo()
    with open_store(path, backups=False) as writer:  # the writer lock was given back
        assert not writer.read_only
