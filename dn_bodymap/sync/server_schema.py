"""The clinic server's own schema, with numbered migrations of its own (``dn-bodymap server init``).

``dn_changes`` is the change feed: one row per record version a workstation pushed, with the audit
entry that wrote it. ``(origin, origin_seq, audit_hash)`` is unique, so pushing the same change
twice (a sync killed after the server committed but before the workstation noted it) stores it
once, while a workstation restored from its own backup, whose new entries reuse old numbers with
other hashes, still has every new change stored. Readers
follow ``seq``; pushers take one advisory lock for their transaction, so sequence numbers become
visible in order and no reader steps past a change still being committed.

Clinicians sign in with roles of their own: ``grant_clinician`` lets a role (made by the clinic's
administrator with ``createuser``) connect to this database only, read the feed and add to it;
it can neither change nor remove what is there.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from dn_bodymap.sync.errors import SyncError

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE dn_workstations (
            id uuid PRIMARY KEY,
            name text NOT NULL,
            first_seen timestamptz NOT NULL DEFAULT now(),
            last_sync timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE dn_changes (
            seq bigserial PRIMARY KEY,
            origin uuid NOT NULL REFERENCES dn_workstations(id),
            origin_seq bigint NOT NULL,
            audit_hash text NOT NULL,
            kind text NOT NULL,
            entity_id text NOT NULL,
            action text NOT NULL,
            actor text NOT NULL,
            at text NOT NULL,
            row_json text NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (origin, origin_seq, audit_hash)
        );
        CREATE INDEX dn_changes_by_entity ON dn_changes (kind, entity_id);
        """,
    ),
)
LATEST_VERSION = MIGRATIONS[-1][0]
_LOCK_ID = 0x444E424D  # advisory lock: two `server init` at once run one after the other
PUSH_LOCK_ID = 0x444E4250  # advisory lock held by each push transaction until its COMMIT


def server_version(conn: psycopg.Connection) -> int:
    """The schema version of the server's database (0 when it was never prepared)."""
    found = conn.execute("SELECT to_regclass('dn_server_schema') IS NOT NULL").fetchone()
    if not found or not found[0]:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM dn_server_schema").fetchone()
    return int(row[0]) if row else 0


def init_server(conn: psycopg.Connection) -> tuple[int, int]:
    """Bring the server's schema to the latest version in one transaction; (old, new) version."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS dn_server_schema ("
            " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        current = server_version(conn)
        if current > LATEST_VERSION:
            raise SyncError(
                f"the clinic server's schema is {current}, newer than this dn-bodymap reads "
                f"({LATEST_VERSION}); update dn-bodymap"
            )
        for version, sql in MIGRATIONS:
            if version > current:
                conn.execute(sql)
                conn.execute("INSERT INTO dn_server_schema (version) VALUES (%s)", (version,))
    return current, LATEST_VERSION


def require_current(conn: psycopg.Connection) -> None:
    version = server_version(conn)
    if version == 0:
        raise SyncError(
            "the clinic server's database is not prepared: run `dn-bodymap server init --url URL`"
        )
    if version != LATEST_VERSION:
        raise SyncError(
            f"the clinic server's schema is {version}, this dn-bodymap uses {LATEST_VERSION}: "
            "update dn-bodymap or run `dn-bodymap server init` with the newer one"
        )


def grant_clinician(conn: psycopg.Connection, role: str) -> None:
    """Let ``role`` sync with this database (and, by revoking PUBLIC's default, no other role
    that was not granted here)."""
    found = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    if not found:
        raise SyncError(f"there is no role {role!r} on the server; create it first (createuser {role})")
    who = sql.Identifier(role)
    dbname = conn.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]
    statements = [
        sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(dbname)),
        # TEMPORARY: a push copies into a scratch table first (sync/engine.py).
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(sql.Identifier(dbname), who),
        sql.SQL("GRANT SELECT ON dn_server_schema TO {}").format(who),
        sql.SQL("GRANT SELECT, INSERT ON dn_changes TO {}").format(who),
        sql.SQL("GRANT USAGE ON SEQUENCE dn_changes_seq_seq TO {}").format(who),
        sql.SQL("GRANT SELECT, INSERT, UPDATE ON dn_workstations TO {}").format(who),
    ]
    with conn.transaction():
        for statement in statements:
            conn.execute(statement)
