"""Help → Chart legend: the body diagram's key, painted with the figure's own style."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from dn_bodymap.render.legend import LegendEntry, legend_entries, legend_height, paint_legend
from dn_bodymap.render.style import DARK, LIGHT

WIDTH = 520


class LegendView(QWidget):
    """Paints the key; its height follows the text at the widget's width."""

    def __init__(self, dark: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[LegendEntry] = legend_entries()
        self.palette_ = DARK if dark else LIGHT
        self.setAutoFillBackground(True)
        self.setMinimumWidth(WIDTH)

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(13, self.fontInfo().pixelSize()))
        return font

    def sizeHint(self) -> QSize:
        return QSize(WIDTH, round(legend_height(self.entries, WIDTH - 24, self._font())) + 24)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette_.background)
        area = QRectF(12, 12, self.width() - 24, self.height() - 24)
        paint_legend(painter, area, self.entries, self.palette_, self._font())
        painter.end()


class LegendDialog(QDialog):
    def __init__(self, dark: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Chart legend")
        layout = QVBoxLayout(self)
        self.view = LegendView(dark, self)
        layout.addWidget(self.view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
