"""The quiz score of a drawn referral zone: exact essential zone high, far away zero, the parts
that make it up, and properties that hold for any drawing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.affinity import scale, translate
from shapely.geometry import box

from dn_bodymap.atlas.trigger_points import default_library
from dn_bodymap.charting.referral.drawing import PainDrawing
from dn_bodymap.teaching.score import ScoreError, main_view, score_drawing

LIBRARY = default_library()
WITH_ESSENTIAL = sorted(
    tid for (tid, side), tp in LIBRARY.instances.items() if side == "right" and tp.essential
)
ICONIC = ["trapezius.1", "infraspinatus.1", "gluteus_minimus.1", "soleus.1", "quadratus_lumborum.1"]


def essential(tid: str, side: str = "right"):
    tp = LIBRARY.instances[(tid, side)]
    view = main_view(tp)
    return view, tp.zone_geometry("essential", view)


@pytest.mark.parametrize("tid", ICONIC)
def test_the_essential_zone_drawn_exactly_scores_at_least_0_9(tid):
    view, zone = essential(tid)
    result = score_drawing(tid, "right", zone, view=view)
    assert result.score >= 0.9
    assert result.essential_overlap == pytest.approx(1.0, abs=1e-3)
    assert result.outside == pytest.approx(0.0, abs=1e-3)
    assert result.views == (view,)
    assert "essential zone" in result.explanation


@pytest.mark.parametrize("tid", ICONIC)
def test_a_drawing_far_from_the_pattern_scores_zero(tid):
    view, zone = essential(tid)
    far = translate(zone, 0, 600 if zone.bounds[1] < 400 else -600)
    result = score_drawing(tid, "right", far, view=view)
    assert result.score == pytest.approx(0.0, abs=0.02)
    assert result.outside > 0.9


def test_the_wrong_side_scores_near_zero():
    view, zone = essential("infraspinatus.1", "left")
    assert score_drawing("infraspinatus.1", "right", zone, view=view).score < 0.1


def test_drawing_the_spillover_too_costs_a_little_but_not_much():
    tid = "trapezius.1"
    tp = LIBRARY.instances[(tid, "right")]
    views = ("anterior", "lateral_right", "posterior")
    view = next(v for v in views if not tp.zone_geometry("spillover", v).is_empty)
    both = tp.zone_geometry("essential", view).union(tp.zone_geometry("spillover", view))
    exact = score_drawing(tid, "right", tp.zone_geometry("essential", view), view=view)
    wider = score_drawing(tid, "right", both, view=view)
    assert wider.spillover_overlap > 0.9
    assert 0.5 < wider.score <= exact.score


def test_a_pain_drawing_over_several_views_is_accepted():
    tp = LIBRARY.instances[("trapezius.1", "right")]
    areas = {z.view: tp.zone_geometry("essential", z.view) for z in tp.essential}
    result = score_drawing("trapezius.1", "right", PainDrawing(dict(areas)))
    assert result.score >= 0.9 and set(result.views) == set(areas)


def test_bad_input_is_refused_with_a_message():
    _, zone = essential("soleus.1")
    with pytest.raises(ScoreError, match="no trigger point"):
        score_drawing("nobody.1", "right", zone)
    with pytest.raises(ScoreError, match="side"):
        score_drawing("soleus.1", "upper", zone)
    with pytest.raises(ScoreError, match="view"):
        score_drawing("soleus.1", "right", {"sideways": zone})
    with pytest.raises(ScoreError, match="no area"):
        score_drawing("soleus.1", "right", zone.boundary)


@settings(deadline=None, max_examples=40)
@given(
    tid=st.sampled_from(WITH_ESSENTIAL),
    dx=st.floats(-200, 200),
    dy=st.floats(-200, 200),
    factor=st.floats(0.3, 3.0),
)
def test_any_drawing_scores_between_0_and_1_with_consistent_parts(tid, dx, dy, factor):
    view, zone = essential(tid)
    drawing = translate(scale(zone, factor, factor), dx, dy)
    result = score_drawing(tid, "right", drawing, view=view)
    for value in (result.score, result.essential_overlap, result.spillover_overlap, result.outside):
        assert 0.0 <= value <= 1.0
    # F1 of essential coverage and precision: it lies between the two
    low, high = sorted((result.essential_overlap, result.precision))
    assert low - 1e-3 <= result.score <= high + 1e-3


@settings(deadline=None, max_examples=30)
@given(tid=st.sampled_from(WITH_ESSENTIAL), pad=st.floats(5, 120))
def test_adding_area_outside_the_pattern_never_raises_the_score(tid, pad):
    view, zone = essential(tid)
    tp = LIBRARY.instances[(tid, "right")]
    pattern = zone.union(tp.zone_geometry("spillover", view))
    _, miny, maxx, _ = pattern.bounds
    extra = box(maxx + 30, miny, maxx + 30 + pad, miny + pad)  # beside the pattern, never on it
    base = score_drawing(tid, "right", zone, view=view)
    more = score_drawing(tid, "right", zone.union(extra), view=view)
    assert more.score <= base.score + 1e-9
