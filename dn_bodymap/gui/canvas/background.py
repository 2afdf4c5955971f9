"""The figure as one scene item, drawn by render/ (the same drawing as the reports).

Painting the whole figure takes tens of milliseconds, too slow for every frame of a zoom. So the
item keeps one rendered image: frames draw that image scaled, and once zooming pauses the image is
re-rendered at the new resolution (sharp again), so panning and zooming stay fluid.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.gui.canvas import figure_cache
from dn_bodymap.render.view_painter import RenderOptions, atlas_view_bounds, paint_view

MAX_IMAGE_PIXELS = 5000 * 5000
SETTLE_MS = 120


class FigureItem(QGraphicsObject):
    """Scene coordinates are atlas units, so the figure paints with the identity transform."""

    Type = QGraphicsItem.UserType + 10

    def __init__(self, atlas: Atlas, view: str, options: RenderOptions) -> None:
        super().__init__()
        self._atlas = atlas
        self._view = view
        self._options = options
        self._rect = atlas_view_bounds(atlas, view)
        self._image: QImage | None = None
        self._image_scale = 0.0
        self._wanted_scale = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._rerender)
        self.setZValue(-100)

    def type(self) -> int:
        return FigureItem.Type

    @property
    def view_name(self) -> str:
        return self._view

    def set_options(self, options: RenderOptions) -> None:
        self._options = options
        self._image = None
        self.update()

    def options(self) -> RenderOptions:
        return self._options

    def boundingRect(self) -> QRectF:
        return self._rect

    def _render(self, scale: float) -> None:
        w = self._rect.width() * scale
        h = self._rect.height() * scale
        if w * h > MAX_IMAGE_PIXELS:
            scale *= (MAX_IMAGE_PIXELS / (w * h)) ** 0.5
            w, h = self._rect.width() * scale, self._rect.height() * scale
        width, height = max(1, int(w)), max(1, int(h))
        # The item's first image may be the one the last run painted (gui/canvas/figure_cache.py).
        key = figure_cache.image_key(self._atlas, self._view, self._options, width, height, scale)
        key = key if self._image_scale == 0.0 else None
        image = figure_cache.load(key, width, height) if key else None
        if image is None:
            image = QImage(width, height, figure_cache.FORMAT)
            image.fill(0)
            painter = QPainter(image)
            paint_view(painter, self._atlas, self._view, QRectF(0, 0, width, height), self._options)
            painter.end()
            if key:
                figure_cache.store(key, image)
        self._image, self._image_scale = image, scale

    def _rerender(self) -> None:
        if self._wanted_scale > 0:
            self._render(self._wanted_scale)
            self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        device_scale = painter.worldTransform().m11() * (
            painter.device().devicePixelRatioF() if painter.device() else 1.0
        )
        if widget is None:  # printing or exporting: draw the vectors directly
            paint_view(painter, self._atlas, self._view, self._rect, self._options)
            return
        self._wanted_scale = max(0.05, device_scale)
        if self._image is None:
            self._render(self._wanted_scale)
        elif abs(self._image_scale - self._wanted_scale) / self._wanted_scale > 0.02:
            self._timer.start()  # sharp again once zooming pauses
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(self._rect, self._image)
