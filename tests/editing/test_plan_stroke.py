"""``plan_stroke``: all of a finished stroke's geometry in one pure call (what the GUI's worker thread
runs), deciding as the controller used to on the UI thread: extend the first area of the quality it
touches, else a new area; the eraser trims or removes each area of the view it touches."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from dn_bodymap.charting.editing.sketch import (
    MIN_AREA,
    SketchError,
    StrokeOutcome,
    brush_area,
    from_record,
    plan_stroke,
    to_record,
)
from dn_bodymap.charting.geometry import MAX_VERTICES

FIGURE = box(-100, 0, 100, 1000)


def area(x0: float, y0: float, x1: float, y1: float):
    return to_record(box(x0, y0, x1, y1))


def test_a_stroke_touching_nothing_is_a_new_area():
    outcome = plan_stroke("brush", [(0, 100), (0, 140)], 10, FIGURE, [("far", area(50, 500, 60, 520))])
    assert outcome.extend is None and outcome.erased == () and outcome.new is not None
    assert from_record(outcome.new).bounds == pytest.approx((-5, 95, 5, 145), abs=0.5)


def test_a_stroke_extends_the_first_area_it_touches():
    areas = [("a", area(-20, 120, 20, 130)), ("b", area(-20, 100, 20, 110))]
    outcome = plan_stroke("lasso", [(-10, 90), (10, 90), (10, 125), (-10, 125)], 1, FIGURE, areas)
    assert outcome.new is None and outcome.extend is not None
    area_id, merged = outcome.extend
    assert area_id == "a" and from_record(merged).contains(from_record(areas[0][1]))


def test_the_eraser_trims_removes_and_skips():
    areas = [
        ("trimmed", area(-20, 100, 20, 200)),
        ("gone", area(-2, 300, 2, 302)),
        ("untouched", area(50, 600, 60, 620)),
    ]
    outcome = plan_stroke("eraser", [(-30, 150), (30, 150), (0, 301)], 20, FIGURE, areas)
    erased = dict(outcome.erased)
    assert set(erased) == {"trimmed", "gone"} and erased["gone"] is None
    rest = from_record(erased["trimmed"])  # type: ignore[arg-type]
    assert rest.area < from_record(areas[0][1]).area and rest.area >= MIN_AREA
    assert plan_stroke("eraser", [(90, 10), (95, 12)], 5, FIGURE, areas) == StrokeOutcome()


def test_a_refused_drawing_raises_the_sentence_to_show():
    with pytest.raises(SketchError, match="at least three points"):
        plan_stroke("lasso", [(0, 100), (1, 101)], 1, FIGURE, [])


@settings(max_examples=80, deadline=None)
@example(points=[(0.0, 0.0), (0.0, 1.0), (1.5832306003240324e-172, 0.0)], tool="brush", width=1.0)
@given(
    st.lists(st.tuples(st.floats(-120, 120), st.floats(-20, 1020)), min_size=1, max_size=40),
    st.sampled_from(["brush", "lasso", "eraser"]),
    st.floats(1, 60),
)
def test_every_outcome_is_a_storable_area_inside_the_figure(points, tool, width):
    existing = [("a", to_record(brush_area([(0, 100), (0, 900)], 40, FIGURE)))]
    try:
        outcome = plan_stroke(tool, points, width, FIGURE, existing)
    except SketchError:
        return
    results = [outcome.new, outcome.extend[1] if outcome.extend else None]
    results += [rest for _, rest in outcome.erased]
    for record in filter(None, results):
        geom = from_record(record)
        assert geom.is_valid and record.vertex_count <= MAX_VERTICES
        assert geom.difference(FIGURE).area < 1.0
