"""Encryption at rest: SQLCipher through ``sqlcipher3``, optional and off by default.

Every file of the store (the database, its backups, a restore's source) is opened through
``open_connection``: a file that starts with SQLite's header is opened with the standard
``sqlite3`` module exactly as before (``sqlcipher3`` is not even imported), anything else is tried
as an SQLCipher file with the passphrases ``key_source`` offers. A wrong or missing passphrase is one
sentence (``EncryptedDatabaseError``), never SQLite's "file is not a database".

The key is SQLCipher 4's own derivation (PBKDF2-HMAC-SHA512, 256,000 rounds, the file's 16-byte
salt), computed here once per passphrase and salt and handed to SQLCipher as a raw key with its
salt: the files open with the same passphrase in any SQLCipher 4 tool, while the backups, checks and
anchors that open a file several times pay the derivation once. A backup of an encrypted database
is encrypted with the same passphrase (``connect_like``); it gets its own salt.

``sqlcipher3`` raises its own exception classes; they are grafted under the standard ``sqlite3``
ones on first import, so every ``except sqlite3.Error`` in the store handles both.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

from dn_bodymap.store import key_source
from dn_bodymap.store.errors import NotADatabaseError, StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
KDF_ROUNDS = 256_000  # SQLCipher 4's default, so other SQLCipher tools open the files too
KEY_BYTES = 32
SALT_BYTES = 16
MIN_PAGE_SIZE = 512
GZIP_MAGIC = b"\x1f\x8b"
CIPHER_CACHE_KIB = 32 * 1024
INSTALL_HINT = "pip install 'dn-bodymap[encryption]'"


class EncryptedDatabaseError(NotADatabaseError, sqlite3.DatabaseError):
    """An encrypted file that no offered passphrase opens (or a file that only looks encrypted).

    Also an ``sqlite3.DatabaseError``, so probes that skip unreadable files skip it too."""


class EncryptionUnavailableError(StoreError):
    """This installation has no SQLCipher (``sqlcipher3`` is missing)."""


_cipher: ModuleType | None = None
_connection_class: type | None = None
_derived: dict[tuple[str, bytes], bytes] = {}


# -- recognising ------------------------------------------------------------------------------
def looks_encrypted(path: Path) -> bool:
    """Not SQLite's header, yet shaped like SQLCipher pages (a random salt, whole pages).

    Random bytes of a page-multiple size look the same; their error says both."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SALT_BYTES)
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return False
    if path.name.endswith(".gz") and head.startswith(GZIP_MAGIC):
        # A compressed automatic backup (store/backup.py) is a copy in the clear. One in 512 of them
        # has a whole number of pages, and was then taken for SQLCipher: ``db encrypt`` left it in
        # the clear beside the encrypted records and ``db rekey`` failed on it.
        return False
    return (
        len(head) == SALT_BYTES
        and head != SQLITE_HEADER
        and any(head)
        and size >= MIN_PAGE_SIZE
        and size % MIN_PAGE_SIZE == 0
    )


def is_encrypted_connection(conn: Any) -> bool:
    """True for a connection opened here on an encrypted file (its copies must be encrypted too)."""
    return getattr(conn, "passphrase", None) is not None


def available() -> bool:
    try:
        cipher()
    except EncryptionUnavailableError:
        return False
    return True


def cipher() -> ModuleType:
    """``sqlcipher3.dbapi2``, its exceptions grafted under ``sqlite3``'s (once)."""
    global _cipher, _connection_class
    if _cipher is not None:
        return _cipher
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:
        raise EncryptionUnavailableError(
            f"this installation cannot open or write encrypted record databases; {INSTALL_HINT}"
        ) from exc
    _graft_exceptions(dbapi2)

    class KeyedConnection(dbapi2.Connection):  # type: ignore[misc,name-defined]
        """Remembers its passphrase, so a backup of it is encrypted with the same one."""

        passphrase: str | None = None

    _connection_class = KeyedConnection
    _cipher = dbapi2
    return dbapi2


def _graft_exceptions(module: ModuleType) -> None:
    """Make ``except sqlite3.X`` catch ``sqlcipher3``'s X. (The root ``Error`` cannot be re-based,
    its layout differs from ``Exception``'s; every class SQLite errors raise is below it.)"""
    for name in ("DatabaseError", "InterfaceError"):
        _add_base(getattr(module, name), getattr(sqlite3, name))
    for name in (
        "OperationalError",
        "IntegrityError",
        "ProgrammingError",
        "NotSupportedError",
        "DataError",
        "InternalError",
    ):
        _add_base(getattr(module, name), getattr(sqlite3, name))


def _add_base(cls: type, base: type) -> None:
    if not issubclass(cls, base):
        cls.__bases__ = (*cls.__bases__, base)


# -- keys -------------------------------------------------------------------------------------
def derive_key(passphrase: str, salt: bytes) -> bytes:
    """SQLCipher 4's key derivation, once per passphrase and salt in this process."""
    found = _derived.get((passphrase, salt))
    if found is None:
        import hashlib  # only for an encrypted file: plain files open without OpenSSL's hashes

        found = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ROUNDS, KEY_BYTES)
        _derived[(passphrase, salt)] = found
    return found


