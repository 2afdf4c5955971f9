"""Reverse lookup: click regions on the figure, get the muscles whose patterns explain them.

The ranking is charting's referral analysis (``suggest``); this widget only holds the picked
regions and shows the ranked candidates with the reason for each score.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget
from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.locate import AtlasIndex
from dn_bodymap.atlas.model import Atlas
from dn_bodymap.charting.referral.describe import describe
from dn_bodymap.charting.referral.drawing import DrawingError, PainDrawing
from dn_bodymap.charting.referral.suggest import ReferralIndex, Suggestion, suggest

RegionKey = tuple[str, str, str]  # view, region id, side (or view, "outline n", "drawn")
HINT = "Click the regions where the pain is (again to remove one), or drag round an area."


class ReverseLookupPanel(QWidget):
    """``candidateChosen(trigger point id, side)`` when a ranked candidate is clicked."""

    candidateChosen = Signal(str, str)
    selectionChanged = Signal()

    def __init__(self, atlas: Atlas, referral_index: ReferralIndex, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.atlas = atlas
        self.referral_index = referral_index
        self.locator = AtlasIndex(atlas)
        self.selected: dict[RegionKey, BaseGeometry] = {}
        self._drawn = 0
        self.results: list[Suggestion] = []
        self.summary = QLabel(HINT)
        self.summary.setWordWrap(True)
        self.candidates = QListWidget()
        self.candidates.setWordWrap(True)
        self.candidates.setAlternatingRowColors(True)
        self.candidates.setAccessibleName("Muscles whose referral patterns explain the picked regions")
        self.candidates.itemClicked.connect(self._on_item)
        self.candidates.currentRowChanged.connect(self._on_row)
        self.clear_button = QPushButton("Clear regions")
        self.clear_button.clicked.connect(self.clear)
        note = QLabel(
            "<small>Candidates are hypotheses to test by examination, not a diagnosis. Rule out "
            "red flags (cardiac, visceral, neurological) first.</small>"
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("<b>Candidates</b> (best first)"))
        layout.addWidget(self.candidates, 1)
        layout.addWidget(self.clear_button)
        layout.addWidget(note)

    def toggle_at(self, view: str, x: float, y: float) -> RegionKey | None:
        """Pick or unpick the region under (x, y); None when the point is outside any region."""
        result = self.locator.locate(view, x, y)
        region = result.region
        if region is None:
            return None
        key = (view, region.id, str(region.side))
        if key in self.selected:
            del self.selected[key]
        else:
            self.selected[key] = region.geometry
        self._update()
        return key

    def add_outline(self, view: str, points: list[tuple[float, float]]) -> str | None:
        """Add the area inside a drawn outline; returns why not (one line) when it encloses none."""
        from dn_bodymap.charting.editing.sketch import SketchError, lasso_area

        try:
            geom = lasso_area(points, self.atlas.view(view).silhouette)
        except SketchError as exc:
            return str(exc)
        if geom.is_empty or geom.area <= 0:
            return "the outline encloses no part of the figure"
        self._drawn += 1
        self.selected[(view, f"outline {self._drawn}", "drawn")] = geom
        self._update()
        return None

    def select_regions(self, keys: list[RegionKey]) -> None:
        by_key = {
            (v.name, r.id, str(r.side)): r.geometry for v in self.atlas.views.values() for r in v.regions
        }
        self.selected = {k: by_key[k] for k in keys if k in by_key}
        self._update()

    def geometries(self, view: str) -> list[BaseGeometry]:
        return [g for (v, _, _), g in self.selected.items() if v == view]

    def clear(self) -> None:
        self.selected = {}
        self._update()

    def _update(self) -> None:
        self.candidates.clear()
        self.results = []
        if not self.selected:
            self.summary.setText(HINT)
            self.selectionChanged.emit()
            return
        drawing = PainDrawing()
        for (view, _, _), geom in self.selected.items():
            drawing.add(view, geom)
        try:
            drawing = drawing.clipped(self.atlas)
        except DrawingError as exc:
            self.summary.setText(str(exc))
            self.selectionChanged.emit()
            return
        self.summary.setText(f"<b>Pain:</b> {describe(drawing, self.atlas).summary}")
        self.results = [s for s in suggest(drawing, self.referral_index, top=10) if s.score > 0]
        for s in self.results:
            item = QListWidgetItem(f"{s.muscle_name} ({s.side}) — score {s.score:.2f}\n{s.explanation}")
            item.setData(Qt.ItemDataRole.UserRole, (s.trigger_point, str(s.side)))
            item.setToolTip(s.explanation)
            self.candidates.addItem(item)
        if not self.results:
            self.candidates.addItem("No referral pattern in the library overlaps these regions.")
        self.selectionChanged.emit()

    def _on_item(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data:
            self.candidateChosen.emit(data[0], data[1])

    def _on_row(self, row: int) -> None:
        item = self.candidates.item(row)
        if item is not None:
            self._on_item(item)
