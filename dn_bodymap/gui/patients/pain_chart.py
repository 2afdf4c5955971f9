"""A small chart of pain (0–10) before and after treatment across a patient's sessions."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class PainChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[tuple[str, int | None, int | None]] = []
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Pain across sessions")
        self.setToolTip("Pain 0–10 before (filled) and after (hollow) each session")

    def set_points(self, points: list[tuple[str, int | None, int | None]]) -> None:
        """(date label, pain before, pain after), oldest first."""
        self.points = points
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        area = QRectF(self.rect()).adjusted(40, 10, -34, -22)
        p.setPen(QPen(pal.mid().color(), 1))
        for level in (0, 5, 10):
            y = area.bottom() - area.height() * level / 10
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            p.drawText(
                QRectF(0, y - 8, 30, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(level),
            )
        if not self.points:
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "No pain scores yet")
            return
        n = len(self.points)
        step = area.width() / max(1, n - 1) if n > 1 else 0

        def at(i: int, value: int) -> QPointF:
            x = area.left() + (i * step if n > 1 else area.width() / 2)
            return QPointF(x, area.bottom() - area.height() * value / 10)

        for idx, (colour, hollow) in (
            (1, (QColor("#c62828"), False)),
            (2, (QColor("#1565c0"), True)),
        ):
            series = [(i, pt[idx]) for i, pt in enumerate(self.points) if pt[idx] is not None]
            p.setPen(QPen(colour, 2))
            for (i0, v0), (i1, v1) in itertools.pairwise(series):
                p.drawLine(at(i0, v0), at(i1, v1))
            for i, v in series:
                p.setBrush(pal.base() if hollow else colour)
                p.drawEllipse(at(i, v), 4, 4)
        p.setPen(QPen(pal.text().color()))
        for i, pt in enumerate(self.points):
            if n <= 8 or i % max(1, n // 8) == 0:
                x = at(i, 0).x()
                p.drawText(QRectF(x - 30, area.bottom() + 4, 60, 16), Qt.AlignmentFlag.AlignCenter, pt[0])
