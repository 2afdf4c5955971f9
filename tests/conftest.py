"""Test-wide settings: Qt runs offscreen so plain `pytest` works on a machine without a display."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
