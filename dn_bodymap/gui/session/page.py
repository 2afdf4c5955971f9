"""The session screen: header on the left, canvas in the middle, marks, inspector and referral
suggestions on the right. It refreshes only what each change touched (CONVENTIONS §4)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.charting.editing import Changes
from dn_bodymap.charting.records import Mark
from dn_bodymap.gui.canvas.items import ArrowItem, MarkItem, NoteItem
from dn_bodymap.gui.session.after_paint import AfterFirstPaint
from dn_bodymap.gui.session.canvas_panel import CanvasPanel
from dn_bodymap.gui.session.controller import SessionController
from dn_bodymap.gui.session.header_panel import SessionHeader
from dn_bodymap.gui.session.inspector import MarkInspector
from dn_bodymap.gui.session.marks_list import MarksList
from dn_bodymap.gui.session.referral_panel import ReferralPanel
from dn_bodymap.gui.session.sketch_worker import PendingStrokeOverlay
from dn_bodymap.safety.levels import rank

WARNING_STYLE = "background:#fde2e1;color:#7a1010;padding:6px;border-radius:4px;"
CHECKING_STYLE = "background:#eceff1;color:#37474f;padding:6px;border-radius:4px;"
#: Shown while the session rules over the marks already charted are not reviewed yet.
CHECKING_TEXT = "Checking this session's marks against the session safety rules…"


class SessionPage(QWidget):
    signRequested = Signal()
    screeningRequested = Signal()
    addendumRequested = Signal()
    adverseEventRequested = Signal()

    def __init__(
        self,
        controller: SessionController,
        options_factory,
        referral_index=None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        #: The referral index, or a function that loads it (with the trigger-point library): the
        #: first paint does not need it; the suggestions for a drawing already there come after.
        self._referral_index = referral_index
        self._suggestions_pending = False
        self._overlay_records: dict[str, Mark] = {}  # faded previous-session marks, by id
        self._mark_levels: dict[str, str] | None = None  # acknowledged hazard level per mark, as shown
        self._selection_shown: str | None = None  # the mark the last canvas selection showed
        #: The session rules over the marks already there are checked just after the first paint
        #: (``after_paint``); until then the banner says they are being checked, never "none".
        self._rules_checked = False
        self.header = SessionHeader(controller)
        self.canvas = CanvasPanel(controller.atlas, options_factory)
        self.marks_list = MarksList()
        self.inspector = MarkInspector(controller)
        self.referral = ReferralPanel()
        self.referral.attach(self.canvas, controller)
        self.signed_banner = QLabel()
        self.signed_banner.setStyleSheet("background:#fff3cd;color:#5c4400;padding:6px;border-radius:4px;")
        self.signed_banner.setVisible(False)
        self.signed_banner.setWordWrap(True)  # a long signature line must not widen the window
        self.session_banner = QLabel()
        self.session_banner.setWordWrap(True)
        self.session_banner.setStyleSheet(WARNING_STYLE)
        self.session_banner.setAccessibleName("Session safety warning")
        self.session_banner.setVisible(False)

        header_scroll = QScrollArea()
        header_scroll.setWidget(self.header)
        header_scroll.setWidgetResizable(True)
        header_scroll.setMinimumWidth(250)
        # The header wraps its text to the panel's width: nothing in it scrolls sideways.
        header_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header_scroll.setMinimumWidth(max(250, _scrolled_width(header_scroll, self.header)))
        self.header_scroll = header_scroll
        right = QTabWidget()
        marks_tab = QWidget()
        marks_layout = QVBoxLayout(marks_tab)
        marks_layout.addWidget(self.marks_list, 1)
        inspector_scroll = QScrollArea()
        inspector_scroll.setWidget(self.inspector)
        inspector_scroll.setWidgetResizable(True)
        inspector_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inspector_scroll = inspector_scroll
        marks_layout.addWidget(inspector_scroll, 2)
        right.addTab(marks_tab, "Trigger points")
        right.addTab(self.referral, "Referred pain")
        right.setMinimumWidth(max(340, _scrolled_width(inspector_scroll, self.inspector) + 24))
        self.right_tabs = right
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.signed_banner)
        centre_layout.addWidget(self.session_banner)
        centre_layout.addWidget(self.canvas, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(header_scroll)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 860, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

        for view in self.canvas.views.values():
            view.placeRequested.connect(self._on_view_place_requested)
            view.strokeFinished.connect(self._on_view_stroke_finished)
            view.arrowFinished.connect(self._on_view_arrow_finished)
            view.noteRequested.connect(self._on_view_note_requested)
        for scene in self.canvas.scenes.values():
            scene.markMoved.connect(self._on_scene_mark_moved)
            scene.annotationMoved.connect(self._on_scene_annotation_moved)
            scene.noteEditRequested.connect(self._on_scene_note_edit_requested)
            scene.takeOverRequested.connect(self._on_scene_take_over_requested)
            scene.selectionChanged.connect(lambda s=scene: self._on_scene_selection_changed(s))
        self.canvas.qualityChanged.connect(lambda q: setattr(controller, "pain_quality", q))
        self.canvas.link_box.toggled.connect(lambda _: self._update_link())
        self.marks_list.markActivated.connect(lambda _: self._update_link())
        self.canvas.brushWidthChanged.connect(lambda w: setattr(controller, "brush_width", w))
        self.marks_list.markActivated.connect(self._on_list_mark_activated)
        self.header.sign_button.clicked.connect(self.signRequested)
        self.header.screening_button.clicked.connect(self.screeningRequested)
        self.header.addendum_button.clicked.connect(self.addendumRequested)
        self.header.adverse_button.clicked.connect(self.adverseEventRequested)
        controller.changed.connect(self._on_changed)
        controller.editableChanged.connect(lambda _: self._sync_session())  # another room's lease
        self.pending_strokes = PendingStrokeOverlay(self.canvas.views, controller.sketches, self)
        self.reload()
        self.after_paint = AfterFirstPaint(self, [self.check_session_rules, self._load_referral_index])

    # -- refresh -------------------------------------------------------------------------------
    def reload(self) -> None:
        self._mark_levels = None
        for scene in self.canvas.scenes.values():
            for mark_id in list(scene.marks):
                scene.remove_mark(mark_id)
            for area_id in list(scene.areas):
                scene.remove_area(area_id)
            for annotation_id in list(scene.annotations):
                scene.remove_annotation(annotation_id)
        self._sync_marks(None)
        self._sync_areas(None)
        self._sync_annotations(None)
        self._sync_session()

    @property
    def referral_index(self):
        if callable(self._referral_index):
            self._referral_index = self._referral_index()
        return self._referral_index

    def _load_referral_index(self) -> None:
        """After the first paint: load the index and rank the drawing the screen opened with."""
        index = self.referral_index
        if self._suggestions_pending:
            self._suggestions_pending = False
            self.referral.update_from(self.controller.atlas, self.controller.pain_areas(), index)

    def check_session_rules(self) -> None:
        """Review the session rules now (after the first paint, or at the first change: a mark write
        has run the hazard rule already) and show what the core found."""
        self._rules_checked = True
        self._sync_session_rules()

    def _on_changed(self, changes: Changes, initiator) -> None:
        self._rules_checked = True
        if changes.marks or changes.acknowledgements:
            self._sync_marks(changes.marks, levels_changed=changes.acknowledgements)
        if changes.pain_areas:
            self._sync_areas(changes.pain_areas)
        if changes.annotations:
            self._sync_annotations(changes.annotations)
        if changes.session:
            self._sync_session()

    def _levels(self) -> dict[str, str]:
        levels: dict[str, str] = {}
        for ack in self.controller.acknowledgements():
            if rank(str(ack.level)) > rank(levels.get(ack.mark_id, "none")):
                levels[ack.mark_id] = str(ack.level)
        return levels

    def _sync_marks(self, ids: Iterable[str] | None, levels_changed: bool = False) -> None:
        """Bring the canvas and the list in step with the marks named (None: every mark). With
        ``levels_changed`` (acknowledgements changed) the marks whose hazard level moved are
        added, so a click among 2,000 marks touches its own item and row, not every one."""
        marks = self.controller.editing.model.marks_by_id
        if ids is None or levels_changed or self._mark_levels is None:
            levels = self._levels()
            moved = (
                {
                    m
                    for m in levels.keys() | self._mark_levels.keys()
                    if levels.get(m) != self._mark_levels.get(m)
                }
                if self._mark_levels is not None
                else set()
            )
            self._mark_levels = levels
        else:
            moved = set()
        levels = self._mark_levels
        full = ids is None
        targets: set[str] = set(marks) if full else set(ids) | moved  # type: ignore[arg-type]
        if full:
            for scene in self.canvas.scenes.values():
                targets |= set(scene.marks)
        rows: dict[str, tuple[str, str | None] | None] = {}
        for mark_id in targets:
            mark = marks.get(mark_id)
            view = str(mark.view) if mark is not None else None
            for name, scene in self.canvas.scenes.items():
                if name != view and mark_id in scene.marks:
                    scene.remove_mark(mark_id)
            if mark is None:
                rows[mark_id] = None
                continue
            label = self.controller.mark_label(mark)
            scene = self.canvas.scenes.get(view)  # type: ignore[arg-type]
            if scene is not None:
                scene.upsert_mark(
                    mark.id, mark.x, mark.y, label, levels.get(mark.id), str(mark.activity) != "latent"
                )
            rows[mark_id] = (f"{label} · {view.replace('_', ' ')}", levels.get(mark.id))  # type: ignore[union-attr]
        self._sync_session_rules()
        if full:
            self.marks_list.set_rows([(m, *rows[m]) for m in marks])  # type: ignore[misc]
        else:
            self.marks_list.update_rows(rows, lambda: list(marks))
        if self.inspector.mark_id and self.inspector.mark_id not in marks:
            self.inspector.show_mark(None)

    def _sync_areas(self, ids) -> None:
        areas = {a.id: a for a in self.controller.pain_areas()}
        for view, scene in self.canvas.scenes.items():
            targets = (
                ids
                if ids is not None
                else set(scene.areas) | {a for a in areas if str(areas[a].view) == view}
            )
            for area_id in targets:
                area = areas.get(area_id)
                if area is None or str(area.view) != view:
                    scene.remove_area(area_id)
                else:
                    scene.upsert_area(area.id, area.geometry, str(area.quality))
        if callable(self._referral_index) and not self.after_paint_done():
            # Described and ranked just after the paint: describing needs the atlas's shapes and
            # shapely, which the first paint does without (atlas/lazy.py); ranking needs the index.
            self._suggestions_pending = True
            self.referral.show_pending(bool(areas))
        else:
            self._suggestions_pending = False
            self.referral.update_from(self.controller.atlas, list(areas.values()), self.referral_index)

    def after_paint_done(self) -> bool:
        """Whether the work after the first paint has run (False while the screen is being built)."""
        after = getattr(self, "after_paint", None)
        return after is not None and after.done

    def _sync_annotations(self, ids) -> None:
        annotations = {a.id: a for a in self.controller.annotations()}
        marks = None
        for view, scene in self.canvas.scenes.items():
            targets = (
                ids
                if ids is not None
                else set(scene.annotations) | {a for a in annotations if str(annotations[a].view) == view}
            )
            for annotation_id in targets:
                annotation = annotations.get(annotation_id)
                if annotation is None or str(annotation.view) != view:
                    scene.remove_annotation(annotation_id)
                elif str(annotation.kind) == "note":
                    scene.upsert_note(annotation.id, *annotation.tip, annotation.text)
                else:
                    if marks is None and annotation.mark_id is not None:
                        marks = {m.id: m for m in self.controller.marks()}
                    label = self.controller.annotation_label(annotation, marks)
                    scene.upsert_arrow(annotation.id, annotation.points, label)

    def _update_link(self) -> None:
        self.controller.linked_mark = self.inspector.mark_id if self.canvas.link_box.isChecked() else None

    def _sync_session_rules(self) -> None:
        """The session-level rules (bilateral thorax, count of high-level sites), shown plainly."""
        if not self._rules_checked and self.controller.editing.model.marks_by_id:
            self.session_banner.setStyleSheet(CHECKING_STYLE)
            self.session_banner.setText(CHECKING_TEXT)
            self.session_banner.setToolTip("")
            self.session_banner.setVisible(True)
            return
        warnings, high = self.controller.session_warnings()
        if self.session_banner.text() == CHECKING_TEXT:
            self.session_banner.setStyleSheet(WARNING_STYLE)
        self.session_banner.setVisible(bool(warnings))
        self.session_banner.setText("<br>".join(warnings))
        self.session_banner.setToolTip(f"High-level sites in this session: {high}")

    def _sync_session(self) -> None:
        signed = self.controller.is_signed
        s = self.controller.session
        self.signed_banner.setVisible(signed)
        if signed:
            self.signed_banner.setText(
                f"Signed by {s.signed_by}. This note is read-only; add an addendum for later changes."
            )
        editable = not signed and self.controller.can_edit()  # the core decides (signed, leases)
        for view in self.canvas.views.values():
            view.setInteractive(editable)
        self.canvas.toolbar.setEnabled(editable)
        self.inspector.setEnabled(signed or editable)  # signed: the inspector disables its own fields

    # -- input ---------------------------------------------------------------------------------
    def _on_view_place_requested(self, view: str, x: float, y: float) -> None:
        mark = self.controller.place_mark(view, x, y)
        if mark is not None:
            self.select_mark(mark.id)

    def _on_view_stroke_finished(self, view: str, tool: str, points: list) -> None:
        self.controller.finish_stroke(view, tool, points)

    def _on_view_arrow_finished(self, view: str, points: list) -> None:
        tolerance = self.canvas.views[view].snap_tolerance()
        self.controller.add_arrow(view, points, tolerance)

    def _on_view_note_requested(self, view: str, x: float, y: float) -> None:
        if self.controller.is_signed:
            self.controller.add_note(view, x, y, "")  # refuses with the reason
            return
        text, ok = QInputDialog.getText(self, "Pin a note", "Note on the map:")
        if ok and text.strip():
            self.controller.add_note(view, x, y, text)

    def _on_scene_note_edit_requested(self, annotation_id: str) -> None:
        """Double-click a note to change its text (an empty text keeps the note as it was)."""
        from PySide6.QtWidgets import QInputDialog

        if self.controller.is_signed:
            return
        note = self.controller.repo.get_annotation(annotation_id)
        text, ok = QInputDialog.getText(self, "Edit note", "Note on the map:", text=note.text)
        if ok and text.strip():
            self.controller.edit_note(annotation_id, text)

    def _on_scene_annotation_moved(self, annotation_id: str, start: QPointF, end: QPointF) -> None:
        if not self.controller.move_note(annotation_id, end.x(), end.y()):
            self._sync_annotations({annotation_id})

    def _on_scene_mark_moved(self, mark_id: str, start: QPointF, end: QPointF) -> None:
        if not self.controller.move_mark(mark_id, end.x(), end.y()):
            self._sync_marks({mark_id})

    def _on_scene_selection_changed(self, scene) -> None:
        try:
            items = scene.selectedItems()
        except RuntimeError:  # the scene is being torn down with the window
            return
        selected = [i for i in items if isinstance(i, MarkItem)]
        if items:  # one selection across the views, so Delete removes what was picked last
            for other in self.canvas.scenes.values():
                if other is not scene:
                    other.blockSignals(True)
                    other.clearSelection()
                    other.blockSignals(False)
        if selected:
            self.marks_list.select_mark(selected[0].mark_id)
            self.inspector.show_mark(selected[0].mark_id)
            self._selection_shown = selected[0].mark_id
        elif any(isinstance(i, ArrowItem | NoteItem) for i in items):
            self.inspector.show_mark(None)

    def _on_list_mark_activated(self, mark_id: str) -> None:
        self.select_mark(mark_id)

    def select_mark(self, mark_id: str) -> None:
        mark = self.controller.editing.model.mark(mark_id)
        if mark is None:
            return
        view = str(mark.view)
        if view not in self.canvas.visible_views():
            self.canvas.show_view(view)
        for scene in self.canvas.scenes.values():
            scene.blockSignals(True)
            scene.clearSelection()
            scene.blockSignals(False)
        item = self.canvas.scenes[view].marks.get(mark_id)
        self._selection_shown = None
        if item is not None:
            item.setSelected(True)  # the scene's selection handler shows it in the list and inspector
        if self._selection_shown != mark_id:
            self.marks_list.select_mark(mark_id)
            self.inspector.show_mark(mark_id)

    def delete_selected(self) -> None:
        if self.inspector.mark_id:
            self.controller.delete_mark(self.inspector.mark_id)
            return
        for scene in self.canvas.scenes.values():
            for item in scene.selectedItems():
                if isinstance(item, ArrowItem | NoteItem):
                    self.controller.delete_annotation(item.annotation_id)
                    continue
                area_id = getattr(item, "area_id", None)
                if area_id and area_id != "overlay":
                    self.controller.delete_area(area_id)

    def set_previous_overlay(self, marks, areas) -> None:
        """marks: [(view, x, y, label[, mark])], areas: [(view, geometry, quality)] of the last
        session. A mark given with its record can be taken over from the canvas."""
        self._overlay_records = {row[4].id: row[4] for row in marks if len(row) > 4}
        for view in self.canvas.scenes:  # body and detail views
            self.canvas.scenes[view].set_overlay(
                [(x, y, label, rest[0].id if rest else None) for v, x, y, label, *rest in marks if v == view],
                [(g, q) for v, g, q in areas if v == view],
            )

    def _on_scene_take_over_requested(self, source_id: str) -> None:
        """A faded mark brought into this session, through the controller (and so the hazard rule)."""
        previous = self._overlay_records.get(source_id)
        if previous is None:
            return
        taken = self.controller.take_over(previous)
        if taken is not None:
            self.select_mark(taken.id)


def _scrolled_width(scroll: QScrollArea, content: QWidget) -> int:
    """The width a vertical scroll area needs so its content never has to scroll sideways."""
    bar = scroll.verticalScrollBar().sizeHint().width()
    return content.minimumSizeHint().width() + bar + 2 * scroll.frameWidth()
