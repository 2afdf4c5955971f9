"""The session's marks as a list that stays in step with the canvas selection."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

LEVEL_MARK = {"caution": "⚠", "high": "⚠", "very_high": "⚠⚠", "no_needle": "⛔"}


class MarksList(QListWidget):
    markActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Trigger points of this session")
        self.setToolTip("Trigger points marked in this session; select one to edit it")
        self._blocking = False
        self.currentItemChanged.connect(self._on_current_changed)

    def set_rows(self, rows: list[tuple[str, str, str | None]]) -> None:
        """rows: (mark id, text, hazard level or None)."""
        current = self.current_mark()
        self._blocking = True
        self.clear()
        for mark_id, text, level in rows:
            item = QListWidgetItem((LEVEL_MARK.get(level or "", "") + " " + text).strip())
            item.setData(Qt.ItemDataRole.UserRole, mark_id)
            if level in ("high", "very_high", "no_needle"):
                item.setForeground(QColor("#c62828"))
                item.setToolTip(f"Hazard acknowledged: {level.replace('_', ' ')}")
            self.addItem(item)
        self._blocking = False
        if current:
            self.select_mark(current)

    def current_mark(self) -> str | None:
        item = self.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select_mark(self, mark_id: str | None) -> None:
        self._blocking = True
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == mark_id:
                self.setCurrentRow(i)
                break
        else:
            self.setCurrentRow(-1)
        self._blocking = False

    def _on_current_changed(self, current, _previous) -> None:
        if not self._blocking and current is not None:
            self.markActivated.emit(current.data(Qt.ItemDataRole.UserRole))
