"""``db encrypt`` / ``db decrypt`` / ``db rekey``: convert a record database and its backups in place.

The converted copy is written beside the file with ``sqlcipher_export``, checked against the
original (integrity, schema, every table's content, schema version and application id), fsynced,
and renamed over the original only then; the folder is fsynced after. A kill at any moment leaves
either the original or the complete converted file at the name, plus at most a temporary
``.<name>.<hex>.new`` that the next open removes. The writer lock is held throughout, so the app
cannot be writing, and the rename is refused while another program keeps a ``-wal`` open beside
the file (that log belongs to the old file and must not meet the new one).

Backups are converted the same way, one by one, so an encrypted database does not leave its
history readable in the clear beside it. ``db rekey`` (a new passphrase, when a colleague who knew
the old one leaves) is the same conversion from one key to another: after a kill every file opens
with the old or the new passphrase, and running it again finishes what is left.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dn_bodymap.store import key_source
from dn_bodymap.store.encryption import (
    EncryptedDatabaseError,
    cipher,
    key_literal,
    looks_encrypted,
    new_salt,
    open_connection,
)
from dn_bodymap.store.errors import StoreError
from dn_bodymap.store.paths import create_private_file, fsync_path

MIN_PASSPHRASE_CHARS = 8


def _no_progress(step: str) -> None:
    return None


#: Called with the name of each step of a conversion (the kill test stops the process at each one).
progress: Callable[[str], None] = _no_progress


@dataclass(frozen=True)
class Conversion:
    path: Path
    backups: int  # backups converted too


def check_new_passphrase(passphrase: str | None) -> str:
    if not passphrase:
        raise StoreError(
            f"no passphrase given: set {key_source.PASSPHRASE_ENV} or run the command at a terminal"
        )
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise StoreError(f"the passphrase is too short; use at least {MIN_PASSPHRASE_CHARS} characters")
    return passphrase


def encrypt_database(path: Path, passphrase: str, *, remember: bool = False) -> Conversion:
    """Encrypt ``path`` and its backups with ``passphrase``; refused if already encrypted."""
    check_new_passphrase(passphrase)
    return _convert_with_backups(path, passphrase, remember=remember)


def decrypt_database(path: Path) -> Conversion:
    """Write ``path`` and its backups in the clear again (the passphrase comes from ``key_source``)."""
    return _convert_with_backups(path, None, remember=False)


def rekey_database(path: Path, new_passphrase: str, *, remember: bool = False) -> Conversion:
    """Encrypt ``path`` and every backup with ``new_passphrase`` instead of the current one (which
    ``key_source`` supplies, asking if need be). Files already on the new key are left as they are,
    so a run cut short is finished by running it again; a backup in the clear is encrypted too."""
    from dn_bodymap.store.backup import backup_infos, decompress_in_place
    from dn_bodymap.store.locking import WriterLock

    check_new_passphrase(new_passphrase)
    path = Path(os.path.realpath(path))
    if not path.is_file():
        raise StoreError(f"there is no record database at {path}")
    if not looks_encrypted(path):
        raise StoreError(
            f"{path} is not encrypted (use `db encrypt` to give it a passphrase); nothing was changed"
        )
    cipher()
    lock = WriterLock(path)
    lock.acquire()  # refused while the app (or another command) writes the database
    try:
        with key_source.never_ask():
            current_is_new = _opens_with(path, new_passphrase)
        if current_is_new and all(_opens_with(info.path, new_passphrase) for info in backup_infos(path)):
            raise StoreError("that is already the passphrase of these records; nothing was changed")
        old = _current_passphrase(path) if not current_is_new else None
        if not current_is_new:
            convert_file(path, new_passphrase, live=True)
        done = 0
        for info in backup_infos(path):
            target = info.path
            if not looks_encrypted(target):
                target = decompress_in_place(target)  # a copy in the clear does not stay in the clear
            elif _opens_with(target, new_passphrase):
                continue
            convert_file(target, new_passphrase, live=False)
            done += 1
    finally:
        lock.release()
    if old is not None:
        key_source.forget(old)  # this process no longer offers the old one to anything
    key_source.remember(new_passphrase)
    if remember or key_source.keyring_passphrase(path) is not None:
        key_source.store_in_keyring(path, new_passphrase)  # a kept old passphrase would no longer open it
    return Conversion(path, done)


def _opens_with(path: Path, passphrase: str) -> bool:
    with key_source.never_ask():
        try:
            conn = open_connection(path, read_only=True, passphrase=passphrase)
        except EncryptedDatabaseError:
            return False
    conn.close()
    return True


def _current_passphrase(path: Path) -> str:
    """The passphrase that opens ``path`` now (asked for here, once, if nothing offers it)."""
    conn = open_connection(path, read_only=True)
    try:
        return str(conn.passphrase)  # type: ignore[attr-defined]
    finally:
        conn.close()


def _convert_with_backups(path: Path, passphrase: str | None, *, remember: bool) -> Conversion:
    from dn_bodymap.store.backup import backup_infos, decompress_in_place
    from dn_bodymap.store.locking import WriterLock

    path = Path(os.path.realpath(path))
    if not path.is_file():
        raise StoreError(f"there is no record database at {path}")
    encrypting = passphrase is not None
    if looks_encrypted(path) == encrypting:
        state = "already encrypted" if encrypting else "not encrypted"
        raise StoreError(f"{path} is {state}; nothing was changed")
    cipher()  # a missing SQLCipher is one sentence before anything is touched
    lock = WriterLock(path)
    lock.acquire()  # refused while the app (or another command) writes the database
    try:
        convert_file(path, passphrase, live=True)
        done = 0
        for info in backup_infos(path):
            if looks_encrypted(info.path) != encrypting:  # a compressed copy is plain: unpacked first
                convert_file(decompress_in_place(info.path), passphrase, live=False)
                done += 1
    finally:
        lock.release()
    if remember and passphrase is not None:
        key_source.store_in_keyring(path, passphrase)
    if not encrypting:
        key_source.delete_from_keyring(path)
    return Conversion(path, done)


def convert_file(path: Path, passphrase: str | None, *, live: bool) -> None:
    """Replace ``path`` by a checked copy encrypted with ``passphrase`` (None: in the clear).

    ``live`` files are in WAL mode: their log is checkpointed first and must be gone before the
    rename."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.new")
    progress("open")
    source = open_connection(path, use_cipher=True)  # keyed by key_source when encrypted
    try:
        expected = _fingerprint(source)
        if live:
            progress("checkpoint")
            source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        progress("create")
        create_private_file(tmp)
        key = key_literal(passphrase, new_salt()) if passphrase is not None else ""
        source.execute("ATTACH DATABASE ? AS converted KEY ?", (str(tmp), key))
        try:
            progress("export")
            source.execute("SELECT sqlcipher_export('converted')")
            progress("exported")
            version, app_id = expected[0], expected[1]
            source.execute(f"PRAGMA converted.user_version = {int(version)}")
            source.execute(f"PRAGMA converted.application_id = {int(app_id)}")
            source.commit()
        finally:
            source.execute("DETACH DATABASE converted")
    except BaseException:
        source.close()
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    source.close()
    try:
        progress("verify")
        _verify(tmp, passphrase, expected)
        progress("fsync")
        _fsync(tmp)
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError(
                f"another program is reading {path} (its -wal is in use); close it and try again. "
                "Nothing was changed"
            )
        progress("replace")
        os.replace(tmp, path)
        progress("replaced")
        _fsync(path.parent)
        progress("done")
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


Fingerprint = tuple[int, int, tuple[str, ...], tuple[tuple[str, str], ...]]


def _fingerprint(conn: sqlite3.Connection) -> Fingerprint:
    """Schema version, application id, schema text and a digest of every table's rows."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    schema = tuple(
        str(row[0])
        for row in conn.execute(
            "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master "
            "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        )
    )
    tables = [
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    digests = []
    for table in tables:
        digest = hashlib.sha256()
        for line in sorted(repr(row) for row in conn.execute(f'SELECT * FROM "{table}"')):
            digest.update(line.encode())
        digests.append((table, digest.hexdigest()))
    return version, app_id, schema, tuple(digests)


def _verify(tmp: Path, passphrase: str | None, expected: Fingerprint) -> None:
    conn = open_connection(tmp, passphrase=passphrase) if passphrase is not None else sqlite3.connect(tmp)
    try:
        problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
        if problems:
            raise StoreError(f"the converted copy failed its check ({problems[0]}); nothing was changed")
        if _fingerprint(conn) != expected:
            raise StoreError("the converted copy differs from the database; nothing was changed")
    finally:
        conn.close()


def _fsync(path: Path) -> None:
    fsync_path(path)
