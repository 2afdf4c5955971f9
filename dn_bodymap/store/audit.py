"""Append-only, keyed, hash-chained audit log, written in the same transaction as the change it
records.

Each entry covers the previous entry's hash and a canonical hash of the record's row as written,
so removing or editing an entry breaks the chain and editing a record behind the app's back no
longer matches its latest entry (``verify_chain`` names the record). Entries since schema 6 are
HMACs with a key kept outside the database (store/audit_key.py), so the chain cannot be recomputed
by someone holding only the file. Entries hold ids, actions and hashes only, never personal data, so
erasing a patient leaves the chain whole.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from functools import cache
from typing import Any

from sqlite_utils import Database

from dn_bodymap.charting.enums import AuditAction
from dn_bodymap.charting.records import AuditEntry
from dn_bodymap.store import audit_key, codec

GENESIS_HASH = "0" * 64
_COLUMNS = "seq, at, actor, action, entity_kind, entity_id, prev_hash, hash"
_CONTENT_COLUMNS = _COLUMNS + ", content_hash, keyed"
# Which table holds the row an entry's kind names; kinds without a table (exports of a report,
# settings) carry no content hash.
_KIND_TABLES = {codec.KINDS[cls]: table for cls, table in codec.TABLES.items()}


def entry_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, kind: str, entity_id: str) -> str:
    """The unkeyed recipe of entries written before schema 6 (and still checked for them)."""
    payload = json.dumps([seq, at, actor, action, kind, entity_id], ensure_ascii=False)
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


# The recipes' JSON (``json.dumps(..., ensure_ascii=False[, sort_keys=True])``), with the encoders made
# once: ``db check`` hashes over two million payloads, and making an encoder per call was a third of
# its time. The output is the same bytes.
_JSON = json.JSONEncoder(ensure_ascii=False)
_JSON_SORTED = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def keyed_hash(key: bytes, prev_hash: str, fields: list[Any]) -> str:
    payload = _JSON.encode(fields)
    return hmac.digest(key, (prev_hash + payload).encode("utf-8"), "sha256").hex()  # one-shot HMAC


def row_hash(names: list[str], values: tuple | list, columns: int | None = None) -> str:
    """``<n>:<sha256>`` of the first ``n`` columns as canonical JSON (bytes as hex)."""
    n = len(names) if columns is None else columns
    pairs = [
        [name, value.hex() if isinstance(value, bytes) else value]
        for name, value in zip(names[:n], values[:n], strict=True)
    ]
    digest = hashlib.sha256(_JSON_SORTED.encode(pairs).encode("utf-8")).hexdigest()
    return f"{n}:{digest}"


def content_hash(db: Database, kind: str, entity_id: str) -> str | None:
    table = _KIND_TABLES.get(kind)
    if table is None:
        return None
    cursor = db.execute(f"SELECT * FROM {table} WHERE id = ?", (entity_id,))
    row = cursor.fetchone()
    if row is None:
        return None
    return row_hash([d[0] for d in cursor.description], row)


def has_content_columns(db: Database) -> bool:
    names = {row[1] for row in db.execute("PRAGMA table_info(audit_log)").fetchall()}
    return {"content_hash", "keyed"} <= names


def append(db: Database, *, actor: str, action: AuditAction, kind: str, entity_id: str, at: str) -> None:
    """Add one entry after the change it records; must run inside the caller's transaction (the
    chain head and the row's content are read there)."""
    if not db.conn.in_transaction:
        raise RuntimeError("audit entries are written inside the change's transaction")
    head = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
    content = content_hash(db, kind, entity_id)
    key = audit_key.load_key(create=True)
    fields = [seq, at, actor, action.value, kind, entity_id, content]
    if key is not None:
        digest = keyed_hash(key, prev, fields)
    else:  # no private folder for a key: still chained and content-covered, but not keyed
        digest = hashlib.sha256((prev + json.dumps(fields, ensure_ascii=False)).encode("utf-8")).hexdigest()
    db.execute(
        f"INSERT INTO audit_log ({_CONTENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action.value, kind, entity_id, prev, digest, content, int(key is not None)),
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


def head(db: Database) -> tuple[int, str] | None:
    """The chain's last (seq, hash): the record fingerprint a backup or report can carry."""
    row = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else None


def verify_chain(db: Database) -> list[str]:
    """Problems found walking the chain from the first entry, then records whose content no
    longer matches their latest entry, then removed triggers; empty when all is intact.

    Streams: the entries are read one at a time and each record's latest entry is looked up by
    the entity index, so memory does not grow with the log (a clinic's is over a million entries;
    fetching them all took a gigabyte, issue #14)."""
    content = has_content_columns(db)
    columns = _CONTENT_COLUMNS if content else _COLUMNS
    key = audit_key.load_key(create=False)
    problems: list[str] = []
    missing_key = False
    prev = GENESIS_HASH
    expected_seq = 1
    covered_from_start = False
    for row in db.execute(f"SELECT {columns} FROM audit_log ORDER BY seq"):
        seq, at, actor, action, kind, entity_id, prev_hash, digest = row[:8]
        stored_content, keyed = (row[8], row[9]) if content else (None, 0)
        if seq != expected_seq:
            problems.append(f"audit entry {expected_seq} is missing (next is {seq})")
        if prev_hash != prev:
            problems.append(f"audit entry {seq} does not follow the previous entry")
        fields = [seq, at, actor, action, kind, entity_id, stored_content]
        if keyed and key is None:
            missing_key = True
        elif keyed:
            if not hmac.compare_digest(keyed_hash(key, prev_hash, fields), digest):  # type: ignore[arg-type]
                problems.append(f"audit entry {seq} was altered (its keyed hash does not match)")
        else:
            recipe = (
                hashlib.sha256((prev_hash + json.dumps(fields, ensure_ascii=False)).encode()).hexdigest()
                if stored_content is not None
                else entry_hash(prev_hash, seq, at, actor, action, kind, entity_id)
            )
            if recipe != digest:
                problems.append(f"audit entry {seq} was altered (hash mismatch)")
        if seq == 1:
            covered_from_start = stored_content is not None or kind not in _KIND_TABLES
        prev = digest
        expected_seq = seq + 1
    if missing_key:
        problems.append(
            f"the audit key ({audit_key.key_path()}) is not on this computer, so keyed entries "
            "cannot be verified; copy it from the computer that wrote the records"
        )
    if content:
        problems += content_problems(db, every_row_audited=covered_from_start)
        problems += [f"trigger {name} was removed" for name in missing_triggers(db)]
    return problems


# The content hash of a record's latest entry: '' for an entry written before content hashes
# existed, NULL for a record with no entry at all (the entity index finds its few entries).
_LATEST_CONTENT = (
    "(SELECT coalesce(a.content_hash, '') FROM audit_log a "
    "WHERE a.entity_id = t.id AND a.entity_kind = ? ORDER BY a.seq DESC LIMIT 1)"
)


def content_problems(db: Database, *, every_row_audited: bool) -> list[str]:
    """Each record whose row no longer matches the content hash of its latest audit entry, in one
    streamed pass over each table."""
    problems: list[str] = []
    for kind, table in _KIND_TABLES.items():
        cursor = db.execute(f"SELECT t.*, {_LATEST_CONTENT} FROM {table} t ORDER BY t.rowid", (kind,))
        names = [d[0] for d in cursor.description][:-1]
        id_column = names.index("id")
        for values in cursor:
            row, expected = values[:-1], values[-1]
            entity_id = row[id_column]
            if expected is None:
                if every_row_audited:
                    problems.append(f"{kind} {entity_id} has no audit entry (added outside dn-bodymap)")
                continue
            if expected == "":
                continue  # written before content hashes existed
            columns = int(expected.split(":", 1)[0])
            if columns > len(names) or row_hash(names, row, columns) != expected:
                problems.append(
                    f"{kind} {entity_id} was changed outside dn-bodymap (content no longer matches)"
                )
    return problems


@cache
def expected_triggers() -> frozenset[str]:
    """Every trigger a store of the current schema has (built once in memory)."""
    import sqlite3

    from dn_bodymap.store.migrations import migrate

    conn = sqlite3.connect(":memory:")
    try:
        migrate(Database(conn, execute_plugins=False))
        return frozenset(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    finally:
        conn.close()


def missing_triggers(db: Database) -> list[str]:
    """Triggers of the current schema a store at the current version lacks (dropped by hand)."""
    from dn_bodymap.store.migrations import LATEST_VERSION

    if db.execute("PRAGMA user_version").fetchone()[0] != LATEST_VERSION:
        return []
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()}
    return sorted(expected_triggers() - present)


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
