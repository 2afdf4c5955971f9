"""The local side of clinic-server replication (dn_bodymap/sync): what changed here since the last
push, and applying rows that other workstations wrote.

What changed is read from the audit log, which every write already appends to in its own
transaction: the entries after a high-water mark name each record touched, and the record's row as
it is now is what travels (several edits of one record since the last push travel as one row).
Pulled rows are applied in one transaction together with their audit entries and the new pull
high-water mark, so a sync killed half-way leaves either all of a batch or none of it.

Rules (issue #16): a session signed here never changes; a signed session arriving for a draft here
is inserted as a draft, given its parts, then signed (the signed-session triggers stay in force);
other rows keep the newer ``updated_at`` (ties broken by the row's canonical JSON, so every
workstation picks the same one); rows without ``updated_at`` (acknowledgements, adverse events,
addenda) are append-only. Deletes and voids travel as the row's ``deleted_at`` / ``voided_at``
(tombstones). Erasing a patient does not travel (see docs/clinic-server.md).
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

    def row_json(self) -> str:
        return canonical(self.row)


@dataclass
class ApplySummary:
    applied: int = 0
    unchanged: int = 0
    kept_local: int = 0
    refused: list[str] = field(default_factory=list)  # a part under a session signed here


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
        if kind in KIND_TABLES and action != AuditAction.ERASE.value:
            latest[(kind, entity_id)] = (seq, at, actor, action, digest)
    changes = []
    for (kind, entity_id), (seq, at, actor, action, digest) in latest.items():
        row = _current_row(db, kind, entity_id)
        if row is not None:  # erased since: nothing to send
            changes.append(RowChange(kind, entity_id, row, action, actor, at, seq, digest))
    changes.sort(key=lambda c: (_RANK[c.kind], c.origin_seq))
    return changes, head


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
        row = {name: change.row[name] for name in columns[table] if name in change.row}
        local = _current_row(db, change.kind, change.entity_id)
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


def _audit(db: Database, origin: str, change: RowChange) -> None:
    """The writer's own entry, re-chained here: who and when as on the workstation of origin."""
    audit.append(
        db,
        actor=f"{change.actor} (synced from workstation {origin[:8]})",
        action=AuditAction(change.action),
        kind=change.kind,
        entity_id=change.entity_id,
        at=change.at,
    )
