"""Whether opening may skip the full page check: the file is exactly as this program left it.

``PRAGMA quick_check`` reads every page: seconds on a clinic's 1 GB file, at every start (issue #14).
After a clean close by the writer (its WAL checkpointed into the file and removed), the file's
identity, size and modification time are written to ``<db>.verified`` beside it. The next open
that finds the same file unchanged (and no WAL) skips the check; any other change — a crash, a
restore, another program writing, a disk tool scribbling over pages — changes the stamp and the
file is checked in full as before. Damage that changes no stamp (bit rot) is still found when
SQLite reads the page and by the check of every backup copy (``backup.verify_copy``).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from dn_bodymap.store.paths import create_private_file

SUFFIX = ".verified"


def marker_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def _stamp(db_path: Path) -> list[int] | None:
    """Device, inode, size and modification time; None while a WAL holds commits not in the file."""
    try:
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return None
        st = db_path.stat()
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def unchanged_since_clean_close(db_path: Path) -> bool:
    stamp = _stamp(db_path)
    if stamp is None:
        return False
    try:
        return json.loads(marker_path(db_path).read_text()) == stamp
    except (OSError, ValueError):
        return False


def forget(db_path: Path) -> None:
    """Before the first write: the stamp no longer describes a checked file."""
    with contextlib.suppress(OSError):
        marker_path(db_path).unlink()


def record_clean_close(db_path: Path) -> None:
    """After the writer closed its connection: remember the file as it is now (best effort)."""
    stamp = _stamp(db_path)
    if stamp is None:
        return
    marker = marker_path(db_path)
    tmp = marker.with_name(f".{marker.name}.{os.getpid()}.tmp")
    try:
        create_private_file(tmp)
        tmp.write_text(json.dumps(stamp))
        os.replace(tmp, marker)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
