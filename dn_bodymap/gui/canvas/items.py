"""Marks, pain areas, referral arrows and notes on the canvas.

Overrides keep Qt's exact names (CONVENTIONS §7).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPathItem,
    QGraphicsWidget,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)

from dn_bodymap.render.paths import area_path
from dn_bodymap.render.style import (
    ARROW_COLOUR,
    LEVEL_COLOURS,
    MARK_ACTIVE,
    MARK_SELECTED_RING,
    NOTE_BORDER,
    NOTE_FILL,
    QUALITY_COLOURS,
)

if TYPE_CHECKING:
    from dn_bodymap.charting.geometry import AreaGeometry

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


class MarkItem(QGraphicsWidget):
    """A trigger-point mark: constant screen size, draggable, with a hazard badge when needed.

    A QGraphicsWidget rather than a QGraphicsObject for speed: items that ignore transformations
    are not spatially indexed, so every paint and hit test asks each mark for its bounding rect;
    a widget's bounding rect (its empty geometry grown by fixed frame margins) is answered in C++,
    where a Python ``boundingRect`` costs a call into Python per mark (with 2,000 marks, most of a
    click's repaint)."""

    Type = QGraphicsItem.UserType + 1
    RADIUS = 7.0
    moved = Signal(str, QPointF, QPointF)  # mark id, from, to (scene = atlas units)

    def __init__(self, mark_id: str, label: str = "") -> None:
        super().__init__()
        r = self.RADIUS + 10
        self.setWindowFrameMargins(r, r, r + 6, r)  # bounding rect (-r, -r, 2r + 6, 2r) around pos
        self.resize(0, 0)
        self.mark_id = mark_id
        self.label = label
        self.level: str | None = None
        self.active = True
        self.faded = False
        self.source_id: str | None = None  # a faded mark: the previous session's mark it shows
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
        self.label, self.level, self.active, self.faded = label, level, active, faded
        self.setToolTip(label + (f"\nHazard: {level.replace('_', ' ')}" if level else ""))
        if faded:
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, False)
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
            self.setOpacity(0.45)
            self.setZValue(5)
        self.update()

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), self.RADIUS + 3, self.RADIUS + 3)
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        fill = MARK_ACTIVE if self.active else QColor("#78909c")
        if self.faded:
            fill = QColor("#9e9e9e")
        if selected:
            painter.setPen(QPen(MARK_SELECTED_RING, 4))
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

    def mousePressEvent(self, event) -> None:
        self._press_pos = QPointF(self.pos())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        start, self._press_pos = self._press_pos, None
        if start is not None and (start - self.pos()).manhattanLength() > 0.5:
            # One gesture = one edit: preview while dragging, report on release.
            self.moved.emit(self.mark_id, start, QPointF(self.pos()))


class PainAreaItem(QGraphicsPathItem):
    Type = QGraphicsItem.UserType + 2

    def __init__(self, area_id: str, geometry: AreaGeometry, quality: str, faded: bool = False) -> None:
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

    def set_geometry(self, geometry: AreaGeometry) -> None:
        self.geometry = geometry
        self.setPath(area_path(geometry))
        colour = QUALITY_COLOURS.get(self.quality, QUALITY_COLOURS["other"])
        self.setBrush(QBrush(colour))
        pen = QPen(colour.darker(160), 1.2)
        pen.setCosmetic(True)
        self.setPen(pen)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
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


class ArrowItem(QGraphicsPathItem):
    """A referral arrow from a mark to where its pain refers; selectable, drawn with a halo so
    it reads over muscles and pain areas at any zoom (cosmetic pens)."""

    Type = QGraphicsItem.UserType + 3
    HEAD_LENGTH = 11.0  # atlas units
    HEAD_HALF_WIDTH = 5.0
    PICK_WIDTH = 8.0  # atlas units either side of the line that still pick it

    def __init__(self, annotation_id: str, points, label: str = "") -> None:
        super().__init__()
        self.annotation_id = annotation_id
        self._line = QPainterPath()
        self._head = QPolygonF()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setZValue(9)  # under the marks, so a press on the mark at its start reaches the mark
        self.set_points(points, label)

    def type(self) -> int:
        return ArrowItem.Type

    def set_points(self, points, label: str = "") -> None:
        self.points = [QPointF(x, y) for x, y in points]
        start, tip = self.points[-2], self.points[-1]
        dx, dy = tip.x() - start.x(), tip.y() - start.y()
        length = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        ux, uy = dx / length, dy / length
        head = min(self.HEAD_LENGTH, 0.45 * length)
        half = self.HEAD_HALF_WIDTH * head / self.HEAD_LENGTH
        base = QPointF(tip.x() - ux * head, tip.y() - uy * head)
        self._head = QPolygonF(
            [
                tip,
                QPointF(base.x() - uy * half, base.y() + ux * half),
                QPointF(base.x() + uy * half, base.y() - ux * half),
            ]
        )
        self._line = QPainterPath(self.points[0])
        for p in self.points[1:-1]:
            self._line.lineTo(p)
        self._line.lineTo(base)
        path = QPainterPath(self._line)
        path.addPolygon(self._head)
        self.setPath(path)  # calls prepareGeometryChange
        self.setToolTip(label)

    def boundingRect(self) -> QRectF:
        m = self.PICK_WIDTH
        return self.path().boundingRect().adjusted(-m, -m, m, m)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(self.PICK_WIDTH)
        outline = stroker.createStroke(self._line)
        outline.addPolygon(self._head)
        return outline

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        halo = (QColor("#ffca28"), 6.0) if selected else (QColor(255, 255, 255, 210), 4.5)
        for colour, width in (halo, (ARROW_COLOUR, 2.2)):
            pen = QPen(colour, width)
            pen.setCosmetic(True)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._line)
            painter.setBrush(QBrush(colour))
            painter.drawPolygon(self._head)


