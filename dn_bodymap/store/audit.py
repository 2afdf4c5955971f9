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
from operator import itemgetter
from typing import Any

from sqlite_utils import Database

from dn_bodymap.charting.enums import AuditAction
from dn_bodymap.charting.records import AuditEntry
from dn_bodymap.store import audit_batch, audit_key, codec

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


# The entry recipe's JSON (``json.dumps(..., ensure_ascii=False)``), with the encoder made once: making
# an encoder per call was a third of ``db check``'s time. The output is the same bytes. (Rows are
# hashed by store/audit_batch.py: ``sort_keys`` never applied to their list of pairs.)
_JSON = json.JSONEncoder(ensure_ascii=False)


def keyed_hash(key: bytes, prev_hash: str, fields: list[Any]) -> str:
    payload = _JSON.encode(fields)
    return hmac.digest(key, (prev_hash + payload).encode("utf-8"), "sha256").hex()  # one-shot HMAC


def row_hash(names: list[str], values: tuple | list, columns: int | None = None) -> str:
    """``<n>:<sha256>`` of the first ``n`` columns as canonical JSON (bytes as hex): the JSON of
    ``[[name, value], ...]`` (built from a template, store/audit_batch.py: the same bytes)."""
    n = len(names) if columns is None else columns
    if len(names[:n]) != len(values[:n]):
        raise ValueError(f"row_hash: {len(names[:n])} names for {len(values[:n])} values")
    return audit_batch.row_hash(names, values, n)


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


# Rows fetched per batch: the hashes of a batch are computed a column at a time (audit_batch.py);
# memory stays a few batches whatever the size of the log.
BATCH = 512


def verify_chain(db: Database) -> list[str]:
    """Problems found walking the chain from the first entry, then records whose content no
    longer matches their latest entry, then removed triggers; empty when all is intact.

    Streams: the entries are read a batch at a time and each record's latest entry is looked up by
    the entity index, so memory does not grow with the log (a clinic's is over a million entries;
    fetching them all took a gigabyte, issue #14)."""
    problems = chain_problems(db)
    if has_content_columns(db):
        problems += content_problems(db, every_row_audited=every_row_audited(db))
        problems += [f"trigger {name} was removed" for name in missing_triggers(db)]
    return problems


def every_row_audited(db: Database) -> bool:
    """Whether the log covers records from its first entry (entry 1 carries a content hash or
    records no table's row), so a record without any entry was added behind the app's back."""
    first = db.execute("SELECT content_hash, entity_kind FROM audit_log WHERE seq = 1").fetchone()
    return first is not None and (first[0] is not None or first[1] not in _KIND_TABLES)


class _ChainWalk:
    """The walk's state, and the entry-by-entry reference walk that words every problem; a
    batch that verifies as a whole (audit_batch.py) only moves the state on."""

    def __init__(self, key: bytes | None) -> None:
        self.key = key
        self.problems: list[str] = []
        self.missing_key = False
        self.prev = GENESIS_HASH
        self.expected_seq = 1

    def batch_verifies(self, rows: list[tuple]) -> bool:
        """True when a batch of keyed entries follows on, in sequence, with every HMAC matching."""
        seqs, prev_hashes, digests, keyed = (list(map(itemgetter(i), rows)) for i in (0, 6, 7, 9))
        n = len(seqs)
        if self.key is None or keyed.count(1) != n or prev_hashes[0] != self.prev:
            return False
        if seqs != list(range(self.expected_seq, self.expected_seq + n)) or prev_hashes[1:] != digests[:-1]:
            return False
        if audit_batch.keyed_hashes_of_rows(self.key, rows) != digests:
            return False
        self.prev, self.expected_seq = digests[-1], seqs[-1] + 1
        return True

    def step(self, row: tuple) -> None:
        seq, at, actor, action, kind, entity_id, prev_hash, digest, stored_content, keyed = row
        if seq != self.expected_seq:
            self.problems.append(f"audit entry {self.expected_seq} is missing (next is {seq})")
        if prev_hash != self.prev:
            self.problems.append(f"audit entry {seq} does not follow the previous entry")
        fields = [seq, at, actor, action, kind, entity_id, stored_content]
        if keyed and self.key is None:
            self.missing_key = True
        elif keyed:
            if not hmac.compare_digest(keyed_hash(self.key, prev_hash, fields), digest):  # type: ignore[arg-type]
                self.problems.append(f"audit entry {seq} was altered (its keyed hash does not match)")
        else:
            recipe = (
                hashlib.sha256((prev_hash + json.dumps(fields, ensure_ascii=False)).encode()).hexdigest()
                if stored_content is not None
                else entry_hash(prev_hash, seq, at, actor, action, kind, entity_id)
            )
            if recipe != digest:
                self.problems.append(f"audit entry {seq} was altered (hash mismatch)")
        self.prev = digest
        self.expected_seq = seq + 1


