from hypothesis import given, settings
from hypothesis import strategies as st

from dn_bodymap.atlas.locate import AtlasIndex
from dn_bodymap.atlas.model import Side


def test_locate_orders_superficial_first(mini_atlas):
    result = AtlasIndex(mini_atlas).locate("anterior", 30, 150)
    assert result.inside
    assert [m.muscle_id for m in result.muscles] == ["big", "deep_one"]
    assert result.side is Side.LEFT
    assert result.region is not None and result.region.id == "chest"


def test_locate_outside(mini_atlas):
    result = AtlasIndex(mini_atlas).locate("anterior", 500, 150)
    assert not result.inside and result.region is None and result.muscles == ()


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["anterior", "posterior", "lateral_right", "lateral_left"]),
    st.floats(-120, 120, allow_nan=False),
    st.floats(-20, 320, allow_nan=False),
)
def test_index_agrees_with_brute_force(mini_atlas, view, x, y):
    index = AtlasIndex(mini_atlas).view(view)
    a, b = index.locate(x, y), index.locate_brute_force(x, y)
    assert (a.inside, a.side, a.region, [m.muscle_id for m in a.muscles]) == (
        b.inside,
        b.side,
        b.region,
        [m.muscle_id for m in b.muscles],
    )
