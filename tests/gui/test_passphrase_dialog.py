"""Encrypted records ask their passphrase before the main window (issue #13).

The dialog's ``exec`` is replaced by a function that fills it in and answers, so no modal loop runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from store.encryption_fixtures import PASSPHRASE, MemoryKeyring, digest
from store.encryption_fixtures import keys_fixture as keys_fixture  # the ``keys`` fixture

from dn_bodymap.gui.passphrase_dialog import PassphraseDialog
from dn_bodymap.store import StoreError, key_source

pytest.importorskip("sqlcipher3")


@pytest.fixture
def encrypted(db_path: Path, keys: MemoryKeyring) -> Iterator[Path]:
    from dn_bodymap.store import open_store
    from dn_bodymap.store.encryption_convert import encrypt_database

    open_store(db_path).close()
    encrypt_database(db_path, PASSPHRASE)
    key_source.forget_all()  # a fresh start: nothing remembered
    yield db_path
    key_source.set_asker(None)


def _answer(monkeypatch: pytest.MonkeyPatch, answers: list[str | None], remember: bool = False) -> list[bool]:
    """Each dialog gets the next answer (None: Cancel); returns whether each showed 'wrong'."""
    shown: list[bool] = []
    queue = iter(answers)

    def fake_exec(dialog: PassphraseDialog) -> int:
        shown.append(not dialog.error.isHidden())
        answer = next(queue, "unexpected")
        assert answer != "unexpected", "the passphrase was asked once more than expected"
        if answer is None:
            return QDialog.DialogCode.Rejected
        dialog.passphrase.setText(answer)
        dialog.remember.setChecked(remember)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PassphraseDialog, "exec", fake_exec)
    return shown


def _open(path: Path) -> Callable[[], None]:
    from dn_bodymap.gui.app import open_repository

    repo, _ = open_repository(str(path), False)
    repo.close()


def test_the_dialog_asks_and_the_records_open(encrypted: Path, qtbot, monkeypatch) -> None:
    shown = _answer(monkeypatch, [PASSPHRASE])
    _open(encrypted)
    assert shown == [False]


def test_a_wrong_passphrase_is_said_and_asked_again(encrypted: Path, qtbot, monkeypatch) -> None:
    shown = _answer(monkeypatch, ["not the passphrase", PASSPHRASE])
    _open(encrypted)
    assert shown == [False, True]


def test_cancel_gives_the_sentence_and_changes_nothing(encrypted: Path, qtbot, monkeypatch) -> None:
    before = digest(encrypted)
    _answer(monkeypatch, [None])
    with pytest.raises(StoreError, match="This record database is encrypted; the passphrase was wrong"):
        _open(encrypted)
    assert digest(encrypted) == before


def test_remember_keeps_it_in_the_keyring_only_once_it_opened(
    encrypted: Path, qtbot, monkeypatch, keys: MemoryKeyring
) -> None:
    _answer(monkeypatch, ["not the passphrase", PASSPHRASE], remember=True)
    _open(encrypted)
    assert list(keys.items.values()) == [PASSPHRASE]
    key_source.forget_all()
    _answer(monkeypatch, [])  # a further dialog would fail the test: the keyring answers now
    _open(encrypted)


def test_the_environment_variable_needs_no_dialog(encrypted: Path, qtbot, monkeypatch) -> None:
    _answer(monkeypatch, [])
    monkeypatch.setenv(key_source.PASSPHRASE_ENV, PASSPHRASE)
    _open(encrypted)


def test_plain_records_never_ask(db_path: Path, keys: MemoryKeyring, qtbot, monkeypatch) -> None:
    _answer(monkeypatch, [])
    _open(db_path)  # created plain
    _open(db_path)
    key_source.set_asker(None)


def test_screenshot(qtbot, tmp_path: Path) -> None:
    """docs/passphrase-dialog.png when DN_BODYMAP_SCREENSHOTS is set (looked at by a person)."""
    dialog = PassphraseDialog(Path("records.db"), wrong=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.passphrase.setText("secret passphrase")
    image = dialog.grab()
    assert not image.isNull() and not dialog.error.isHidden()
    target = os.environ.get("DN_BODYMAP_SCREENSHOTS")
    if target:
        image.save(str(Path(target) / "passphrase-dialog.png"))
