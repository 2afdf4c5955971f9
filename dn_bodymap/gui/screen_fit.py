"""Windows open no larger than the screen they are on: a 1366 × 768 laptop is a common clinic
computer, and a window taller than the screen hides its status bar ("All changes saved")."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

#: Share of the available screen a window may take when it first opens.
SCREEN_SHARE = 0.95


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to ``width`` × ``height``, or less where the screen's available area is smaller."""
    screen = widget.screen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, int(available.width() * SCREEN_SHARE))
        height = min(height, int(available.height() * SCREEN_SHARE))
    widget.resize(max(width, 1), max(height, 1))
