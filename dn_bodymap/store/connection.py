"""Opening the database file: recognise it, refuse what must not be touched, set the pragmas.

Order matters. Nothing is written before the file is known to be a sound dn-bodymap database of a
schema this version understands; a damaged, foreign or newer file is closed untouched with a
message that points at the backups.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from dn_bodymap.store.encryption import EncryptedDatabaseError, open_connection
from dn_bodymap.store.errors import (
    DamagedDatabaseError,
    DatabaseInUseError,
    NotADatabaseError,
    StoreError,
)
from dn_bodymap.store.migrations import APPLICATION_ID, LATEST_VERSION, newer_schema_error

if TYPE_CHECKING:  # `inspect` also takes a plain sqlite3 connection (store/read_only_listing.py)
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 5000


def backups_hint(path: Path) -> str:
    """Imported when a message needs it: a sound file's listing never loads the backup module."""
    from dn_bodymap.store.backup import backups_hint as hint

    return hint(path)


def connect(path: Path, *, read_only: bool = False) -> Database:
    """A sqlite-utils ``Database`` on ``path``; a read-only one can never write or checkpoint."""
    try:
        # The key handling every opener shares: plain files open with sqlite3 as before, an
        # encrypted one with SQLCipher and the passphrase (or one sentence when it is wrong).
        conn = open_connection(path, read_only=read_only, timeout=BUSY_TIMEOUT_MS / 1000)
    except EncryptedDatabaseError:
        raise
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc
    from dn_bodymap.store.lean_import import import_sqlite_utils

    import_sqlite_utils()
    from sqlite_utils import Database

    try:
        return Database(conn, execute_plugins=False)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise translate_open_error(exc, path) from exc


def translate_open_error(exc: sqlite3.DatabaseError, path: Path) -> StoreError:
    """A plain message for a file SQLite cannot read, with where the backups are."""
    if isinstance(exc, EncryptedDatabaseError):
        return exc
    message = str(exc).lower()
    if "not a database" in message:
        return NotADatabaseError(
            f"{path} is not a dn-bodymap database (or is badly damaged); it was not changed. "
            + backups_hint(path)
        )
    if "malformed" in message or "corrupt" in message:
        return DamagedDatabaseError(f"{path} is damaged ({exc}); it was not changed. " + backups_hint(path))
    if "locked" in message or "busy" in message:
        return DatabaseInUseError(LOCKED_BY_OTHER.format(path=path))
    if "readonly" in message or "read-only" in message:
        return StoreError(f"{path} cannot be written (read-only file or folder); nothing was changed")
    if "unable to open" in message:
        return StoreError(f"cannot open {path}: the file or its folder cannot be read or written here")
    return StoreError(f"cannot open {path}: {exc}")


LOCKED_BY_OTHER = (
    "another program (not a dn-bodymap window: an sqlite3 shell, a sync or backup tool?) holds a "
    "write lock on {path}; close it and try again. Nothing was changed"
)

# Tables every store has from schema 1 (and 3) on; a store of ours without one was cut down.
_REQUIRED_TABLES = {
    1: (
        "patients",
        "sessions",
        "marks",
        "pain_areas",
        "hazard_acknowledgements",
        "adverse_events",
        "addenda",
        "audit_log",
    ),
    3: ("annotations",),
}
_REQUIRED_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete")


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
        if app_id != APPLICATION_ID or version <= 0:
            if objects or version or app_id:
                raise DamagedDatabaseError(
                    f"{path} has a damaged schema (version {version}); it was not changed. "
                    + backups_hint(path)
                )
            raise NotADatabaseError(
                f"{path} is an empty file, not a dn-bodymap database; it was not changed. "
                "Move it away to start a new record store there, or " + _restore_hint(path)
            )
        missing = _missing_objects(db, version)
        if missing:
            raise DamagedDatabaseError(
                f"{path} is damaged or was altered outside dn-bodymap ({missing[0]} is missing); "
                "it was not changed. " + backups_hint(path)
            )
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


def _missing_objects(db: Database, version: int) -> list[str]:
    names = {(kind, name) for kind, name in db.execute("SELECT type, name FROM sqlite_master").fetchall()}
    missing = [
        f"table {table}"
        for since, tables in _REQUIRED_TABLES.items()
        if version >= since
        for table in tables
        if ("table", table) not in names
    ]
    missing += [f"trigger {t}" for t in _REQUIRED_TRIGGERS if ("trigger", t) not in names]
    return missing


def _restore_hint(path: Path) -> str:
    hint = backups_hint(path)
    return hint[0].lower() + hint[1:]


def apply_pragmas(db: Database) -> None:
    """Per-connection settings (only journal_mode persists in the file): WAL + FULL survives
    power loss; foreign keys enforce cascades; secure_delete zeroes erased text."""
    db.enable_wal()
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA secure_delete = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # VACUUM and big sorts otherwise spill records into /var/tmp/etilqs_* (issue #13).
    db.execute("PRAGMA temp_store = MEMORY")


def apply_read_pragmas(db: Database) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA query_only = ON")
    db.execute("PRAGMA temp_store = MEMORY")
