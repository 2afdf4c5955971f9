"""sqlite-utils loads without numpy for the thread loading it, never for the others (issue #14)."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from dn_bodymap.store.lean_import import HideNumpy


def test_numpy_is_hidden_from_the_loading_thread_alone() -> None:
    finder = HideNumpy()
    with pytest.raises(ModuleNotFoundError):
        finder.find_spec("numpy")
    with pytest.raises(ModuleNotFoundError):
        finder.find_spec("numpy.linalg")
    assert finder.find_spec("numpyish") is None and finder.find_spec("shapely") is None
    seen: list[object] = []
    other = threading.Thread(target=lambda: seen.append(finder.find_spec("numpy")))
    other.start()
    other.join()
    assert seen == [None]  # another thread: left to the usual finders


def test_another_thread_imports_numpy_while_sqlite_utils_loads() -> None:
    """In a fresh interpreter: a thread imports numpy at the moment this one loads sqlite-utils."""
    code = """
import sys, threading
from dn_bodymap.store import lean_import
loading = threading.Event(); done = threading.Event(); errors = []
real = lean_import.HideNumpy.__init__
def init(self):
    real(self)
    loading.set()
    done.wait(timeout=120)  # the other thread imports numpy while the finder is in place
lean_import.HideNumpy.__init__ = init
def other():
    loading.wait(timeout=120)
    try:
        import numpy
    except Exception as exc:
        errors.append(repr(exc))
    done.set()
t = threading.Thread(target=other); t.start()
lean_import.import_sqlite_utils(); t.join()
import sqlite_utils.db
assert not errors, errors
assert sys.meta_path[0].__class__.__name__ != "HideNumpy"
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
