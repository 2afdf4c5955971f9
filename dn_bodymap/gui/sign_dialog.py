"""Signing a session: confirm who signs (the clinician profile, not a typed name) after a short
check of what may be missing. The check informs; the clinician can still sign."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.charting.records import Clinician


class SignDialog(QDialog):
    def __init__(
        self,
        clinician: Clinician,
        findings: list[str],
        change_clinician: Callable[[], Clinician | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign session")
        self.clinician = clinician
        self._change = change_clinician
        self.check = QLabel()
        self.check.setWordWrap(True)
        self.check.setAccessibleName("Before signing")
        if findings:
            items = "".join(f"<li>{f}</li>" for f in findings)
            self.check.setText(
                f"<b>Before signing, check:</b><ul style='margin-left:-20px'>{items}</ul>"
                "You can still sign; what is missing stays missing in the signed note."
            )
            self.check.setStyleSheet("background:#fff3cd;color:#5c4400;padding:6px;border-radius:4px;")
        else:
            self.check.setText("Pain after treatment, consent, screening and needling are all recorded.")
        self.who = QLabel()
        self.who.setWordWrap(True)
        self.who.setAccessibleName("Signing as")
        explain = QLabel("Once signed the note is read-only; later changes are added as addenda.")
        explain.setWordWrap(True)
        self.change_button = QPushButton("Not you? Change clinician…")
        self.change_button.clicked.connect(self._change_clinician)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = buttons.addButton("Sign", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.check)
        layout.addWidget(self.who)
        layout.addWidget(self.change_button)
        layout.addWidget(explain)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self._show_who()

    def _show_who(self) -> None:
        self.who.setText(f"Signing as <b>{self.clinician.signature}</b> ({self.clinician.initials})")
        self.sign_button.setText(f"Sign as {self.clinician.initials or self.clinician.name}")

    def _change_clinician(self) -> None:
        changed = self._change()
        if changed is not None:
            self.clinician = changed
            self._show_who()
