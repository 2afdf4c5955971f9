"""The pain drawing in words and the muscles whose patterns fit it, updated as it is drawn.

Clicking a suggestion, or a charted mark that names a library trigger point, overlays that
trigger point's referral pattern on the figure; a second click on the same one, or Esc, clears it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from dn_bodymap.charting.editing.sketch import from_record
from dn_bodymap.charting.referral.describe import describe
from dn_bodymap.charting.referral.drawing import DrawingError, PainDrawing


class ReferralPanel(QWidget):
    #: (trigger point id, side) now overlaid on the figure, or ("", "") when cleared.
    patternShown = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = None
        self.controller = None
        self.shown: tuple[str, str] | None = None
        self._viewports: dict[QObject, object] = {}
        self._views: set[QObject] = set()
        self.summary = QLabel("No pain area drawn yet.")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Pain drawing summary")
        self.extent = QLabel("")
        self.suggestions = QListWidget()
        self.suggestions.setAccessibleName("Muscles whose referral patterns fit the drawing")
        self.suggestions.setToolTip(
            "Ranked by how much of the drawing each pattern explains; click one to show its pattern "
            "on the figure (click again or press Esc to clear it)"
        )
        self.suggestions.itemClicked.connect(self._on_suggestion_clicked)
        self.pattern_label = QLabel("")
        self.pattern_label.setWordWrap(True)
        self.pattern_label.setAccessibleName("Referral pattern shown on the figure")
        note = QLabel(
            "<small>Referral patterns are hypotheses to test by examination, not a diagnosis. "
            "Rule out red flags (cardiac, visceral, neurological) first.</small>"
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.extent)
        layout.addWidget(QLabel("Muscles that may refer pain here:"))
        layout.addWidget(self.suggestions, 1)
        layout.addWidget(self.pattern_label)
        layout.addWidget(note)

    def attach(self, canvas, controller) -> None:
        """Let suggestions and charted marks show their pattern on ``canvas`` (the session's)."""
        self.canvas = canvas
        self.controller = controller
        for scene in canvas.scenes.values():
            scene.selectionChanged.connect(lambda s=scene: self._on_scene_selection(s))
        self._viewports = {view.viewport(): view for view in canvas.views.values()}
        for viewport in self._viewports:
            viewport.installEventFilter(self)
        self._views = set(canvas.views.values())
        for view in self._views:
            view.installEventFilter(self)
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), canvas, activated=self.clear_pattern)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.clear_pattern)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # -- the overlay ---------------------------------------------------------------------------------
    def toggle_pattern(self, trigger_point: str, side: str) -> None:
        """Show this pattern on the figure, or clear it when it is the one already shown."""
        if self.shown == (trigger_point, side):
            self.clear_pattern()
            return
        library = getattr(self.controller, "library", None)
        if self.canvas is None or library is None or (trigger_point, side) not in library.instances:
            return
        self.shown = (trigger_point, side)
        self.canvas.show_pattern(library, trigger_point, side)
        tp = library.instances[(trigger_point, side)]
        self.pattern_label.setText(
            f"<b>On the figure:</b> {tp.label} ({side}) — solid: essential zone, hatched: spillover. "
            "Click again or press Esc to clear."
        )
        self.patternShown.emit(trigger_point, side)

    def clear_pattern(self) -> None:
        if self.shown is None:
            return
        self.shown = None
        if self.canvas is not None:
            self.canvas.clear_pattern()
        self.pattern_label.setText("")
        self.patternShown.emit("", "")

    def _on_suggestion_clicked(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data:
            self.toggle_pattern(data[0], data[1])

    def _on_scene_selection(self, scene) -> None:
        from dn_bodymap.gui.canvas.items import MarkItem

        try:
            items = scene.selectedItems()
        except RuntimeError:  # the scene is being torn down
            return
        marks = [i for i in items if isinstance(i, MarkItem) and i.mark_id != "overlay"]
        if len(marks) != 1 or self.controller is None:
            return
        pattern = self._mark_pattern(marks[0].mark_id)
        if pattern is not None and pattern != self.shown:
            self.toggle_pattern(*pattern)

    def _mark_pattern(self, mark_id: str) -> tuple[str, str] | None:
        mark = next((m for m in self.controller.marks() if m.id == mark_id), None)
        if mark is None or not mark.trigger_point_id:
            return None
        return mark.trigger_point_id, str(mark.side)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A second click on the selected mark (selection does not change) toggles its pattern;
        Esc on the figure clears it."""
        from dn_bodymap.gui.canvas.items import MarkItem

        if (
            event.type() == QEvent.Type.KeyPress
            and watched in self._views
            and event.key() == Qt.Key.Key_Escape
            and self.shown is not None
        ):
            self.clear_pattern()
            return True
        if event.type() == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            view = self._viewports.get(watched)
            item = view.itemAt(event.position().toPoint()) if view is not None else None
            if isinstance(item, MarkItem) and item.isSelected() and item.mark_id != "overlay":
                pattern = self._mark_pattern(item.mark_id) if self.controller is not None else None
                if pattern is not None:
                    self.toggle_pattern(*pattern)
        return False

    # -- the drawing ---------------------------------------------------------------------------------
    def update_from(self, atlas, areas, index=None) -> None:
        drawing = PainDrawing()
        for area in areas:
            drawing.add(str(area.view), from_record(area.geometry))
        self.suggestions.clear()
        if drawing.is_empty():
            self.summary.setText("No pain area drawn yet.")
            self.extent.setText("")
            return
        try:
            drawing = drawing.clipped(atlas)
        except DrawingError as exc:
            self.summary.setText(str(exc))
            return
        d = describe(drawing, atlas)
        flags = [f for f, on in (("bilateral", d.bilateral), ("widespread", d.widespread)) if on]
        self.summary.setText(f"<b>Pain:</b> {d.summary}" + (f" ({', '.join(flags)})" if flags else ""))
        self.extent.setText(f"Extent: {d.extent.get('body', 0):.1f}% of the body surface")
        if index is None:
            return
        from dn_bodymap.charting.referral.suggest import suggest

        for s in suggest(drawing, index, top=8):
            item = QListWidgetItem(f"{s.muscle_name} ({s.side}) — {s.score:.2f}")
            item.setToolTip(s.explanation)
            item.setData(Qt.ItemDataRole.UserRole, (s.trigger_point, str(s.side)))
            self.suggestions.addItem(item)
