"""The pain drawing in words and the muscles whose patterns fit it, updated as it is drawn.

Clicking a suggestion, or a charted mark that names a library trigger point, overlays that
trigger point's referral pattern on the figure; a second click on the same one, or Esc, clears it.

The summary is computed at once (cheap); the ranking (``suggest``, up to a few hundred ms on a
whole-figure drawing, more the first time while the referral index is built) runs in a worker
thread, so a stroke never waits for it. Each drawing gets a generation number: a result that
arrives after a newer drawing was made is dropped, and a queued job for an older drawing is
cancelled before it starts.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from dn_bodymap.charting.referral.drawing import PainDrawing


class _Relay(QObject):
    """Lives in the UI thread; a worker emits through it, so the slot runs in the UI thread."""

    done = Signal(int, object)


class _SuggestJob(QRunnable):
    def __init__(self, generation: int, drawing: PainDrawing, index, relay: _Relay) -> None:
        super().__init__()
        self.generation, self.drawing, self.index, self.relay = generation, drawing, index, relay

    def run(self) -> None:
        from dn_bodymap.charting.referral.suggest import suggest

        try:
            results = suggest(self.drawing, self.index, top=8)
        except Exception as exc:  # shown in the panel, never lost in a thread
            results = exc
        with contextlib.suppress(RuntimeError):  # the panel was closed meanwhile
            self.relay.done.emit(self.generation, results)


class ReferralPanel(QWidget):
    #: (trigger point id, side) now overlaid on the figure, or ("", "") when cleared.
    patternShown = Signal(str, str)
    #: The ranking for the current drawing is shown.
    suggestionsReady = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: Bumped for every drawing; results of an older generation are stale.
        self.generation = 0
        #: Results dropped because a newer drawing existed when they arrived (for tests and logs).
        self.stale_results = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_suggestions)
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
            "Ranked by how well each pattern fits the drawing times how often the muscle causes such "
            "pain (the tooltip of each row shows both); click one to show its pattern "
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
        mark = self.controller.editing.model.mark(mark_id)  # by id: no pass over every mark
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
    def _start_over(self) -> None:
        """A new drawing: a queued job for an older one need not run at all, nor its results show."""
        self.generation += 1
        self._pool.clear()
        self.suggestions.clear()

    def show_pending(self, has_areas: bool) -> None:
        """Before the session screen's first paint: what the drawing is comes just after it."""
        self._start_over()
        self.summary.setText("Describing the pain drawing…" if has_areas else "No pain area drawn yet.")
        self.extent.setText("")

    def update_from(self, atlas, areas, index=None) -> None:
        self._start_over()
        # Imported here: they bring shapely, which the session screen's first paint does without.
        from dn_bodymap.charting.editing.sketch import from_record
        from dn_bodymap.charting.referral.describe import describe, extent_phrase
        from dn_bodymap.charting.referral.drawing import DrawingError, PainDrawing

        drawing = PainDrawing()
        for area in areas:
            drawing.add(str(area.view), from_record(area.geometry))
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
        self.extent.setText(f"Extent: {extent_phrase(d, atlas)}")
        if index is None:
            return
        self._pool.start(_SuggestJob(self.generation, drawing, index, self._relay))

    def wait_for_suggestions(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (closing the app; tests use qtbot.waitUntil instead)."""
        return self._pool.waitForDone(msecs)

    @Slot(int, object)
    def _on_suggestions(self, generation: int, results) -> None:
        if generation != self.generation:
            self.stale_results += 1
            return
        self.suggestions.clear()
        if isinstance(results, Exception):
            self.suggestions.addItem(f"Suggestions unavailable: {results}")
            self.suggestionsReady.emit()
            return
        for s in results:
            sides = ", ".join(str(side) for side in s.sides)
            item = QListWidgetItem(
                f"{s.muscle_name} ({sides}) — {s.score:.2f} (fit {s.fit:.2f} × prior {s.prior:.2f})"
            )
            item.setToolTip(s.explanation)
            item.setData(Qt.ItemDataRole.UserRole, (s.trigger_point, str(s.side)))
            self.suggestions.addItem(item)
        self.suggestionsReady.emit()
