"""First start on an empty database: what is needed once, in one short dialog.

The clinician profile (who writes the record), the clinic's name (on reports), and where the
automatic backups go. All of it is stored in this database and can be changed later
(File → Clinician…).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.charting.records import Clinician
from dn_bodymap.gui.clinician_dialog import ClinicianForm, _plain


class FirstStartDialog(QDialog):
    def __init__(self, backup_folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to dn-bodymap")
        intro = QLabel(
            "<b>Before the first patient</b><br>Three things are needed once for this record "
            "database. You can change them later under File → Clinician…."
        )
        intro.setWordWrap(True)
        who = QGroupBox("1. You, the clinician who writes the record")
        who_layout = QVBoxLayout(who)
        self.form = ClinicianForm()
        who_layout.addWidget(self.form)
        clinic = QGroupBox("2. The clinic")
        clinic_form = QFormLayout(clinic)
        self.clinic_name = QLineEdit()
        self.clinic_name.setPlaceholderText("shown on reports, e.g. Riverside Physiotherapy")
        self.clinic_name.setAccessibleName("Clinic name")
        clinic_form.addRow("Clinic name", self.clinic_name)
        backups = QGroupBox("3. Backups")
        backups_layout = QVBoxLayout(backups)
        where = QLabel(
            "A checked copy is written automatically after changes (older ones are thinned to "
            f"a daily, weekly and monthly history), into:<br><code>{backup_folder}</code><br>"
            "File → Backups… lists them and can move them to another disk; copy them to your "
            "clinic's backup regularly. File → Back up now writes one at any time."
        )
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        backups_layout.addWidget(where)
        self.error = QLabel()
        self.error.setStyleSheet("color:#c62828")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start")
        buttons.accepted.connect(self._accept)
        quit_button = buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.clicked.connect(super().reject)
        layout = QVBoxLayout(self)
        for widget in (intro, who, clinic, backups, self.error, buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(520)
        self.result_clinician: Clinician | None = None
        self.result_clinic_name = ""

    def _accept(self) -> None:
        try:
            self.result_clinician = self.form.clinician()
        except ValueError as exc:
            self.error.setText(_plain(exc))
            self.form.name.setFocus()
            return
        self.result_clinic_name = self.clinic_name.text().strip()
        self.accept()

    def reject(self) -> None:
        """The record needs an author: closing the dialog asks again rather than going on."""
        self.error.setText("A clinician name is needed: every entry in the record carries it.")
