"""Where the database, its lock and its backups live, with owner-only permissions."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "DN_BODYMAP_DB"
APP_NAME = "dn-bodymap"
DB_FILENAME = "records.db"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def default_db_path() -> Path:
    import platformdirs  # only when no --db or DN_BODYMAP_DB names the file

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def resolve_db_path(cli_value: str | os.PathLike[str] | None) -> Path:
    """``--db`` wins, then ``DN_BODYMAP_DB``, then the per-user data folder. An empty ``--db``
    is refused: it must not silently mean the default database."""
    if cli_value is not None:
        if not str(cli_value).strip():
            from dn_bodymap.store.errors import StoreError

            raise StoreError("--db is empty; give the database file's path")
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_db_path()


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def backup_dir(db_path: Path) -> Path:
    """Backups sit beside the database in their own owner-only folder."""
    return db_path.with_name(db_path.stem + "-backups")


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) as 0700. An existing folder we did not create is left as is:
    tightening e.g. /tmp would break other programs."""
    if path.is_dir():
        return
    old = os.umask(0o077)
    try:
        path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    finally:
        os.umask(old)


def create_private_file(path: Path) -> bool:
    """Create an empty 0600 file if missing (an empty file is a valid empty SQLite database);
    SQLite then gives ``-wal``/``-shm`` the same mode. Returns True if it was created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def make_private(path: Path) -> None:
    """Tighten an existing database file to 0600 (POSIX only; a no-op elsewhere)."""
    if os.name == "posix" and path.exists() and (path.stat().st_mode & 0o077):
        os.chmod(path, PRIVATE_FILE_MODE)


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder's entries after a rename (a no-op for folders off POSIX), so a
    copy reported as written survives a power cut."""
    if os.name != "posix" and path.is_dir():  # pragma: no cover
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
