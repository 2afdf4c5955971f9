"""Opening the database file: recognise it, refuse what must not be touched, set the pragmas.

Order matters. Nothing is written before the file is known to be a sound dn-bodymap database of a
schema this version understands; a damaged, foreign or newer file is closed untouched with a
message that points at the backups.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from dn_bodymap.store.backup import backups_hint
from dn_bodymap.store.errors import DamagedDatabaseError, NotADatabaseError, StoreError
from dn_bodymap.store.migrations import APPLICATION_ID, LATEST_VERSION, newer_schema_error

BUSY_TIMEOUT_MS = 5000


def connect(path: Path, *, read_only: bool = False) -> Database:
    """A sqlite-utils ``Database`` on ``path``; a read-only one can never write or checkpoint."""
    try:
        if read_only:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
            )
        else:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc
    try:
        return Database(conn, execute_plugins=False)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise translate_open_error(exc, path) from exc


def translate_open_error(exc: sqlite3.DatabaseError, path: Path) -> StoreError:
    """A plain message for a file SQLite cannot read, with where the backups are."""
    message = str(exc).lower()
    if "not a database" in message:
        return NotADatabaseError(
            f"{path} is not a dn-bodymap database (or is badly damaged); it was not changed. "
            + backups_hint(path)
        )
    if "malformed" in message or "corrupt" in message:
        return DamagedDatabaseError(f"{path} is damaged ({exc}); it was not changed. " + backups_hint(path))
    return StoreError(f"cannot open {path}: {exc}")


def inspect(db: Database, path: Path, *, check: bool = True) -> int:
    """Refuse foreign, newer or damaged files before any write; return the schema version."""
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        objects = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id != APPLICATION_ID and (objects or version):
            raise NotADatabaseError(
                f"{path} is an SQLite database of another program, not a dn-bodymap record store; "
                "it was not changed. " + backups_hint(path)
            )
        if version > LATEST_VERSION:
            raise newer_schema_error(version, path)
        if check:
            rows = db.execute("PRAGMA quick_check").fetchall()
            problems = [str(r[0]) for r in rows if r[0] != "ok"]
            if problems:
                raise DamagedDatabaseError(
                    f"{path} is damaged ({problems[0]}); it was not changed. " + backups_hint(path)
                )
    except sqlite3.DatabaseError as exc:
        raise translate_open_error(exc, path) from exc
    return int(version)


def apply_pragmas(db: Database) -> None:
    """Per-connection settings (only journal_mode persists in the file): WAL + FULL survives
    power loss; foreign keys enforce cascades; secure_delete zeroes erased text."""
    db.enable_wal()
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA secure_delete = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def apply_read_pragmas(db: Database) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA query_only = ON")
