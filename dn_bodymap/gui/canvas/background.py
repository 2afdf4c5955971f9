"""The figure as one scene item, drawn by render/ (the same drawing as the reports)."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.render.view_painter import RenderOptions, paint_view, view_bounds


class FigureItem(QGraphicsItem):
    """Scene coordinates are atlas units, so the figure paints with the identity transform."""

    Type = QGraphicsItem.UserType + 10

    def __init__(self, atlas: Atlas, view: str, options: RenderOptions) -> None:
        super().__init__()
        self._atlas = atlas
        self._view = view
        self._options = options
        self._rect = view_bounds(atlas.view(view))
        self.setZValue(-100)
        # Panning reuses the cached pixels; zooming repaints once at the new scale.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def type(self) -> int:
        return FigureItem.Type

    @property
    def view_name(self) -> str:
        return self._view

    def set_options(self, options: RenderOptions) -> None:
        self._options = options
        self.update()

    def options(self) -> RenderOptions:
        return self._options

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        paint_view(painter, self._atlas, self._view, self._rect, self._options)
