"""Where the clinic server is, and how it may be reached.

The URL comes from ``--url``, else ``DN_BODYMAP_SERVER_URL``, else the database's setting
``clinic.server_url``. A server on another computer must be reached through TLS. A URL holding a
password is refused: use a password file (PGPASSFILE, see PostgreSQL's libpq documentation), peer
or certificate authentication; or keep it in the system keyring (sync/credentials.py).
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlsplit, urlunsplit

from dn_bodymap.sync.errors import SyncError

ENV_VAR = "DN_BODYMAP_SERVER_URL"
SETTING_KEY = "clinic.server_url"


def checked_url(url: str) -> str:
    """``url`` if it is a PostgreSQL connection string without a password."""
    url = url.strip()
    if not url:
        raise SyncError("no clinic server URL given")
    from psycopg.conninfo import conninfo_to_dict  # here: psycopg costs a third of a second to import

    try:
        parts = conninfo_to_dict(url)
    except Exception as exc:  # psycopg raises ProgrammingError with libpq's own sentence
        raise SyncError(f"not a PostgreSQL connection URL: {exc}") from None
    _require_tls_off_this_machine(parts)
    if parts.get("password"):
        raise SyncError(
            "the server URL holds a password; dn-bodymap never keeps one in plain text: put it in a "
            "password file (PGPASSFILE) or use peer or certificate authentication"
        )
    return url


_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
_TLS_MODES = {"require", "verify-ca", "verify-full"}


def _require_tls_off_this_machine(parts: dict[str, object]) -> None:
    """Records cross the clinic's network only encrypted: a server on another computer needs
    ``sslmode=require`` or stronger (in the URL or ``PGSSLMODE``)."""
    hosts = {h.strip() for h in str(parts.get("host") or "").split(",")}
    if all(h in _LOCAL_HOSTS or h.startswith("/") for h in hosts):
        return  # this computer: a unix socket or the loopback address
    mode = str(parts.get("sslmode") or os.environ.get("PGSSLMODE", ""))
    if mode not in _TLS_MODES:
        raise SyncError(
            "the clinic server is on another computer, so the connection must be encrypted: add "
            "?sslmode=verify-full to the URL (see docs/clinic-server.md)"
        )


def resolve_url(given: str | None, setting: str | None) -> str:
    for candidate in (given, os.environ.get(ENV_VAR), setting):
        if candidate:
            return checked_url(candidate)
    raise SyncError(f"no clinic server configured: give --url URL or set {ENV_VAR}")


def describe(url: str) -> str:
    """The URL without anything secret, for messages and JSON."""
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(url)
    host = parts.get("host", "local socket")
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"{parts.get('user', '')}@{host}{port}/{parts.get('dbname', '')}".lstrip("@")


def with_role(url: str, role: str) -> str:
    """``url`` signing in as ``role`` (File → Clinic server… keeps the two in separate fields)."""
    url, role = url.strip(), role.strip()
    if url.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
        return urlunsplit(parts._replace(netloc=f"{quote(role, safe='')}@{host}" if role else host))
    from psycopg.conninfo import make_conninfo

    return make_conninfo(url, user=role or None)


def role_of(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    try:
        return str(conninfo_to_dict(url).get("user") or "")
    except Exception:  # not a URL at all: nothing to show
        return ""
