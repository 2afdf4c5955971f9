"""The comparison list: two to four patterns, each in its colour, which doubles as the legend."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.atlas.trigger_points import Library
from dn_bodymap.render.style import LIGHT, Palette, pattern_colour, pattern_colour_name

MAX_COMPARED = 4


def swatch(colour: QColor, size: int = 16) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(colour)
    return QIcon(pix)


class CompareList(QWidget):
    """Muscles compared, in order; entry i is drawn in pattern colour i."""

    changed = Signal()
    saveRequested = Signal()

    def __init__(self, atlas: Atlas, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.atlas = atlas
        self.library = library
        self.palette: Palette = LIGHT
        self.muscles: list[str] = []
        self.legend = QListWidget()
        self.legend.setAccessibleName("Compared patterns and their colours")
        self.status = QLabel("Add two to four muscles to compare their patterns.")
        self.status.setWordWrap(True)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Take the selected muscle out of the comparison")
        self.remove_button.clicked.connect(self._remove_selected)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(self.clear)
        self.save_button = QPushButton("Save as lesson…")
        self.save_button.setToolTip("Keep these muscles, in this order, as a lesson of your own")
        self.save_button.clicked.connect(self.saveRequested)
        buttons = QHBoxLayout()
        for b in (self.remove_button, self.clear_button, self.save_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Legend</b>"))
        layout.addWidget(self.legend, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._refresh()

    def add(self, muscle_id: str) -> bool:
        """Add a muscle; False (and a message) when it is there already or the list is full."""
        if muscle_id in self.muscles:
            self.status.setText(f"{self.atlas.muscles[muscle_id].name} is already compared.")
            return False
        if len(self.muscles) >= MAX_COMPARED:
            self.status.setText(f"At most {MAX_COMPARED} patterns can be compared; remove one first.")
            return False
        self.muscles.append(muscle_id)
        self._refresh()
        self.changed.emit()
        return True

    def set_muscles(self, muscles: list[str]) -> None:
        self.muscles = list(dict.fromkeys(muscles))[:MAX_COMPARED]
        self._refresh()
        self.changed.emit()

    def clear(self) -> None:
        self.muscles = []
        self._refresh()
        self.changed.emit()

    def set_palette(self, palette: Palette) -> None:
        self.palette = palette
        self._refresh()

    def _remove_selected(self) -> None:
        row = self.legend.currentRow()
        if 0 <= row < len(self.muscles):
            del self.muscles[row]
            self._refresh()
            self.changed.emit()

    def _refresh(self) -> None:
        self.legend.clear()
        for i, mid in enumerate(self.muscles):
            colour = pattern_colour(i, self.palette)
            text = f"{self.atlas.muscles[mid].name} ({pattern_colour_name(i)})"
            item = QListWidgetItem(swatch(colour), text)
            item.setData(Qt.ItemDataRole.UserRole, mid)
            self.legend.addItem(item)
        n = len(self.muscles)
        if n < 2:
            self.status.setText("Add two to four muscles to compare their patterns.")
        else:
            self.status.setText(f"{n} patterns compared.")
        self.remove_button.setEnabled(n > 0)
        self.clear_button.setEnabled(n > 0)
        self.save_button.setEnabled(n > 0)
