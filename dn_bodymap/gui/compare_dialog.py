"""Visit comparison: two sessions of a patient side by side, the marks and pain areas of each on
the front and back views, and the change in pain and extent (computed in charting/)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.charting.editing.sketch import from_record
from dn_bodymap.charting.summaries import SessionRecord
from dn_bodymap.charting.visit_compare import compare_visits
from dn_bodymap.gui.local_time import local_text
from dn_bodymap.render.layers import parse_layers
from dn_bodymap.render.paths import geometry_path
from dn_bodymap.render.view_painter import RenderOptions, paint_view

PAIN_FILL = QColor(214, 48, 49, 110)
MARK_FILL = QColor("#1f5fa8")


def visit_image(record: SessionRecord, atlas: Atlas, palette, width: int = 360, height: int = 400) -> QImage:
    """Front and back of one visit with its pain areas and marks."""
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(palette.background)
    painter = QPainter(image)
    options = RenderOptions(layers=parse_layers("silhouette,superficial,details,sides"), palette=palette)
    for i, view in enumerate(("anterior", "posterior")):
        xf = paint_view(painter, atlas, view, QRectF(i * width / 2, 0, width / 2, height), options)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setTransform(xf)
        for area in record.pain_areas:
            if str(area.view) == view:
                painter.fillPath(geometry_path(from_record(area.geometry)), QBrush(PAIN_FILL))
        painter.resetTransform()
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(QBrush(MARK_FILL))
        for mark in record.marks:
            if str(mark.view) == view:
                painter.drawEllipse(xf.map(QPointF(mark.x, mark.y)), 4.5, 4.5)
        painter.restore()
    painter.end()
    return image


class CompareVisitsDialog(QDialog):
    def __init__(self, repo, atlas: Atlas, patient_id: str, palette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare visits")
        self.repo, self.atlas, self.palette = repo, atlas, palette
        sessions = sorted(
            (s.session for s in repo.list_sessions(patient_id)), key=lambda s: s.started_at, reverse=True
        )
        self.first, self.second = QComboBox(), QComboBox()
        for box, name in ((self.first, "Earlier visit"), (self.second, "Later visit")):
            box.setAccessibleName(name)
            for s in sessions:
                box.addItem(f"{local_text(s.started_at)} · {s.status}", s.id)
        # Default: the two most recent visits, the earlier on the left.
        self.first.setCurrentIndex(min(1, len(sessions) - 1))
        self.second.setCurrentIndex(0)
        self.left, self.right = QLabel(), QLabel()
        for label in (self.left, self.right):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.left_pain, self.right_pain = QLabel(), QLabel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Change between the visits")
        self.summary.setStyleSheet("font-weight: 600;")
        grid = QGridLayout()
        grid.addWidget(self.first, 0, 0)
        grid.addWidget(self.second, 0, 1)
        grid.addWidget(self.left, 1, 0)
        grid.addWidget(self.right, 1, 1)
        grid.addWidget(self.left_pain, 2, 0)
        grid.addWidget(self.right_pain, 2, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.first.currentIndexChanged.connect(lambda _: self.refresh())
        self.second.currentIndexChanged.connect(lambda _: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        if self.first.count() == 0:
            self.summary.setText("This patient has no visits to compare yet.")
            return
        a = self.repo.load_session(self.first.currentData())
        b = self.repo.load_session(self.second.currentData())
        self.left.setPixmap(QPixmap.fromImage(visit_image(a, self.atlas, self.palette)))
        self.right.setPixmap(QPixmap.fromImage(visit_image(b, self.atlas, self.palette)))
        comparison = compare_visits(a, b, self.atlas)
        by_id = {a.session.started_at: a, b.session.started_at: b}
        for label, record in ((self.left_pain, a), (self.right_pain, b)):
            figures = (
                comparison.earlier if record is by_id[comparison.earlier.started_at] else comparison.later
            )
            label.setText(
                f"Pain {_fmt(figures.pain_pre)} → {_fmt(figures.pain_post)} · "
                f"{len(record.marks)} marks · pain area {figures.extent_body:.1f}% of the body"
            )
        self.summary.setText(comparison.summary())


def _fmt(value: int | None) -> str:
    return "—" if value is None else str(value)