def chain_problems(db: Database) -> list[str]:
    """The walk of the chain alone: missing, reordered and altered entries, and a missing key."""
    content = has_content_columns(db)
    columns = _CONTENT_COLUMNS if content else _COLUMNS + ", NULL, 0"
    walk = _ChainWalk(audit_key.load_key(create=False))
    cursor = db.execute(f"SELECT {columns} FROM audit_log ORDER BY seq")
    while batch := cursor.fetchmany(BATCH):
        if not walk.batch_verifies(batch):
            for row in batch:
                walk.step(row)
    if walk.missing_key:
        walk.problems.append(
            f"the audit key ({audit_key.key_path()}) is not on this computer, so keyed entries "
            "cannot be verified; copy it from the computer that wrote the records"
        )
    return walk.problems


_LAST = itemgetter(-1)

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
    for kind in _KIND_TABLES:
        problems += table_problems(db, kind, every_row_audited=every_row_audited)
    return problems


def table_problems(
    db: Database, kind: str, *, every_row_audited: bool, rowids: tuple[int, int] | None = None
) -> list[str]:
    """``content_problems`` of one kind's table (of its rows with ``rowids[0] <= rowid <= rowids[1]``).
    A batch whose rows all match their entries (hashed a column at a time) is passed as a whole; the
    rows of any other batch that do not are looked at one by one. Each row and its latest entry are
    read by one statement, so they are one moment's, whatever is written meanwhile."""
    problems: list[str] = []
    where, params = ("WHERE t.rowid BETWEEN ? AND ?", rowids) if rowids is not None else ("", ())
    cursor = db.execute(
        f"SELECT t.*, {_LATEST_CONTENT} FROM {_KIND_TABLES[kind]} t {where} ORDER BY t.rowid", (kind, *params)
    )
    names = [d[0] for d in cursor.description][:-1]
    id_column = names.index("id")
    while batch := cursor.fetchmany(BATCH):
        expected = list(map(_LAST, batch))
        hashes = audit_batch.row_hashes(names, batch, len(names))
        if hashes == expected:
            continue
        for values, computed, wanted in zip(batch, hashes, expected, strict=True):
            if computed != wanted:
                problem = _row_problem(kind, names, values[:-1], wanted, id_column, every_row_audited)
                if problem:
                    problems.append(problem)
    return problems


def _row_problem(
    kind: str, names: list[str], row: tuple, expected: str | None, id_column: int, every_row_audited: bool
) -> str | None:
    """What one record's check finds (the record-by-record rule)."""
    entity_id = row[id_column]
    if expected is None:
        if every_row_audited:
            return f"{kind} {entity_id} has no audit entry (added outside dn-bodymap)"
        return None
    if expected == "":
        return None  # written before content hashes existed
    columns = int(expected.split(":", 1)[0])
    if columns > len(names) or row_hash(names, row, columns) != expected:
        return f"{kind} {entity_id} was changed outside dn-bodymap (content no longer matches)"
    return None


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
