"""The audit chain's head anchored outside the database: in its backups.

Each backup holds the audit log as it was; the live log must still contain the backup's last entry
unchanged. Deleting the newest entries (and the records they cover) or rewriting the chain then
shows against any backup taken before, which sits in another file (and can sit on another disk).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from dn_bodymap.store.backup import backups_of


def backup_head(path: Path) -> tuple[int, str] | None:
    """(seq, hash) of a backup's last audit entry; None if it has none or cannot be read."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return (int(row[0]), str(row[1])) if row else None


def anchor_problems(db: Database, db_path: Path, *, newest: int = 3) -> list[str]:
    """Where the live chain disagrees with the heads of the newest backups (a few suffice: each
    holds all earlier entries)."""
    problems: list[str] = []
    for backup in backups_of(db_path)[:newest]:
        head = backup_head(backup)
        if head is None:
            continue
        seq, digest = head
        row = db.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            problems.append(f"audit entry {seq}, present in backup {backup.name}, is gone from the database")
        elif row[0] != digest:
            problems.append(f"audit entry {seq} differs from the one in backup {backup.name}")
    return problems
