"""One view of the body as a scene: the figure plus the session's marks, pain areas, arrows
and notes."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Signal
from PySide6.QtWidgets import QGraphicsScene

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.charting.geometry import AreaGeometry
from dn_bodymap.gui.canvas.background import FigureItem
from dn_bodymap.gui.canvas.items import ArrowItem, MarkItem, NoteItem, PainAreaItem
from dn_bodymap.render.view_painter import RenderOptions


class BodyMapScene(QGraphicsScene):
    """Scene coordinates are atlas units; items are keyed by record id for targeted refresh."""

    markMoved = Signal(str, QPointF, QPointF)
    annotationMoved = Signal(str, QPointF, QPointF)  # a note dragged: id, from, to (Qt naming)
    noteEditRequested = Signal(str)
    takeOverRequested = Signal(str)  # a faded previous-session mark to bring in: its mark id

    def __init__(self, atlas: Atlas, view: str, options: RenderOptions) -> None:
        super().__init__()
        self.view_name = view
        self.figure = FigureItem(atlas, view, options)
        self.addItem(self.figure)
        self.setSceneRect(self.figure.boundingRect())
        self.marks: dict[str, MarkItem] = {}
        self.areas: dict[str, PainAreaItem] = {}
        self.annotations: dict[str, ArrowItem | NoteItem] = {}
        self.overlay_marks: list[MarkItem] = []
        self.overlay_areas: list[PainAreaItem] = []

    def set_render_options(self, options: RenderOptions) -> None:
        self.figure.set_options(options)

    # -- marks -----------------------------------------------------------------------------
    def upsert_mark(
        self, mark_id: str, x: float, y: float, label: str, level: str | None, active: bool
    ) -> MarkItem:
        item = self.marks.get(mark_id)
        if item is None:
            item = MarkItem(mark_id)
            item.moved.connect(self.markMoved)
            self.addItem(item)
            self.marks[mark_id] = item
        pos = QPointF(x, y)
        if item.pos() != pos:  # also puts back a mark dragged where it could not go
            item.setPos(pos)
        if (item.label, item.level, item.active, item.faded) != (label, level, active, False):
            item.set_state(label, level, active)  # an unchanged item is left alone (no repaint)
        return item

    def remove_mark(self, mark_id: str) -> None:
        item = self.marks.pop(mark_id, None)
        if item is not None:
            self.removeItem(item)

    # -- pain areas ------------------------------------------------------------------------
    def upsert_area(self, area_id: str, geometry: AreaGeometry, quality: str) -> PainAreaItem:
        item = self.areas.get(area_id)
        if item is None or item.quality != quality:
            if item is not None:
                self.removeItem(item)
            item = PainAreaItem(area_id, geometry, quality)
            self.addItem(item)
            self.areas[area_id] = item
        else:
            item.set_geometry(geometry)
        return item

    def remove_area(self, area_id: str) -> None:
        item = self.areas.pop(area_id, None)
        if item is not None:
            self.removeItem(item)

    # -- annotations: referral arrows and pinned notes ----------------------------------------
    def upsert_arrow(self, annotation_id: str, points, label: str) -> ArrowItem:
        item = self.annotations.get(annotation_id)
        if not isinstance(item, ArrowItem):
            self.remove_annotation(annotation_id)
            item = ArrowItem(annotation_id, points, label)
            self.addItem(item)
            self.annotations[annotation_id] = item
        else:
            item.set_points(points, label)
        return item

    def upsert_note(self, annotation_id: str, x: float, y: float, text: str) -> NoteItem:
        item = self.annotations.get(annotation_id)
        if not isinstance(item, NoteItem):
            self.remove_annotation(annotation_id)
            item = NoteItem(annotation_id, text)
            item.moved.connect(self.annotationMoved)
            item.editRequested.connect(self.noteEditRequested)
            self.addItem(item)
            self.annotations[annotation_id] = item
        elif item.text != text:
            item.set_text(text)
        item.setPos(QPointF(x, y))
        return item

    def remove_annotation(self, annotation_id: str) -> None:
        item = self.annotations.pop(annotation_id, None)
        if item is not None:
            self.removeItem(item)

    # -- previous session as a faded overlay --------------------------------------------------
    def set_overlay(
        self,
        marks: list[tuple[float, float, str, str | None]],
        areas: list[tuple[AreaGeometry, str]],
    ) -> None:
        """marks: (x, y, label, previous mark id or None); a mark with an id can be taken over."""
        for item in [*self.overlay_marks, *self.overlay_areas]:
            self.removeItem(item)
        self.overlay_marks, self.overlay_areas = [], []
        for x, y, label, source_id in marks:
            item = MarkItem("overlay")
            item.source_id = source_id
            item.setPos(QPointF(x, y))
            hint = "\nDouble-click or right-click to take it over" if source_id else ""
            item.set_state(f"Previous session: {label}{hint}", None, True, faded=True)
            self.addItem(item)
            self.overlay_marks.append(item)
        for geom, quality in areas:
            item = PainAreaItem("overlay", geom, quality, faded=True)
            self.addItem(item)
            self.overlay_areas.append(item)

    def overlay_mark_at(self, item) -> MarkItem | None:
        """The faded previous-session mark that can be taken over, if ``item`` is one."""
        if isinstance(item, MarkItem) and item.faded and item.source_id and item.isVisible():
            return item
        return None

    def set_overlay_visible(self, visible: bool) -> None:
        for item in [*self.overlay_marks, *self.overlay_areas]:
            item.setVisible(visible)
