"""Replacing the database with a backup: verify first, keep the current file, swap atomically."""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from pathlib import Path

from dn_bodymap.store import audit
from dn_bodymap.store.backup import (
    _fsync,
    _fsync_dir,
    backup_name,
    integrity_problems,
    is_compressed,
    plain_backup,
)
from dn_bodymap.store.connection import connect, inspect
from dn_bodymap.store.encryption import connect_like, require_key
from dn_bodymap.store.errors import BackupError
from dn_bodymap.store.locking import WriterLock
from dn_bodymap.store.paths import create_private_file, ensure_private_dir


def restore_backup(db_path: Path, backup_path: Path) -> Path | None:
    """Put ``backup_path`` in place of ``db_path``; return where the replaced file was kept. A
    compressed automatic backup is decompressed first (its checksum checked), then verified and
    restored like any other (``backup.plain_backup``); messages name the file that was given."""
    if not backup_path.is_file() or not is_compressed(backup_path):
        return _restore_plain(db_path, backup_path)
    with plain_backup(backup_path) as plain:
        try:
            return _restore_plain(db_path, plain)
        except BackupError as exc:
            raise BackupError(str(exc).replace(str(plain), str(backup_path))) from exc


def _restore_plain(db_path: Path, backup_path: Path) -> Path | None:
    """Put ``backup_path`` in place of ``db_path``; return where the replaced file was kept.

    Refused, with nothing changed, when the backup fails its integrity check, is not a dn-bodymap
    database or is newer than this version, or when the app has the database open. The current
    file moves to the backup folder together with its ``-wal`` (they belong together; separating
    them would lose or corrupt the last commits).
    """
    if not backup_path.is_file():
        raise BackupError(f"there is no backup at {backup_path}")
    if backup_path.stat().st_size == 0:
        raise BackupError(f"{backup_path} is an empty file, not a backup; nothing was restored")
    require_key(backup_path)  # an encrypted backup: its passphrase, or one sentence
    problems = integrity_problems(backup_path)
    if problems:
        raise BackupError(f"{backup_path} fails its integrity check ({problems[0]}); nothing was restored")
    probe = connect(backup_path, read_only=True)
    try:
        inspect(probe, backup_path, check=False)  # foreign, empty, newer: refused as such
        broken = audit.verify_chain(probe)
        if broken:
            raise BackupError(f"{backup_path} has a broken audit trail ({broken[0]}); nothing was restored")
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{backup_path} cannot be read as a backup ({exc}); nothing was restored") from exc
    finally:
        probe.close()

    # The real file, not a symlink to it: a symlinked name keeps pointing at the restored records.
    db_path = Path(os.path.realpath(db_path))
    lock = WriterLock(db_path)
    lock.acquire()  # refused while any writer holds the file, under whatever name it opened it
    ensure_private_dir(db_path.parent)
    tmp = db_path.with_name(f".{db_path.name}.{secrets.token_hex(4)}.restore")
    try:
        create_private_file(tmp)
        source = connect(backup_path, read_only=True).conn
        try:
            target = connect_like(source, tmp)  # an encrypted backup stays encrypted in place
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            source.close()
        _fsync(tmp)
        kept: Path | None = None
        if db_path.exists():
            kept = backup_name(db_path, "before-restore")
            ensure_private_dir(kept.parent)
            os.replace(db_path, kept)
            for suffix in ("-wal", "-shm"):
                companion = db_path.with_name(db_path.name + suffix)
                if companion.exists():
                    os.replace(companion, kept.with_name(kept.name + suffix))
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
        return kept
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        lock.release()
