"""``SqliteRepository``: the charting ``Repository`` on one SQLite connection.

One public write method = one user action = one ``db.atomic()`` transaction that includes its audit
entry; the method returns only after COMMIT, so the caller may show "Saved". The Python checks
(signed session, same session, record exists) give plain errors; SQL triggers and foreign keys are
the backstop.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import importlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dn_bodymap.charting import records as r
from dn_bodymap.charting.enums import AuditAction, SessionStatus
from dn_bodymap.charting.errors import ConflictError, NotFoundError, RecordError, SignedSessionError
from dn_bodymap.charting.ids import AnnotationId, MarkId, PainAreaId, PatientId, SessionId
from dn_bodymap.charting.summaries import (
    PatientChart,
    PatientSummary,
    SessionRecord,
    SessionSummary,
)
from dn_bodymap.charting.timestamps import utc_now
from dn_bodymap.charting.validation import ValidationError
from dn_bodymap.charting.validation import text as check_text
from dn_bodymap.store import codec, open_check, opening
from dn_bodymap.store.clock import check_clock_time
from dn_bodymap.store.connection import (
    apply_pragmas,
    connect,
    inspect,
    translate_open_error,
)
from dn_bodymap.store.errors import StoreError, StoreFullError
from dn_bodymap.store.lean_import import import_sqlite_utils
from dn_bodymap.store.locking import WriterLock
from dn_bodymap.store.migrations import LATEST_VERSION, migrate
from dn_bodymap.store.paths import ensure_private_dir, make_private
from dn_bodymap.store.search import patient_search_sql

if TYPE_CHECKING:
    from sqlite_utils import Database

    from dn_bodymap.charting.exchange import PatientBundle
    from dn_bodymap.store import audit, backup, chain_head, exchange_io, replica


class _OnFirstUse:
    """A store module imported when first used (writes, openings, audit, sync, exchange). The read
    methods need none of them, so the session screen's first paint reads through this class on a
    read-only connection (store/first_screen.py) without them or sqlite-utils (~70 ms; audit,
    exchange_io and replica import it): issue #14."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: Any = None

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        if self._module is None:
            import_sqlite_utils()  # before anything imports sqlite-utils: without numpy (lean_import.py)
            self._module = importlib.import_module(f"dn_bodymap.store.{self._name}")
        return getattr(self._module, attr)


def _sqlite_utils_database() -> type[Database]:
    import_sqlite_utils()  # before anything imports sqlite-utils: without numpy (lean_import.py)
    from sqlite_utils import Database

    return Database


if not TYPE_CHECKING:
    audit, backup, chain_head, exchange_io, replica = (
        _OnFirstUse(name) for name in ("audit", "backup", "chain_head", "exchange_io", "replica")
    )

#: The clinic's logo lives in the settings table (base64) and stays small enough to print in a header.
CLINIC_LOGO_SETTING = "clinic_logo"
CLINIC_LOGO_MAX_BYTES = 256 * 1024

_SOFT_DELETABLE = {r.Patient, r.Session, r.Mark, r.PainArea, r.Annotation}


