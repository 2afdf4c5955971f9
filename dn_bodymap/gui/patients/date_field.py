"""A date of birth typed as text (the locale's day/month order, or ISO), blank by default, with a
calendar that opens near a plausible adult year rather than January 1900."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

ADULT_YEARS_AGO = 40  # where the calendar opens when nothing is typed yet


def locale_order(locale: QLocale | None = None) -> str:
    """'dmy', 'mdy' or 'ymd', from the locale's short date format."""
    fmt = (locale or QLocale()).dateFormat(QLocale.FormatType.ShortFormat).lower()
    positions = sorted((fmt.find(c), c) for c in "dmy" if fmt.find(c) >= 0)
    return "".join(c for _, c in positions) if len(positions) == 3 else "dmy"


def parse_date(text: str, order: str = "dmy") -> date | None:
    """ISO ``1984-03-12`` always; otherwise three numbers in the locale's order, separated by
    ``/ . -`` or spaces, with a four-digit year. None for empty text; ValueError when unreadable."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        y, m, d = (int(p) for p in text.split("-"))
        return date(y, m, d)
    parts = re.split(r"[\s/.\-]+", text)
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"'{text}' is not a date; type it as {_example(order)} or 1984-03-12")
    values = dict(zip(order, (int(p) for p in parts), strict=True))
    if values["y"] < 1000:
        raise ValueError("type the year with four digits")
    return date(values["y"], values["m"], values["d"])


def _example(order: str) -> str:
    sample = {"d": "12", "m": "03", "y": "1984"}
    return "/".join(sample[c] for c in order)


class DateField(QWidget):
    """Line edit + calendar button; Tab goes from the text straight to the next field."""

    dateChanged = Signal()

    def __init__(self, value: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.order = locale_order()
        self.edit = QLineEdit()
        pattern = "/".join({"d": "DD", "m": "MM", "y": "YYYY"}[c] for c in self.order)
        self.edit.setPlaceholderText(f"{pattern} or YYYY-MM-DD")
        self.edit.setAccessibleName("Date of birth")
        if value:
            self.edit.setText(value)
        self.calendar_button = QToolButton()
        self.calendar_button.setText("Calendar")
        self.calendar_button.setToolTip("Pick the date on a calendar")
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab skips it
        self.calendar = QCalendarWidget()
        self.calendar.setMaximumDate(QDate.currentDate())
        self.calendar.setMinimumDate(QDate(1900, 1, 1))
        menu = QMenu(self.calendar_button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._open_near_value)
        self.calendar_button.setMenu(menu)
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar.clicked.connect(self._picked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.calendar_button)
        self.setFocusProxy(self.edit)

    def value(self) -> str | None:
        """The date as ISO text, None when blank; ValueError (plain words) when unreadable."""
        parsed = parse_date(self.edit.text(), self.order)
        return parsed.isoformat() if parsed else None

    def _open_near_value(self) -> None:
        try:
            current = parse_date(self.edit.text(), self.order)
        except ValueError:
            current = None
        if current is not None:
            self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        else:
            today = QDate.currentDate()
            self.calendar.setCurrentPage(today.year() - ADULT_YEARS_AGO, 1)

    def _picked(self, day: QDate) -> None:
        self.edit.setText(day.toString("yyyy-MM-dd"))
        self.calendar_button.menu().close()
        self.dateChanged.emit()
