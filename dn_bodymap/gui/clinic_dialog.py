"""The clinic's name and logo as reports print them; both belong to the database, not the computer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

LOGO_FILTER = "Images (*.png *.jpg *.jpeg)"


class ClinicDialog(QDialog):
    """Edits a copy; the caller stores ``result_name`` and ``result_logo`` when accepted."""

    def __init__(self, name: str, logo: bytes | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clinic details")
        self.result_name = name
        self.result_logo = logo
        self.name = QLineEdit(name)
        self.name.setPlaceholderText("shown on reports, e.g. Riverside Physiotherapy")
        self.name.setAccessibleName("Clinic name")
        self.preview = QLabel()
        self.preview.setMinimumSize(180, 60)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e")
        self.error.setWordWrap(True)
        self.choose_button = QPushButton("Choose…")
        self.choose_button.clicked.connect(self._on_choose_clicked)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.choose_button)
        buttons_row.addWidget(self.remove_button)
        buttons_row.addStretch(1)
        form = QFormLayout()
        form.addRow("Clinic name", self.name)
        form.addRow("Logo", self.preview)
        form.addRow("", buttons_row)
        hint = QLabel("A PNG or JPEG of at most 256 KB; it is printed small at the top of every report page.")
        hint.setWordWrap(True)
        standard = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(standard.Ok | standard.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._show_logo()

    def set_logo_file(self, path: Path) -> bool:
        """Load a logo from a file; a file that is not a usable image is said so and changes nothing."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.error.setText(f"Could not read {path.name}: {exc.strerror or exc}.")
            return False
        pixmap = QPixmap()
        if not data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")) or not pixmap.loadFromData(data):
            self.error.setText(f"{path.name} is not a PNG or JPEG image.")
            return False
        if len(data) > 256 * 1024:
            self.error.setText(f"{path.name} is {len(data) // 1024} KB; choose an image of at most 256 KB.")
            return False
        self.error.clear()
        self.result_logo = data
        self._show_logo()
        return True

    def accept(self) -> None:
        self.result_name = self.name.text().strip()
        super().accept()

    def _on_choose_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the clinic's logo", "", LOGO_FILTER)
        if path:
            self.set_logo_file(Path(path))

    def _on_remove_clicked(self) -> None:
        self.result_logo = None
        self.error.clear()
        self._show_logo()

    def _show_logo(self) -> None:
        self.remove_button.setEnabled(self.result_logo is not None)
        pixmap = QPixmap()
        if self.result_logo and pixmap.loadFromData(self.result_logo):
            self.preview.setPixmap(pixmap.scaled(180, 60, Qt.AspectRatioMode.KeepAspectRatio))
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("No logo")
