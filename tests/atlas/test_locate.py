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


def test_deep_layers_in_true_depth_order_under_infraspinatus():
    """From the back: infraspinatus, (scapula), serratus anterior on the ribs, then the intercostals."""
    from dn_bodymap.atlas.locate import locate

    result = locate("posterior", 72, 232)
    ids = [m.muscle_id for m in result.muscles]
    assert ids[0] == "infraspinatus"
    assert ids.index("serratus_anterior") < ids.index("intercostals")
    assert "subscapularis" not in ids


def test_subscapularis_is_offered_only_through_the_axilla():
    from dn_bodymap.atlas.locate import REACHED_ONLY_THROUGH, locate

    for view, x, y in (("anterior", 60, 240), ("anterior", -60, 240), ("posterior", 72, 232)):
        result = locate(view, x, y)
        assert "subscapularis" not in [m.muscle_id for m in result.muscles]
        (reason,) = [why for muscle, why in result.unreachable if muscle == "subscapularis"]
        assert "axilla" in reason
    for view, x, y in (("posterior", 93, 236), ("anterior", 95, 235), ("anterior", -95, 235)):
        result = locate(view, x, y)
        assert result.region is not None and result.region.id in REACHED_ONLY_THROUGH["subscapularis"][0]
        ids = [m.muscle_id for m in result.muscles]
        assert "subscapularis" in ids and result.unreachable == ()
        assert ids.index("subscapularis") < ids.index("intercostals")
    # the library's subscapularis point on the posterior axillary fold, just off the axilla region
    for x in (84, -84):
        result = locate("posterior", x, 244)
        ids = [m.muscle_id for m in result.muscles]
        assert "subscapularis" in ids and result.unreachable == ()
        assert ids.index("subscapularis") < ids.index("intercostals")


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["anterior", "posterior", "lateral_right"]),
    st.floats(-130, 130, allow_nan=False),
    st.floats(150, 320, allow_nan=False),
)
def test_packaged_index_agrees_with_brute_force_on_the_trunk(view, x, y):
    from dn_bodymap.atlas.locate import default_index

    index = default_index().view(view)
    a, b = index.locate(x, y), index.locate_brute_force(x, y)
    assert [m.muscle_id for m in a.muscles] == [m.muscle_id for m in b.muscles]
    assert a.unreachable == b.unreachable


def test_no_library_point_has_its_own_muscle_marked_unreachable():
    """Reachability never hides the muscle of a trigger point at that point's own location."""
    from dn_bodymap.atlas.locate import locate
    from dn_bodymap.atlas.trigger_points import default_library

    hidden = [
        (tp.id, str(tp.side), loc.view)
        for tp in default_library().instances.values()
        for loc in tp.locations
        if tp.muscle in {muscle for muscle, _ in locate(loc.view, loc.x, loc.y).unreachable}
    ]
    assert not hidden
