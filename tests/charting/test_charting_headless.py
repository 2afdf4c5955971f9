"""The record model loads without Qt, shapely or the store (fast and usable headless)."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
import dn_bodymap.charting.records, dn_bodymap.charting.repository, dn_bodymap.charting.summaries
bad = [m for m in ("PySide6", "shapely", "sqlite_utils", "dn_bodymap.store") if m in sys.modules]
print(",".join(bad))
"""


def test_charting_imports_no_qt_shapely_or_store() -> None:
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_store_imports_no_qt() -> None:
    code = "import sys, dn_bodymap.store, dn_bodymap.store.demo; print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
