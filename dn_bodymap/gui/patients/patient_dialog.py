"""Create or edit a patient; impossible values are refused by the fields themselves."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from dn_bodymap.charting.records import Patient
from dn_bodymap.gui.patients.date_field import DateField


class PatientDialog(QDialog):
    def __init__(self, patient: Patient | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit patient" if patient else "New patient")
        self.setObjectName("patientDialog")
        self._original = patient
        self.name = QLineEdit(patient.display_name if patient else "")
        self.name.setAccessibleName("Patient name")
        self.name.setPlaceholderText("Family name, given name")
        self.record_number = QLineEdit((patient.record_number or "") if patient else "")
        self.record_number.setAccessibleName("Record number")
        self.record_number.setMaxLength(64)
        self.dob = DateField(patient.date_of_birth if patient else None)
        self.sex = QComboBox()
        for text, value in (
            ("Not recorded", None),
            ("Female", "female"),
            ("Male", "male"),
            ("Other", "other"),
        ):
            self.sex.addItem(text, value)
        if patient and patient.sex:
            self.sex.setCurrentIndex(max(0, self.sex.findData(str(patient.sex))))
        self.sex.setAccessibleName("Sex")
        self.height = QDoubleSpinBox()
        self.height.setRange(29, 260)
        self.height.setSpecialValueText("—")
        self.height.setSuffix(" cm")
        self.height.setValue(patient.height_cm if patient and patient.height_cm else 29)
        self.height.setAccessibleName("Height in centimetres")
        self.weight = QDoubleSpinBox()
        self.weight.setRange(0, 400)
        self.weight.setSpecialValueText("—")
        self.weight.setSuffix(" kg")
        self.weight.setValue(patient.weight_kg if patient and patient.weight_kg else 0)
        self.weight.setAccessibleName("Weight in kilograms")
        self.notes = QPlainTextEdit(patient.notes if patient else "")
        self.notes.setAccessibleName("Notes")
        self.notes.setMaximumHeight(80)
        self.error = QLabel("")
        self.error.setStyleSheet("color:#c62828")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Record number", self.record_number)
        form.addRow("Date of birth", self.dob)
        form.addRow("Sex", self.sex)
        form.addRow("Height", self.height)
        form.addRow("Weight", self.weight)
        form.addRow("Notes", self.notes)
        form.addRow(self.error)
        form.addRow(buttons)
        self.result_patient: Patient | None = None

    def build(self) -> Patient:
        """The patient from the fields; raises the record's ValidationError with the field named."""
        import dataclasses

        values = dict(
            display_name=self.name.text().strip(),
            record_number=self.record_number.text().strip() or None,
            date_of_birth=self.dob.value(),
            sex=self.sex.currentData(),
            height_cm=None if self.height.value() < 30 else self.height.value(),
            weight_kg=None if self.weight.value() < 1 else self.weight.value(),
            notes=self.notes.toPlainText(),
        )
        if self._original is not None:
            return dataclasses.replace(self._original, **values)
        return Patient(**values)

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.error.setText("Please enter the patient's name.")
            return
        try:
            self.result_patient = self.build()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
