"""One writer at a time; the database and its folder are private to the user."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from store_builders import make_patient

from dn_bodymap.store import DatabaseInUseError, open_read_only, open_store, resolve_db_path
from dn_bodymap.store.repository import SqliteRepository

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")


def test_second_writer_in_same_process_is_refused(repo: SqliteRepository, db_path: Path) -> None:
    with pytest.raises(DatabaseInUseError, match="in use by another dn-bodymap window"):
        open_store(db_path, backups=False)
    repo.add_patient(make_patient())  # the first one still works
    with open_read_only(db_path) as reader:  # listings still work
        assert len(reader.search_patients()) == 1


def test_second_writer_in_another_process_is_refused(repo: SqliteRepository, db_path: Path) -> None:
    code = (
        "import sys\nfrom dn_bodymap.store import open_store, DatabaseInUseError\n"
        "try:\n    open_store(sys.argv[1], backups=False)\n"
        "except DatabaseInUseError as e:\n    print('refused:', e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("refused: the database is in use")


def test_lock_is_released_on_close(db_path: Path) -> None:
    open_store(db_path, backups=False).close()
    open_store(db_path, backups=False).close()


def test_read_only_store_refuses_writes(repo: SqliteRepository, db_path: Path) -> None:
    from dn_bodymap.store import StoreError

    with open_read_only(db_path) as reader, pytest.raises(StoreError, match="read-only"):
        reader.add_patient(make_patient())


@posix_only
def test_new_database_and_folder_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "records.db"
    old = os.umask(0o022)
    try:
        with open_store(path, backups=True) as repo:
            repo.add_patient(make_patient())
            repo.backup_if_changed()  # closing never copies; the app calls this
            for suffix in ("", "-wal", "-shm", ".lock"):
                p = path.with_name(path.name + suffix)
                if p.exists():
                    assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
        backups = path.parent / "records-backups"
        assert stat.S_IMODE(backups.stat().st_mode) == 0o700
        for b in backups.iterdir():
            assert stat.S_IMODE(b.stat().st_mode) == 0o600
    finally:
        os.umask(old)


@posix_only
def test_existing_loose_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    open_store(path, backups=False).close()
    os.chmod(path, 0o644)
    open_store(path, backups=False).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_resolve_db_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DN_BODYMAP_DB", raising=False)
    default = resolve_db_path(None)
    assert default.name == "records.db" and "dn-bodymap" in str(default)
    monkeypatch.setenv("DN_BODYMAP_DB", str(tmp_path / "env.db"))
    assert resolve_db_path(None) == tmp_path / "env.db"
    assert resolve_db_path(str(tmp_path / "cli.db")) == tmp_path / "cli.db"
