"""Append-only, hash-chained audit log, written in the same transaction as the change it records.

Each entry's hash covers the previous entry's hash, so removing or editing a line breaks the
chain (`verify_chain`). Entries hold ids and actions only, never personal data, so erasing a
patient leaves the chain whole.
"""

from __future__ import annotations

import hashlib
import json

from sqlite_utils import Database

from dn_bodymap.charting.enums import AuditAction
from dn_bodymap.charting.records import AuditEntry

GENESIS_HASH = "0" * 64
_COLUMNS = "seq, at, actor, action, entity_kind, entity_id, prev_hash, hash"


def entry_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, kind: str, entity_id: str) -> str:
    payload = json.dumps([seq, at, actor, action, kind, entity_id], ensure_ascii=False)
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def append(db: Database, *, actor: str, action: AuditAction, kind: str, entity_id: str, at: str) -> None:
    """Add one entry; must run inside the caller's transaction (the chain head is read there)."""
    if not db.conn.in_transaction:
        raise RuntimeError("audit entries are written inside the change's transaction")
    head = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
    digest = entry_hash(prev, seq, at, actor, action.value, kind, entity_id)
    db.execute(
        f"INSERT INTO audit_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action.value, kind, entity_id, prev, digest),
    )


def list_entries(db: Database, entity_id: str | None = None, limit: int | None = None) -> list[AuditEntry]:
    """Newest first."""
    sql = f"SELECT {_COLUMNS} FROM audit_log"
    params: list[object] = []
    if entity_id is not None:
        sql += " WHERE entity_id = ?"
        params.append(entity_id)
    sql += " ORDER BY seq DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return [_entry(row) for row in db.execute(sql, params).fetchall()]


def verify_chain(db: Database) -> list[str]:
    """Problems found walking the chain from the first entry; empty when intact."""
    problems: list[str] = []
    prev = GENESIS_HASH
    expected_seq = 1
    for row in db.execute(f"SELECT {_COLUMNS} FROM audit_log ORDER BY seq").fetchall():
        entry = _entry(row)
        if entry.seq != expected_seq:
            problems.append(f"audit entry {expected_seq} is missing (next is {entry.seq})")
        if entry.prev_hash != prev:
            problems.append(f"audit entry {entry.seq} does not follow the previous entry")
        digest = entry_hash(
            entry.prev_hash,
            entry.seq,
            entry.at,
            entry.actor,
            entry.action.value,
            entry.entity_kind,
            entry.entity_id,
        )
        if digest != entry.hash:
            problems.append(f"audit entry {entry.seq} was altered (hash mismatch)")
        prev = entry.hash
        expected_seq = entry.seq + 1
    return problems


def _entry(row: tuple) -> AuditEntry:
    seq, at, actor, action, kind, entity_id, prev_hash, digest = row
    return AuditEntry(
        seq=seq,
        at=at,
        actor=actor,
        action=AuditAction(action),
        entity_kind=kind,
        entity_id=entity_id,
        prev_hash=prev_hash,
        hash=digest,
    )
