"""The "R   L" swatch of the chart key stays whole at any key font (walkthrough finding, helper Q).

At the large key font of `atlas render --legend` (22 px) the bold "R   L" was wider than its 34-px
swatch, and drawText clipped it to half an R and half an L.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from dn_bodymap.render.legend import SIDES_TEXT, SWATCH_W, Swatch, _paint_swatch, sides_font
from dn_bodymap.render.style import LIGHT


def _ink_columns(px: int) -> tuple[int, int, QRectF]:
    """Paint the sides swatch at a ``px`` key font; the first and last inked columns, and the swatch."""
    image = QImage(200, 80, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    font = QFont()
    font.setPixelSize(px)
    painter.setFont(font)
    rect = QRectF(80, 20, SWATCH_W, px * 1.2 - 2)
    _paint_swatch(painter, Swatch.SIDES, rect, LIGHT)
    painter.end()
    inked = [
        x for x in range(image.width()) if any(image.pixelColor(x, y).lightness() < 160 for y in range(80))
    ]
    return inked[0], inked[-1], rect


def test_the_sides_letters_are_not_cut_at_the_swatch_edges(qapp):
    for px in (11, 22, 40):
        first, last, rect = _ink_columns(px)
        # Clipped text runs right up to the swatch's edges; whole letters stop short of them.
        assert first > rect.left() + 0.5, (px, first, rect.left())
        assert last < rect.right() - 1.5, (px, last, rect.right())


@given(px=st.integers(min_value=6, max_value=80), width=st.floats(min_value=20.0, max_value=120.0))
def test_the_sides_font_fits_its_swatch(qapp, px: int, width: float):
    font = QFont()
    font.setPixelSize(px)
    fitted = sides_font(font, width)
    assert fitted.bold()
    assert fitted.pixelSize() <= px
    if fitted.pixelSize() > 6:
        assert QFontMetricsF(fitted).horizontalAdvance(SIDES_TEXT) <= width - 2.0
