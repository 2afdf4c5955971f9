"""A body-view zone reaches only the detail views of the same surface (palm, not knuckles)."""

from __future__ import annotations

import pytest

from dn_bodymap.atlas.trigger_points import default_library


@pytest.fixture(scope="module")
def library():
    return default_library()


def _views(library, muscle: str) -> set[str]:
    return {
        z.view
        for tp in library.instances.values()
        if tp.muscle == muscle
        for z in (*tp.essential, *tp.spillover)
    }


def test_palm_side_patterns_stay_off_the_back_of_the_hand(library):
    views = _views(library, "flexor_digitorum_superficialis")
    assert "palmar" in views
    assert "dorsal_hand" not in views


def test_back_of_hand_patterns_stay_off_the_palm(library):
    views = _views(library, "extensor_digitorum")
    assert "dorsal_hand" in views
    assert "palmar" not in views
