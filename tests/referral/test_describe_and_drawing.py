import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dn_bodymap.charting.referral.describe import describe, summarise
from dn_bodymap.charting.referral.drawing import DrawingError, PainDrawing


def test_describe_regions_extent_and_summary(mini):
    atlas, _ = mini
    d = describe(PainDrawing.from_regions(atlas, ["chest:right", "head"]), atlas)
    assert {(r.id, str(r.side)) for r in d.regions} == {("chest", "right"), ("head", "midline")}
    assert 0 < d.extent["anterior"] < 100 and d.extent["body"] > 0
    assert not d.bilateral and not d.widespread
    assert d.summary in ("right chest and head", "head and right chest")


def test_bilateral_flag_and_both_sides_phrase(mini):
    atlas, _ = mini
    d = describe(PainDrawing.from_regions(atlas, ["chest"]), atlas)
    assert d.bilateral
    assert d.summary == "chest on both sides"


def test_summary_of_nothing():
    assert summarise([]) == "no painful area marked"


FEATURE = {
    "type": "Feature",
    "properties": {"view": "anterior"},
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[-50, 100], [-10, 100], [-10, 180], [-50, 180], [-50, 100]]],
    },
}


def test_geojson_round_trip(mini):
    atlas, _ = mini
    drawing = PainDrawing.from_geojson_text(
        atlas, json.dumps({"type": "FeatureCollection", "features": [FEATURE]})
    )
    assert drawing.views() == ["anterior"]
    assert drawing.areas["anterior"].area == pytest.approx(40 * 80)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"type": "Feature", "type": "Feature"}', "repeats the key"),
        (json.dumps(FEATURE).replace("-50, 100]", "NaN, 100]", 1), "not a number"),
        (json.dumps(FEATURE).replace("-50, 100]", "1e999, 100]", 1), "finite"),
        (json.dumps({**FEATURE, "properties": {"view": "top"}}), "properties.view"),
        (json.dumps({**FEATURE, "geometry": {"type": "Point", "coordinates": [1, 2]}}), "Polygon"),
        (
            json.dumps(
                {
                    **FEATURE,
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[1, 1], [2, 2], [3, 3], [1, 1]]],
                    },
                }
            ),
            "no area",
        ),
        (
            json.dumps(
                {
                    **FEATURE,
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[900, 900], [990, 900], [990, 990], [900, 900]]],
                    },
                }
            ),
            "outside the figure",
        ),
        ("[]", "Feature"),
        (json.dumps(FEATURE["geometry"]), "not a bare Polygon: put it in a Feature whose properties.view"),
        (json.dumps({"type": "FeatureCollection", "features": [FEATURE, [1, 2]]}), "feature 2 is not a"),
    ],
)
def test_bad_drawings_are_refused_with_a_reason(mini, text, message):
    atlas, _ = mini
    with pytest.raises(DrawingError, match=message):
        PainDrawing.from_geojson_text(atlas, text)


def test_unknown_region_and_side(mini):
    atlas, _ = mini
    with pytest.raises(DrawingError, match="unknown region"):
        PainDrawing.from_regions(atlas, ["moon"])
    with pytest.raises(DrawingError, match="unknown side"):
        PainDrawing.from_regions(atlas, ["chest:up"])


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_any_json_is_read_or_refused_plainly(mini, value):
    atlas, _ = mini
    with contextlib.suppress(DrawingError):
        PainDrawing.from_geojson_text(atlas, json.dumps(value))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_plainly(mini, text):
    atlas, _ = mini
    with contextlib.suppress(DrawingError):
        PainDrawing.from_geojson_text(atlas, text)


def test_extent_in_words_names_the_close_up_view_instead_of_zero_percent_of_the_body():
    """Pain drawn only on the soles is not "0.0% of the body surface" on the screen or the report:
    the phrase says it is not on the front or back views and how much of the soles' view it covers;
    as soon as the front or back view has pain, the body's share is given."""
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.charting.referral.describe import extent_phrase

    atlas = default_atlas()
    sole = describe(PainDrawing.from_regions(atlas, ["plantar_heel_pad:right"]), atlas)
    assert sole.extent["body"] == 0.0 and sole.extent["plantar"] > 0
    phrase = extent_phrase(sole, atlas)
    assert "body surface" not in phrase and "soles of the feet" in phrase
    assert f"{sole.extent['plantar']:.1f}%" in phrase
    both = describe(PainDrawing.from_regions(atlas, ["plantar_heel_pad:right", "lumbar"]), atlas)
    assert extent_phrase(both, atlas) == f"{both.extent['body']:.1f}% of the body surface"
    side = describe(PainDrawing.from_regions(atlas, [f"{lateral_region(atlas)}:right"]), atlas)
    assert "right side view" in extent_phrase(side, atlas)


def lateral_region(atlas) -> str:
    """A region drawn only on the side views (no namesake on the front or back)."""
    body = {r.id for v in ("anterior", "posterior") for r in atlas.view(v).regions}
    return next(r.id for r in atlas.view("lateral_right").regions if r.id not in body)
