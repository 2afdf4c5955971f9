"""Opening a database read-only, and the patient listing on the standard library's sqlite3 alone.

``dn-bodymap patients`` is a short process whose cost is mostly imports: sqlite-utils (with click
and pluggy) and the record model cost several times the listing itself. This path runs the same
checks as ``open_read_only`` (``read_connection`` is shared: the repository wraps the connection it
returns) and the same query as ``SqliteRepository.search_patients`` (``search.patient_search_sql``),
returning plain rows instead of records. Imports here stay within the standard library and the
light store modules; tests/scale/test_scale_lean_cli.py checks that sqlite-utils is not loaded.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from dn_bodymap.store import open_check, opening
from dn_bodymap.store.connection import (
    BUSY_TIMEOUT_MS,
    apply_read_pragmas,
    inspect,
    translate_open_error,
)
from dn_bodymap.store.encryption import EncryptedDatabaseError, open_connection
from dn_bodymap.store.errors import StoreError
from dn_bodymap.store.migrations import LATEST_VERSION
from dn_bodymap.store.search import patient_search_sql


def read_connection(path: str | Path, *, check: bool = True) -> sqlite3.Connection:
    """A checked read-only connection: no lock of ours, no write lock of SQLite's; a foreign,
    damaged, newer or older-schema file is refused with a sentence (the file is never changed)."""
    path = opening.checked_path(path)
    if not path.is_file():
        raise StoreError(f"there is no record database at {path}")
    opening.make_companions_private(path)
    try:
        # The key handling every opener shares (a plain file: the standard sqlite3 module).
        conn = open_connection(path, read_only=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except EncryptedDatabaseError:
        raise
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc
    except OSError as exc:
        raise opening.os_error_sentence(exc, path) from exc
    try:
        version = inspect(conn, path, check=check and not open_check.unchanged_since_clean_close(path))
        if version < LATEST_VERSION:
            raise StoreError(
                f"{path} uses an older schema ({version}); open it once in dn-bodymap to upgrade"
            )
        apply_read_pragmas(conn)
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.DatabaseError):
            raise translate_open_error(exc, path) from exc
        raise
    return conn


# The columns `dn-bodymap patients` prints, under the names it prints them.
_PATIENT_COLUMNS = (
    "p.id AS id, p.display_name AS name, p.record_number AS record_number, "
    "v.session_count AS sessions, p.date_of_birth AS date_of_birth, p.archived AS archived, "
    "v.last_session_at AS last_session_at"
)


def list_patients(
    path: str | Path,
    text: str = "",
    *,
    include_archived: bool = False,
    limit: int | None = None,
    offset: int = 0,
    order: str = "name",
) -> list[dict[str, Any]]:
    """The patient list as plain rows (id, name, record_number, sessions, date_of_birth, archived,
    last_session_at), in the repository's order and with its search rule."""
    sql, params = patient_search_sql(
        _PATIENT_COLUMNS, text, include_archived=include_archived, order=order, limit=limit, offset=offset
    )
    conn = read_connection(path)
    try:
        cursor = conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor]
    except sqlite3.DatabaseError as exc:
        raise translate_open_error(exc, Path(path)) from exc
    finally:
        conn.close()
    for row in rows:
        row["archived"] = bool(row["archived"])  # stored 0/1, like every boolean field (store/codec.py)
    return rows
