"""Report fonts: one family list with fallbacks, so any script in a name or a note prints.

Noto Sans covers Latin, Greek and Cyrillic; Qt falls back per script through fontconfig to Noto Sans
Hebrew / Arabic / CJK when they are installed (Debian: fonts-noto-core, fonts-noto-cjk). A machine
without them degrades to DejaVu Sans, then to whatever the system offers, never to an error.
"""

from __future__ import annotations

from PySide6.QtGui import QFont

from dn_bodymap.report.flow import UNITS_PER_PT

FAMILIES: tuple[str, ...] = (
    "Noto Sans",
    "Noto Sans Hebrew",
    "Noto Sans Arabic",
    "Noto Sans CJK SC",
    "DejaVu Sans",
)


def report_font(size_pt: float, *, bold: bool = False, italic: bool = False) -> QFont:
    """A report font at ``size_pt`` points, sized in layout units (decipoints)."""
    font = QFont()
    font.setFamilies(list(FAMILIES))
    font.setPixelSize(max(1, round(size_pt * UNITS_PER_PT)))
    font.setBold(bold)
    font.setItalic(italic)
    # Layout is done once in decipoints and painted at any resolution: unhinted metrics keep
    # the line breaks identical on screen, paper and PDF.
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # No 'fi'/'fl' ligatures: a name like "Griffin" must stay searchable and extractable.
    for tag in ("liga", "clig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font
