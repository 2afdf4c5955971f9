"""The session's marks as a list that stays in step with the canvas selection."""

from __future__ import annotations

from collections.abc import Callable

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
        self.setUniformItemSizes(True)  # one-line rows: no per-row layout pass when a row is added
        self._items: dict[str, QListWidgetItem] = {}
        self._shown: dict[str, tuple[str, str | None]] = {}
        self._order: list[str] = []
        self.currentItemChanged.connect(self._on_current_changed)

    def set_rows(self, rows: list[tuple[str, str, str | None]]) -> None:
        """rows: (mark id, text, hazard level or None), in order. Only the rows that differ are
        touched: unchanged rows keep their item and place, so a click with 2,000 marks in the
        session updates one row instead of rebuilding the list (and the selection stays put)."""
        wanted = {mark_id: (text, level) for mark_id, text, level in rows}
        order = list(wanted)
        current = self.current_mark()
        self._blocking = True
        try:
            for mark_id in [m for m in self._order if m not in wanted]:
                self.takeItem(self.row(self._items.pop(mark_id)))
                del self._shown[mark_id]
            if current is not None and current not in wanted:
                self.setCurrentRow(-1)
            self._order = [m for m in self._order if m in wanted]
            for mark_id, (text, level) in wanted.items():
                item = self._items.get(mark_id)
                if item is None:
                    item = QListWidgetItem()
                    item.setData(Qt.ItemDataRole.UserRole, mark_id)
                    self._items[mark_id] = item
                if self._shown.get(mark_id) != (text, level):
                    _show(item, text, level)
                    self._shown[mark_id] = (text, level)
            kept = len(self._order)
            if order[:kept] == self._order:  # the usual case: new rows at the end
                for mark_id in order[kept:]:
                    self.addItem(self._items[mark_id])
            elif order != self._order:  # rows back in their place (undo) or reordered
                for index, mark_id in enumerate(order):
                    item = self._items[mark_id]
                    if self.item(index) is not item:
                        if item.listWidget() is self:
                            self.takeItem(self.row(item))
                        self.insertItem(index, item)
            self._order = order
        finally:
            self._blocking = False

    def update_rows(
        self, changed: dict[str, tuple[str, str | None] | None], order: Callable[[], list[str]]
    ) -> None:
        """Touch only the rows named: ``changed`` maps a mark id to (text, level), or to None for a
        row to remove. New rows go at the end when ``order`` (all ids, called only when needed)
        ends with them, the usual case; otherwise into their place. O(changed) rows touched."""
        current = self.current_mark()
        self._blocking = True
        try:
            added: list[str] = []
            for mark_id, row in changed.items():
                item = self._items.get(mark_id)
                if row is None:
                    if item is not None:
                        self.takeItem(self.row(item))
                        del self._items[mark_id], self._shown[mark_id]
                        self._order.remove(mark_id)
                        if current == mark_id:
                            self.setCurrentRow(-1)
                    continue
                if item is None:
                    item = self._items[mark_id] = QListWidgetItem()
                    item.setData(Qt.ItemDataRole.UserRole, mark_id)
                    added.append(mark_id)
                if self._shown.get(mark_id) != row:
                    _show(item, *row)
                    self._shown[mark_id] = row
            if not added:
                return
            wanted = order()
            if wanted[len(wanted) - len(added) :] == added and len(wanted) == len(self._order) + len(added):
                for mark_id in added:
                    self.addItem(self._items[mark_id])
                self._order.extend(added)
                return
            for index, mark_id in enumerate(wanted):  # a row back in its place (undo)
                item = self._items.get(mark_id)
                if item is None:  # not a row of this list (the caller names every new row)
                    continue
                if self.item(index) is not item:
                    if item.listWidget() is self:
                        self.takeItem(self.row(item))
                    self.insertItem(index, item)
            self._order = [m for m in wanted if m in self._items]
        finally:
            self._blocking = False

    def row_ids(self) -> list[str]:
        return list(self._order)

    def current_mark(self) -> str | None:
        item = self.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select_mark(self, mark_id: str | None) -> None:
        self._blocking = True
        item = self._items.get(mark_id) if mark_id is not None else None
        if item is not None:
            self.setCurrentItem(item)
        else:
            self.setCurrentRow(-1)
        self._blocking = False

    def _on_current_changed(self, current, _previous) -> None:
        if not self._blocking and current is not None:
            self.markActivated.emit(current.data(Qt.ItemDataRole.UserRole))


def _show(item: QListWidgetItem, text: str, level: str | None) -> None:
    item.setText((LEVEL_MARK.get(level or "", "") + " " + text).strip())
    hazard = level in ("high", "very_high", "no_needle")
    item.setData(Qt.ItemDataRole.ForegroundRole, QColor("#c62828") if hazard else None)
    item.setToolTip(f"Hazard acknowledged: {(level or '').replace('_', ' ')}" if hazard else "")
