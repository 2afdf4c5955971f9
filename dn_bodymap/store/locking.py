"""One writer per database: an exclusive, non-blocking lock on ``<db>.lock``.

A separate lock file (not the database itself) because opening and closing the database file
with plain ``open()`` would cancel SQLite's own POSIX locks in this process. ``flock`` locks
belong to the open file, so a second window in the same or another process is refused, and the
OS drops the lock when the process dies (a crash never leaves a stale lock).
"""

from __future__ import annotations

import os
from pathlib import Path

from dn_bodymap.store.errors import DatabaseInUseError
from dn_bodymap.store.paths import PRIVATE_FILE_MODE, lock_path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


class WriterLock:
    """Held for as long as a writable store is open."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path(db_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:  # pragma: no cover - Windows
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            os.close(fd)
            raise DatabaseInUseError(
                "the database is in use by another dn-bodymap window; "
                "close that window first (only one window may write at a time)"
            ) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None
