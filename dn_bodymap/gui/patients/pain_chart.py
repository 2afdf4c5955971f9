"""A small chart of pain (0–10) before and after treatment across a patient's sessions."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

# The chart is painted on the first screen. ``QPainter.setPen``/``setBrush`` (and ``Qt.AlignmentFlag``)
# make PySide create its ``Qt`` namespace, ~90 enum classes, ~40 ms before the patient list could
# show (issue #14: start-up); so lines and dots are stroked and filled as paths and the labels drawn
# by the style in a palette colour, which sets the pen in C++. The same pixels, except that a date
# label's box snaps to whole pixels (up to half a pixel to the side).
ALIGN_RIGHT_VCENTER = 0x0002 | 0x0080  # Qt.AlignRight | Qt.AlignVCenter
ALIGN_CENTER = 0x0084  # Qt.AlignCenter
SERIES = ((1, "#c62828", False), (2, "#1565c0", True))  # (field, colour, hollow): before, after


def _brush(colour: str):
    """A solid brush of ``colour`` (``QBrush(QColor)`` would create the ``Qt`` namespace too)."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor(colour))
    return palette.base()


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
        style = self.style()
        area = QRectF(self.rect()).adjusted(40, 10, -34, -22)
        grid = QPen(pal.mid(), 1)
        for level in (0, 5, 10):
            y = area.bottom() - area.height() * level / 10
            p.strokePath(_line(QPointF(area.left(), y), QPointF(area.right(), y)), grid)
            label = QRectF(0, y - 8, 30, 16).toRect()
            style.drawItemText(p, label, ALIGN_RIGHT_VCENTER, pal, True, str(level), QPalette.ColorRole.Mid)
        if not self.points:
            style.drawItemText(
                p, area.toRect(), ALIGN_CENTER, pal, True, "No pain scores yet", QPalette.ColorRole.Mid
            )
            return
        n = len(self.points)
        step = area.width() / max(1, n - 1) if n > 1 else 0

        def at(i: int, value: int) -> QPointF:
            x = area.left() + (i * step if n > 1 else area.width() / 2)
            return QPointF(x, area.bottom() - area.height() * value / 10)

        for idx, colour, hollow in SERIES:
            brush = _brush(colour)
            pen = QPen(brush, 2)
            series = [(i, pt[idx]) for i, pt in enumerate(self.points) if pt[idx] is not None]
            for (i0, v0), (i1, v1) in itertools.pairwise(series):
                p.strokePath(_line(at(i0, v0), at(i1, v1)), pen)
            for i, v in series:
                dot = QPainterPath()
                dot.addEllipse(at(i, v), 4, 4)
                p.fillPath(dot, pal.base() if hollow else brush)
                p.strokePath(dot, pen)
        for i, pt in enumerate(self.points):
            if n <= 8 or i % max(1, n // 8) == 0:
                x = at(i, 0).x()
                label = QRectF(x - 30, area.bottom() + 4, 60, 16).toRect()
                style.drawItemText(p, label, ALIGN_CENTER, pal, True, pt[0], QPalette.ColorRole.Text)


def _line(start: QPointF, end: QPointF) -> QPainterPath:
    path = QPainterPath()
    path.moveTo(start)
    path.lineTo(end)
    return path
