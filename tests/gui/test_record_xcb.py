"""The README's system-library list is checked with a real window on Qt's xcb platform under Xvfb
(the offscreen platform the other GUI tests use needs none of the xcb libraries)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
label = QLabel("dn-bodymap"); label.show()
QTimer.singleShot(300, app.quit)
app.exec()
print(app.platformName())
"""
XCB_PACKAGES = (
    "libxkbcommon-x11-0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-randr0",
    "libxcb-xkb1",
    "libxcb-cursor0",
)


def test_readme_lists_the_xcb_libraries() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"lib[a-z0-9.+-]+", readme))
    assert set(XCB_PACKAGES) <= listed


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run")
def test_a_real_window_opens_on_xcb_under_xvfb() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    done = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "xcb"
