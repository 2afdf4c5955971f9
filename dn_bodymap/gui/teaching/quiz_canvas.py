"""The quiz figure: a pattern view that hides the answer until it is given and takes a drawing.

Strokes become areas in ``charting.editing.sketch`` (the same brush and outline geometry as the
charting tools); the widget only turns mouse positions into atlas points. The trainee's drawing is
painted under the pattern, so once the answer is shown the correct zone lies over the attempt.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.atlas.trigger_points import Library
from dn_bodymap.charting.editing.sketch import SketchError, brush_area, lasso_area, merge
from dn_bodymap.gui.teaching.zoom_view import ZoomablePatternView
from dn_bodymap.render.style import DARK
from dn_bodymap.render.view_painter import Overlay

ATTEMPT_FILL = QColor(255, 214, 0, 120)
ATTEMPT_LINE = QColor("#ffe600")
BRUSH_WIDTH = 22.0  # atlas units: a finger-wide band on a 1000-unit figure
TOOLS = ("brush", "outline")


class QuizFigure(ZoomablePatternView):
    """``show_answer(False)`` hides the pattern (or just its trigger point); drawing is opt-in."""

    drawingChanged = Signal()
    message = Signal(str)

    def __init__(self, atlas: Atlas, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(atlas, library, parent=parent)
        self.set_palette(DARK)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._pattern_visible = True
        self._point_visible = True
        self._drawing_enabled = False
        self._tool = "brush"
        self._attempt: BaseGeometry = Polygon()
        self._stroke: list[tuple[float, float]] = []

    # -- what is revealed ------------------------------------------------------------------------
    def set_revealed(self, pattern: bool, point: bool) -> None:
        self._pattern_visible, self._point_visible = pattern, point
        self._invalidate()

    def render_options(self):
        options = super().render_options()
        keep: list[Overlay] = []
        if not self._attempt.is_empty:
            keep.append(Overlay(self._attempt, ATTEMPT_FILL, ATTEMPT_LINE, label="your drawing"))
        for overlay in options.overlays:
            if overlay.label.startswith("trigger point"):
                if self._point_visible:
                    keep.append(overlay)
            elif overlay.label in ("veil", "selected region") or self._pattern_visible:
                keep.append(overlay)
        # The veil must stay under everything else.
        keep.sort(key=lambda o: o.label != "veil")
        return dataclasses.replace(options, overlays=tuple(keep))

    # -- drawing ---------------------------------------------------------------------------------
    def set_drawing_enabled(self, on: bool) -> None:
        self._drawing_enabled = on
        self.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)

    def set_tool(self, tool: str) -> None:
        if tool not in TOOLS:
            raise ValueError(f"unknown tool {tool!r}")
        self._tool = tool

    def tool(self) -> str:
        return self._tool

    def drawing(self) -> BaseGeometry:
        return self._attempt

    def set_drawing(self, geom: BaseGeometry) -> None:
        self._attempt = geom
        self._invalidate()
        self.drawingChanged.emit()

    def clear_drawing(self) -> None:
        self.set_drawing(Polygon())

    def add_stroke(self, points: list[tuple[float, float]]) -> None:
        """One gesture in atlas units, turned into an area by the current tool and added."""
        figure = self.atlas.view(self.view()).silhouette
        try:
            if self._tool == "brush":
                area = brush_area(points, BRUSH_WIDTH, figure)
            else:
                area = lasso_area(points, figure)
        except SketchError as exc:
            self.message.emit(str(exc))
            return
        self.set_drawing(merge(self._attempt, area))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self._drawing_enabled or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        p = self.to_atlas(event.position())
        self._stroke = [(p.x(), p.y())]
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._stroke:
            p = self.to_atlas(event.position())
            self._stroke.append((p.x(), p.y()))
            self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._stroke and event.button() == Qt.MouseButton.LeftButton:
            p = self.to_atlas(event.position())
            points = [*self._stroke, (p.x(), p.y())]
            self._stroke = []
            self.add_stroke(points)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if len(self._stroke) < 2:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scale = self.to_widget(1, 0).x() - self.to_widget(0, 0).x()
        pen = QPen(ATTEMPT_LINE, max(2.0, BRUSH_WIDTH * scale) if self._tool == "brush" else 3.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        colour = QColor(ATTEMPT_LINE)
        colour.setAlpha(150)
        pen.setColor(colour)
        painter.setPen(pen)
        painter.drawPolyline(QPolygonF([self.to_widget(x, y) for x, y in self._stroke]))
        painter.end()


__all__ = ["BRUSH_WIDTH", "TOOLS", "QuizFigure"]
