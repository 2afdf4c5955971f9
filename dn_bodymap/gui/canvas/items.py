"""Marks and pain areas on the canvas. Overrides keep Qt's exact names (CONVENTIONS §7)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPathItem,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)
from shapely.geometry.base import BaseGeometry

from dn_bodymap.render.paths import polygon_path

LEVEL_COLOURS = {
    "caution": QColor("#d99a00"),
    "high": QColor("#e0661b"),
    "very_high": QColor("#c62828"),
    "no_needle": QColor("#5d0b0b"),
}
QUALITY_COLOURS = {
    "ache": QColor(52, 120, 200, 110),
    "sharp": QColor(210, 40, 40, 110),
    "burning": QColor(235, 130, 20, 120),
    "numbness_tingling": QColor(130, 70, 190, 110),
    "other": QColor(90, 90, 90, 100),
}
QUALITY_PATTERNS = {
    "ache": Qt.BrushStyle.SolidPattern,
    "sharp": Qt.BrushStyle.SolidPattern,
    "burning": Qt.BrushStyle.SolidPattern,
    "numbness_tingling": Qt.BrushStyle.SolidPattern,
    "other": Qt.BrushStyle.SolidPattern,
}
QUALITY_HATCH = {
    "sharp": Qt.BrushStyle.FDiagPattern,
    "burning": Qt.BrushStyle.CrossPattern,
    "numbness_tingling": Qt.BrushStyle.Dense6Pattern,
}


class MarkItem(QGraphicsObject):
    """A trigger-point mark: constant screen size, draggable, with a hazard badge when needed."""

    Type = QGraphicsItem.UserType + 1
    RADIUS = 7.0
    moved = Signal(str, QPointF, QPointF)  # mark id, from, to (scene = atlas units)

    def __init__(self, mark_id: str, label: str = "") -> None:
        super().__init__()
        self.mark_id = mark_id
        self.label = label
        self.level: str | None = None
        self.active = True
        self.faded = False
        self._press_pos: QPointF | None = None
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setZValue(10)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAcceptHoverEvents(True)

    def type(self) -> int:
        return MarkItem.Type

    def set_state(self, label: str, level: str | None, active: bool, faded: bool = False) -> None:
        self.prepareGeometryChange()
        self.label, self.level, self.active, self.faded = label, level, active, faded
        self.setToolTip(label + (f"\nHazard: {level.replace('_', ' ')}" if level else ""))
        if faded:
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, False)
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
            self.setOpacity(0.45)
            self.setZValue(5)
        self.update()

    def boundingRect(self) -> QRectF:
        r = self.RADIUS + 10
        return QRectF(-r, -r, 2 * r + 6, 2 * r)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), self.RADIUS + 3, self.RADIUS + 3)
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        fill = QColor("#1565c0") if self.active else QColor("#78909c")
        if self.faded:
            fill = QColor("#9e9e9e")
        if selected:
            painter.setPen(QPen(QColor("#ffca28"), 4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), self.RADIUS + 3, self.RADIUS + 3)
        painter.setPen(QPen(QColor("white"), 2))
        painter.setBrush(QBrush(fill))
        painter.drawEllipse(QPointF(0, 0), self.RADIUS, self.RADIUS)
        painter.setPen(QPen(QColor("white"), 1.6))
        painter.drawLine(QPointF(-3.5, 0), QPointF(3.5, 0))
        painter.drawLine(QPointF(0, -3.5), QPointF(0, 3.5))
        if self.level:
            self._paint_badge(painter)

    def _paint_badge(self, painter: QPainter) -> None:
        colour = LEVEL_COLOURS.get(self.level or "", QColor("#c62828"))
        tri = QPolygonF([QPointF(8, -16), QPointF(17, -1), QPointF(-1, -1)])
        painter.setPen(QPen(QColor("white"), 1.2))
        painter.setBrush(QBrush(colour))
        painter.drawPolygon(tri)
        font = QFont()
        font.setPixelSize(10)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(1, -14, 14, 13), Qt.AlignmentFlag.AlignCenter, "!")

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._press_pos = QPointF(self.pos())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(event)
        start, self._press_pos = self._press_pos, None
        if start is not None and (start - self.pos()).manhattanLength() > 0.5:
            # One gesture = one edit: preview while dragging, report on release.
            self.moved.emit(self.mark_id, start, QPointF(self.pos()))


class PainAreaItem(QGraphicsPathItem):
    Type = QGraphicsItem.UserType + 2

    def __init__(self, area_id: str, geometry: BaseGeometry, quality: str, faded: bool = False) -> None:
        super().__init__()
        self.area_id = area_id
        self.quality = quality
        self.setZValue(2 if not faded else 1)
        self.set_geometry(geometry)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, not faded)
        if faded:
            self.setOpacity(0.35)

    def type(self) -> int:
        return PainAreaItem.Type

    def set_geometry(self, geometry: BaseGeometry) -> None:
        self.geometry = geometry
        self.setPath(polygon_path(geometry))
        colour = QUALITY_COLOURS.get(self.quality, QUALITY_COLOURS["other"])
        self.setBrush(QBrush(colour))
        pen = QPen(colour.darker(160), 1.2)
        pen.setCosmetic(True)
        self.setPen(pen)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        super().paint(painter, option, widget)
        hatch = QUALITY_HATCH.get(self.quality)
        if hatch is not None:
            colour = QUALITY_COLOURS[self.quality].darker(150)
            colour.setAlpha(170)
            painter.setPen(Qt.PenStyle.NoPen)
            brush = QBrush(colour, hatch)
            brush.setTransform(painter.worldTransform().inverted()[0])
            painter.setBrush(brush)
            painter.drawPath(self.path())
        if option.state & QStyle.StateFlag.State_Selected:
            pen = QPen(QColor("#ffca28"), 2.5)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self.path())
