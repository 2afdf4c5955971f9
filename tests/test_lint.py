"""The code stays ruff-clean (lint and format), checked with the rest of the suite."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ["dn_bodymap", "tests", "bench", "docs"]


def test_ruff_check():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *TARGETS], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_ruff_format():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *TARGETS],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
