import pytest

from dn_bodymap.atlas.build import AtlasDataError
from dn_bodymap.atlas.model import Side
from dn_bodymap.atlas.trigger_points import build_library, location_on_muscle


def test_each_point_exists_on_both_sides_mirrored(mini):
    _atlas, library = mini
    right = library.instances[("big.1", Side.RIGHT)]
    left = library.instances[("big.1", Side.LEFT)]
    (r_loc,) = [loc for loc in right.locations if loc.view == "anterior"]
    (l_loc,) = [loc for loc in left.locations if loc.view == "anterior"]
    assert (r_loc.x, l_loc.x) == (-30, 30)  # anterior: the patient's right is x < 0


def test_region_zones_follow_the_side(mini):
    _atlas, library = mini
    right = library.instances[("big.1", Side.RIGHT)]
    assert {(z.view, z.side) for z in right.essential} == {("anterior", Side.RIGHT)}
    bilateral = library.instances[("big.belly", Side.RIGHT)]
    assert {z.side for z in bilateral.essential} == {Side.LEFT, Side.RIGHT}


def test_locations_lie_on_their_muscle(mini):
    atlas, library = mini
    for tp in library.instances.values():
        for loc in tp.locations:
            assert location_on_muscle(atlas, tp, loc)


def test_nearest_library_point(mini):
    _atlas, library = mini
    tp = library.nearest("anterior", Side.RIGHT, -31, 228, ["big"])
    assert tp is not None and tp.id == "big.belly"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"id": "nobody.1", "muscle": "nobody"}, "unknown muscle"),
        ({"id": "big1", "muscle": "big"}, "must start with"),
        (
            {"id": "big.2", "muscle": "big", "location": [{"frame": "anterior", "at": "nowhere"}]},
            "unknown landmark",
        ),
    ],
)
def test_bad_entries_are_named(mini, entry, message):
    atlas, _ = mini
    with pytest.raises(AtlasDataError, match=message):
        build_library(atlas, [entry], {"frontal": {}, "anterior": {}, "posterior": {}, "lateral": {}})
