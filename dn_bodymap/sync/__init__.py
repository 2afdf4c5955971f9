"""The clinic server: PostgreSQL (psycopg 3) as the shared hub of several workstations' stores.

Each workstation keeps working on its own SQLite store; ``sync_once`` pushes what changed there and
applies what the others pushed (docs/clinic-server.md). Import psycopg only here and below.
"""

from dn_bodymap.sync.errors import ServerUnreachable, SyncError

__all__ = ["ServerUnreachable", "SyncError"]
