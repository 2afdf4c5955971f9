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

The app's own copies (``COMPRESSED_REASONS``) of an unencrypted database are kept gzip-compressed
(``<name>.db.gz``, level 1: about 2.7 × smaller on a clinic's records, ~35 MB/s on one busy core,
in the background), so the tiers fit the budget of 2 × the database (issue #14). The copy is
verified before it is compressed; its change marker travels in the gzip header (``FNAME``), so
"changed since the newest backup?" still costs one small read; ``plain_backup`` decompresses one
(checksum checked) for a restore.
An encrypted database's copies are encrypted and not compressed (ciphertext does not shrink).
"""

from __future__ import annotations

import contextlib
import gzip
import os
import secrets
import shutil
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dn_bodymap.store.backup_policy import DEFAULT_POLICY, BackupStamp, RetentionPolicy, kept_backups
from dn_bodymap.store.encryption import connect_like, is_encrypted_connection, open_connection
from dn_bodymap.store.errors import BackupError
from dn_bodymap.store.paths import backup_dir, create_private_file, ensure_private_dir, fsync_path

LOCATION_SETTING = "backup.location"
AUTOMATIC_REASONS = ("open", "close", "auto", "now")  # thinned by the policy
# Made by the app on its own and compressed when the database is in the clear; "now" (File → Back
# up now) stays a plain SQLite file the clinician can open or hand on, like ``db backup``, and so
# does "open" (the state before a migration, written while the clinician waits).
COMPRESSED_REASONS = ("close", "auto")
_STAMP = "%Y%m%dT%H%M%S%fZ"
COMPRESSED = ".gz"  # after ``.db``: an automatic copy of an unencrypted database
_MARKER_PREFIX = "dn-bodymap-marker:"  # the gzip header's file name field carries the marker

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

    @property
    def compressed(self) -> bool:
        return is_compressed(self.path)


def is_compressed(path: Path) -> bool:
    return path.name.endswith(".db" + COMPRESSED)


# -- where ------------------------------------------------------------------------------------
def _read_only(path: Path) -> sqlite3.Connection:
    """Read-only, through the shared key handling (an encrypted database's backups are encrypted)."""
    return open_connection(path, read_only=True)


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
    name = path.name.removesuffix(COMPRESSED).removesuffix(".db")
    rest = name[len(stem) + 1 :]
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
        for path in [*folder.glob(f"{db_path.stem}-*.db"), *folder.glob(f"{db_path.stem}-*.db{COMPRESSED}")]:
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


def backup_name(db_path: Path, reason: str, folder: Path | None = None, *, compressed: bool = False) -> Path:
    stamp = datetime.now(UTC).strftime(_STAMP)
    suffix = ".db" + (COMPRESSED if compressed else "")
    return (folder or backup_location(db_path)) / f"{db_path.stem}-{stamp}-{reason}{suffix}"


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
    if is_compressed(path):
        return compressed_marker(path)
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


# -- compressed copies ------------------------------------------------------------------------
def compressed_marker(path: Path) -> Marker | None:
    """The change marker written into a compressed backup's gzip header; None if absent."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError:
        return None
    if head[:3] != b"\x1f\x8b\x08" or not head[3] & 0x08:  # gzip, deflate, with a file name
        return None
    start = 10
    if head[3] & 0x04:  # FEXTRA comes first
        start += 2 + int.from_bytes(head[10:12], "little")
    end = head.find(b"\0", start)
    text = head[start:end].decode("latin-1") if end > 0 else ""
    if not text.startswith(_MARKER_PREFIX):
        return None
    version, seq, digest = text[len(_MARKER_PREFIX) :].split(":", 2)
    try:
        return (int(version), int(seq), digest)
    except ValueError:
        return None


def _compress(plain: Path, destination: Path, marker: Marker | None) -> Path:
    """``plain`` gzip-compressed (level 1) into a private temporary file beside ``destination``."""
    packed = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.tmp")
    create_private_file(packed)
    name = _MARKER_PREFIX + (":".join(str(part) for part in marker) if marker else "")
    try:
        with (
            plain.open("rb") as src,
            packed.open("wb") as raw,
            gzip.GzipFile(filename=name, mode="wb", fileobj=raw, compresslevel=1, mtime=0) as out,
        ):
            shutil.copyfileobj(src, out, 1 << 20)
    except BaseException:
        packed.unlink(missing_ok=True)
        raise
    return packed


@contextlib.contextmanager
def plain_backup(path: Path) -> Iterator[Path]:
    """The backup as an SQLite file: itself, or a compressed one decompressed into a private
    temporary file beside it (removed afterwards). A damaged compressed file (its CRC or length does
    not match) is a ``BackupError``."""
    if not is_compressed(path):
        yield path
        return
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        create_private_file(tmp)
        with gzip.open(path, "rb") as src, tmp.open("wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        tmp.unlink(missing_ok=True)
        raise BackupError(
            f"{path} is damaged and cannot be decompressed ({exc}); nothing was restored"
        ) from exc
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def decompress_in_place(path: Path) -> Path:
    """Replace a compressed backup by its plain ``.db`` (e.g. before encrypting it); returns the
    new path. A plain backup is returned unchanged."""
    if not is_compressed(path):
        return path
    target = path.with_name(path.name.removesuffix(COMPRESSED))
    with plain_backup(path) as plain:
        _fsync(plain)
        os.replace(plain, target)
    path.unlink(missing_ok=True)
    _fsync_dir(target.parent)
    return target


# -- making one -------------------------------------------------------------------------------
def copy_database(source: sqlite3.Connection, destination: Path) -> Path:
    """Online-backup ``source`` to ``destination`` (0600), verified, atomically renamed; a
    destination named ``….db.gz`` is compressed after the check (``plain_backup`` reads it)."""
    tmp = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.tmp")
    try:
        ensure_private_dir(destination.parent)
        create_private_file(tmp)
    except OSError as exc:
        raise BackupError(f"could not write a backup to {destination}: {exc.strerror or exc}") from exc
    try:
        target = connect_like(source, tmp)  # encrypted with the same passphrase as the source
        try:
            source.backup(target)
            # A backup is one self-contained file: no -wal beside it.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        problems = verify_copy(tmp, source)
        if problems:
            raise BackupError(f"the backup copy failed its check ({problems[0]}); not kept")
        if is_compressed(destination):
            packed = _compress(tmp, destination, file_marker(tmp))
            tmp.unlink()
            tmp = packed
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
        # Automatic copies of a database in the clear are compressed (see the module docstring).
        compressed = reason in COMPRESSED_REASONS and not is_encrypted_connection(source)
        path = copy_database(source, backup_name(db_path, reason, location, compressed=compressed))
        # int(): SQLCipher answers ``PRAGMA page_size`` as text
        pages, page_size = (
            int(source.execute(f"PRAGMA {p}").fetchone()[0]) for p in ("page_count", "page_size")
        )
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
def _pragma_problems(path: Path, check: str, *, foreign_keys: bool = True, mmap_bytes: int = 0) -> list[str]:
    try:
        conn = _read_only(path)
        try:
            if mmap_bytes:  # only a child process maps the file (store/check_child.py says why)
                conn.execute(f"PRAGMA mmap_size = {int(mmap_bytes)}")
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


def integrity_problems(path: Path, *, mmap_bytes: int = 0) -> list[str]:
    """``integrity_check`` + ``foreign_key_check`` of a file; empty when it is sound."""
    return _pragma_problems(path, "integrity_check", mmap_bytes=mmap_bytes)


def _fsync(path: Path) -> None:
    fsync_path(path)


def _fsync_dir(path: Path) -> None:
    fsync_path(path)
