"""`dn-bodymap patients` imports only what it uses: no shapely, numpy or Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("shapely", "numpy", "PySide6")
CHILD = f"""
import sys
from dn_bodymap.cli import main
code = main(sys.argv[1:])
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})
print('HEAVY=' + ','.join(heavy), f'CODE={{code}}')
"""


def _heavy_modules(*argv: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, check=True, timeout=120
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("command", [["patients"], ["sessions", "--limit", "3"]])
def test_listing_commands_import_no_heavy_module(clinic, command: list[str]) -> None:
    assert _heavy_modules("--db", str(clinic[0]), *command) == "HEAVY= CODE=0"


def test_the_check_is_able_to_see_heavy_modules(tmp_path: Path) -> None:
    """The same child reports shapely when a command does use it (the test can fail)."""
    assert "shapely" in _heavy_modules("atlas", "stats", "--json")
