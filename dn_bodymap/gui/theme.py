"""Light and dark palettes for the whole application (the figure has its own in render/)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication


def apply_palette(app: QApplication, dark: bool) -> None:
    """Switch palettes and repaint every widget now, not after a restart."""
    if app.style().name().lower() != "fusion":
        # Setting a style again re-creates it for every widget, and combo boxes then size to their
        # longest entry: the dark palette cut off the session inspector's right edge.
        app.setStyle("Fusion")
    app.setPalette(app.style().standardPalette() if not dark else _dark())
    _repolish(app)


def _repolish(app: QApplication) -> None:
    """Widgets with a style sheet (bold headings, banners) resolve colours when polished, so a
    palette change reaches them only through a re-polish."""
    for widget in app.allWidgets():
        if widget.styleSheet():
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        widget.update()


def _dark() -> QPalette:
    pal = QPalette()
    base, window, text = QColor("#1e2126"), QColor("#2a2e35"), QColor("#e8e8e8")
    pal.setColor(QPalette.ColorRole.Window, window)
    pal.setColor(QPalette.ColorRole.WindowText, text)
    pal.setColor(QPalette.ColorRole.Base, base)
    pal.setColor(QPalette.ColorRole.AlternateBase, window)
    pal.setColor(QPalette.ColorRole.ToolTipBase, window)
    pal.setColor(QPalette.ColorRole.ToolTipText, text)
    pal.setColor(QPalette.ColorRole.Text, text)
    pal.setColor(QPalette.ColorRole.Button, window)
    pal.setColor(QPalette.ColorRole.ButtonText, text)
    pal.setColor(QPalette.ColorRole.Highlight, QColor("#3d7bd9"))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("white"))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#9aa0a6"))
    pal.setColor(QPalette.ColorRole.Mid, QColor("#555b63"))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#777"))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#777"))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#8a8f96"))
    return pal
