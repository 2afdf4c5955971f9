"""Import sqlite-utils without numpy, so `dn-bodymap patients` starts like a bare sqlite3 process.

sqlite-utils imports numpy (when installed) only to map numpy scalar types to column types for its
``insert`` helpers; the store writes through ``execute`` with values from ``codec``, never numpy
values, so that mapping is unused here while the import costs more than the listing itself.
"""

from __future__ import annotations

import sys


def import_sqlite_utils() -> None:
    """Load sqlite-utils first with numpy hidden, unless numpy is already loaded (then it is free)."""
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # makes `import numpy` raise ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]
