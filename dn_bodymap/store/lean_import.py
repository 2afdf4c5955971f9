"""Import sqlite-utils without numpy, so `dn-bodymap patients` starts like a bare sqlite3 process.

sqlite-utils imports numpy (when installed) only to map numpy scalar types to column types for its
``insert`` helpers; the store writes through ``execute`` with values from ``codec``, never numpy
values, so that mapping is unused here while the import costs more than the listing itself.

numpy is hidden from the importing thread alone (a finder first on ``sys.meta_path`` that answers
"no such module" to that thread): putting ``None`` in ``sys.modules`` hid it from every thread, so a
worker loading sqlite-utils while the window's thread loaded the atlas (shapely needs numpy) made
the atlas fail to load.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType


class HideNumpy:
    """A meta-path finder: numpy and its submodules do not exist for one thread, for a while."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if (name == "numpy" or name.startswith("numpy.")) and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(
                f"No module named {name!r} (hidden while sqlite-utils loads)", name=name
            )
        return None  # any other module, or another thread: the usual finders


def import_sqlite_utils() -> None:
    """Load sqlite-utils first with numpy hidden, unless numpy is already loaded (then it is free)."""
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    finder = HideNumpy()
    sys.meta_path.insert(0, finder)
    try:
        import sqlite_utils  # noqa: F401
    finally:
        sys.meta_path.remove(finder)
