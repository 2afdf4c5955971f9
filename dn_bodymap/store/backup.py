"""Backups that keep a history and cost what changed.

A copy is made only when the database changed since the newest backup: the change marker is the
schema version and the audit log's last entry (every write appends one, chained and keyed), read
from the live file and from the newest backup, so nothing extra is stored and a restored or
copied folder still compares right. The copy is written with SQLite's online backup API from its
own read connection (so it may run in a background thread while the app writes), checked
(``quick_check``, our application id, and its audit head present unchanged in the live file),
fsynced, then renamed into place: a half written or damaged copy never looks like a backup.
Automatic copies are then thinned by ``backup_policy`` (tiers and a size budget); ``manual``
(``db backup``) and ``before-restore`` copies are kept until someone removes them.

The folder is a per-database setting (``backup.location``), by default ``<stem>-backups`` beside
the database; listings include both so a changed location never hides older copies.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dn_bodymap.store.backup_policy import DEFAULT_POLICY, BackupStamp, RetentionPolicy, kept_backups
from dn_bodymap.store.errors import BackupError
from dn_bodymap.store.paths import backup_dir, create_private_file, ensure_private_dir

LOCATION_SETTING = "backup.location"
AUTOMATIC_REASONS = ("open", "close", "auto", "now")  # thinned by the policy
_STAMP = "%Y%m%dT%H%M%S%fZ"

Marker = tuple[int, int, str]  # (schema version, last audit seq, its hash)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime  # UTC
    reason: str
    size: int

    @property
    def automatic(self) -> bool:
        return self.reason in AUTOMATIC_REASONS


# -- where ------------------------------------------------------------------------------------
def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def configured_location(conn: sqlite3.Connection) -> Path | None:
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (LOCATION_SETTING,)).fetchone()
    except sqlite3.Error:  # an older schema without settings, or an unreadable file
        return None
    return Path(row[0]).expanduser() if row and str(row[0]).strip() else None


def backup_location(db_path: Path, conn: sqlite3.Connection | None = None) -> Path:
    """The folder new backups go to: the database's setting, else ``<stem>-backups`` beside it.
    A damaged or missing file falls back to the default (error messages still point somewhere)."""
    found: Path | None = None
    if conn is not None:
        found = configured_location(conn)
    elif db_path.is_file():
        with contextlib.suppress(sqlite3.Error, OSError):
            probe = _read_only(db_path)
            try:
                found = configured_location(probe)
            finally:
                probe.close()
    return found or backup_dir(db_path)


def _parse(path: Path, stem: str) -> BackupInfo | None:
    rest = path.stem[len(stem) + 1 :]
    stamp, _, reason = rest.partition("-")
    try:
        made_at = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path, made_at, reason, size)


def backup_infos(db_path: Path, location: Path | None = None) -> list[BackupInfo]:
    """Every backup of this database in its location and the default folder, newest first."""
    folders = [location or backup_location(db_path), backup_dir(db_path)]
    seen: set[Path] = set()
    found: list[BackupInfo] = []
    for folder in folders:
        if not folder.is_dir() or folder.resolve() in seen:
            continue
        seen.add(folder.resolve())
        for path in folder.glob(f"{db_path.stem}-*.db"):
            info = _parse(path, db_path.stem) if path.is_file() else None
            if info is not None:
                found.append(info)
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def backups_of(db_path: Path) -> list[Path]:
    """Every backup of this database, newest first."""
    return [b.path for b in backup_infos(db_path)]


def backups_hint(db_path: Path) -> str:
    """One sentence for error messages: where backups are and how to restore the newest."""
    found = backups_of(db_path)
    if not found:
        return f"No backups were found in {backup_location(db_path)}."
    return (
        f"{len(found)} backup(s) in {found[0].parent}; to restore the newest run: "
        f"dn-bodymap --db {db_path} db restore {found[0]}"
    )


def backup_name(db_path: Path, reason: str, folder: Path | None = None) -> Path:
    stamp = datetime.now(UTC).strftime(_STAMP)
    return (folder or backup_location(db_path)) / f"{db_path.stem}-{stamp}-{reason}.db"


# -- what changed -----------------------------------------------------------------------------
def change_marker(conn: sqlite3.Connection) -> Marker | None:
    """Schema version and audit head; None when the file has no audit log to compare."""
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    return (version, int(row[0]), str(row[1])) if row else (version, 0, "")


def file_marker(path: Path) -> Marker | None:
    try:
        conn = _read_only(path)
    except sqlite3.Error:
        return None
    try:
        return change_marker(conn)
    finally:
        conn.close()


def changed_since_last_backup(conn: sqlite3.Connection, db_path: Path, location: Path | None = None) -> bool:
    """Cheap: one indexed read here and one in the newest backup of the location."""
    newest = backup_infos(db_path, location or backup_location(db_path, conn))
    if not newest:
        return True
    current = change_marker(conn)
    return current is None or current != file_marker(newest[0].path)


# -- making one -------------------------------------------------------------------------------
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
        problems = verify_copy(tmp, source)
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


def verify_copy(copy: Path, source: sqlite3.Connection) -> list[str]:
    """``quick_check``, our application id, and the copy's audit head present in the source."""
    from dn_bodymap.store.migrations import APPLICATION_ID

    problems = quick_check(copy)
    if problems:
        return problems
    conn = _read_only(copy)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            return [f"the copy is not a dn-bodymap database (application id {app_id})"]
        head = change_marker(conn)
    finally:
        conn.close()
    if head is not None and head[1]:
        row = source.execute("SELECT hash FROM audit_log WHERE seq = ?", (head[1],)).fetchone()
        if row is None or row[0] != head[2]:
            return [f"the copy's audit entry {head[1]} does not match the database"]
    return []


