"""The local side of clinic-server replication (dn_bodymap/sync): what changed here since the last
push, and applying rows that other workstations wrote.

What changed is read from the audit log, which every write already appends to in its own
transaction: the entries after a high-water mark name each record touched, and the record's row as
it is now is what travels (several edits of one record since the last push travel as one row).
Pulled rows are applied in one transaction together with their audit entries and the new pull
high-water mark, so a sync killed half-way leaves either all of a batch or none of it.

Rules (issue #16): a session signed here never changes; a signed session arriving for a draft here
is inserted as a draft, given its parts, then signed (the signed-session triggers stay in force);
a patient's demographics merge per field, each field keeping its newer edit (a field's clock is
the ``updated_at`` of the row version that changed it, kept per patient in the settings table as
``sync.fields:<id>``); other rows keep the newer ``updated_at`` (ties broken by the row's
canonical JSON, so every workstation picks the same one); rows without ``updated_at``
(acknowledgements, adverse events, addenda) are append-only. Deletes and voids travel as the
row's ``deleted_at`` / ``voided_at``; erasing a patient travels as an id-only tombstone that erases
the patient on every workstation (and, through ``dn_erase_patient``, on the server).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from dn_bodymap.charting.enums import AuditAction
from dn_bodymap.store import audit, codec

# Parents before children, so foreign keys hold while a batch is applied.
KIND_ORDER: tuple[str, ...] = (
    "patient",
    "session",
    "mark",
    "pain_area",
    "annotation",
    "acknowledgement",
    "adverse_event",
    "addendum",
)
KIND_TABLES: dict[str, str] = {codec.KINDS[cls]: table for cls, table in codec.TABLES.items()}
_RANK = {kind: n for n, kind in enumerate(KIND_ORDER)}
# Sync bookkeeping kept in the settings table (not records, so not audited).
WORKSTATION_KEY = "sync.workstation_id"
PUSHED_KEY = "sync.pushed_audit_seq"
PULLED_KEY = "sync.pulled_server_seq"
FIELDS_KEY = "sync.fields:"  # + patient id: {"base": values as last merged, "clock": field → time}
CLOCK = "_field_clock"  # travels in a patient's row: field → time of the edit that set it
# Demographic fields merged one by one; a derived search column follows its field.
MERGED_FIELDS: tuple[str, ...] = (
    "display_name",
    "record_number",
    "date_of_birth",
    "sex",
    "height_cm",
    "weight_kg",
    "notes",
    "archived",
    "deleted_at",
)
DERIVED_FIELDS = {"display_name": "name_key", "record_number": "record_key"}


@dataclass(frozen=True)
class RowChange:
    """One record's row as written, with the audit entry that last touched it."""

    kind: str
    entity_id: str
    row: dict[str, Any]
    action: str
    actor: str
    at: str
    origin_seq: int  # the audit seq on the workstation that wrote it
    audit_hash: str  # that entry's hash: a seq reused after restoring a backup is a new change
    patient_id: str | None = None  # whose record it is (erasing a patient removes all of theirs)

    def row_json(self) -> str:
        return canonical(self.row)


@dataclass
class ApplySummary:
    applied: int = 0
    unchanged: int = 0
    kept_local: int = 0
    refused: list[str] = field(default_factory=list)  # a part under a session signed here
    erased: int = 0  # patients erased here because another workstation erased them
    merged: list[str] = field(default_factory=list)  # patients whose fields came from both sides


def canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


# -- bookkeeping -------------------------------------------------------------------------------
def _setting(db: Database, key: str) -> str | None:
    found = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if found is None else str(found[0])


def _put(db: Database, key: str, value: str, at: str) -> None:
    db.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        (key, value, at),
    )


def sync_state(db: Database) -> tuple[str | None, int, int]:
    """(workstation id or None before the first sync, pushed audit seq, pulled server seq)."""
    return (
        _setting(db, WORKSTATION_KEY),
        int(_setting(db, PUSHED_KEY) or 0),
        int(_setting(db, PULLED_KEY) or 0),
    )


