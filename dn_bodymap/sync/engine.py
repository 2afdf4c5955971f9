"""One sync round: push what changed here, then apply what the other workstations pushed.

The order makes every step safe to repeat: the push is committed on the server before the local
high-water mark moves (a repeat stores nothing twice: ``UNIQUE (origin, origin_seq, audit_hash)``),
and pulled rows are applied in one local transaction together with the pull high-water mark.

A round has three phases so that the application can run the network part in a worker thread
while the local database is only touched by its own thread: ``prepare`` (local reads),
``exchange`` (the server only: push, draft leases, fetch) and ``finish`` (local writes).
``sync_once`` runs the three in a row.
"""

from __future__ import annotations

import json
import socket
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import psycopg

from dn_bodymap.store.replica import RowChange
from dn_bodymap.store.repository import SqliteRepository
from dn_bodymap.sync.connection import connect
from dn_bodymap.sync.errors import SyncError
from dn_bodymap.sync.server_schema import PUSH_LOCK_ID, require_current
from dn_bodymap.sync.server_url import describe

if TYPE_CHECKING:
    from dn_bodymap.sync.leases import LeaseKeeper

__all__ = ["SyncReport", "connect", "exchange", "finish", "prepare", "record_versions", "sync_once"]


@dataclass
class SyncReport:
    server: str
    workstation: str
    pushed: int = 0
    pulled: int = 0
    applied: int = 0
    unchanged: int = 0
    kept_local: int = 0
    erased: int = 0
    refused: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    held_elsewhere: list[str] = field(default_factory=list)  # drafts open here, leased to another

    def to_document(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        text = (
            f"Synced with {self.server}: {self.pushed} sent, {self.pulled} received "
            f"({self.applied} applied, {self.unchanged} already here, {self.kept_local} older than ours)"
        )
        if self.erased:
            text += f"; {self.erased} patients erased as on another workstation"
        if self.refused:
            text += f"; {len(self.refused)} refused (their session is signed here)"
        return text


@dataclass
class Outgoing:
    """What ``prepare`` read locally for one round."""

    workstation: str
    name: str
    changes: list[RowChange]
    head: int
    pulled_after: int


@dataclass
class Incoming:
    """What ``exchange`` brought back: the rows to apply, or the failure after a committed push."""

    rows: list[tuple[int, str, RowChange]] = field(default_factory=list)
    pushed: bool = False
    error: str | None = None
    held_elsewhere: list[str] = field(default_factory=list)


def prepare(repo: SqliteRepository, name: str | None = None) -> Outgoing:
    workstation = repo.sync_workstation_id()
    changes, head = repo.changes_to_push()
    return Outgoing(workstation, name or socket.gethostname(), changes, head, repo.sync_state()[2])


def exchange(url: str, outgoing: Outgoing, leases: LeaseKeeper | None = None) -> Incoming:
    """The server part of a round; touches no local database (safe in a worker thread). Raises
    ``SyncError`` before the push commits; a failure after it is returned in ``error``."""
    incoming = Incoming()
    server = describe(url)
    try:
        with connect(url) as conn:
            require_current(conn)
            _push(conn, outgoing)
            incoming.pushed = True
            if leases is not None:
                incoming.held_elsewhere = [lease.session_id for lease in leases.exchange(conn)]
            incoming.rows = _fetch(conn, outgoing.pulled_after)
    except psycopg.Error as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        message = f"the sync with {server} stopped: {reason}; run it again"
        if not incoming.pushed:
            raise SyncError(message) from None
        incoming.error = message
    return incoming


def finish(repo: SqliteRepository, url: str, outgoing: Outgoing, incoming: Incoming) -> SyncReport:
    """Note the acknowledged push, then apply the pulled rows in one local transaction."""
    report = SyncReport(server=describe(url), workstation=outgoing.workstation)
    report.held_elsewhere = incoming.held_elsewhere
    if incoming.pushed:
        report.pushed = len(outgoing.changes)
        if outgoing.head > repo.sync_state()[1]:
            repo.mark_pushed(outgoing.head)  # only after the server's COMMIT
    if incoming.error:
        raise SyncError(incoming.error)
    if incoming.rows:
        changes = [(origin, change) for _, origin, change in incoming.rows]
        # Our own changes come back too and are found unchanged; after restoring an older backup
        # of this database they bring back what it had sent since.
        report.pulled = sum(1 for origin, _ in changes if origin != outgoing.workstation)
        summary = repo.apply_pulled(changes, pulled_to=incoming.rows[-1][0])
        report.applied = summary.applied
        report.unchanged = summary.unchanged
        report.kept_local = summary.kept_local
        report.erased = summary.erased
        report.refused = summary.refused
        report.merged = summary.merged
    return report


def sync_once(
    repo: SqliteRepository, url: str, *, name: str | None = None, leases: LeaseKeeper | None = None
) -> SyncReport:
    """Push, then pull; raises ``SyncError`` when the server fails (what was acknowledged stays)."""
    outgoing = prepare(repo, name)
    return finish(repo, url, outgoing, exchange(url, outgoing, leases))


_COLUMNS = "origin, origin_seq, audit_hash, kind, entity_id, action, actor, at, row_json, patient_id"
_INCOMING = (
    "origin uuid, origin_seq bigint, audit_hash text, kind text, entity_id text, action text,"
    " actor text, at text, row_json text, patient_id text, ord integer"
)
# A change of a patient erased on the server (a tombstone there or in this push) is not stored:
# an offline room's late edit must not bring an erased patient back.
# (One hashed set of erased patients: the tombstones of this push and the server's, whose partial
# index ``dn_changes_erased`` keeps this cheap however long the feed grows.)
_NOT_ERASED = (
    "i.action = 'erase' OR i.patient_id IS NULL OR i.patient_id NOT IN ("
    " SELECT patient_id FROM dn_incoming WHERE action = 'erase' AND patient_id IS NOT NULL"
    " UNION SELECT patient_id FROM dn_changes WHERE action = 'erase' AND patient_id IS NOT NULL)"
)


def _push(conn: psycopg.Connection, outgoing: Outgoing) -> None:
    with conn.transaction():
        conn.execute(
            "INSERT INTO dn_workstations (id, name) VALUES (%s, %s)"
            " ON CONFLICT (id) DO UPDATE SET last_sync = now(), name = excluded.name",
            (outgoing.workstation, outgoing.name),
        )
        if not outgoing.changes:
            return
        # COPY into a scratch table, then one INSERT … SELECT that skips what is already there:
        # ~20 times faster than row-by-row inserts for a first sync of a clinic.
        conn.execute(f"CREATE TEMP TABLE dn_incoming ({_INCOMING}) ON COMMIT DROP")
        with conn.cursor() as cur, cur.copy(f"COPY dn_incoming ({_COLUMNS}, ord) FROM STDIN") as copy:
            for n, change in enumerate(outgoing.changes):
                copy.write_row((*_params(outgoing.workstation, change), n))
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUSH_LOCK_ID,))
        conn.execute(
            f"INSERT INTO dn_changes ({_COLUMNS}) SELECT {_COLUMNS} FROM dn_incoming i"
            f" WHERE {_NOT_ERASED} ORDER BY ord ON CONFLICT (origin, origin_seq, audit_hash) DO NOTHING"
        )
        # Erasing travels as its tombstone; every earlier change of the patient leaves the server.
        conn.execute("SELECT dn_erase_patient(patient_id) FROM dn_incoming WHERE action = 'erase'")


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
        c.patient_id,
    )


