"""Record an adverse event, graded mild / significant / serious (White et al., via Physiotherapy
Alberta; see reference/safety.md §5.4)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from dn_bodymap.charting.records import AdverseEvent

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
    def __init__(self, session_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record adverse event")
        self.session_id = session_id
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
            )
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
