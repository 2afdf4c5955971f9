"""Backups with SQLite's online backup API, checked before they count, rotated.

A copy is written to a temporary file, ``quick_check``-ed, then renamed into place, so a half
written or damaged copy never looks like a backup. Automatic copies (taken when the database is
opened and after a session that wrote something is closed) are rotated; manual and pre-restore
copies are kept until an administrator removes them.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from dn_bodymap.store.errors import BackupError
from dn_bodymap.store.paths import backup_dir, create_private_file, ensure_private_dir

KEEP_AUTOMATIC = 10
AUTOMATIC_REASONS = ("open", "close")


def backups_of(db_path: Path) -> list[Path]:
    """Every backup of this database, newest first (names sort by time)."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"{db_path.stem}-*.db") if p.is_file()]
    return sorted(found, key=lambda p: p.name.split("-", 1)[1], reverse=True)


def backups_hint(db_path: Path) -> str:
    """One sentence for error messages: where backups are and how to restore the newest."""
    found = backups_of(db_path)
    if not found:
        return f"No backups were found in {backup_dir(db_path)}."
    return (
        f"{len(found)} backup(s) in {backup_dir(db_path)}; to restore the newest run: "
        f"dn-bodymap --db {db_path} db restore {found[0]}"
    )


def backup_name(db_path: Path, reason: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return backup_dir(db_path) / f"{db_path.stem}-{stamp}-{reason}.db"


def copy_database(source: sqlite3.Connection, destination: Path) -> Path:
    """Online-backup ``source`` to ``destination`` (0600), verified, atomically renamed."""
    tmp = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.tmp")
    try:
        ensure_private_dir(destination.parent)
        create_private_file(tmp)
    except OSError as exc:
        raise BackupError(f"could not write a backup to {destination}: {exc.strerror or exc}") from exc
    try:
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
            # A backup is one self-contained file: no -wal beside it.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        problems = quick_check(tmp)
        if problems:
            raise BackupError(f"the backup copy failed its check ({problems[0]}); not kept")
        _fsync(tmp)
        os.replace(tmp, destination)
        _fsync_dir(destination.parent)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"could not write a backup to {destination}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return destination


def automatic_backup(source: sqlite3.Connection, db_path: Path, reason: str) -> Path:
    path = copy_database(source, backup_name(db_path, reason))
    rotate(db_path)
    return path


def rotate(db_path: Path, keep: int = KEEP_AUTOMATIC) -> None:
    automatic = [p for p in backups_of(db_path) if p.stem.rsplit("-", 1)[-1] in AUTOMATIC_REASONS]
    for old in automatic[keep:]:
        old.unlink(missing_ok=True)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _pragma_problems(path: Path, check: str) -> list[str]:
    try:
        conn = _read_only(path)
        try:
            rows = conn.execute(f"PRAGMA {check}").fetchall()
            problems = [str(r[0]) for r in rows if r[0] != "ok"]
            for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall():
                problems.append(f"{table} row {rowid} refers to a missing {parent} row")
            return problems
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"{path.name} is not a readable SQLite database ({exc})"]


def quick_check(path: Path) -> list[str]:
    return _pragma_problems(path, "quick_check")


def integrity_problems(path: Path) -> list[str]:
    """``integrity_check`` + ``foreign_key_check`` of a file; empty when it is sound."""
    return _pragma_problems(path, "integrity_check")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":  # pragma: no cover
        return
    _fsync(path)
