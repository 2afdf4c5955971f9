"""Guards against a Qt binding that corrupts the interpreter while painting.

PySide6 6.12.0 releases a reference to None on every QPainter.setPen/setBrush call; a long
session of painting then aborts Python ("deallocating None"). pyproject keeps it out; this test
fails if a binding with that fault is ever installed.
"""

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen


def test_painter_calls_keep_none_alive(qapp):
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        before = sys.getrefcount(None)
        for _ in range(500):
            painter.setPen(QPen(QColor("red")))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor("red")))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        assert sys.getrefcount(None) - before > -100
    finally:
        painter.end()