def key_literal(passphrase: str, salt: bytes) -> str:
    """The value of ``PRAGMA key``/``ATTACH … KEY`` for a raw key with an explicit salt."""
    return f"x'{derive_key(passphrase, salt).hex()}{salt.hex()}'"


def file_salt(path: Path) -> bytes | None:
    """The salt an existing encrypted file starts with; None for an empty or missing file."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SALT_BYTES)
    except OSError:
        return None
    return head if len(head) == SALT_BYTES else None


def new_salt() -> bytes:
    import secrets  # only when encrypting: a plain open does not import it (hmac, random)

    return secrets.token_bytes(SALT_BYTES)


# -- opening ----------------------------------------------------------------------------------
def open_connection(
    path: Path,
    *,
    read_only: bool = False,
    timeout: float = 5.0,
    passphrase: str | None = None,
    use_cipher: bool = False,
) -> sqlite3.Connection:
    """A connection on a store file, with the key handling every opener shares.

    ``passphrase`` forces that one (a new encrypted file gets a fresh salt); ``use_cipher`` opens a
    plain file through SQLCipher (to export it encrypted). Otherwise a plain file opens with
    ``sqlite3`` and an encrypted one with the first passphrase ``key_source`` offers that works."""
    encrypted = looks_encrypted(path)
    if passphrase is None and not encrypted and not use_cipher:
        if read_only:
            return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
        return sqlite3.connect(str(path), timeout=timeout)
    try:
        cipher()
    except EncryptionUnavailableError as exc:
        if encrypted:
            raise EncryptedDatabaseError(_unavailable_message(path)) from exc
        raise
    if passphrase is None and not encrypted:
        return _cipher_connect(path, read_only, timeout)
    salt = file_salt(path) if encrypted else None
    offered = [passphrase] if passphrase is not None else key_source.candidates(path)
    for attempt in offered:
        conn = _cipher_connect(path, read_only, timeout)
        try:
            conn.execute(f'PRAGMA key = "{key_literal(attempt, salt or new_salt())}"')
            if salt is not None and not _key_opens(conn):
                conn.close()
                continue
            # Every page read from disk is decrypted and authenticated: a larger page cache (allocated
            # only as used) keeps a whole-file check from decrypting pages again (0.56 -> 0.12 s, 29 MB).
            conn.execute(f"PRAGMA cache_size = -{CIPHER_CACHE_KIB}")
        except BaseException:
            conn.close()
            raise
        conn.passphrase = attempt  # type: ignore[attr-defined]
        key_source.remember(attempt)
        return conn
    raise EncryptedDatabaseError(encrypted_message(path))


def _cipher_connect(path: Path, read_only: bool, timeout: float) -> Any:
    module = cipher()
    if read_only:
        target, uri = f"{path.resolve().as_uri()}?mode=ro", True
    else:
        target, uri = str(path), False
    conn = module.connect(target, uri=uri, timeout=timeout, factory=_connection_class)
    # SQLCipher otherwise logs "hmac check failed" lines to stderr on a wrong key.
    conn.execute("PRAGMA cipher_log_level = NONE")
    return conn


def _key_opens(conn: Any) -> bool:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            return False
        raise
    return True


def require_key(path: Path) -> None:
    """Find an encrypted file's passphrase up front (asking once), or fail with the one sentence,
    before checks that open it several times would bury the reason in their own messages."""
    if looks_encrypted(path):
        open_connection(path, read_only=True).close()


def connect_like(source: Any, path: Path) -> sqlite3.Connection:
    """A new file at ``path`` encrypted with ``source``'s passphrase when ``source`` is encrypted:
    a backup or restored copy of an encrypted database never lies on disk in the clear."""
    if is_encrypted_connection(source):
        return open_connection(path, passphrase=source.passphrase)
    return sqlite3.connect(path)


# -- messages ---------------------------------------------------------------------------------
def encrypted_message(path: Path) -> str:
    """The one sentence for a wrong or missing passphrase (with where the backups are)."""
    sentence = (
        "This record database is encrypted; the passphrase was wrong or missing (give it when asked, "
        f"or in {key_source.PASSPHRASE_ENV} for scripts), unless {path} is damaged or not a "
        "dn-bodymap database; it was not changed."
    )
    if key_source.quiet():  # building the hint opens the file again: no second hint, no question
        return sentence
    with key_source.never_ask():
        from dn_bodymap.store.backup import backups_hint

        return f"{sentence} {backups_hint(path)}"


def _unavailable_message(path: Path) -> str:
    sentence = (
        f"{path} is encrypted (or damaged), and this installation cannot open encrypted record "
        f"databases ({INSTALL_HINT}); it was not changed."
    )
    if key_source.quiet():
        return sentence
    with key_source.never_ask():
        from dn_bodymap.store.backup import backups_hint

        return f"{sentence} {backups_hint(path)}"
