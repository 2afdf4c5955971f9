"""The pain drawing in words and the muscles whose patterns fit it, updated as it is drawn."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from dn_bodymap.charting.editing.sketch import from_record
from dn_bodymap.charting.referral.describe import describe
from dn_bodymap.charting.referral.drawing import DrawingError, PainDrawing


class ReferralPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel("No pain area drawn yet.")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Pain drawing summary")
        self.extent = QLabel("")
        self.suggestions = QListWidget()
        self.suggestions.setAccessibleName("Muscles whose referral patterns fit the drawing")
        self.suggestions.setToolTip("Ranked by how much of the drawing each pattern explains")
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
        layout.addWidget(note)

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
            self.suggestions.addItem(f"{s.muscle_name} ({s.side}) — {s.score:.2f}")
            self.suggestions.item(self.suggestions.count() - 1).setToolTip(s.explanation)
