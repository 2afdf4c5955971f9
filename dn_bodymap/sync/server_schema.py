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
it can neither change nor remove what is there, except through ``dn_erase_patient`` (erasing a
patient everywhere) and the draft leases of ``dn_leases``, which are not records.
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
    (
        2,
        """
        -- The patient each change belongs to, so erasing a patient removes all of theirs.
        ALTER TABLE dn_changes ADD COLUMN patient_id text;
        CREATE INDEX dn_changes_by_patient ON dn_changes (patient_id);
        CREATE INDEX dn_changes_erased ON dn_changes (patient_id) WHERE action = 'erase';
        -- Changes sent before this version: their patient, from the row or from its session's row.
        UPDATE dn_changes SET patient_id = CASE kind
            WHEN 'patient' THEN entity_id ELSE row_json::jsonb ->> 'patient_id' END
        WHERE kind IN ('patient', 'session');
        UPDATE dn_changes c SET patient_id = s.patient_id FROM dn_changes s
        WHERE c.patient_id IS NULL AND s.kind = 'session'
          AND s.entity_id = c.row_json::jsonb ->> 'session_id';
        -- One workstation at a time edits a draft session (docs/clinic-server.md, "Leases").
        CREATE TABLE dn_leases (
            session_id text PRIMARY KEY,
            workstation uuid NOT NULL REFERENCES dn_workstations(id),
            workstation_name text NOT NULL,
            clinician text NOT NULL,
            since timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL
        );
        CREATE TABLE dn_lease_events (
            id bigserial PRIMARY KEY,
            session_id text NOT NULL,
            action text NOT NULL CHECK (action IN ('take_over')),
            workstation uuid NOT NULL,
            workstation_name text NOT NULL,
            clinician text NOT NULL,
            previous_workstation uuid,
            previous_name text,
            at timestamptz NOT NULL DEFAULT now()
        );
        -- Clinicians may not delete from the feed; erasing a patient is the one removal, done by
        -- this function with the rights of the schema's owner. It keeps the id-only tombstone.
        CREATE FUNCTION dn_erase_patient(pid text) RETURNS bigint
        LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
            WITH gone AS (
                DELETE FROM public.dn_changes WHERE patient_id = pid AND action <> 'erase' RETURNING 1
            )
            SELECT count(*) FROM gone
        $$;
        REVOKE ALL ON FUNCTION dn_erase_patient(text) FROM PUBLIC;
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
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON dn_leases TO {}").format(who),
        sql.SQL("GRANT SELECT, INSERT ON dn_lease_events TO {}").format(who),
        sql.SQL("GRANT USAGE ON SEQUENCE dn_lease_events_id_seq TO {}").format(who),
        sql.SQL("GRANT EXECUTE ON FUNCTION dn_erase_patient(text) TO {}").format(who),
    ]
    with conn.transaction():
        for statement in statements:
            conn.execute(statement)


def compact_feed(conn: psycopg.Connection) -> int:
    """Remove each change that a later change of the same record *from the same workstation*
    supersedes; returns how many went. A new workstation then replays less, and every
    workstation still converges: a workstation's later row carries what its earlier ones did (the
    row as it is now, and for patients every field's clock). A version another workstation
    wrote stays, so the version that lost a merge is still found (``engine.record_versions``).
    Run by the database's owner (clinicians' roles may not delete)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUSH_LOCK_ID,))
        cursor = conn.execute(
            "DELETE FROM dn_changes c USING dn_changes newer"
            " WHERE newer.origin = c.origin AND newer.kind = c.kind AND newer.entity_id = c.entity_id"
            " AND newer.seq > c.seq AND c.action <> 'erase'"
        )
        return cursor.rowcount
