"""Brush, outline and eraser geometry: always valid, inside the figure, under the vertex cap."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from dn_bodymap.charting.editing.sketch import (
    SketchError,
    brush_area,
    erase,
    from_record,
    lasso_area,
    to_record,
)
from dn_bodymap.charting.geometry import MAX_VERTICES

FIGURE = box(-100, 0, 100, 1000)
coord = st.floats(-150, 1050, allow_nan=False) | st.sampled_from([float("nan"), float("inf"), -float("inf")])
point = st.tuples(coord, coord)


@settings(max_examples=150, deadline=None)
@given(st.lists(point, min_size=1, max_size=60), st.floats(1, 60))
def test_brush_gives_valid_area_inside_the_figure_or_a_message(points, width):
    try:
        geom = brush_area(points, width, FIGURE)
    except SketchError:
        return
    assert geom.is_valid and not geom.is_empty
    assert geom.difference(FIGURE).area < 1e-6
    record = to_record(geom)
    assert record.vertex_count <= MAX_VERTICES
    assert from_record(record).symmetric_difference(geom).area < 1.0


@settings(max_examples=150, deadline=None)
@given(st.lists(point, min_size=0, max_size=40))
def test_outline_repairs_self_crossings_or_refuses(points):
    try:
        geom = lasso_area(points, FIGURE)
    except SketchError:
        return
    assert geom.is_valid and geom.area >= 4.0


def test_bow_tie_outline_keeps_both_lobes():
    geom = lasso_area([(0, 0), (20, 20), (20, 0), (0, 20)], FIGURE)
    assert geom.area == pytest.approx(200, rel=0.01)


def test_eraser_removes_and_can_empty():
    area = brush_area([(0, 100), (0, 140)], 10, FIGURE)
    assert erase(area, box(-50, 0, 50, 1000)).is_empty
    half = erase(area, box(-50, 0, 50, 120))
    assert 0 < half.area < area.area


def test_bad_width_is_refused():
    with pytest.raises(SketchError, match="width"):
        brush_area([(0, 0), (1, 1)], float("nan"), FIGURE)


def test_huge_area_is_simplified_under_the_cap():
    import math

    pts = [(80 * math.cos(t / 500), 500 + 400 * math.sin(t / 500)) for t in range(20000)]
    geom = brush_area(pts, 2, FIGURE)
    assert to_record(geom).vertex_count <= MAX_VERTICES