def ensure_workstation(db: Database, at: str) -> str:
    """This database's replication identity, made once; runs inside the caller's transaction."""
    found = _setting(db, WORKSTATION_KEY)
    if found:
        return found
    made = str(uuid.uuid4())
    _put(db, WORKSTATION_KEY, made, at)
    return made


def mark_pushed(db: Database, seq: int, at: str) -> None:
    """After the server committed everything up to audit entry ``seq``; never moves back."""
    current = int(_setting(db, PUSHED_KEY) or 0)
    if seq > current:
        _put(db, PUSHED_KEY, str(seq), at)


# -- what changed here --------------------------------------------------------------------------
def changes_since(db: Database, after_seq: int) -> tuple[list[RowChange], int]:
    """Each record touched by an audit entry after ``after_seq`` (its current row and latest
    entry), parents first; and the audit head those changes cover."""
    latest: dict[tuple[str, str], tuple[int, str, str, str, str]] = {}
    head = after_seq
    for seq, at, actor, action, kind, entity_id, digest in db.execute(
        "SELECT seq, at, actor, action, entity_kind, entity_id, hash FROM audit_log WHERE seq > ?"
        " ORDER BY seq",
        (after_seq,),
    ):
        head = seq
        if kind in KIND_TABLES:
            latest[(kind, entity_id)] = (seq, at, actor, action, digest)
    changes = []
    owners: dict[str, str | None] = {}
    for (kind, entity_id), (seq, at, actor, action, digest) in latest.items():
        if action == AuditAction.ERASE.value:  # the tombstone: the id only, nothing personal
            changes.append(
                RowChange(kind, entity_id, {"id": entity_id}, action, actor, at, seq, digest, entity_id)
            )
            continue
        row = _current_row(db, kind, entity_id)
        if row is None:  # erased since: nothing to send
            continue
        if kind == "patient":
            row = {**row, CLOCK: field_clock(db, row)}
        changes.append(
            RowChange(kind, entity_id, row, action, actor, at, seq, digest, _owner(db, row, owners))
        )
    changes.sort(key=lambda c: (_RANK[c.kind], c.origin_seq))
    return changes, head


def _owner(db: Database, row: dict[str, Any], cache: dict[str, str | None]) -> str | None:
    """The patient a row belongs to (its own id, its ``patient_id``, or its session's)."""
    if "patient_id" in row:
        return str(row["patient_id"])
    if "session_id" not in row:
        return str(row["id"])
    session_id = str(row["session_id"])
    if session_id not in cache:
        found = db.execute("SELECT patient_id FROM sessions WHERE id = ?", (session_id,)).fetchone()
        cache[session_id] = None if found is None else str(found[0])
    return cache[session_id]


