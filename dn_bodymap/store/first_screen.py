"""The patient list's first paint from a read-only connection; the writer opens right after.

Opening the writer (sqlite-utils with click and pluggy, the migrations, the identity lock, the
audit chain's end) costs more than painting the whole first screen (issue #14). When the database is
one the writer would open unchanged — an existing plain file at the current schema, exactly as our
last clean close left it, writable, and not held by another dn-bodymap writer — the app paints the
patient list from ``read_only_listing.read_connection`` (the same checks as every read-only
opening) and opens the writer in the first turn of the event loop after that paint. Any other file
opens the writer first, as before.

``FirstScreenStore`` answers the few reads the first screen makes with the repository's own
queries, as rows holding the record fields the screen shows under the records' names and types
(read as stored, like ``codec.from_trusted_row``: the record model and its validation, ~45 ms to
import, load with the writer). tests/scale/test_scale_start_first_screen.py compares every field
with ``SqliteRepository``'s records; anything else — a write, another read — first opens the writer through
``open_writer`` (synchronously, once), so a click handled before the swap still writes through
the writer and nothing is ever written through this connection.

Reopening the last session at start (``session=True``) paints the session screen the same way: its
controller, session model and canvas need the real records, so every read it makes (``SESSION_READS``)
runs ``SqliteRepository``'s own read methods on this connection (``ReadOnlyDatabase``: the one call of
sqlite-utils' ``Database`` they use, ``execute``), without sqlite-utils or the writer's modules (the
repository imports them on first use). tests/scale/test_scale_session_first_paint.py compares every
record with the writer's. Any other call opens the writer first, as above.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dn_bodymap.charting.enums import SessionStatus, Sex
from dn_bodymap.charting.errors import NotFoundError
from dn_bodymap.store import open_check, opening
from dn_bodymap.store.errors import StoreError
from dn_bodymap.store.search import patient_search_sql

SQLITE_HEADER = b"SQLite format 3\x00"


def may_paint_first(path: Path) -> bool:
    """Cheap looks (no SQLite): would the writer open this file without changing or asking anything?

    A missing file (a new store, the demo's first start), an encrypted one (a passphrase to ask),
    one changed since our clean close (the full page check runs once, in the writer), a read-only
    one (the writer explains why) or one another dn-bodymap window holds all take the usual path."""
    try:
        if not path.is_file() or not opening.may_write(path):
            return False
        with open(path, "rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return False
        if not open_check.unchanged_since_clean_close(path):
            return False
        from dn_bodymap.store.locking import held_by_writer

        return not held_by_writer(path)
    except OSError:
        return False


def open_first_screen(
    path: Path, open_writer: Callable[[], Any], *, session: bool = False
) -> FirstScreenStore | None:
    """The read-only store for the first paint, or None when the writer must open first (the
    file is not as ``may_paint_first`` requires, or the read-only checks refuse it: the writer
    then gives the same refusal as before). ``session``: the first screen is the last session's,
    read with the repository's own read methods (the module's doc)."""
    if not may_paint_first(path):
        return None
    from dn_bodymap.store.migrations import LATEST_VERSION
    from dn_bodymap.store.read_only_listing import read_connection

    try:
        conn = read_connection(path)
        if conn.execute("PRAGMA user_version").fetchone()[0] != LATEST_VERSION:
            conn.close()
            return None
    except (StoreError, sqlite3.Error, OSError):
        return None
    records = None
    if session:
        from dn_bodymap.store.repository import SqliteRepository

        # lock=None: read-only, its own writes refuse; the connection is mode=ro and query_only too.
        records = SqliteRepository(ReadOnlyDatabase(conn), path, actor="dn-bodymap", lock=None, backups=False)
    return FirstScreenStore(conn, path, open_writer, records=records)


#: The reads the session screen makes before the writer opens (reopening the last session): served
#: by ``SqliteRepository``'s own methods on the read-only connection; anything else opens the writer.
SESSION_READS = frozenset(
    {
        "get_session",
        "get_patient",
        "get_mark",
        "get_pain_area",
        "get_annotation",
        "list_sessions",
        "list_marks",
        "list_pain_areas",
        "list_annotations",
        "list_acknowledgements",
        "list_adverse_events",
        "list_addenda",
        "load_session",
        "load_patient_chart",
        "search_patients",
        "get_setting",
        "get_clinician",
        "get_clinic_logo",
    }
)


class ReadOnlyDatabase:
    """What ``SqliteRepository``'s read methods use of sqlite-utils' ``Database``: ``execute``, the
    same call on the same connection (``Database.execute`` runs ``conn.execute(sql, parameters)``)."""

    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)


class FirstScreenStore:
    """The first screen's reads on a read-only connection; everything else goes to the writer.

    ``writer`` is None until ``open_writer`` has run (the app calls ``take_writer`` just after the
    first paint; any attribute this class does not serve calls it earlier). With ``records`` (a
    read-only ``SqliteRepository`` on the connection: the session start) the reads in
    ``SESSION_READS`` are its methods until then. Once the writer is open, every call goes to it."""

    read_only_reason: str | None = None

    def __init__(
        self, conn: sqlite3.Connection, path: Path, open_writer: Callable[[], Any], *, records: Any = None
    ) -> None:
        self._conn: sqlite3.Connection | None = conn
        self.path = path
        self._open_writer = open_writer
        self._records = records
        self.writer: Any = None

    # -- the writer ---------------------------------------------------------------------------
    def take_writer(self) -> Any:
        """Open the writer once (``open_writer`` raises on failure) and close the read connection."""
        if self.writer is None:
            self.writer = self._open_writer()
            self.close()
        return self.writer

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self.writer is None and self._records is not None and name in SESSION_READS:
            return getattr(self._records, name)
        return getattr(self.take_writer(), name)

    def close(self) -> None:
        self._records = None  # its reads are over: the next call opens the writer
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _served(self, name: str) -> Any:
        """The writer's method once it is open, the read-only repository's on the session start,
        else None (the list's own query below)."""
        if self.writer is not None:
            return getattr(self.writer, name)
        if self._records is not None:
            return getattr(self._records, name)
        return None

    @property
    def read_only(self) -> bool:
        return self.writer.read_only if self.writer is not None else False

    # -- the first screen's reads (the repository's SQL; rows as stored, see the module's doc) ----
    def _reader(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("the first screen's connection is closed")
        return self._conn

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        if (served := self._served("get_setting")) is not None:
            return served(key, default)
        found = self._reader().execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if found is None else found[0]

    def get_clinician(self) -> Any:
        """A ``StoredClinician``: its name and initials as stored; the rest from the record."""
        if (served := self._served("get_clinician")) is not None:
            return served()
        value = self.get_setting("clinician")
        if not value:
            return None
        try:
            stored = json.loads(value)
        except ValueError:
            return None
        if not isinstance(stored, dict) or not stored.get("name") or not stored.get("initials"):
            from dn_bodymap.charting import records as r

            try:
                return r.Clinician(**stored)  # as the repository reads it (an old or odd value)
            except (ValueError, TypeError):
                return None
        return StoredClinician(stored)

    def search_patients(
        self,
        text: str = "",
        *,
        include_archived: bool = False,
        limit: int | None = None,
        order: str = "name",
        offset: int = 0,
    ) -> list[Any]:
        if (served := self._served("search_patients")) is not None:
            return served(text, include_archived=include_archived, limit=limit, order=order, offset=offset)
        sql, params = patient_search_sql(
            f"{_PATIENT_COLUMNS}, v.session_count, v.last_session_at",
            text,
            include_archived=include_archived,
            order=order,
            limit=limit,
            offset=offset,
        )
        return [
            ListedPatientSummary(_patient(row), row["session_count"], row["last_session_at"])
            for row in _rows(self._reader().execute(sql, params))
        ]

    def get_patient(self, patient_id: str, *, include_deleted: bool = False) -> Any:
        if (served := self._served("get_patient")) is not None:
            return served(patient_id, include_deleted=include_deleted)
        columns = _PATIENT_COLUMNS.replace("p.", "")
        rows = _rows(
            self._reader().execute(f"SELECT {columns}, deleted_at FROM patients WHERE id = ?", (patient_id,))
        )
        if not rows or (rows[0]["deleted_at"] is not None and not include_deleted):
            raise NotFoundError("patient", patient_id)
        return _patient(rows[0])

    def list_sessions(
        self, patient_id: str | None = None, *, limit: int | None = None, offset: int = 0
    ) -> list[Any]:
        if (served := self._served("list_sessions")) is not None:
            return served(patient_id, limit=limit, offset=offset)
        where = "s.deleted_at IS NULL AND p.deleted_at IS NULL"
        params: tuple = ()
        if patient_id is not None:
            where += " AND s.patient_id = ?"
            params = (patient_id,)
        page = ""
        if limit is not None or offset:
            page = " LIMIT ? OFFSET ?"
            params = (*params, -1 if limit is None else int(limit), int(offset))
        cursor = self._reader().execute(
            f"SELECT {_SESSION_COLUMNS}, "
            "(SELECT count(*) FROM marks m WHERE m.session_id = s.id AND m.deleted_at IS NULL)"
            " AS mark_count FROM sessions s JOIN patients p ON p.id = s.patient_id "
            f"WHERE {where} ORDER BY s.started_at DESC, s.id{page}",
            params,
        )
        return [
            ListedSessionSummary(
                ListedSession(
                    id=row["id"],
                    patient_id=row["patient_id"],
                    started_at=row["started_at"],
                    status=SessionStatus(row["status"]),
                    pain_pre=row["pain_pre"],
                    pain_post=row["pain_post"],
                ),
                row["mark_count"],
            )
            for row in _rows(cursor)
        ]


# -- what the first screen shows: record fields under the records' names and types ---------------
@dataclass(frozen=True, slots=True)
class ListedPatient:
    """The fields of ``charting.records.Patient`` the patient list and its details show."""

    id: str
    display_name: str
    record_number: str | None
    date_of_birth: str | None
    sex: Sex | None
    archived: bool


@dataclass(frozen=True, slots=True)
class ListedPatientSummary:
    patient: ListedPatient
    session_count: int
    last_session_at: str | None


@dataclass(frozen=True, slots=True)
class ListedSession:
    """The fields of ``charting.records.Session`` the sessions table and pain chart show."""

    id: str
    patient_id: str
    started_at: str
    status: SessionStatus
    pain_pre: int | None
    pain_post: int | None

    @property
    def is_signed(self) -> bool:
        return self.status is SessionStatus.SIGNED  # as ``Session.is_signed``


@dataclass(frozen=True, slots=True)
class ListedSessionSummary:
    session: ListedSession
    mark_count: int


class StoredClinician:
    """The clinician profile as stored (validated when set): the status bar shows its name and
    initials; anything else (the signature an entry carries) comes from the real record, built on
    first use."""

    __slots__ = ("_record", "_stored")

    def __init__(self, stored: dict[str, Any]) -> None:
        self._stored = stored
        self._record: Any = None

    @property
    def name(self) -> str:
        return str(self._stored["name"])

    @property
    def initials(self) -> str:
        return str(self._stored["initials"])

    def record(self) -> Any:
        if self._record is None:
            from dn_bodymap.charting import records as r

            self._record = r.Clinician(**self._stored)
        return self._record

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.record(), name)


_PATIENT_COLUMNS = "p.id, p.display_name, p.record_number, p.date_of_birth, p.sex, p.archived"
_SESSION_COLUMNS = "s.id, s.patient_id, s.started_at, s.status, s.pain_pre, s.pain_post"


def _patient(row: dict[str, Any]) -> ListedPatient:
    return ListedPatient(
        id=row["id"],
        display_name=row["display_name"],
        record_number=row["record_number"],
        date_of_birth=row["date_of_birth"],
        sex=None if row["sex"] is None else Sex(row["sex"]),
        archived=bool(row["archived"]),  # stored 0/1, like every boolean field (store/codec.py)
    )


def _rows(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor]