class NoteItem(QGraphicsObject):
    """A text note pinned to the map: a pin at its anchor and a small callout that keeps its
    screen size (readable at any zoom). The callout opens towards the midline, so it is not cut
    off at the edge of the view, and sits under the marks, so it never hides one. Dragging
    previews; the move is reported on release."""

    Type = QGraphicsItem.UserType + 4
    MAX_WIDTH = 180.0  # pixels
    MAX_CHARS = 160  # shown on the map; the tooltip has the whole note
    PAD = 5.0
    OFFSET = QPointF(10.0, -10.0)  # the callout's bottom corner nearest the pin, from the pin
    moved = Signal(str, QPointF, QPointF)  # annotation id, from, to (scene = atlas units)
    editRequested = Signal(str)

    def __init__(self, annotation_id: str, text: str = "") -> None:
        super().__init__()
        self.annotation_id = annotation_id
        self.text = ""
        self._shown = ""
        self._box = QRectF()
        self._size = QSizeF()
        self._press_pos: QPointF | None = None
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setZValue(8)  # marks (10) and arrows (9) stay on top
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.set_text(text)

    def mouseDoubleClickEvent(self, event) -> None:
        self.editRequested.emit(self.annotation_id)
        event.accept()

    def type(self) -> int:
        return NoteItem.Type

    @staticmethod
    def _font() -> QFont:
        font = QFont()
        font.setPixelSize(12)
        return font

    def set_text(self, text: str) -> None:
        self.prepareGeometryChange()
        self.text = text
        self._shown = text if len(text) <= self.MAX_CHARS else text[: self.MAX_CHARS - 1] + "…"
        metrics = QFontMetricsF(self._font())
        flags = int(Qt.TextFlag.TextWordWrap)
        size = metrics.boundingRect(QRectF(0, 0, self.MAX_WIDTH, 10_000), flags, self._shown).size()
        self._size = QSizeF(size.width() + 2 * self.PAD, size.height() + 2 * self.PAD)
        self._layout()
        self.setToolTip(text)
        self.update()

    def _layout(self) -> None:
        w, h = self._size.width(), self._size.height()
        left = -self.OFFSET.x() - w if self.pos().x() > 0 else self.OFFSET.x()
        box = QRectF(left, self.OFFSET.y() - h, w, h)
        if box != self._box:
            self.prepareGeometryChange()
            self._box = box

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):  # Qt override
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self._layout()
        return super().itemChange(change, value)

    def boundingRect(self) -> QRectF:
        return self._box.united(QRectF(-6, -6, 12, 12)).adjusted(-4, -4, 4, 4)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._box, 4, 4)
        path.addEllipse(QPointF(0, 0), 5, 5)
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        right = self._box.left() < 0
        corner = self._box.bottomRight() if right else self._box.bottomLeft()
        painter.setPen(QPen(NOTE_BORDER, 1.4))
        painter.drawLine(QPointF(0, 0), QPointF(corner.x() + (-4 if right else 4), corner.y()))
        outline = QPen(QColor("#ffca28"), 3.0) if selected else QPen(NOTE_BORDER, 1.2)
        painter.setPen(outline)
        painter.setBrush(QBrush(NOTE_FILL))
        painter.drawRoundedRect(self._box, 4, 4)
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(QBrush(NOTE_BORDER.darker(130)))
        painter.drawEllipse(QPointF(0, 0), 3.5, 3.5)
        painter.setFont(self._font())
        painter.setPen(QColor("#212121"))
        inner = self._box.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        painter.drawText(inner, int(Qt.TextFlag.TextWordWrap), self._shown)

    def mousePressEvent(self, event) -> None:  # Qt override
        self._press_pos = QPointF(self.pos())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # Qt override
        super().mouseReleaseEvent(event)
        start, self._press_pos = self._press_pos, None
        if start is not None and (start - self.pos()).manhattanLength() > 0.5:
            self.moved.emit(self.annotation_id, start, QPointF(self.pos()))
