"""The audit chain's head anchored outside the database: in its backups.

Each backup holds the audit log as it was; the live log must still contain the backup's last entry
unchanged. Deleting the newest entries (and the records they cover) or rewriting the chain then
shows against any backup taken before, which sits in another file (and can sit on another disk).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from dn_bodymap.store import key_source
from dn_bodymap.store.backup import compressed_marker, is_compressed
from dn_bodymap.store.encryption import open_connection


def backup_head(path: Path) -> tuple[int, str] | None:
    """(seq, hash) of a backup's last audit entry; None if it has none or cannot be read."""
    if is_compressed(path):  # its gzip header carries the head (store/backup.py)
        marker = compressed_marker(path)
        return (marker[1], marker[2]) if marker and marker[1] else None
    try:
        with key_source.never_ask():  # an encrypted backup opens with the database's passphrase
            conn = open_connection(path, read_only=True)
        try:
            row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return (int(row[0]), str(row[1])) if row else None


def anchor_problems(db: Database, db_path: Path) -> list[str]:
    """Where the live chain disagrees with the heads of the newest backups made since the last
    restore (a few suffice: each holds all earlier entries; a restore deliberately goes back to an
    older chain, so copies from before it anchor nothing)."""
    from dn_bodymap.store.chain_head import anchored_backups

    problems: list[str] = []
    for backup in anchored_backups(db_path, db):
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
