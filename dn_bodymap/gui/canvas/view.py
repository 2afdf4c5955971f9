"""The zoomable, pannable view of a body-map scene, translating input into tool gestures."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsView, QMenu, QWidget

from dn_bodymap.gui.canvas.items import ArrowItem, MarkItem, NoteItem, PainAreaItem
from dn_bodymap.gui.canvas.scene import BodyMapScene

MIN_ZOOM, MAX_ZOOM = 0.2, 12.0
SNAP_PX = 14.0  # an arrow pressed this close to a mark (on screen) starts at the mark


class Tool(StrEnum):
    MARK = "mark"
    BRUSH = "brush"
    LASSO = "lasso"
    ERASER = "eraser"
    ARROW = "arrow"
    NOTE = "note"
    PAN = "pan"


def _viewport() -> QWidget:
    """The view's viewport, made here as Qt makes its own (same name, role and fill).

    PySide meets the viewport Qt makes for itself first as a bare ``QWidget*`` it did not create, and
    to find its Python type it loads every lazily loaded widget class of QtWidgets with their enums
    (~75 enum classes, ~25 ms of the session screen's first paint, issue #14); one made in Python
    already has its wrapper."""
    from PySide6.QtGui import QPalette

    widget = QWidget()
    widget.setObjectName("qt_scrollarea_viewport")
    widget.setBackgroundRole(QPalette.ColorRole.Base)
    widget.setAutoFillBackground(True)
    return widget


class BodyMapView(QGraphicsView):
    """Gestures leave as plain atlas-unit points; the session controller decides what they mean."""

    placeRequested = Signal(str, float, float)
    strokeFinished = Signal(str, str, list)
    zoomChanged = Signal(float)
    arrowFinished = Signal(str, list)  # view, [(x, y) start, (x, y) tip] (Qt naming)
    noteRequested = Signal(str, float, float)  # view, x, y (Qt naming)

    def __init__(self, scene: BodyMapScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setViewport(_viewport())
        self.body_scene = scene
        self.tool = Tool.MARK
        self.brush_width = 14.0
        self._stroke: list[tuple[float, float]] = []
        self._preview: QGraphicsPathItem | None = None
        self._panning: QPointF | None = None
        self._arrow_start: QPointF | None = None
        self._arrow_origin = QPointF()
        self._note_at: QPointF | None = None
        self._zoom = 1.0
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self.setAccessibleName(f"Body map, {scene.view_name.replace('_', ' ')} view")
        self.setMinimumSize(220, 300)

    # -- zoom and fit ------------------------------------------------------------------------
    def fit(self) -> None:
        self.resetTransform()
        self.fitInView(self.body_scene.figure.boundingRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self._zoom = 1.0
        self.zoomChanged.emit(self._zoom)

    def zoom_by(self, factor: float) -> None:
        target = max(MIN_ZOOM, min(MAX_ZOOM, self._zoom * factor))
        factor = target / self._zoom
        if abs(factor - 1.0) < 1e-6:
            return
        self.scale(factor, factor)
        self._zoom = target
        self.zoomChanged.emit(self._zoom)

    @property
    def zoom(self) -> float:
        return self._zoom

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if abs(self._zoom - 1.0) < 1e-6:
            self.fit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.15**steps)
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Gesture:
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if pinch is not None:
                self.zoom_by(pinch.scaleFactor())
                return True
        if (
            event.type() == QEvent.Type.NativeGesture
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):
            self.zoom_by(1.0 + event.value())
            return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(0.8)
        elif key == Qt.Key.Key_0:
            self.fit()
        else:
            super().keyPressEvent(event)

    # -- tools -------------------------------------------------------------------------------
    def set_tool(self, tool: Tool) -> None:
        self.tool = tool
        cursor = {
            Tool.MARK: Qt.CursorShape.CrossCursor,
            Tool.PAN: Qt.CursorShape.OpenHandCursor,
        }.get(tool, Qt.CursorShape.CrossCursor)
        self.viewport().setCursor(cursor)

    def _item_at(self, event: QMouseEvent):
        return self.itemAt(event.position().toPoint())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
            self.tool == Tool.PAN and event.button() == Qt.MouseButton.LeftButton
        ):
            self._panning = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        item = self._item_at(event)
        if self.tool == Tool.ARROW:
            self._start_arrow(event, item)
            return
        if self.tool == Tool.NOTE:
            if isinstance(item, NoteItem | ArrowItem):
                super().mousePressEvent(event)  # select or drag an existing note
                return
            self.scene().clearSelection()
            self._note_at = self.mapToScene(event.position().toPoint())
            event.accept()
            return
        if self.tool == Tool.MARK:
            if self.body_scene.overlay_mark_at(item) is not None:
                event.accept()  # a faded previous mark: double-click takes it over, a click places nothing
                return
            if (
                isinstance(item, MarkItem | PainAreaItem | ArrowItem | NoteItem)
                and item.isEnabled()
                and item.flags() & item.GraphicsItemFlag.ItemIsSelectable
            ):
                super().mousePressEvent(event)
                return
            p = self.mapToScene(event.position().toPoint())
            self.scene().clearSelection()
            self.placeRequested.emit(self.body_scene.view_name, p.x(), p.y())
            event.accept()
            return
        p = self.mapToScene(event.position().toPoint())
        self._stroke = [(p.x(), p.y())]
        self._start_preview()
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """With the trigger-point tool a double-click on a faded mark takes it over (other tools
        have already drawn on the first click; their way is the context menu)."""
        faded = self.body_scene.overlay_mark_at(self._item_at(event))
        if faded is not None and self.tool == Tool.MARK and event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self.body_scene.takeOverRequested.emit(faded.source_id)
            return
        super().mouseDoubleClickEvent(event)

    def overlay_menu(self, item) -> QMenu | None:
        """The context menu of a faded previous-session mark (None for anything else)."""
        faded = self.body_scene.overlay_mark_at(item)
        if faded is None:
            return None
        menu = QMenu(self)
        action = menu.addAction("Take over this mark")
        action.setToolTip("Bring this mark of the previous session into this one (hazards are asked again)")
        source = faded.source_id
        action.triggered.connect(lambda: self.body_scene.takeOverRequested.emit(source))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.overlay_menu(self.itemAt(event.pos()))
        if menu is None:
            super().contextMenuEvent(event)
            return
        menu.exec(event.globalPos())
        menu.deleteLater()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._panning is not None:
            delta = event.position() - self._panning
            self._panning = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            event.accept()
            return
        if self._arrow_start is not None:
            self._update_arrow(self.mapToScene(event.position().toPoint()))
            event.accept()
            return
        if self._stroke:
            p = self.mapToScene(event.position().toPoint())
            self._stroke.append((p.x(), p.y()))
            self._update_preview()
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._panning is not None:
            self._panning = None
            self.set_tool(self.tool)
            event.accept()
            return
        if self._arrow_start is not None:
            start, self._arrow_start = self._arrow_start, None
            tip = self.mapToScene(event.position().toPoint())
            self._end_preview()
            points = [(start.x(), start.y()), (tip.x(), tip.y())]
            self.arrowFinished.emit(self.body_scene.view_name, points)
            event.accept()
            return
        if self._note_at is not None:
            at, self._note_at = self._note_at, None
            event.accept()
            self.noteRequested.emit(self.body_scene.view_name, at.x(), at.y())
            return
        if self._stroke:
            points, self._stroke = self._stroke, []
            self._end_preview()
            self.strokeFinished.emit(self.body_scene.view_name, str(self.tool), points)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def _start_preview(self) -> None:
        self._preview = QGraphicsPathItem()
        colour = QColor(200, 60, 60, 150) if self.tool != Tool.ERASER else QColor(80, 80, 80, 150)
        pen = QPen(colour, self.brush_width if self.tool != Tool.LASSO else 2.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if self.tool == Tool.LASSO:
            pen.setCosmetic(True)
            pen.setStyle(Qt.PenStyle.DashLine)
        self._preview.setPen(pen)
        self._preview.setZValue(50)
        self.scene().addItem(self._preview)

    def _update_preview(self) -> None:
        if self._preview is None or not self._stroke:
            return
        path = QPainterPath(QPointF(*self._stroke[0]))
        for x, y in self._stroke[1:]:
            path.lineTo(x, y)
        if self.tool == Tool.LASSO:
            path.closeSubpath()
        self._preview.setPath(path)

    def _end_preview(self) -> None:
        if self._preview is not None:
            self.scene().removeItem(self._preview)
            self._preview = None

    # -- arrow tool --------------------------------------------------------------------------
    def snap_tolerance(self) -> float:
        """SNAP_PX on screen, in atlas units at the current zoom."""
        scale = abs(self.transform().m11()) or 1.0
        return SNAP_PX / scale

    def _start_arrow(self, event: QMouseEvent, item) -> None:
        """Press: the arrow starts here; the preview starts at a mark pressed on, as the
        controller will snap it there (the press point itself is what is reported)."""
        self.scene().clearSelection()
        self._arrow_start = self.mapToScene(event.position().toPoint())
        origin = item.pos() if isinstance(item, MarkItem) and item.mark_id != "overlay" else None
        self._preview = QGraphicsPathItem()
        pen = QPen(QColor(173, 20, 87, 200), 2.0)
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine)
        self._preview.setPen(pen)
        self._preview.setZValue(50)
        self._arrow_origin = origin if origin is not None else self._arrow_start
        self.scene().addItem(self._preview)
        event.accept()

    def _update_arrow(self, tip: QPointF) -> None:
        if self._preview is None:
            return
        path = QPainterPath(self._arrow_origin)
        path.lineTo(tip)
        self._preview.setPath(path)

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()
