from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from dn_bodymap.atlas.model import Side
from dn_bodymap.charting.referral.drawing import PainDrawing
from dn_bodymap.charting.referral.suggest import ReferralIndex, suggest


def test_essential_match_ranks_first_and_explains(mini):
    atlas, library = mini
    drawing = PainDrawing.from_regions(atlas, ["chest:right"])
    results = suggest(drawing, ReferralIndex(atlas, library))
    assert results[0].trigger_point == "big.1" and results[0].side is Side.RIGHT
    assert results[0].coverage > 0.99
    assert "explains 100% of the drawing" in results[0].explanation


def test_tiny_pattern_inside_a_big_drawing_does_not_win(mini):
    atlas, library = mini
    drawing = PainDrawing.from_regions(atlas, ["chest:left"])
    results = suggest(drawing, ReferralIndex(atlas, library))
    ranks = [r.trigger_point for r in results]
    assert ranks[0] == "big.1"
    # the tiny pattern lies wholly inside the drawing but explains under 1% of it: not a suggestion
    assert "deep_one.1" not in ranks


def test_a_small_drawing_inside_a_small_pattern_is_explained(mini):
    atlas, library = mini
    drawing = PainDrawing()
    drawing.add("anterior", box(-34, 150, -30, 154))  # exactly the tiny pattern (x < 0: the right side)
    results = suggest(drawing.clipped(atlas), ReferralIndex(atlas, library))
    tiny = next(r for r in results if r.trigger_point == "deep_one.1")
    assert tiny.pattern_inside > 0.95 and tiny.coverage > 0.95 and tiny.side is Side.RIGHT


def test_essential_weighs_more_than_spillover(mini):
    atlas, library = mini
    drawing = PainDrawing.from_regions(atlas, ["belly:right"])
    results = {r.trigger_point: r for r in suggest(drawing, ReferralIndex(atlas, library))}
    # big.belly has the belly as essential zone; big.1 only as spillover (same muscle: best kept)
    assert results.get("big.belly") is not None
    assert "big.1" not in results  # one entry per muscle and side: the better trigger point


def test_index_and_brute_force_agree(mini):
    atlas, library = mini
    index = ReferralIndex(atlas, library)
    drawing = PainDrawing()
    drawing.add("anterior", box(-60, 100, 60, 260))
    drawing = drawing.clipped(atlas)
    assert suggest(drawing, index, use_index=True) == suggest(drawing, index, use_index=False)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-100, 100, allow_nan=False),
    st.floats(-20, 320, allow_nan=False),
    st.floats(1, 200),
    st.floats(1, 200),
)
def test_scores_are_bounded_for_any_rectangle(mini, x, y, w, h):
    atlas, library = mini
    drawing = PainDrawing()
    drawing.add("anterior", box(x, y, x + w, y + h))
    try:
        drawing = drawing.clipped(atlas)
    except ValueError:
        return  # outside the figure: refused with a message
    for s in suggest(drawing, ReferralIndex(atlas, library)):
        for value in (s.score, s.coverage, s.fit, s.pattern_inside, s.prior):
            assert 0 <= value <= 1.0001