# -- per-field clocks of patients' demographics ----------------------------------------------------
def _field_state(db: Database, patient_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    value = _setting(db, FIELDS_KEY + patient_id)
    if not value:
        return {}, {}
    state = json.loads(value)
    return dict(state.get("base", {})), dict(state.get("clock", {}))


def field_clock(db: Database, row: dict[str, Any]) -> dict[str, str]:
    """When each field of this patient row was last set: the clock kept at the last merge for the
    fields unchanged since, the row's ``updated_at`` for the fields edited here since."""
    base, clock = _field_state(db, str(row["id"]))
    _missing = object()
    return {
        name: clock[name]
        if name in clock and base.get(name, _missing) == row.get(name)
        else str(row["updated_at"])
        for name in MERGED_FIELDS
    }


def _merge_patient(
    local: dict[str, Any],
    incoming: dict[str, Any],
    incoming_clock: dict[str, str],
    local_clock: dict[str, str],
) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """Each field from the side that set it later (ties: the larger value, so every workstation
    picks the same); returns the merged row, its clock and the fields taken from ``incoming``."""
    merged = dict(local)
    clock: dict[str, str] = {}
    taken = []
    for name in MERGED_FIELDS:
        theirs = (incoming_clock.get(name, str(incoming["updated_at"])), canonical({"v": incoming.get(name)}))
        ours = (local_clock[name], canonical({"v": local.get(name)}))
        if theirs > ours:
            merged[name] = incoming.get(name)
            if name in DERIVED_FIELDS and DERIVED_FIELDS[name] in incoming:
                merged[DERIVED_FIELDS[name]] = incoming[DERIVED_FIELDS[name]]
            if incoming.get(name) != local.get(name):
                taken.append(name)
        clock[name] = max(theirs, ours)[0]
    merged["updated_at"] = max(str(local["updated_at"]), str(incoming["updated_at"]))
    return merged, clock, taken


def _settle(db: Database, row: dict[str, Any], clock: dict[str, str], at: str) -> None:
    base = {name: row.get(name) for name in MERGED_FIELDS}
    _put(db, FIELDS_KEY + str(row["id"]), canonical({"base": base, "clock": clock}), at)


def _current_row(db: Database, kind: str, entity_id: str) -> dict[str, Any] | None:
    cursor = db.execute(f"SELECT * FROM {KIND_TABLES[kind]} WHERE id = ?", (entity_id,))
    values = cursor.fetchone()
    if values is None:
        return None
    return dict(zip([d[0] for d in cursor.description], values, strict=True))


# -- applying others' rows -----------------------------------------------------------------------
def apply(db: Database, changes: list[tuple[str, RowChange]], *, pulled_to: int, at: str) -> ApplySummary:
    """Apply ``(origin workstation, change)`` pairs in server order; inside the caller's
    transaction, which also records ``pulled_to``."""
    if not db.conn.in_transaction:
        raise RuntimeError("replicated rows are applied inside one transaction")
    summary = ApplySummary()
    _, pushed, _ = sync_state(db)
    head_before = (audit.head(db) or (0, ""))[0]
    ordered = sorted(enumerate(changes), key=lambda item: (_RANK[item[1][1].kind], item[0]))
    signing: dict[str, tuple[str, RowChange]] = {}
    columns: dict[str, list[str]] = {}
    for _, (origin, change) in ordered:
        table = KIND_TABLES[change.kind]
        if table not in columns:
            columns[table] = [row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()]
        local = _current_row(db, change.kind, change.entity_id)
        if change.action == AuditAction.ERASE.value:
            if change.kind == "patient" and local is not None:
                _erase(db, origin, change, at)
                summary.erased += 1
            else:
                summary.unchanged += 1
            continue
        row = {name: change.row[name] for name in columns[table] if name in change.row}
        if _orphan(db, change.kind, row):
            summary.unchanged += 1  # its patient was erased here: it must not come back
            continue
        if change.kind == "patient":
            _apply_patient(db, origin, change, row, local, summary, at)
            continue
        signs = change.kind == "session" and row.get("status") == "signed"
        if change.kind == "session" and local is not None and local["status"] == "signed":
            summary.unchanged += 1  # signed here: never changes
            continue
        if change.kind == "session" and change.entity_id in signing and not signs:
            summary.kept_local += 1  # a draft version of a session this batch signs
            continue
        if local is not None:
            if all(local.get(name) == value for name, value in row.items()):
                summary.unchanged += 1
                continue
            if not signs:  # a signature wins over any draft; otherwise the newer row
                if "updated_at" not in row:  # append-only record: the first version stands
                    summary.kept_local += 1
                    continue
                if (row["updated_at"], canonical(row)) <= (local["updated_at"], canonical(local)):
                    summary.kept_local += 1
                    continue
        if (
            "session_id" in row
            and change.kind not in ("adverse_event", "addendum")
            and _signed_here(db, row["session_id"])
        ):
            summary.refused.append(f"{change.kind} {change.entity_id}: its session is signed here")
            continue
        if signs:
            signing[change.entity_id] = (origin, change)
            row = {**row, "status": "draft", "signed_by": None, "signed_at": None}
        _write_row(db, table, row, exists=local is not None)
        if not signs:
            _audit(db, origin, change)
        summary.applied += 1
    for origin, change in signing.values():  # after their parts, as the triggers require
        db.execute(
            "UPDATE sessions SET status = ?, signed_by = ?, signed_at = ?, updated_at = ? WHERE id = ?",
            (
                change.row["status"],
                change.row["signed_by"],
                change.row["signed_at"],
                change.row["updated_at"],
                change.entity_id,
            ),
        )
        _audit(db, origin, change)
    # Entries written here are others' changes: do not send them back (when nothing of ours was
    # waiting; otherwise they go up again and are found unchanged everywhere).
    if pushed >= head_before:
        mark_pushed(db, (audit.head(db) or (0, ""))[0], at)
    _put(db, PULLED_KEY, str(pulled_to), at)
    return summary


def _orphan(db: Database, kind: str, row: dict[str, Any]) -> bool:
    """A row whose patient was erased here (or whose parent is not here, which only erasing does:
    parents travel before their children)."""
    if kind == "patient":
        found = db.execute(
            "SELECT 1 FROM audit_log WHERE entity_id = ? AND action = 'erase' LIMIT 1", (row["id"],)
        ).fetchone()
        return found is not None
    table, parent = ("patients", "patient_id") if kind == "session" else ("sessions", "session_id")
    return db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row.get(parent),)).fetchone() is None