class SqliteRepository:
    """Open with ``open_store`` (writer) or ``open_read_only``; close it (or use ``with``)."""

    def __init__(
        self,
        db: Database,
        path: Path,
        *,
        actor: str,
        lock: WriterLock | None,
        backups: bool,
    ) -> None:
        self.db = db
        self.path = path
        self.actor = actor
        self._lock = lock
        self._backups = backups
        self._wrote = False
        self.read_only_reason: str | None = None
        self.integrity_warning: str | None = None  # the audit chain's end did not check out
        self._clock_checks = True

    # -- lifecycle --------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self._lock is None

    def close(self) -> None:
        """Close the connection, release the lock. Never a copy (issue #14): the GUI backs up what
        changed in the background and once more after its window is gone (``backup_if_changed``)."""
        if self.db is None:  # type: ignore[comparison-overlap]
            return
        closed = False
        try:
            self.db.close()
            closed = True
        finally:
            self.db = None  # type: ignore[assignment]
            if self._lock is not None:
                if closed:  # still ours: no other writer can change the file before the stamp
                    open_check.record_clean_close(self.path)
                self._lock.release()

    def __enter__(self) -> SqliteRepository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def backup_now(self) -> Path:
        """A checked backup copy of the live database (online backup API), thinned with the rest."""
        made = backup.make_backup(self.path, "now", force=True)
        assert made is not None  # forced
        return made

    def backup_if_changed(self) -> Path | None:
        """A checked backup if anything changed since the newest one. Uses its own connection:
        safe to call from a worker thread (the GUI does, after the window shows)."""
        return backup.make_backup(self.path, "auto")

    @contextlib.contextmanager
    def fictitious_history(self) -> Iterator[None]:
        """Lets demo data of fictitious patients be signed and annotated at past times; every
        real signature and addendum takes its time from the clock."""
        self._clock_checks = False
        try:
            yield
        finally:
            self._clock_checks = True

    def set_actor(self, actor: str) -> None:
        self.actor = check_text("actor", actor, required=True)

    # -- transaction plumbing ---------------------------------------------------------------
    @contextlib.contextmanager
    def _write(self) -> Iterator[str]:
        """One atomic transaction; yields the action's timestamp. Maps SQLite failures."""
        if self.read_only:
            raise StoreError(self.read_only_reason or "this database was opened read-only")
        try:
            with self.db.atomic():
                yield utc_now()
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or "full" in str(exc):
                raise StoreFullError(
                    "the disk is full, so the change was not saved; free some space and try again"
                ) from exc
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(
                    "another program (not a dn-bodymap window: an sqlite3 shell, a sync or backup "
                    "tool?) holds a write lock on the database, so the change was not saved; close "
                    "that program and try again"
                ) from exc
            raise StoreError(f"the change was not saved: {exc}") from exc
        except sqlite3.IntegrityError as exc:
            if "signed session is immutable" in str(exc):
                raise RecordError("a signed session cannot be changed; add an addendum") from exc
            raise ConflictError(f"the change was not saved: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise translate_open_error(exc, self.path) from exc
        self._wrote = True

    def _audit(self, at: str, action: AuditAction, kind: str, entity_id: str) -> None:
        audit.append(self.db, actor=self.actor, action=action, kind=kind, entity_id=entity_id, at=at)

    def _insert(self, record: codec.Record, at: str) -> None:
        row = codec.to_row(record)
        row["created_at"] = at
        if type(record) in _SOFT_DELETABLE:
            row["updated_at"] = at
        table = codec.TABLES[type(record)]
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
        self._audit(at, AuditAction.CREATE, codec.KINDS[type(record)], record.id)

    def _update(self, record: codec.Record, at: str) -> None:
        row = codec.to_row(record)
        del row["id"]
        row["updated_at"] = at
        assignments = ", ".join(f"{name} = ?" for name in row)
        table = codec.TABLES[type(record)]
        self.db.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*row.values(), record.id])
        self._audit(at, AuditAction.UPDATE, codec.KINDS[type(record)], record.id)

    def _set_deleted(self, cls: type, record_id: str, at: str, deleted: bool) -> None:
        table = codec.TABLES[cls]
        self.db.execute(
            f"UPDATE {table} SET deleted_at = ?, updated_at = ? WHERE id = ?",
            (at if deleted else None, at, record_id),
        )
        action = AuditAction.DELETE if deleted else AuditAction.RESTORE
        self._audit(at, action, codec.KINDS[cls], record_id)

    # -- reading helpers --------------------------------------------------------------------
    def _row(self, cls: type, record_id: str) -> dict[str, Any] | None:
        table = codec.TABLES[cls]
        extra = ", deleted_at" if cls in _SOFT_DELETABLE else ", NULL AS deleted_at"
        cursor = self.db.execute(
            f"SELECT {codec.select_columns(cls)}{extra} FROM {table} WHERE id = ?", (record_id,)
        )
        found = cursor.fetchone()
        if found is None:
            return None
        return dict(zip([d[0] for d in cursor.description], found, strict=True))

    def _get(self, cls: type, record_id: str, *, include_deleted: bool = False) -> Any:
        row = self._row(cls, record_id)
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            raise NotFoundError(codec.KINDS[cls].replace("_", " "), record_id)
        return codec.from_row(cls, row)

    def _is_deleted(self, cls: type, record_id: str) -> bool:
        row = self._row(cls, record_id)
        if row is None:
            raise NotFoundError(codec.KINDS[cls].replace("_", " "), record_id)
        return row["deleted_at"] is not None

    def _select(self, cls: type, where: str, params: tuple | list, order: str = "") -> list[Any]:
        table = codec.TABLES[cls]
        sql = f"SELECT {codec.select_columns(cls)} FROM {table} WHERE {where}"
        if order:
            sql += f" ORDER BY {order}"
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [codec.from_trusted_row(cls, dict(zip(names, row, strict=True))) for row in cursor]

    def _live_draft_session(self, session_id: str) -> r.Session:
        """The session a charting change goes into: it must exist, be live and unsigned."""
        session = self._get(r.Session, session_id)
        if session.is_signed:
            raise SignedSessionError(session_id)
        return session

    def _check_in_session(self, cls: type, record_id: str, session_id: str, field: str) -> None:
        row = self._row(cls, record_id)
        if row is None or row["deleted_at"] is not None:
            raise ValidationError(field, f"no live {codec.KINDS[cls]} with id {record_id}")
        if row["session_id"] != session_id:
            raise ValidationError(field, f"{codec.KINDS[cls]} {record_id} is in another session")

    # -- patients ---------------------------------------------------------------------------
    def add_patient(self, patient: r.Patient) -> r.Patient:
        with self._write() as at:
            self._insert(patient, at)
        return patient

    def update_patient(self, patient: r.Patient) -> r.Patient:
        with self._write() as at:
            self._get(r.Patient, patient.id)
            self._update(patient, at)
        return patient

    def get_patient(self, patient_id: PatientId, *, include_deleted: bool = False) -> r.Patient:
        return self._get(r.Patient, patient_id, include_deleted=include_deleted)

    def search_patients(
        self,
        text: str = "",
        *,
        include_archived: bool = False,
        limit: int | None = None,
        order: str = "name",
        offset: int = 0,
    ) -> list[PatientSummary]:
        """Every word must appear in the folded name or record number (substring, indexed
        column; a scan of 10,000 rows takes milliseconds, see bench/bench_store.py)."""
        sql, params = patient_search_sql(
            f"{codec.select_columns(r.Patient, 'p')}, v.session_count, v.last_session_at",
            text,
            include_archived=include_archived,
            order=order,
            limit=limit,
            offset=offset,
        )
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        result = []
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            result.append(
                PatientSummary(
                    codec.from_trusted_row(r.Patient, row),
                    row["session_count"],
                    row["last_session_at"],
                )
            )
        return result

    def archive_patient(self, patient_id: PatientId, archived: bool = True) -> r.Patient:
        with self._write() as at:
            patient = dataclasses.replace(self._get(r.Patient, patient_id), archived=archived)
            self._update(patient, at)
        return patient

    def delete_patient(self, patient_id: PatientId) -> None:
        with self._write() as at:
            self._get(r.Patient, patient_id)
            self._set_deleted(r.Patient, patient_id, at, True)

    def restore_patient(self, patient_id: PatientId) -> r.Patient:
        with self._write() as at:
            self._require_deleted(r.Patient, patient_id)
            self._set_deleted(r.Patient, patient_id, at, False)
        return self.get_patient(patient_id)

    def erase_patient(self, patient_id: PatientId) -> None:
        """Delete every row of the patient (cascades), then purge the freed pages and the WAL so
        the text is gone from the file; the audit log keeps one id-only "erase" entry."""
        with self._write() as at:
            if self._row(r.Patient, patient_id) is None:
                raise NotFoundError("patient", patient_id)
            # The entry comes first: the signed-session triggers let only an erased patient go.
            self._audit(at, AuditAction.ERASE, "patient", patient_id)
            self.db.execute("DELETE FROM patients WHERE id = ?", (patient_id,))
            replica.forget_patient(self.db, patient_id)
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.execute("VACUUM")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def load_patient_chart(self, patient_id: PatientId) -> PatientChart:
        patient = self.get_patient(patient_id)
        sessions = self._select(
            r.Session, "patient_id = ? AND deleted_at IS NULL", (patient_id,), "started_at, id"
        )
        in_patient = "session_id IN (SELECT id FROM sessions WHERE patient_id = ? AND deleted_at IS NULL)"
        live = f"{in_patient} AND deleted_at IS NULL"
        grouped = {
            "marks": self._group(self._select(r.Mark, live, (patient_id,), "created_at, id")),
            "areas": self._group(self._select(r.PainArea, live, (patient_id,), "created_at, id")),
            "acks": self._group(
                self._select(r.HazardAcknowledgement, in_patient, (patient_id,), "created_at, id")
            ),
            "events": self._group(self._select(r.AdverseEvent, in_patient, (patient_id,), "occurred_at, id")),
            "addenda": self._group(self._select(r.Addendum, in_patient, (patient_id,), "written_at, id")),
            "annotations": self._group(self._select(r.Annotation, live, (patient_id,), "created_at, id")),
        }
        return PatientChart(patient, tuple(self._session_record(s, grouped) for s in sessions))

    @staticmethod
    def _group(items: list[Any]) -> dict[str, list[Any]]:
        grouped: dict[str, list[Any]] = {}
        for item in items:
            grouped.setdefault(item.session_id, []).append(item)
        return grouped

    @staticmethod
    def _session_record(session: r.Session, grouped: dict[str, dict[str, list[Any]]]) -> SessionRecord:
        def of(kind: str) -> tuple[Any, ...]:
            return tuple(grouped[kind].get(session.id, ()))

        return SessionRecord(
            session,
            of("marks"),
            of("areas"),
            of("acks"),
            of("events"),
            of("addenda"),
            of("annotations"),
        )

    # -- sessions ---------------------------------------------------------------------------
    def create_session(self, session: r.Session) -> r.Session:
        if session.is_signed:
            raise ValidationError("status", "a new session starts as a draft; sign it afterwards")
        with self._write() as at:
            self._get(r.Patient, session.patient_id)
            self._insert(session, at)
        return session

    def update_session(self, session: r.Session) -> r.Session:
        if session.is_signed:
            raise ValidationError("status", "use sign_session to sign a session")
        with self._write() as at:
            old = self._live_draft_session(session.id)
            if old.patient_id != session.patient_id:
                raise ConflictError("a session cannot be moved to another patient")
            self._update(session, at)
        return session

    def get_session(self, session_id: SessionId, *, include_deleted: bool = False) -> r.Session:
        return self._get(r.Session, session_id, include_deleted=include_deleted)

    def list_sessions(
        self, patient_id: PatientId | None = None, *, limit: int | None = None, offset: int = 0
    ) -> list[SessionSummary]:
        """Live sessions (of live patients), newest first, with their live mark counts; ``limit``
        and ``offset`` page through them (a clinic has ~100,000)."""
        where = "s.deleted_at IS NULL AND p.deleted_at IS NULL"
        params: tuple = ()
        if patient_id is not None:
            where += " AND s.patient_id = ?"
            params = (patient_id,)
        page = ""
        if limit is not None or offset:
            page = " LIMIT ? OFFSET ?"
            params = (*params, -1 if limit is None else int(limit), int(offset))
        cursor = self.db.execute(
            f"SELECT {codec.select_columns(r.Session, 's')}, "
            "(SELECT count(*) FROM marks m WHERE m.session_id = s.id AND m.deleted_at IS NULL)"
            " AS mark_count FROM sessions s JOIN patients p ON p.id = s.patient_id "
            f"WHERE {where} ORDER BY s.started_at DESC, s.id{page}",
            params,
        )
        names = [d[0] for d in cursor.description]
        result = []
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            result.append(SessionSummary(codec.from_trusted_row(r.Session, row), row["mark_count"]))
        return result

    def load_session(self, session_id: SessionId) -> SessionRecord:
        session = self.get_session(session_id)
        live = "session_id = ? AND deleted_at IS NULL"
        return SessionRecord(
            session,
            tuple(self._select(r.Mark, live, (session_id,), "created_at, id")),
            tuple(self._select(r.PainArea, live, (session_id,), "created_at, id")),
            tuple(self.list_acknowledgements(session_id)),
            tuple(self.list_adverse_events(session_id)),
            tuple(self.list_addenda(session_id)),
            tuple(self._select(r.Annotation, live, (session_id,), "created_at, id")),
        )

    def sign_session(self, session_id: SessionId, signed_by: str, signed_at: str | None = None) -> r.Session:
        """Signed now: the time comes from the clock; a given ``signed_at`` must be that time."""
        if signed_at is not None and self._clock_checks:
            check_clock_time("signed_at", signed_at)
        with self._write() as at:
            session = self._live_draft_session(session_id)
            signed = dataclasses.replace(
                session,
                status=SessionStatus.SIGNED,
                signed_by=signed_by,
                signed_at=signed_at or at,
            )
            row = codec.to_row(signed)
            self.db.execute(
                "UPDATE sessions SET status = ?, signed_by = ?, signed_at = ?, updated_at = ? WHERE id = ?",
                (row["status"], row["signed_by"], row["signed_at"], at, session_id),
            )
            self._audit(at, AuditAction.SIGN, "session", session_id)
        return signed

    def delete_session(self, session_id: SessionId) -> None:
        with self._write() as at:
            self._live_draft_session(session_id)
            self._set_deleted(r.Session, session_id, at, True)

    def restore_session(self, session_id: SessionId) -> r.Session:
        with self._write() as at:
            self._require_deleted(r.Session, session_id)
            if self._get(r.Session, session_id, include_deleted=True).is_voided:
                raise ConflictError("a voided session stays voided; start a new session instead")
            self._set_deleted(r.Session, session_id, at, False)
        return self.get_session(session_id)

    def void_session(self, session_id: SessionId, reason: str) -> r.Session:
        """Void a draft started by mistake: hidden from lists and charts, kept with its reason,
        and a "void" entry in the audit log (which holds the id, never the reason's text)."""
        reason = check_text("void_reason", reason.strip(), 2000, required=True)
        with self._write() as at:
            session = self._live_draft_session(session_id)
            voided = dataclasses.replace(session, voided_at=at, void_reason=reason)
            self.db.execute(
                "UPDATE sessions SET voided_at = ?, void_reason = ?, deleted_at = ?, updated_at = ?"
                " WHERE id = ?",
                (at, reason, at, at, session_id),
            )
            self._audit(at, AuditAction.VOID, "session", session_id)
        return voided

    def add_addendum(self, addendum: r.Addendum) -> r.Addendum:
        if self._clock_checks:  # an addendum is never back-dated
            check_clock_time("written_at", addendum.written_at)
        with self._write() as at:
            self._get(r.Session, addendum.session_id)
            self._insert(addendum, at)
        return addendum

    def list_addenda(self, session_id: SessionId) -> list[r.Addendum]:
        return self._select(r.Addendum, "session_id = ?", (session_id,), "written_at, id")

    # -- marks ------------------------------------------------------------------------------
    def add_mark(self, mark: r.Mark, acknowledgement: r.HazardAcknowledgement | None = None) -> r.Mark:
        """The mark and the hazard acknowledgement shown while placing it, saved together."""
        if acknowledgement is not None:
            if acknowledgement.mark_id != mark.id:
                raise ValidationError("acknowledgement.mark_id", "must be the id of this mark")
            if acknowledgement.session_id != mark.session_id:
                raise ValidationError("acknowledgement.session_id", "must be the mark's session")
        with self._write() as at:
            self._live_draft_session(mark.session_id)
            self._insert(mark, at)
            if acknowledgement is not None:
                self._insert(acknowledgement, at)
        return mark

    def update_mark(self, mark: r.Mark, acknowledgement: r.HazardAcknowledgement | None = None) -> r.Mark:
        """A moved or edited mark, with the acknowledgement shown if it moved onto a hazard."""
        if acknowledgement is not None and (
            acknowledgement.mark_id != mark.id or acknowledgement.session_id != mark.session_id
        ):
            raise ValidationError("acknowledgement.mark_id", "must belong to this mark")
        return self._update_child(mark, acknowledgement)

    def get_mark(self, mark_id: MarkId, *, include_deleted: bool = False) -> r.Mark:
        return self._get(r.Mark, mark_id, include_deleted=include_deleted)

    def list_marks(self, session_id: SessionId, *, include_deleted: bool = False) -> list[r.Mark]:
        where = "session_id = ?" + ("" if include_deleted else " AND deleted_at IS NULL")
        return self._select(r.Mark, where, (session_id,), "created_at, id")

    def delete_mark(self, mark_id: MarkId) -> None:
        self._soft_delete_child(r.Mark, mark_id)

    def restore_mark(self, mark_id: MarkId) -> r.Mark:
        return self._restore_child(r.Mark, mark_id)

    # -- pain areas -------------------------------------------------------------------------
    def add_pain_area(self, area: r.PainArea) -> r.PainArea:
        with self._write() as at:
            self._live_draft_session(area.session_id)
            if area.mark_id is not None:
                self._check_in_session(r.Mark, area.mark_id, area.session_id, "mark_id")
            self._insert(area, at)
        return area

    def update_pain_area(self, area: r.PainArea) -> r.PainArea:
        return self._update_child(area)

    def get_pain_area(self, area_id: PainAreaId, *, include_deleted: bool = False) -> r.PainArea:
        return self._get(r.PainArea, area_id, include_deleted=include_deleted)

    def list_pain_areas(self, session_id: SessionId, *, include_deleted: bool = False) -> list[r.PainArea]:
        where = "session_id = ?" + ("" if include_deleted else " AND deleted_at IS NULL")
        return self._select(r.PainArea, where, (session_id,), "created_at, id")

    def delete_pain_area(self, area_id: PainAreaId) -> None:
        self._soft_delete_child(r.PainArea, area_id)

    def restore_pain_area(self, area_id: PainAreaId) -> r.PainArea:
        return self._restore_child(r.PainArea, area_id)

    # -- annotations (arrows and notes on the map) -------------------------------------------
    def add_annotation(self, annotation: r.Annotation) -> r.Annotation:
        with self._write() as at:
            self._live_draft_session(annotation.session_id)
            self._check_annotation_links(annotation, None)
            self._insert(annotation, at)
        return annotation

    def update_annotation(self, annotation: r.Annotation) -> r.Annotation:
        """A moved note or an edited text; a link is checked only when it changes, so a note
        whose mark was deleted meanwhile can still be moved."""
        with self._write() as at:
            old = self._get(r.Annotation, annotation.id)
            if old.session_id != annotation.session_id:
                raise ConflictError("an annotation cannot change session")
            self._live_draft_session(annotation.session_id)
            self._check_annotation_links(annotation, old)
            self._update(annotation, at)
        return annotation

    def get_annotation(self, annotation_id: AnnotationId, *, include_deleted: bool = False) -> r.Annotation:
        return self._get(r.Annotation, annotation_id, include_deleted=include_deleted)

    def list_annotations(self, session_id: SessionId, *, include_deleted: bool = False) -> list[r.Annotation]:
        where = "session_id = ?" + ("" if include_deleted else " AND deleted_at IS NULL")
        return self._select(r.Annotation, where, (session_id,), "created_at, id")

    def delete_annotation(self, annotation_id: AnnotationId) -> None:
        self._soft_delete_child(r.Annotation, annotation_id)

    def restore_annotation(self, annotation_id: AnnotationId) -> r.Annotation:
        return self._restore_child(r.Annotation, annotation_id)

    def _check_annotation_links(self, new: r.Annotation, old: r.Annotation | None) -> None:
        if new.mark_id is not None and (old is None or old.mark_id != new.mark_id):
            self._check_in_session(r.Mark, new.mark_id, new.session_id, "mark_id")
        if new.pain_area_id is not None and (old is None or old.pain_area_id != new.pain_area_id):
            self._check_in_session(r.PainArea, new.pain_area_id, new.session_id, "pain_area_id")

    # -- shared child-record edits ----------------------------------------------------------
    def _update_child(self, record: Any, extra: Any = None) -> Any:
        with self._write() as at:
            old = self._get(type(record), record.id)
            if old.session_id != record.session_id:
                raise ConflictError(f"a {codec.KINDS[type(record)]} cannot change session")
            self._live_draft_session(record.session_id)
            if isinstance(record, r.PainArea) and record.mark_id is not None:
                self._check_in_session(r.Mark, record.mark_id, record.session_id, "mark_id")
            self._update(record, at)
            if extra is not None:
                self._insert(extra, at)
        return record

    def _soft_delete_child(self, cls: type, record_id: str) -> None:
        with self._write() as at:
            record = self._get(cls, record_id)
            self._live_draft_session(record.session_id)
            self._set_deleted(cls, record_id, at, True)

    def _restore_child(self, cls: type, record_id: str) -> Any:
        with self._write() as at:
            self._require_deleted(cls, record_id)
            record = self._get(cls, record_id, include_deleted=True)
            self._live_draft_session(record.session_id)
            self._set_deleted(cls, record_id, at, False)
        return record

    def _require_deleted(self, cls: type, record_id: str) -> None:
        if not self._is_deleted(cls, record_id):
            raise ConflictError(f"{codec.KINDS[cls].replace('_', ' ')} {record_id} is not deleted")

    # -- settings that belong to this database ----------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        found = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if found is None else found[0]

    def set_setting(self, key: str, value: str) -> None:
        key = check_text("key", key, 200, required=True)
        value = check_text(key, value, 4000)
        with self._write() as at:
            self.db.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (key, value, at),
            )
            self._audit(at, AuditAction.UPDATE, "setting", key)

    def get_clinic_logo(self) -> bytes | None:
        """The clinic's logo for report headers (PNG or JPEG), kept in the database it belongs to."""
        value = self.get_setting(CLINIC_LOGO_SETTING)
        if not value:
            return None
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return None  # a damaged value prints no logo rather than stopping a report

    def set_clinic_logo(self, data: bytes | None) -> None:
        """Store (or with None, remove) the logo; anything but a small PNG or JPEG is refused."""
        if data is not None:
            if len(data) > CLINIC_LOGO_MAX_BYTES:
                raise ValidationError(
                    "clinic_logo",
                    f"is {len(data) // 1024} KB; use an image of at most {CLINIC_LOGO_MAX_BYTES // 1024} KB",
                )
            if not data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
                raise ValidationError("clinic_logo", "must be a PNG or JPEG image")
        value = base64.b64encode(data).decode("ascii") if data else ""
        with self._write() as at:
            self.db.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (CLINIC_LOGO_SETTING, value, at),
            )
            self._audit(at, AuditAction.UPDATE, "setting", CLINIC_LOGO_SETTING)

    def get_clinician(self) -> r.Clinician | None:
        """The clinician profile of this database, or None before first use."""
        value = self.get_setting("clinician")
        if not value:
            return None
        try:
            return r.Clinician(**json.loads(value))
        except (ValueError, TypeError):
            return None

    def set_clinician(self, clinician: r.Clinician) -> r.Clinician:
        """Make ``clinician`` the author of every entry from now on (and the audit actor)."""
        self.set_setting("clinician", json.dumps(clinician.to_dict(), ensure_ascii=False))
        self.actor = clinician.signature
        return clinician

    # -- acknowledgements, adverse events, audit --------------------------------------------
    def add_acknowledgement(self, acknowledgement: r.HazardAcknowledgement) -> r.HazardAcknowledgement:
        with self._write() as at:
            self._live_draft_session(acknowledgement.session_id)
            self._check_in_session(r.Mark, acknowledgement.mark_id, acknowledgement.session_id, "mark_id")
            self._insert(acknowledgement, at)
        return acknowledgement

    def list_acknowledgements(self, session_id: SessionId) -> list[r.HazardAcknowledgement]:
        return self._select(r.HazardAcknowledgement, "session_id = ?", (session_id,), "created_at, id")

    def add_adverse_event(self, event: r.AdverseEvent) -> r.AdverseEvent:
        """Allowed after signing too: an event reported later belongs with the session."""
        with self._write() as at:
            self._get(r.Session, event.session_id)
            self._insert(event, at)
        return event

    def list_adverse_events(self, session_id: SessionId) -> list[r.AdverseEvent]:
        return self._select(r.AdverseEvent, "session_id = ?", (session_id,), "occurred_at, id")

    def record_export(self, entity_kind: str, entity_id: str) -> None:
        with self._write() as at:
            self._audit(at, AuditAction.EXPORT, entity_kind, entity_id)

    # -- exchange (export-json / import-json) ------------------------------------------------
    def export_patient_bundle(self, patient_id: PatientId) -> PatientBundle:
        """A live patient with every session and part (deleted ones too) and their row times."""
        return exchange_io.read_patient_bundle(self.db, patient_id)

    def import_patient_bundle(self, bundle: PatientBundle) -> exchange_io.ImportSummary:
        """Add the records this database lacks, in one transaction with their audit entries;
        identical ones are skipped, and any conflicting one refuses the whole import."""
        with self._write() as at:
            summary = exchange_io.import_bundle(
                self.db, bundle, lambda action, kind, entity_id: self._audit(at, action, kind, entity_id)
            )
        return summary

    def list_audit(self, entity_id: str | None = None, *, limit: int | None = None) -> list[r.AuditEntry]:
        return audit.list_entries(self.db, entity_id, limit)

    def verify_audit(self) -> list[str]:
        return audit.verify_chain(self.db)

    # -- clinic-server replication (dn_bodymap/sync; the rules are in store/replica.py) ---------
    def sync_state(self) -> tuple[str | None, int, int]:
        """(workstation id, pushed audit seq, pulled server seq)."""
        return replica.sync_state(self.db)

    def sync_workstation_id(self) -> str:
        """This database's identity on the clinic server, made (and saved) on first use."""
        found = replica.sync_state(self.db)[0]
        if found:
            return found
        with self._write() as at:
            return replica.ensure_workstation(self.db, at)

    def changes_to_push(self) -> tuple[list[replica.RowChange], int]:
        """Records changed here since the last push (their rows now), and the audit head covered."""
        return replica.changes_since(self.db, replica.sync_state(self.db)[1])

    def changes_waiting(self) -> int:
        """How many records changed here have not reached the clinic server yet."""
        return len(replica.changes_since(self.db, replica.sync_state(self.db)[1])[0])

    def mark_pushed(self, seq: int) -> None:
        with self._write() as at:
            replica.mark_pushed(self.db, seq, at)

    def apply_pulled(
        self, changes: list[tuple[str, replica.RowChange]], pulled_to: int
    ) -> replica.ApplySummary:
        """Others' rows in one transaction with their audit entries and the pull high-water mark."""
        with self._write() as at:
            return replica.apply(self.db, changes, pulled_to=pulled_to, at=at)

    def record_take_over(self, session_id: SessionId, previous: str) -> None:
        """This workstation took over a draft open on another (``previous`` names it)."""
        with self._write() as at:
            self._get(r.Session, session_id)
            replica.record_take_over(self.db, self.actor, session_id, previous, at)


