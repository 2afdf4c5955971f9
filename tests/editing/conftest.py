"""Fixtures shared by the editing tests: a real store in a temporary folder (no backups)."""

from __future__ import annotations

import pytest


@pytest.fixture
def repo(tmp_path):
    from dn_bodymap.store import open_store

    r = open_store(tmp_path / "r.db", backups=False)
    yield r
    r.close()
