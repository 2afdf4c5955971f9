"""Small dialogs of the clinical record: an addendum to a signed note, voiding a draft."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class _TextDialog(QDialog):
    """A prompt, a wrapping text box that must not be empty, Save / Cancel."""

    def __init__(self, title: str, prompt: str, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setAccessibleName(title)
        self.error = QLabel()
        self.error.setStyleSheet("color:#c62828")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(480, 300)

    def value(self) -> str:
        return self.text.toPlainText().strip()

    def _accept(self) -> None:
        if not self.value():
            self.error.setText("Write something first.")
            return
        self.accept()


class AddendumDialog(_TextDialog):
    def __init__(self, author: str, parent: QWidget | None = None) -> None:
        super().__init__(
            "Addendum",
            f"An addendum to the signed note, by <b>{author}</b>, dated now. "
            "The signed note itself does not change.",
            "Add addendum",
            parent,
        )


class VoidDraftDialog(_TextDialog):
    def __init__(self, description: str, parent: QWidget | None = None) -> None:
        super().__init__(
            "Void draft",
            f"Void the draft session {description}? It disappears from lists and charts; it is "
            "kept, with your reason, and the voiding is in the audit log. Reason:",
            "Void draft",
            parent,
        )
