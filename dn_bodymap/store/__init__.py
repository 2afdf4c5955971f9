"""The record store: SQLite through sqlite-utils, migrations, the repository, backups, audit.

Use ``open_store(path)`` for the app (one writer, exclusive lock, automatic backups) and
``open_read_only(path)`` for listings that may run while the app is open.
"""

from dn_bodymap.store.lean_import import import_sqlite_utils

import_sqlite_utils()

from dn_bodymap.store.errors import (  # noqa: E402
    DamagedDatabaseError,
    DatabaseInUseError,
    NewerSchemaError,
    NotADatabaseError,
    StoreError,
    StoreFullError,
)
from dn_bodymap.store.paths import resolve_db_path  # noqa: E402
from dn_bodymap.store.repository import SqliteRepository, open_read_only, open_store  # noqa: E402

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
