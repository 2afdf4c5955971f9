"""File → Clinic server…: where the clinic's PostgreSQL server is, who signs in, this room's name.

The URL (without password) and the workstation name are kept in the database's settings; a
password typed here goes to the system keyring only (sync/credentials.py). "Test connection" runs
off the GUI thread. (gui/clinic_dialog.py is a different thing: the clinic's name and logo.)
"""

from __future__ import annotations

import socket

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.gui.sync_status import NAME_SETTING, ClinicSync, _Call
from dn_bodymap.sync.connection import check_server
from dn_bodymap.sync.credentials import save_password
from dn_bodymap.sync.errors import SyncError
from dn_bodymap.sync.server_url import SETTING_KEY, checked_url, role_of, with_role

EXAMPLE_URL = "postgresql://server.clinic.lan/dn_clinic?sslmode=verify-full"


class ClinicServerDialog(QDialog):
    def __init__(self, sync: ClinicSync, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sync = sync
        self.setWindowTitle("Clinic server")
        self._call: _Call | None = None
        current = sync.repo.get_setting(SETTING_KEY) or ""  # type: ignore[attr-defined]
        self.url = QLineEdit(with_role(current, "") if current else "")
        self.url.setPlaceholderText(EXAMPLE_URL)
        self.url.setAccessibleName("Server URL")
        self.url.setToolTip(
            "The clinic's PostgreSQL database. A server on another computer needs sslmode=verify-full "
            "(or require). Leave empty to stop sharing records."
        )
        self.role = QLineEdit(role_of(current))
        self.role.setPlaceholderText("your role on the server, e.g. room2")
        self.role.setAccessibleName("Role")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the system keyring; empty keeps the one kept")
        self.password.setAccessibleName("Password")
        self.name = QLineEdit(sync.repo.get_setting(NAME_SETTING) or "")  # type: ignore[attr-defined]
        self.name.setPlaceholderText(f"e.g. Room 2 (default: {socket.gethostname()})")
        self.name.setAccessibleName("Workstation name")
        self.name.setToolTip("Shown to the other rooms, e.g. \u201copen in Room 2\u201d")
        form = QFormLayout()
        form.addRow("Server URL", self.url)
        form.addRow("Role", self.role)
        form.addRow("Password", self.password)
        form.addRow("This workstation", self.name)
        self.test_button = QPushButton("Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Connection test result")
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addWidget(self.result, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())

    def full_url(self) -> str:
        """The URL signing in as the role, checked (no password in it, TLS off this machine)."""
        text = self.url.text().strip()
        return checked_url(with_role(text, self.role.text())) if text else ""

    def test_connection(self) -> None:
        try:
            url = self.full_url()
        except SyncError as exc:
            self.result.setText(str(exc))
            return
        if not url:
            self.result.setText("Give the server's URL first.")
            return
        if self._call is not None:
            return
        password = self.password.text() or None
        self.result.setText("Connecting…")
        self.test_button.setEnabled(False)
        call = _Call(lambda: check_server(url, password), self)
        call.succeeded.connect(lambda text: self.result.setText(str(text)))
        call.failed.connect(lambda message, _offline: self.result.setText(message))
        call.finished.connect(self._tested)
        self._call = call
        call.start()

    def _tested(self) -> None:
        call, self._call = self._call, None
        if call is not None:
            call.deleteLater()
        self.test_button.setEnabled(True)

    def save(self) -> None:
        """Keep the settings (and the password in the keyring); bad input: a line, nothing kept."""
        try:
            url = self.full_url()
            if url and self.password.text():
                save_password(url, self.password.text())
        except SyncError as exc:
            self.result.setText(str(exc))
            return
        repo = self.sync.repo
        try:
            repo.set_setting(SETTING_KEY, url)  # type: ignore[attr-defined]
            repo.set_setting(NAME_SETTING, self.name.text().strip())  # type: ignore[attr-defined]
        except Exception as exc:  # e.g. a read-only database
            self.result.setText(f"Not saved: {exc}")
            return
        self.password.clear()
        self.sync.reconfigure()
        self.accept()

    def done(self, result: int) -> None:
        if self._call is not None:  # a test still connecting: let it end before the dialog goes
            self._call.wait(15_000)
        super().done(result)
