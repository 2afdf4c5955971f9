"""Damaged, foreign and newer files are refused untouched; old schemas are migrated."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from store_builders import make_mark, make_patient

from dn_bodymap.charting.records import Session
from dn_bodymap.store import (
    DamagedDatabaseError,
    NewerSchemaError,
    NotADatabaseError,
    open_read_only,
    open_store,
)
from dn_bodymap.store.migrations import APPLICATION_ID, LATEST_VERSION
from dn_bodymap.store.schema_v1 import SCHEMA_V1, SIGNED_CHILD_TRIGGERS


def fingerprint(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_size


def siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()} - {path.name + ".lock"}


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    repo = open_store(path, backups=False)
    repo.add_patient(make_patient())
    repo.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before, names = fingerprint(path), siblings(path)
    with pytest.raises(NewerSchemaError, match="newer version of dn-bodymap"):
        open_store(path)
    with pytest.raises(NewerSchemaError):
        open_read_only(path)
    assert fingerprint(path) == before
    assert siblings(path) == names  # no backup folder, no -wal left behind


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7 this is not a database" * 100, b"\x00" * 4096, os.urandom(8192)],
    ids=["pdf", "zeros", "random"],
)
def test_non_sqlite_file_is_refused_and_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "records.db"
    path.write_bytes(content)
    before = fingerprint(path)
    with pytest.raises(NotADatabaseError) as caught:
        open_store(path)
    assert "not changed" in str(caught.value) and "backup" in str(caught.value)
    assert fingerprint(path) == before


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = fingerprint(path)
    with pytest.raises(NotADatabaseError, match="another program"):
        open_store(path)
    assert fingerprint(path) == before


def test_damaged_database_is_refused_with_backup_hint(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    repo = open_store(path, backups=True)
    s = repo.create_session(Session(patient_id=repo.add_patient(make_patient()).id, clinician="Dr"))
    for _ in range(300):
        repo.add_mark(make_mark(s, notes="padding " * 20))
    repo.backup_if_changed()  # closing never copies; the app calls this
    repo.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(3 * page, len(data) - page, 2 * page):  # scribble over many pages
        data[offset + 100 : offset + 400] = os.urandom(300)
    path.write_bytes(bytes(data))
    before = fingerprint(path)
    with pytest.raises((DamagedDatabaseError, NotADatabaseError)) as caught:
        open_store(path)
    message = str(caught.value)
    assert "not changed" in message and "db restore" in message and "records-" in message
    assert fingerprint(path) == before


def _build_v1(path: Path) -> dict[str, str]:
    """A database exactly as the first schema wrote it, with one of each core row."""
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1 + SIGNED_CHILD_TRIGGERS)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    ids = {
        "patient": "11111111-1111-4111-8111-111111111111",
        "session": "22222222-2222-4222-8222-222222222222",
        "mark": "33333333-3333-4333-8333-333333333333",
    }
    t = "2026-01-01T00:00:00.000000Z"
    conn.execute(
        "INSERT INTO patients (id, display_name, record_number, created_at, updated_at)"
        " VALUES (?, 'Émile Zola-Test', 'OLD-7', ?, ?)",
        (ids["patient"], t, t),
    )
    conn.execute(
        "INSERT INTO sessions (id, patient_id, started_at, clinician, status, created_at,"
        " updated_at) VALUES (?, ?, ?, 'Dr Old', 'draft', ?, ?)",
        (ids["session"], ids["patient"], t, t, t),
    )
    conn.execute(
        "INSERT INTO marks (id, session_id, view, x, y, atlas_version, side, created_at,"
        " updated_at) VALUES (?, ?, 'posterior', 1.5, 200.25, '0.1', 'left', ?, ?)",
        (ids["mark"], ids["session"], t, t),
    )
    conn.commit()
    conn.close()
    return ids


def test_migrates_from_the_first_schema(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    ids = _build_v1(path)
    with open_store(path, backups=True) as repo:
        assert repo.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert [s.patient.id for s in repo.search_patients("emile")] == [ids["patient"]]
        assert [s.patient.id for s in repo.search_patients("old-7")] == [ids["patient"]]
        mark = repo.get_mark(ids["mark"])
        assert (mark.x, mark.y, mark.atlas_version) == (1.5, 200.25, "0.1")
        repo.add_mark(make_mark(repo.get_session(ids["session"])))
    backups = list((tmp_path / "old-backups").glob("old-*-open.db"))
    assert len(backups) == 1  # the pre-migration state is kept
    conn = sqlite3.connect(backups[0])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_migration_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dn_bodymap.store import migrations

    path = tmp_path / "old.db"
    _build_v1(path)

    def broken(db: object) -> None:
        db.execute("ALTER TABLE patients ADD COLUMN half_done TEXT")  # type: ignore[attr-defined]
        raise RuntimeError("power cut mid-migration")

    monkeypatch.setattr(migrations, "MIGRATIONS", ((1, migrations._v1_initial), (2, broken)))
    with pytest.raises(RuntimeError):
        open_store(path, backups=False)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    columns = [r[1] for r in conn.execute("PRAGMA table_info(patients)")]
    conn.close()
    assert "half_done" not in columns


def test_fresh_database_pragmas(repo) -> None:  # type: ignore[no-untyped-def]
    q = lambda sql: repo.db.execute(sql).fetchone()[0]  # noqa: E731
    assert q("PRAGMA journal_mode") == "wal"
    assert q("PRAGMA synchronous") == 2  # FULL
    assert q("PRAGMA foreign_keys") == 1
    assert q("PRAGMA secure_delete") == 1
    assert q("PRAGMA busy_timeout") == 5000
    assert q("PRAGMA application_id") == APPLICATION_ID
