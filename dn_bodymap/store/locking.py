"""One writer per database file, whatever name it is opened under.

Two exclusive, non-blocking ``flock`` locks are held for as long as a writable store is open:

- ``<real path>.lock`` beside the file the name resolves to (symlinks followed), which other users
  and other machines sharing the folder see too;
- ``<user data folder>/locks/<device>-<inode>.lock``, keyed on the file's identity, so a hard link
  (a second name in another folder for the same file) shares the lock instead of getting its own
  lock and its own ``-wal``; two writers through two names corrupted a file (issue #13).

Separate lock files (not the database itself) because opening and closing the database file with
plain ``open()`` would cancel SQLite's own POSIX locks in this process. ``flock`` locks belong to the
open file, so a second window in the same or another process is refused, and the OS drops them when
the process dies (a crash never leaves a stale lock). The identity lock file is removed on release;
a lock taken on a file that was removed meanwhile is retaken, so removing it is race-free.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

from dn_bodymap.store.errors import DatabaseInUseError
from dn_bodymap.store.paths import APP_NAME, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, lock_path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

IN_USE = (
    "the database is in use by another dn-bodymap window or command; "
    "close that window first (only one may write at a time)"
)


def identity_lock_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "locks"


def file_identity(db_path: Path) -> str | None:
    """``<device>-<inode>`` of the file a name points at (None while there is no file).

    On Windows ``os.stat`` fills both from the volume serial number and the file index, which is
    the same for every hard link and for the resolved final path."""
    try:
        st = os.stat(db_path)
    except FileNotFoundError:
        return None
    return f"{st.st_dev:x}-{st.st_ino:x}"


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def held_by_writer(db_path: Path) -> bool:
    """A look, not a lock: does a writer hold this file (under any of its names) right now?

    The app's start asks before it paints the patient list from a read-only connection (issue #14);
    True when it cannot tell. A shared lock held for an instant never blocks an opening writer's
    wait-free attempt for longer than that instant; the writer's own ``acquire`` still decides."""
    paths = [lock_path(Path(os.path.realpath(db_path)))]
    identity = file_identity(db_path)
    if identity is not None:
        paths.append(identity_lock_dir() / f"{identity}.lock")
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue  # never locked under this name
        except OSError:
            return True
        try:
            if fcntl is None:  # pragma: no cover - Windows: the writer's acquire decides
                return True
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    return False


class WriterLock:
    """Held for as long as a writable store is open (or a restore runs)."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(Path(os.path.realpath(db_path)))
        self._held: list[tuple[int, Path | None]] = []
        self.identity: str | None = None

    def acquire(self) -> None:
        """Refuses with ``DatabaseInUseError`` when another writer holds the file under any name."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
        if not _try_lock(fd):
            os.close(fd)
            raise DatabaseInUseError(IN_USE)
        self._held.append((fd, None))
        try:
            self._acquire_identity()
        except BaseException:
            self.release()
            raise

    def _acquire_identity(self) -> None:
        self.identity = file_identity(self.db_path)
        if self.identity is None:
            return  # no file yet: the beside lock covers its creation; ``rekey`` follows
        folder = identity_lock_dir()
        try:
            if not folder.is_dir():
                old = os.umask(0o077)
                try:
                    folder.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
                finally:
                    os.umask(old)
        except OSError:
            return  # no private folder to lock in (read-only home): the beside lock still holds
        path = folder / f"{self.identity}.lock"
        for _ in range(5):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
            if not _try_lock(fd):
                os.close(fd)
                raise DatabaseInUseError(IN_USE)
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self._held.append((fd, path))
                return
            _unlock(fd)  # the holder removed it as we opened it: take the new one
        raise DatabaseInUseError(IN_USE)

    def rekey(self) -> None:
        """Take the identity lock once the file exists (or after it was replaced)."""
        if self.held and file_identity(self.db_path) != self.identity:
            for fd, path in [h for h in self._held if h[1] is not None]:
                self._held.remove((fd, path))
                self._release_one(fd, path)
            self._acquire_identity()

    @staticmethod
    def _release_one(fd: int, path: Path | None) -> None:
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()
        _unlock(fd)

    def release(self) -> None:
        while self._held:
            fd, path = self._held.pop()
            self._release_one(fd, path)

    @property
    def held(self) -> bool:
        return bool(self._held)