def _apply_patient(
    db: Database,
    origin: str,
    change: RowChange,
    row: dict[str, Any],
    local: dict[str, Any] | None,
    summary: ApplySummary,
    at: str,
) -> None:
    incoming_clock = dict(change.row.get(CLOCK) or {})
    if local is None:
        clock = {name: incoming_clock.get(name, str(row["updated_at"])) for name in MERGED_FIELDS}
        _write_row(db, "patients", row, exists=False)
        _settle(db, row, clock, at)
        _audit(db, origin, change)
        summary.applied += 1
        return
    merged, clock, taken = _merge_patient(local, row, incoming_clock, field_clock(db, local))
    _settle(db, merged, clock, at)
    if merged == local:
        if all(local.get(name) == value for name, value in row.items()):
            summary.unchanged += 1
        else:
            summary.kept_local += 1
        return
    _write_row(db, "patients", merged, exists=True)
    kept = [n for n in MERGED_FIELDS if n not in taken and row.get(n) != local.get(n)]
    if kept:  # both sides changed something: say which fields came from where
        summary.merged.append(change.entity_id)
    note = f"fields {', '.join(taken)} taken" + (f"; {', '.join(kept)} kept from here" if kept else "")
    _audit(db, origin, change, note)
    summary.applied += 1


def _erase(db: Database, origin: str, change: RowChange, at: str) -> None:
    """As ``erase_patient``: the id-only entry first (the signed-session triggers let only an erased
    patient's rows go), then every row (cascades). ``secure_delete`` overwrites the freed pages."""
    _audit(db, origin, change)
    db.execute("DELETE FROM patients WHERE id = ?", (change.entity_id,))
    db.execute("DELETE FROM settings WHERE key = ?", (FIELDS_KEY + change.entity_id,))


def _signed_here(db: Database, session_id: str) -> bool:
    found = db.execute("SELECT status FROM sessions WHERE id = ?", (session_id,)).fetchone()
    return found is not None and found[0] == "signed"


def _write_row(db: Database, table: str, row: dict[str, Any], *, exists: bool) -> None:
    if exists:
        names = [name for name in row if name != "id"]
        assignments = ", ".join(f"{name} = ?" for name in names)
        db.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*(row[n] for n in names), row["id"]])
    else:
        marks = ", ".join("?" for _ in row)
        db.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})", list(row.values()))


def _audit(db: Database, origin: str, change: RowChange, note: str = "") -> None:
    """The writer's own entry, re-chained here: who and when as on the workstation of origin."""
    audit.append(
        db,
        actor=f"{change.actor} (synced from workstation {origin[:8]}{'; ' + note if note else ''})",
        action=AuditAction(change.action),
        kind=change.kind,
        entity_id=change.entity_id,
        at=change.at,
    )


def record_take_over(db: Database, actor: str, session_id: str, previous: str, at: str) -> None:
    """The audit entry of taking over a draft open on another workstation (inside the caller's
    transaction); the server keeps the same fact in ``dn_lease_events``."""
    audit.append(
        db,
        actor=f"{actor} (took over the draft from {previous})",
        action=AuditAction.UPDATE,
        kind="lease",
        entity_id=session_id,
        at=at,
    )


def forget_patient(db: Database, patient_id: str) -> None:
    """Erasing a patient also removes their demographics kept for the per-field merge."""
    db.execute("DELETE FROM settings WHERE key = ?", (FIELDS_KEY + patient_id,))
