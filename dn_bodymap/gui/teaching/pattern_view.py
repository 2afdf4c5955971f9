"""One view of the figure with referral patterns drawn over it, reusable by every teaching screen.

Painted by render/ (the same drawing as `atlas render` and the reports), cached as one image per
size and state so repaints are cheap. A click reports the point in atlas units; what it means
(select a region, pick a muscle) is decided by the screen that owns the view.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import QSizePolicy, QWidget
from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.model import VIEWS, Atlas, Side
from dn_bodymap.atlas.trigger_points import Library
from dn_bodymap.render.layers import parse_layers
from dn_bodymap.render.referral_overlay import (
    MUSCLE_MODES,
    comparison_overlays,
    muscle_layers,
    veil_overlay,
)
from dn_bodymap.render.style import LIGHT, Palette
from dn_bodymap.render.view_painter import Overlay, RenderOptions, paint_view, view_bounds

PatternSpec = tuple[str, str, int]  # trigger point id, side, colour index
SELECTION_FILL = QColor(255, 214, 0, 120)
SELECTION_LINE = QColor("#8a6d00")
DRAG_PX = 8  # a press that moves further than this draws instead of clicking


class PatternView(QWidget):
    """Shows ``view`` with the given patterns; ``clicked`` gives (view, x, y) in atlas units."""

    clicked = Signal(str, float, float)
    drawn = Signal(str, list)  # view, [(x, y), …]: an outline drawn with the mouse (Qt naming)

    def __init__(
        self,
        atlas: Atlas | None = None,
        library: Library | None = None,
        view: str = "anterior",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if atlas is None:
            from dn_bodymap.atlas.loader import default_atlas

            atlas = default_atlas()
        if library is None:
            from dn_bodymap.atlas.trigger_points import default_library

            library = default_library()
        self.atlas = atlas
        self.library = library
        self._view = view
        self._patterns: list[PatternSpec] = []
        self._mode = "normal"
        self._palette: Palette = LIGHT
        self._greyscale = False
        self._layers = parse_layers("superficial,details,sides")
        self._highlight: frozenset[str] = frozenset()
        self._selection: list[BaseGeometry] = []
        self._image: QImage | None = None
        self._xf = QTransform()
        self._outline_enabled = False
        self._outline_press: QPointF | None = None
        self._outline_moved = 0.0  # furthest the pointer has gone from the press, in pixels
        self._outline: list[tuple[float, float]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(140, 220)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._update_accessible_name()

    # -- the interface the teaching screens use ----------------------------------------------------
    def show_patterns(self, patterns: Iterable[PatternSpec]) -> None:
        """Replace the shown patterns: (trigger point id, side, colour index) each."""
        specs: list[PatternSpec] = []
        for tid, side, idx in patterns:
            if (tid, Side(side)) not in self.library.instances:
                raise KeyError(f"no trigger point {tid!r} on the {side} side")
            specs.append((tid, str(Side(side)), int(idx)))
        self._patterns = specs
        self._highlight = frozenset(self.library.instances[(t, Side(s))].muscle for t, s, _ in specs)
        self._invalidate()

    def patterns(self) -> list[PatternSpec]:
        return list(self._patterns)

    def set_muscles_mode(self, mode: str) -> None:
        if mode not in MUSCLE_MODES:
            raise ValueError(f"unknown muscles mode {mode!r}; choose from {', '.join(MUSCLE_MODES)}")
        self._mode = mode
        self._invalidate()

    def muscles_mode(self) -> str:
        return self._mode

    def set_view(self, view: str) -> None:
        if view not in VIEWS and view not in self.atlas.views:  # a detail view with data
            raise ValueError(f"unknown view {view!r}")
        self._view = view
        self._update_accessible_name()
        self._invalidate()

    def view(self) -> str:
        return self._view

    def clear(self) -> None:
        self._patterns = []
        self._highlight = frozenset()
        self._selection = []
        self._invalidate()

    def set_highlight(self, muscles: Iterable[str]) -> None:
        """Outline these muscles (in addition to nothing else: replaces the pattern's own)."""
        self._highlight = frozenset(muscles)
        self._invalidate()

    def set_selection(self, geometries: Sequence[BaseGeometry]) -> None:
        """Regions picked for a reverse lookup, drawn in yellow under the patterns."""
        self._selection = list(geometries)
        self._invalidate()

    def set_outline_enabled(self, on: bool) -> None:
        """Dragging draws an outline (``drawn``) instead of doing nothing; a click stays a click."""
        self._outline_enabled = on
        self.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)

    def set_palette(self, palette: Palette, greyscale: bool = False) -> None:
        self._palette, self._greyscale = palette, greyscale
        self._invalidate()

    def shows_anything(self) -> bool:
        """True when a shown pattern has a zone or a trigger point on this view."""
        for tid, side, _ in self._patterns:
            tp = self.library.instances[(tid, Side(side))]
            if any(z.view == self._view for z in (*tp.essential, *tp.spillover)):
                return True
            if any(loc.view == self._view for loc in tp.locations):
                return True
        return False

    # -- painting ---------------------------------------------------------------------------------
    def render_options(self) -> RenderOptions:
        overlays: list[Overlay] = []
        if self._mode == "faded":
            overlays.append(veil_overlay(self.atlas, self._view, self._palette))
        overlays.extend(
            Overlay(g, SELECTION_FILL, SELECTION_LINE, label="selected region") for g in self._selection
        )
        overlays.extend(comparison_overlays(self.library, self._patterns, self._view, self._palette))
        # The picked regions' outlines again on top, so a pattern drawn over them never hides them.
        overlays.extend(
            Overlay(g.boundary.buffer(1.0), SELECTION_LINE, SELECTION_LINE, label="selected edge")
            for g in self._selection
        )
        return RenderOptions(
            layers=muscle_layers(self._layers, self._mode),
            palette=self._palette,
            greyscale=self._greyscale,
            overlays=overlays,
            highlight=self._highlight if self._mode != "hidden" else frozenset(),
        )

    def _invalidate(self) -> None:
        self._image = None
        self.update()

    def _update_accessible_name(self) -> None:
        self.setAccessibleName(f"Referral pattern figure, {self._view.replace('_', ' ')} view")

    def sizeHint(self) -> QSize:
        return QSize(320, 620)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._image = None

    def _render(self) -> QImage:
        ratio = self.devicePixelRatioF()
        size = self.size() * ratio
        image = QImage(max(1, size.width()), max(1, size.height()), QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(self._palette.background)
        painter = QPainter(image)
        self._xf = paint_view(
            painter, self.atlas, self._view, QRectF(0, 0, self.width(), self.height()), self.render_options()
        )
        painter.end()
        if self._greyscale:
            image = image.convertToFormat(QImage.Format.Format_Grayscale8)
        return image

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._image is None:
            self._image = self._render()
        painter = QPainter(self)
        painter.drawImage(QPointF(0, 0), self._image)
        if len(self._outline) > 1:
            pen = QPen(SELECTION_LINE, 2.0, Qt.PenStyle.DashLine)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(pen)
            painter.drawPolyline(QPolygonF([self._xf.map(QPointF(x, y)) for x, y in self._outline]))
        painter.end()

    def grab_image(self) -> QImage:
        """The current picture, rendered now (for tests and exports)."""
        return self._render()

    # -- input -------------------------------------------------------------------------------------
    def to_atlas(self, pos: QPointF) -> QPointF:
        if self._image is None:
            self._image = self._render()
        inverse, ok = self._xf.inverted()
        return inverse.map(pos) if ok else QPointF()

    def to_widget(self, x: float, y: float) -> QPointF:
        """Where the atlas point (x, y) shows in the widget (tests click through this)."""
        if self._image is None:
            self._image = self._render()
        return self._xf.map(QPointF(x, y))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._outline_press = event.position()
        p = self.to_atlas(event.position())
        self._outline = [(p.x(), p.y())]
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._outline_press is not None and self._outline_enabled:
            distance = (event.position() - self._outline_press).manhattanLength()
            self._outline_moved = max(self._outline_moved, distance)
            p = self.to_atlas(event.position())
            self._outline.append((p.x(), p.y()))
            self.update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._outline_press is None:
            super().mouseReleaseEvent(event)
            return
        moved = max(self._outline_moved, (event.position() - self._outline_press).manhattanLength())
        stroke, self._outline, self._outline_press, self._outline_moved = self._outline, [], None, 0.0
        self.update()
        if self._outline_enabled and moved > DRAG_PX and len(stroke) >= 3:
            self.drawn.emit(self._view, stroke)
        else:
            p = self.to_atlas(event.position())
            if view_bounds(self.atlas.view(self._view)).contains(p):
                self.clicked.emit(self._view, p.x(), p.y())
        event.accept()
