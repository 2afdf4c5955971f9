"""Record an adverse event, graded mild / significant / serious (White et al., via Physiotherapy
Alberta; see reference/safety.md §5.4)."""

from __future__ import annotations

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from dn_bodymap.charting.records import AdverseEvent
from dn_bodymap.charting.timestamps import utc_now
from dn_bodymap.gui.local_time import utc_text

TYPES = [
    "Post-needling soreness",
    "Bruising",
    "Bleeding",
    "Pain during treatment",
    "Vasovagal response / fainting",
    "Aggravation of symptoms",
    "Drowsiness or fatigue",
    "Headache",
    "Nausea",
    "Suspected pneumothorax",
    "Nerve irritation",
    "Infection",
    "Broken or retained needle",
    "Other",
]
SEVERITIES = [
    ("mild", "Mild — brief and reversible"),
    ("significant", "Significant — needs medical care or limits activities"),
    ("serious", "Serious — hospital admission, lasting disability or death"),
]


class AdverseEventDialog(QDialog):
    """On a signed session the event is a dated entry of its own; the note stays signed."""

    def __init__(
        self,
        session_id: str,
        parent: QWidget | None = None,
        *,
        recorded_by: str | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record adverse event")
        self.session_id = session_id
        self.recorded_by = recorded_by
        self.occurred = QDateTimeEdit(QDateTime.currentDateTime())
        self.occurred.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.occurred.setCalendarPopup(True)
        self.occurred.setMaximumDateTime(QDateTime.currentDateTime().addSecs(3600))
        self.occurred.setAccessibleName("When it happened (local time)")
        self.occurred.setToolTip(
            "Local time; a delayed event (a pneumothorax can show hours later) may be earlier"
        )
        self.type = QComboBox()
        self.type.setEditable(True)
        self.type.addItems(TYPES)
        self.type.setAccessibleName("Type of adverse event")
        self.severity = QComboBox()
        for key, text in SEVERITIES:
            self.severity.addItem(text, key)
        self.severity.setAccessibleName("Severity")
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("What happened and what was done")
        self.error = QLabel()
        self.error.setStyleSheet("color:#c62828")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        if signed:
            note = QLabel(
                "This session is signed. The event is added as a dated entry under it; "
                "the signed note itself does not change."
            )
            note.setWordWrap(True)
            form.addRow(note)
        if recorded_by:
            form.addRow("Recorded by", QLabel(recorded_by))
        form.addRow("When", self.occurred)
        form.addRow("Type", self.type)
        form.addRow("Severity", self.severity)
        form.addRow("Notes", self.notes)
        form.addRow(self.error)
        form.addRow(buttons)
        self.event: AdverseEvent | None = None

    def _accept(self) -> None:
        try:
            self.event = AdverseEvent(
                session_id=self.session_id,
                type=self.type.currentText().strip(),
                severity=self.severity.currentData(),
                notes=self.notes.toPlainText(),
                occurred_at=utc_text(self.occurred.dateTime()),
                recorded_by=self.recorded_by,
                recorded_at=utc_now(),
            )
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
