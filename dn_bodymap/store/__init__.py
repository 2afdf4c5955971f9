"""The record store: SQLite through sqlite-utils, migrations, the repository, backups, audit.

Use ``open_store(path)`` for the app (one writer, exclusive lock, automatic backups) and
``open_read_only(path)`` for listings that may run while the app is open.

The repository (and with it sqlite-utils, ~100 ms to import) loads on first use of one of its
names, so ``dn-bodymap patients`` (store/read_only_listing.py) starts like a bare sqlite3 process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dn_bodymap.store.errors import (
    DamagedDatabaseError,
    DatabaseInUseError,
    NewerSchemaError,
    NotADatabaseError,
    StoreError,
    StoreFullError,
)
from dn_bodymap.store.paths import resolve_db_path

if TYPE_CHECKING:
    from dn_bodymap.store.repository import SqliteRepository, open_read_only, open_store

_FROM_REPOSITORY = ("SqliteRepository", "open_read_only", "open_store")

__all__ = [
    "DamagedDatabaseError",
    "DatabaseInUseError",
    "NewerSchemaError",
    "NotADatabaseError",
    "SqliteRepository",
    "StoreError",
    "StoreFullError",
    "open_read_only",
    "open_store",
    "resolve_db_path",
]


def __getattr__(name: str) -> Any:
    if name in _FROM_REPOSITORY:
        from dn_bodymap.store import repository

        return getattr(repository, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
