"""The passphrase of encrypted records, asked before the main window opens.

Installed as ``store.key_source``'s asker, so the dialog appears only when the database (or a
backup being restored) is encrypted and neither this process, ``DN_BODYMAP_PASSPHRASE`` nor the
system keyring had the passphrase; after a wrong one it says so and asks again (three times). The
passphrase is kept in the keyring only when the clinician ticks the box and it opened the records.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.store import key_source


class PassphraseDialog(QDialog):
    def __init__(self, path: Path, wrong: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Encrypted records")
        self.setObjectName("passphraseDialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"The record database <b>{html.escape(path.name)}</b> is encrypted.<br>"
            "Enter its passphrase to open it."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.error = QLabel("That passphrase does not open these records. Try again.")
        self.error.setObjectName("passphraseError")
        self.error.setVisible(wrong)
        layout.addWidget(self.error)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.setAccessibleName("Passphrase")
        layout.addWidget(self.passphrase)
        self.remember = QCheckBox("Remember on this computer (system keyring)")
        self.remember.setToolTip(
            "Keeps the passphrase in the operating system's keyring, so this user account opens the "
            "records without asking. Leave it off on a shared computer."
        )
        layout.addWidget(self.remember)
        hint = QLabel(f"For scripts, the passphrase may come from {key_source.PASSPHRASE_ENV}.")
        hint.setObjectName("passphraseHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.passphrase.setFocus()
        self.setMinimumWidth(420)


class PassphraseAsker:
    """The GUI's ``key_source`` asker; ``remember_if_chosen`` after the records opened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self.asked: tuple[Path, str, bool] | None = None  # path, passphrase, keep in the keyring

    def __call__(self, path: Path, wrong: bool) -> str | None:
        dialog = self.make_dialog(path, wrong)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.passphrase.text():
            return None
        self.asked = (path, dialog.passphrase.text(), dialog.remember.isChecked())
        return dialog.passphrase.text()

    def make_dialog(self, path: Path, wrong: bool) -> PassphraseDialog:
        return PassphraseDialog(path, wrong, self.parent)

    def remember_if_chosen(self) -> bool:
        """Keep the last answer in the keyring if the box was ticked and it opened the records."""
        if self.asked is None:
            return False
        path, passphrase, keep = self.asked
        if not keep or not key_source.is_known(passphrase):
            return False
        return key_source.store_in_keyring(path, passphrase)


def install_passphrase_asker(parent: QWidget | None = None) -> PassphraseAsker:
    asker = PassphraseAsker(parent)
    key_source.set_asker(asker)
    return asker
