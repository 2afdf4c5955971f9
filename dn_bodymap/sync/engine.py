"""One sync round: push what changed here, then apply what the other workstations pushed.

The order makes every step safe to repeat: the push is committed on the server before the local
high-water mark moves (a repeat stores nothing twice: ``UNIQUE (origin, origin_seq, audit_hash)``),
and pulled rows are applied in one local transaction together with the pull high-water mark.
"""

from __future__ import annotations

import json
import socket
from dataclasses import asdict, dataclass, field
from typing import Any

import psycopg

from dn_bodymap.store.replica import RowChange
from dn_bodymap.store.repository import SqliteRepository
from dn_bodymap.sync.errors import SyncError
from dn_bodymap.sync.server_schema import PUSH_LOCK_ID, require_current
from dn_bodymap.sync.server_url import describe

CONNECT_TIMEOUT_S = 10


@dataclass
class SyncReport:
    server: str
    workstation: str
    pushed: int = 0
    pulled: int = 0
    applied: int = 0
    unchanged: int = 0
    kept_local: int = 0
    refused: list[str] = field(default_factory=list)

    def to_document(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        text = (
            f"Synced with {self.server}: {self.pushed} sent, {self.pulled} received "
            f"({self.applied} applied, {self.unchanged} already here, {self.kept_local} older than ours)"
        )
        if self.refused:
            text += f"; {len(self.refused)} refused (their session is signed here)"
        return text


def connect(url: str) -> psycopg.Connection:
    try:
        # Autocommit: each ``conn.transaction()`` block is then a real transaction, committed on
        # leaving it, which the push relies on before it moves the local high-water mark.
        return psycopg.connect(
            url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, application_name="dn-bodymap"
        )
    except psycopg.OperationalError as exc:
        reason = " ".join(str(exc).split())
        raise SyncError(f"cannot reach the clinic server {describe(url)}: {reason}") from None


def sync_once(repo: SqliteRepository, url: str, *, name: str | None = None) -> SyncReport:
    """Push, then pull; raises ``SyncError`` when the server fails (what was acknowledged stays)."""
    workstation = repo.sync_workstation_id()
    report = SyncReport(server=describe(url), workstation=workstation)
    try:
        with connect(url) as conn:
            require_current(conn)
            report.pushed = _push(conn, repo, workstation, name or socket.gethostname())
            _pull(conn, repo, workstation, report)
    except psycopg.Error as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise SyncError(f"the sync with {report.server} stopped: {reason}; run it again") from None
    return report


_COLUMNS = "origin, origin_seq, audit_hash, kind, entity_id, action, actor, at, row_json"
_INCOMING = (
    "origin uuid, origin_seq bigint, audit_hash text, kind text, entity_id text, action text,"
    " actor text, at text, row_json text, ord integer"
)


def _push(conn: psycopg.Connection, repo: SqliteRepository, workstation: str, name: str) -> int:
    changes, head = repo.changes_to_push()
    with conn.transaction():
        conn.execute(
            "INSERT INTO dn_workstations (id, name) VALUES (%s, %s)"
            " ON CONFLICT (id) DO UPDATE SET last_sync = now(), name = excluded.name",
            (workstation, name),
        )
        if changes:
            # COPY into a scratch table, then one INSERT … SELECT that skips what is already
            # there: ~20 times faster than row-by-row inserts for a first sync of a clinic.
            conn.execute(f"CREATE TEMP TABLE dn_incoming ({_INCOMING}) ON COMMIT DROP")
            with conn.cursor() as cur, cur.copy(f"COPY dn_incoming ({_COLUMNS}, ord) FROM STDIN") as copy:
                for n, change in enumerate(changes):
                    copy.write_row((*_params(workstation, change), n))
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUSH_LOCK_ID,))
            conn.execute(
                f"INSERT INTO dn_changes ({_COLUMNS}) SELECT {_COLUMNS} FROM dn_incoming ORDER BY ord"
                " ON CONFLICT (origin, origin_seq, audit_hash) DO NOTHING"
            )
    if head > repo.sync_state()[1]:
        repo.mark_pushed(head)  # only after the server's COMMIT
    return len(changes)


def _params(workstation: str, c: RowChange) -> tuple[object, ...]:
    return (
        workstation,
        c.origin_seq,
        c.audit_hash,
        c.kind,
        c.entity_id,
        c.action,
        c.actor,
        c.at,
        c.row_json(),
    )


def _pull(conn: psycopg.Connection, repo: SqliteRepository, workstation: str, report: SyncReport) -> None:
    after = repo.sync_state()[2]
    rows = conn.execute(
        "SELECT seq, origin::text, origin_seq, audit_hash, kind, entity_id, action, actor, at, row_json"
        " FROM dn_changes WHERE seq > %s ORDER BY seq",
        (after,),
    ).fetchall()
    if not rows:
        return
    changes = [
        (origin, RowChange(kind, entity_id, json.loads(row_json), action, actor, at, origin_seq, digest))
        for _, origin, origin_seq, digest, kind, entity_id, action, actor, at, row_json in rows
    ]
    # Our own changes come back too and are found unchanged; after restoring an older backup of
    # this database they bring back what it had sent since.
    report.pulled = sum(1 for origin, _ in changes if origin != workstation)
    summary = repo.apply_pulled(changes, pulled_to=rows[-1][0])
    report.applied = summary.applied
    report.unchanged = summary.unchanged
    report.kept_local = summary.kept_local
    report.refused = summary.refused
