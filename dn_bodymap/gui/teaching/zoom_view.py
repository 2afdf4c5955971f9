"""A pattern view that can enlarge one part of the figure (a projector shows a neck pattern big)."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from dn_bodymap.gui.teaching.pattern_view import PatternView
from dn_bodymap.render.view_painter import paint_view, view_bounds
from dn_bodymap.report.pattern_card import focus_target


class ZoomablePatternView(PatternView):
    """``set_focus_rect`` shows only that rect (atlas units), enlarged; clicks still map exactly."""

    _focus: QRectF | None = None

    def set_focus_rect(self, rect: QRectF | None) -> None:
        self._focus = rect
        self._invalidate()

    def focus_rect(self) -> QRectF | None:
        return self._focus

    def _render(self) -> QImage:
        # PatternView paints the whole view into the widget; the same painting into a larger,
        # clipped target enlarges the focus rect, and the transform kept for clicks stays right.
        ratio = self.devicePixelRatioF()
        size = self.size() * ratio
        image = QImage(max(1, size.width()), max(1, size.height()), QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(self._palette.background)
        cell = QRectF(0, 0, self.width(), self.height())
        target = cell
        if self._focus is not None:
            target = focus_target(view_bounds(self.atlas.view(self.view())), self._focus, cell)
        painter = QPainter(image)
        self._xf = paint_view(painter, self.atlas, self.view(), target, self.render_options())
        painter.end()
        if self._greyscale:
            image = image.convertToFormat(QImage.Format.Format_Grayscale8)
        return image
