"""Shared pieces of the encryption tests: an isolated key source and an in-memory keyring."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from dn_bodymap.store import key_source
from dn_bodymap.store.encryption import SQLITE_HEADER
from dn_bodymap.store.encryption_convert import _fingerprint

PASSPHRASE = "correct horse battery"


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in the test (the machine's keyring is never touched)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture(name="keys")
def keys_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """No remembered passphrase, no environment variable, no asker, an empty keyring."""
    monkeypatch.delenv(key_source.PASSPHRASE_ENV, raising=False)
    key_source.forget_all()
    previous_asker = key_source.set_asker(None)
    previous_ring = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        os.environ.pop(key_source.PASSPHRASE_ENV, None)  # tests set it directly too
        keyring.set_keyring(previous_ring)
        key_source.set_asker(previous_asker)
        key_source.forget_all()


def is_plain(path: Path) -> bool:
    return path.read_bytes()[:16] == SQLITE_HEADER


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plain_fingerprint(path: Path) -> tuple:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _fingerprint(conn)
    finally:
        conn.close()


def copy_store(template: Path, target: Path) -> Path:
    """A copy of a closed template store (no -wal to carry)."""
    shutil.copy2(template, target)
    return target