def open_store(
    path: str | Path,
    *,
    actor: str = "dn-bodymap",
    backups: bool = True,
    check: bool = True,
) -> SqliteRepository:
    """Open (creating only a missing file) the database for writing: exclusive lock on the file's
    identity, checks before any write, pragmas, backup of the previous state, migrations.

    A file this user may not write (or in a folder it may not write) opens read-only, and the
    repository's ``read_only_reason`` says why."""
    path = opening.checked_path(path)
    try:
        ensure_private_dir(path.parent)
        opening.clean_stale_temp_files(path)
        lock = WriterLock(path)
        try:
            lock.acquire()
        except PermissionError:
            if path.is_file():
                return _open_read_only_because(path, actor, f"the folder {path.parent} is read-only")
            raise
    except OSError as exc:
        raise opening.os_error_sentence(exc, path) from exc
    db: Database | None = None
    try:
        created = False
        if not path.exists():
            created = opening.create_store_file(path, _build_new_store)
            lock.rekey()
        if not opening.may_write(path):
            lock.release()
            return _open_read_only_because(path, actor, "the file or its folder is read-only")
        make_private(path)
        opening.make_companions_private(path)
        # The full page check is skipped only for the file exactly as our last clean close left it.
        unchanged = not created and open_check.unchanged_since_clean_close(path)
        db = connect(path)
        version = inspect(db, path, check=check and not created and not unchanged)
        open_check.forget(path)  # writes follow: the stamp is written again at a clean close
        if backups and not created and 0 < version < LATEST_VERSION:  # the state before a migration
            backup.make_backup(path, "open")
        try:
            apply_pragmas(db)
            migrate(db, path)
        except sqlite3.OperationalError as exc:
            if version < LATEST_VERSION or "full" not in str(exc):
                raise
            db.close()
            db = None
            lock.release()
            return _open_read_only_because(path, actor, "the disk is full")
        repo = SqliteRepository(db, path, actor=actor, lock=lock, backups=backups)
        repo.integrity_warning = chain_head.check_at_open(db, path, keep_copy=backups)
        clinician = repo.get_clinician()
        if clinician is not None and actor == "dn-bodymap":  # the database's clinician writes
            repo.actor = clinician.signature
        return repo
    except BaseException as exc:
        if db is not None:
            db.close()
        lock.release()
        if isinstance(exc, sqlite3.DatabaseError):
            raise translate_open_error(exc, path) from exc
        if isinstance(exc, OSError):
            raise opening.os_error_sentence(exc, path) from exc
        raise


def _build_new_store(conn: sqlite3.Connection, path: Path) -> None:
    migrate(_sqlite_utils_database()(conn, execute_plugins=False), path)


def _open_read_only_because(path: Path, actor: str, reason: str) -> SqliteRepository:
    repo = open_read_only(path, actor=actor)
    repo.read_only_reason = f"{path} opened read-only: {reason}; changes cannot be saved"
    return repo


def open_read_only(path: str | Path, *, actor: str = "dn-bodymap", check: bool = True) -> SqliteRepository:
    """For listings and checks that may run while the app has the database open; takes no lock
    of ours and no write lock of SQLite's (the checks are ``read_only_listing.read_connection``'s)."""
    from dn_bodymap.store.read_only_listing import read_connection

    conn = read_connection(path, check=check)
    try:
        db = _sqlite_utils_database()(conn, execute_plugins=False)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise translate_open_error(exc, Path(path)) from exc
    repo = SqliteRepository(db, Path(path), actor=actor, lock=None, backups=False)
    repo.integrity_warning = chain_head.check_at_open(db, repo.path, keep_copy=False) if check else None
    return repo
