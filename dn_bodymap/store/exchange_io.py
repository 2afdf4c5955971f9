"""Reading a patient's rows into an exchange bundle, and writing a bundle back as the same rows.

Both run on the repository's connection; the import runs inside one transaction opened by
``SqliteRepository.import_patient_bundle``. The import first plans (reads only, refusing any
conflict), then writes, so a refused file leaves every row as it was.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from dn_bodymap.charting.enums import AuditAction, SessionStatus
from dn_bodymap.charting.errors import ConflictError, NotFoundError
from dn_bodymap.charting.exchange import SESSION_PARTS, PatientBundle, SessionBundle, Stored
from dn_bodymap.charting.exchange.bundle import metadata_keys
from dn_bodymap.charting.records import Addendum, AdverseEvent, Patient, Session
from dn_bodymap.store import codec

# Parts that may still be added to a signed session (a late adverse event, an addendum).
_AFTER_SIGNING: frozenset[type] = frozenset({AdverseEvent, Addendum})

AuditFn = Callable[[AuditAction, str, str], None]


# -- export ------------------------------------------------------------------------------------
def read_patient_bundle(db: Database, patient_id: str) -> PatientBundle:
    """A live patient with every session and part, deleted ones included, oldest first."""
    patients = _stored_rows(db, Patient, "id = ?", (patient_id,))
    if not patients or patients[0].is_deleted:
        raise NotFoundError("patient", patient_id)
    sessions = _stored_rows(db, Session, "patient_id = ?", (patient_id,), "started_at, id")
    in_patient = "session_id IN (SELECT id FROM sessions WHERE patient_id = ?)"
    parts_by_kind = {
        key: _group(_stored_rows(db, cls, in_patient, (patient_id,), "created_at, id"))
        for key, cls in SESSION_PARTS
    }
    bundles = []
    for stored in sessions:
        parts = {key: tuple(grouped.get(stored.record.id, ())) for key, grouped in parts_by_kind.items()}
        bundles.append(SessionBundle(stored, **parts))
    return PatientBundle(patients[0], tuple(bundles))


def _stored_rows(db: Database, cls: type, where: str, params: tuple, order: str = "") -> list[Stored]:
    meta = metadata_keys(cls)
    sql = f"SELECT {codec.select_columns(cls)}, {', '.join(meta)} FROM {codec.TABLES[cls]} WHERE {where}"
    if order:
        sql += f" ORDER BY {order}"
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    result = []
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        # Validating (not trusted) rows: an export must only ever hold records the app accepts.
        result.append(Stored(codec.from_row(cls, row), **{key: row[key] for key in meta}))
    return result


def _group(items: list[Stored]) -> dict[str, list[Stored]]:
    grouped: dict[str, list[Stored]] = {}
    for item in items:
        grouped.setdefault(item.record.session_id, []).append(item)
    return grouped


# -- import ------------------------------------------------------------------------------------
@dataclass
class ImportSummary:
    """What an import wrote and what it found already present (identical) and skipped."""

    patient_id: str
    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def count(self, table: dict[str, int], kind: str) -> None:
        table[kind] = table.get(kind, 0) + 1

    def to_document(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "created": dict(sorted(self.created.items())),
            "skipped": dict(sorted(self.skipped.items())),
        }


def import_bundle(db: Database, bundle: PatientBundle, audit: AuditFn) -> ImportSummary:
    """Insert every record the database lacks; run inside one transaction (the caller's)."""
    if not db.conn.in_transaction:
        raise RuntimeError("an import runs inside one transaction")
    summary = ImportSummary(bundle.patient.record.id)
    inserts = list(_plan(db, bundle, summary))  # raises on the first conflict, before any write
    to_sign: list[Session] = []
    for stored in inserts:
        record = stored.record
        if isinstance(record, Session) and record.is_signed:
            # Inserted as a draft, then signed after its parts: the signed-session triggers stay
            # in force and refuse parts under a signed session, exactly as for the app.
            record = dataclasses.replace(record, status=SessionStatus.DRAFT, signed_by=None, signed_at=None)
            to_sign.append(stored.record)
        _insert(db, record, stored)
        if record is stored.record:  # a signed session's entry follows its signature (below)
            audit(AuditAction.CREATE, codec.KINDS[type(record)], record.id)
        summary.count(summary.created, codec.KINDS[type(record)])
    for session in to_sign:
        row = codec.to_row(session)
        db.execute(
            "UPDATE sessions SET status = ?, signed_by = ?, signed_at = ? WHERE id = ?",
            (row["status"], row["signed_by"], row["signed_at"], session.id),
        )
        audit(AuditAction.CREATE, "session", session.id)  # its content hash covers the signature
    return summary


def _plan(db: Database, bundle: PatientBundle, summary: ImportSummary) -> Iterator[Stored]:
    if _present(db, bundle.patient, summary) is None:
        yield bundle.patient
    for session_bundle in bundle.sessions:
        session_id = session_bundle.session.record.id
        existing = _present(db, session_bundle.session, summary)
        signed_here = existing is not None and existing.is_signed
        if existing is None:
            yield session_bundle.session
        for _, cls, items in session_bundle.parts():
            for stored in items:
                if _present(db, stored, summary) is not None:
                    continue
                if signed_here and cls not in _AFTER_SIGNING:
                    raise ConflictError(
                        f"session {session_id} is signed in this database and does not hold "
                        f"{codec.KINDS[cls].replace('_', ' ')} {stored.record.id}; nothing was imported"
                    )
                yield stored


def _present(db: Database, stored: Stored, summary: ImportSummary) -> Any:
    """The record already in the database (identical), None if absent; a different one refuses."""
    cls = type(stored.record)
    meta = metadata_keys(cls)
    cursor = db.execute(
        f"SELECT {codec.select_columns(cls)}, {', '.join(meta)} FROM {codec.TABLES[cls]} WHERE id = ?",
        (stored.record.id,),
    )
    values = cursor.fetchone()
    if values is None:
        return None
    row = dict(zip([d[0] for d in cursor.description], values, strict=True))
    kind = codec.KINDS[cls].replace("_", " ")
    try:
        here = codec.from_row(cls, row)
    except ValueError:
        here = codec.from_trusted_row(cls, row)
    differing = [
        f.name for f in dataclasses.fields(cls) if getattr(here, f.name) != getattr(stored.record, f.name)
    ]
    if differing:
        raise ConflictError(
            f"{kind} {stored.record.id} is already in this database with different "
            f"{', '.join(differing[:5])}; nothing was imported"
        )
    if (row.get("deleted_at") is not None) != stored.is_deleted:
        state = "deleted" if row.get("deleted_at") is not None else "not deleted"
        raise ConflictError(f"{kind} {stored.record.id} is {state} in this database; nothing was imported")
    summary.count(summary.skipped, codec.KINDS[cls])
    return here


def _insert(db: Database, record: Any, stored: Stored) -> None:
    row = codec.to_row(record)
    for key in metadata_keys(type(record)):
        row[key] = getattr(stored, key)
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    db.execute(f"INSERT INTO {codec.TABLES[type(record)]} ({columns}) VALUES ({marks})", list(row.values()))
