"""Cache files of code or asset versions no longer run go (issue #14): every version wrote its own
atlas, library, hazard and painter-path files, a few MiB each, and none was ever removed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from dn_bodymap.atlas import loader

DAY = 24 * 3600


def _age(path: Path, days: float) -> None:
    then = time.time() - days * DAY
    os.utime(path, (then, then))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DN_BODYMAP_CACHE", str(tmp_path))
    return tmp_path


def test_a_new_cache_file_removes_those_unused_for_a_month(folder: Path) -> None:
    old = loader.cache_file("library-old")
    recent = loader.cache_file("library-recent")
    stray = folder / "tmpabc.tmp"  # a write killed half-way
    mine = folder / "notes.txt"  # not ours
    for path in (old, recent, stray, mine):
        path.write_bytes(b"x")
    _age(old, 31)
    _age(stray, 31)
    _age(mine, 400)
    _age(recent, 29)
    loader.write_cached(loader.cache_file("library-new"), {"a": 1})
    assert not old.exists() and not stray.exists()
    assert recent.exists() and mine.exists()
    assert loader.read_cached(loader.cache_file("library-new"), dict) == {"a": 1}


def test_a_file_in_use_is_marked_used_and_kept(folder: Path) -> None:
    used = loader.cache_file("library-used")
    loader.write_cached(used, {"used": True})
    _age(used, 40)
    assert loader.read_cached(used, dict) == {"used": True}  # read at a start: marked used now
    assert time.time() - used.stat().st_mtime < DAY
    loader.write_cached(loader.cache_file("library-other"), {})
    assert used.exists()


def test_a_file_read_today_is_not_touched_again(folder: Path) -> None:
    used = loader.cache_file("library-today")
    loader.write_cached(used, [1])
    _age(used, 0.5)
    before = used.stat().st_mtime
    assert loader.read_cached(used, list) == [1]
    assert used.stat().st_mtime == before  # no metadata write at every start


def test_a_torn_or_foreign_file_is_not_marked_used(folder: Path) -> None:
    torn = loader.cache_file("library-torn")
    torn.write_bytes(loader.CACHE_TAG + b"\0\0\0\0garbage")
    _age(torn, 40)
    assert loader.read_cached(torn, dict) is None
    loader.write_cached(loader.cache_file("library-fresh"), {})
    assert not torn.exists()
