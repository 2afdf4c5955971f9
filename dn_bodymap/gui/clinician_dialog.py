"""The clinician profile: who writes this database's record (File → Clinician…).

Set once per database and used for every entry: the session, hazard acknowledgements, adverse
events, addenda and the signature. It lives in the database, not in the computer's settings.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.charting.records import Clinician, initials_of

PROFESSIONS = ["Physiotherapist", "Physician", "Chiropractor", "Osteopath", "Athletic therapist"]


class ClinicianForm(QWidget):
    """Name, profession, registration number, initials; ``clinician()`` raises on bad input."""

    def __init__(self, clinician: Clinician | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Alex Morgan")
        self.name.setAccessibleName("Clinician name")
        self.profession = QComboBox()
        self.profession.setEditable(True)
        self.profession.addItems(["", *PROFESSIONS])
        self.profession.setAccessibleName("Profession")
        self.registration = QLineEdit()
        self.registration.setPlaceholderText("professional registration, if any")
        self.registration.setAccessibleName("Registration number")
        self.initials = QLineEdit()
        self.initials.setMaxLength(8)
        self.initials.setPlaceholderText("from the name")
        self.initials.setAccessibleName("Initials")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Name", self.name)
        form.addRow("Profession", self.profession)
        form.addRow("Registration no.", self.registration)
        form.addRow("Initials", self.initials)
        if clinician is not None:
            self.name.setText(clinician.name)
            self.profession.setCurrentText(clinician.profession)
            self.registration.setText(clinician.registration_number)
            # Initials that follow from the name stay empty, so a new name brings new initials.
            if clinician.initials != initials_of(clinician.name):
                self.initials.setText(clinician.initials)
        self.name.textChanged.connect(
            lambda text: self.initials.setPlaceholderText(initials_of(text) or "from the name")
        )
        self.initials.setPlaceholderText(initials_of(self.name.text()) or "from the name")

    def clinician(self) -> Clinician:
        return Clinician(
            name=self.name.text().strip(),
            profession=self.profession.currentText().strip(),
            registration_number=self.registration.text().strip(),
            initials=self.initials.text().strip(),
        )


class ClinicianDialog(QDialog):
    def __init__(self, clinician: Clinician | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clinician")
        self.form = ClinicianForm(clinician)
        intro = QLabel(
            "The clinician who writes this database's record. New sessions, hazard "
            "acknowledgements, adverse events, addenda and signatures are recorded under this name; "
            "entries already made keep theirs."
        )
        intro.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color:#c62828")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        self.result_clinician: Clinician | None = None

    def _accept(self) -> None:
        try:
            self.result_clinician = self.form.clinician()
        except ValueError as exc:
            self.error.setText(_plain(exc))
            return
        self.accept()


def _plain(exc: Exception) -> str:
    text = str(exc)
    return text[:1].upper() + text[1:]
