"""A tiny atlas and library for the referral engine (independent of the real content)."""

from __future__ import annotations

import pytest
from mini_atlas import MINI, write_tree

LIBRARY = """
[[trigger_point]]
id = "big.1"
muscle = "big"
label = "Big muscle TrP1"
description = "Refers over the chest."
sources = ["T1"]
[[trigger_point.location]]
frame = "anterior"
at = [30, 150]
[[trigger_point.essential]]
regions = ["chest"]
[[trigger_point.spillover]]
regions = ["belly"]

[[trigger_point]]
id = "deep_one.1"
muscle = "deep_one"
label = "Deep muscle TrP1"
sources = ["T1"]
[[trigger_point.location]]
frame = "anterior"
at = [35, 160]
[[trigger_point.essential]]
frame = "anterior"
poly = [[30, 150], [34, 150], [34, 154], [30, 154]]

[[trigger_point]]
id = "big.belly"
muscle = "big"
label = "Big muscle, belly point"
sources = ["T1"]
[[trigger_point.location]]
frame = "anterior"
at = [30, 230]
[[trigger_point.essential]]
regions = ["belly"]
bilateral = true
"""


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    from dn_bodymap.atlas.loader import load_atlas, read_tables
    from dn_bodymap.atlas.trigger_points import build_library, read_library_tables

    root = write_tree(tmp_path_factory.mktemp("mini") / "atlas", MINI)
    atlas = load_atlas(root, use_cache=False)
    libdir = write_tree(tmp_path_factory.mktemp("lib"), {"test.toml": LIBRARY})
    library = build_library(atlas, read_library_tables(libdir), read_tables(root)["landmarks"])
    return atlas, library
