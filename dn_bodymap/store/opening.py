"""The steps around opening a database that decide what may be touched.

Only a missing file becomes a new store, and it appears at its name complete (built beside it,
then linked into place), so an empty or short file at the name is never "a new store" but a file
that was damaged or is not ours, refused untouched. Operating-system failures (a read-only or
missing folder, a name too long) become one sentence instead of a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from dn_bodymap.store.errors import StoreError
from dn_bodymap.store.paths import PRIVATE_FILE_MODE, backup_dir, create_private_file, fsync_path

STALE_TEMP_SECONDS = 15 * 60  # older temporary copies were left by a killed process
_TEMP_SUFFIXES = (".tmp", ".restore", ".new")


def checked_path(path: str | os.PathLike[str]) -> Path:
    """Refuse an empty name (``--db ""`` must not silently mean the default database)."""
    if not str(path).strip():
        raise StoreError("the database path is empty; give a file name")
    return Path(path)


def os_error_sentence(exc: OSError, path: Path) -> StoreError:
    """One sentence for a failure of the file system around the database."""
    where = exc.filename or path
    if exc.errno == errno.ENAMETOOLONG:
        return StoreError(f"the database path is too long for this system: {str(path)[:60]}…")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreError(f"dn-bodymap may not write in {where}; choose a folder you can write to")
    if exc.errno == errno.ENOTDIR:
        return StoreError(f"{where} lies below a file, not a folder; choose another place")
    if exc.errno == errno.ENOSPC:
        return StoreError(f"the disk holding {where} is full; free some space and try again")
    return StoreError(f"cannot use {where}: {exc.strerror or exc}")


def create_store_file(path: Path, build: Callable[[sqlite3.Connection, Path], None]) -> bool:
    """Make a complete new store at ``path`` if nothing is there; True if this call made it.

    ``build(connection, path)`` creates the schema in a temporary file beside ``path``; the file is
    then hard-linked into place, which fails if another process got there first (then theirs is
    used). A kill at any moment leaves either no file or a complete one.
    """
    import secrets  # only a new store needs it; `dn-bodymap patients` does not pay for it (hmac, random)

    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.new")
    create_private_file(tmp)
    try:
        conn = sqlite3.connect(tmp)
        try:
            build(conn, tmp)
        finally:
            conn.close()
        _fsync(tmp)
        try:
            if os.name == "posix":
                os.link(tmp, path)
            else:  # pragma: no cover - Windows: rename refuses an existing target
                os.rename(tmp, path)
        except FileExistsError:
            return False
        _fsync(path.parent)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def clean_stale_temp_files(db_path: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Remove temporary copies a killed backup, restore or creation left behind (they hold
    patient records and would outlive an erase); returns what was removed."""
    now = time.time()
    removed: list[Path] = []
    candidates = list(db_path.parent.glob(f".{db_path.name}.*"))
    from dn_bodymap.store import key_source
    from dn_bodymap.store.backup import backup_location  # the chosen folder too (another disk)

    with key_source.never_ask():  # an encrypted file's passphrase is asked once, when it opens
        chosen = backup_location(db_path)
    for folder in {backup_dir(db_path), chosen}:
        if folder.is_dir():
            candidates += folder.glob(f".{db_path.stem}-*")
    for path in candidates:
        if not path.name.endswith(_TEMP_SUFFIXES):
            continue
        try:
            if now - path.stat().st_mtime >= older_than:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


def make_companions_private(db_path: Path) -> None:
    """``-wal``/``-shm`` left 0644 by an older version or another tool become 0600 too."""
    if os.name != "posix":  # pragma: no cover
        return
    for suffix in ("", "-wal", "-shm"):
        companion = db_path.with_name(db_path.name + suffix)
        with contextlib.suppress(OSError):
            if companion.stat().st_mode & 0o077:
                os.chmod(companion, PRIVATE_FILE_MODE)


def may_write(path: Path) -> bool:
    """The file and its folder (for ``-wal``/``-shm``) are writable by this user."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _fsync(path: Path) -> None:
    fsync_path(path)
