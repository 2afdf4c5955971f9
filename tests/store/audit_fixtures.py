"""Shared pieces of the audit-chain tests: a private audit key per test, and tampering with a file
the way someone holding only sqlite3 and the file could."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dn_bodymap.store import audit_key


@pytest.fixture(name="private_key", autouse=True)
def private_key_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A key of the test's own (never the user's), used by every store the test opens."""
    path = tmp_path / "config" / "audit.key"
    monkeypatch.setenv(audit_key.KEY_ENV, str(path))
    return path


def tamper(path: Path, *statements: str) -> None:
    """What someone with sqlite3 and the file can do; a trigger dropped to do it is put back, so the
    file still opens (only the walk can tell)."""
    conn = sqlite3.connect(path)
    try:
        triggers = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
        dropped = [sql.split()[-1] for sql in statements if sql.startswith("DROP TRIGGER")]
        for sql in statements:
            conn.execute(sql)
        for trigger in dropped:
            conn.execute(triggers[trigger])
        conn.commit()
    finally:
        conn.close()