def _fetch(conn: psycopg.Connection, after: int) -> list[tuple[int, str, RowChange]]:
    rows = conn.execute(
        "SELECT seq, origin::text, origin_seq, audit_hash, kind, entity_id, action, actor, at, row_json,"
        " patient_id FROM dn_changes WHERE seq > %s ORDER BY seq",
        (after,),
    ).fetchall()
    return [
        (seq, origin, RowChange(kind, entity_id, json.loads(row), action, actor, at, oseq, digest, pid))
        for seq, origin, oseq, digest, kind, entity_id, action, actor, at, row, pid in rows
    ]


def record_versions(url: str, kind: str, entity_id: str) -> list[dict[str, Any]]:
    """Every version of one record the server's feed holds, oldest first, with the workstation
    that sent it: where a version that lost a merge is still found (docs/clinic-server.md)."""
    try:
        with connect(url) as conn:
            rows = conn.execute(
                "SELECT c.seq, w.name, c.actor, c.at, c.action, c.row_json FROM dn_changes c"
                " JOIN dn_workstations w ON w.id = c.origin WHERE c.kind = %s AND c.entity_id = %s"
                " ORDER BY c.seq",
                (kind, entity_id),
            ).fetchall()
    except psycopg.Error as exc:
        raise SyncError(f"the clinic server refused: {' '.join(str(exc).split())}") from None
    return [
        {"seq": seq, "workstation": name, "actor": actor, "at": at, "action": action, "row": json.loads(row)}
        for seq, name, actor, at, action, row in rows
    ]
