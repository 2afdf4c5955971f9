"""Fixtures for the atlas engine tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from mini_atlas import MINI, write_tree


@pytest.fixture(name="write_tree")
def write_tree_fixture():
    return write_tree


@pytest.fixture
def mini_root(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "atlas", MINI)


@pytest.fixture(scope="module")
def mini_atlas(tmp_path_factory: pytest.TempPathFactory):
    """Built once per module without the cache (the atlas is immutable in use)."""
    from dn_bodymap.atlas.loader import load_atlas

    root = write_tree(tmp_path_factory.mktemp("mini") / "atlas", MINI)
    return load_atlas(root, use_cache=False)