def make_backup(
    db_path: Path,
    reason: str = "auto",
    *,
    force: bool = False,
    policy: RetentionPolicy = DEFAULT_POLICY,
) -> Path | None:
    """A verified backup if the database changed since the newest one (or ``force``), then the
    automatic copies thinned; None when nothing changed. Opens its own read connection, so it may
    run in a worker thread while the app writes through another."""
    try:
        source = _read_only(db_path)
    except sqlite3.Error as exc:
        raise BackupError(f"could not read {db_path} to back it up: {exc}") from exc
    try:
        location = backup_location(db_path, source)
        if location != backup_dir(db_path) and not location.is_dir():
            # Never create a chosen folder: an unplugged disk's mount point would fill the local one.
            raise BackupError(f"the backup folder {location} is not there (is its disk connected?)")
        if not force and not changed_since_last_backup(source, db_path, location):
            return None
        path = copy_database(source, backup_name(db_path, reason, location))
        pages, page_size = (source.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size"))
    finally:
        source.close()
    thin(db_path, location, policy, db_size=pages * page_size)  # the WAL's pages counted too
    return path


def thin(
    db_path: Path,
    location: Path | None = None,
    policy: RetentionPolicy = DEFAULT_POLICY,
    *,
    db_size: int | None = None,
) -> list[Path]:
    """Remove the automatic copies the policy no longer keeps; returns what was removed."""
    automatic = [b for b in backup_infos(db_path, location) if b.automatic]
    stamps = [BackupStamp(str(b.path), b.made_at.astimezone(), b.size) for b in automatic]
    if db_size is None:
        try:
            db_size = db_path.stat().st_size
        except OSError:
            return []
    keep = kept_backups(stamps, datetime.now(UTC).astimezone(), db_size, policy)
    removed: list[Path] = []
    for info in automatic:
        if str(info.path) not in keep:
            with contextlib.suppress(OSError):
                info.path.unlink()
                removed.append(info.path)
    return removed


# -- checks -----------------------------------------------------------------------------------
def _pragma_problems(path: Path, check: str, *, foreign_keys: bool = True) -> list[str]:
    try:
        conn = _read_only(path)
        try:
            rows = conn.execute(f"PRAGMA {check}").fetchall()
            problems = [str(r[0]) for r in rows if r[0] != "ok"]
            if not foreign_keys:
                return problems
            for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall():
                problems.append(f"{table} row {rowid} refers to a missing {parent} row")
            return problems
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"{path.name} is not a readable SQLite database ({exc})"]


def quick_check(path: Path) -> list[str]:
    """Page-level check only: a copy of a database that enforces its foreign keys needs no
    foreign-key scan (that is ``integrity_problems``, for restores and ``db check``)."""
    return _pragma_problems(path, "quick_check", foreign_keys=False)


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
