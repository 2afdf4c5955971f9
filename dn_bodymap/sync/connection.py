"""Opening a connection to the clinic server: the URL as checked, the password from the keyring."""

from __future__ import annotations

import psycopg

from dn_bodymap.sync.credentials import password_for
from dn_bodymap.sync.errors import ServerUnreachable, SyncError
from dn_bodymap.sync.server_url import describe

CONNECT_TIMEOUT_S = 10


def connect(
    url: str, *, timeout: float = CONNECT_TIMEOUT_S, password: str | None = None
) -> psycopg.Connection:
    """Autocommit: each ``conn.transaction()`` block is then a real transaction, committed on
    leaving it, which the push relies on before it moves the local high-water mark."""
    extra: dict[str, str] = {}
    password = password or password_for(url)
    if password:
        extra["password"] = password
    try:
        return psycopg.connect(
            url,
            autocommit=True,
            connect_timeout=max(1, round(timeout)),
            application_name="dn-bodymap",
            **extra,
        )
    except psycopg.OperationalError as exc:
        reason = " ".join(str(exc).split())
        refused = any(word in reason.lower() for word in _REFUSALS)
        error = SyncError if refused else ServerUnreachable
        raise error(f"cannot reach the clinic server {describe(url)}: {reason}") from None


# libpq's words for a server that answered but said no (as opposed to no answer at all).
_REFUSALS = ("password", "authentication", "permission denied", "does not exist", "no pg_hba.conf", "ssl")


def check_server(url: str, password: str | None = None) -> str:
    """One line on what the server is, for File → Clinic server… → Test (raises ``SyncError``);
    ``password``: one typed but not kept yet (else the keyring's)."""
    from dn_bodymap.sync.server_schema import require_current

    with connect(url, password=password) as conn:
        require_current(conn)
        row = conn.execute(
            "SELECT current_user, (SELECT count(*) FROM dn_workstations), current_setting('server_version')"
        ).fetchone()
    assert row is not None
    role, workstations, version = row
    return (
        f"Connected to {describe(url)} as {role}: PostgreSQL {version}, "
        f"{workstations} workstation{'s' if workstations != 1 else ''} known"
    )
