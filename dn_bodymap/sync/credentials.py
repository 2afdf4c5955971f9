"""The clinic server's password, kept in the system keyring (never in the database or a URL).

One entry per server and role: service ``dn-bodymap clinic server``, user ``role@host:port/dbname``
(``server_url.describe``). The settings keep the URL without password; ``connect`` adds the
password from here when there is one (else libpq's own means apply: ``~/.pgpass``, certificates,
peer authentication).
"""

from __future__ import annotations

import contextlib

import keyring
from keyring.errors import KeyringError

from dn_bodymap.sync.errors import SyncError
from dn_bodymap.sync.server_url import checked_url, describe

SERVICE = "dn-bodymap clinic server"


def account(url: str) -> str:
    return describe(checked_url(url))


def save_password(url: str, password: str) -> None:
    """Keep ``password`` for this server and role; an empty one forgets it."""
    if not password:
        forget_password(url)
        return
    try:
        keyring.set_password(SERVICE, account(url), password)
    except KeyringError as exc:
        raise SyncError(
            f"the password could not be kept in the system keyring ({exc}); "
            "use a password file (PGPASSFILE) instead"
        ) from None


def password_for(url: str) -> str | None:
    """The kept password, or None (no entry, or no usable keyring on this computer)."""
    try:
        return keyring.get_password(SERVICE, account(url))
    except KeyringError:
        return None


def forget_password(url: str) -> None:
    with contextlib.suppress(KeyringError):  # nothing kept, or no keyring: nothing to forget
        keyring.delete_password(SERVICE, account(url))
