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


# -- work bounds (issue #13: a scribbled outline froze the session screen) -------------------------
def _zigzag(n: int) -> list[tuple[float, float]]:
    """An outline that repairs into about ``n`` thin triangles."""
    return [(-90.0 if i % 2 else 90.0, 5 + i * 990 / n) for i in range(n)] + [(0.0, 995.0), (0.0, 5.0)]


@pytest.mark.timeout(60)
def test_many_pieces_are_refused_by_to_record_instead_of_looping():
    import shapely

    squares = shapely.union_all(
        [box(x, y, x + 3, y + 3) for x in range(-99, 99, 5) for y in range(0, 170, 5)]
    )
    assert shapely.get_num_geometries(squares) > 1250
    with pytest.raises(SketchError, match="too many"):
        to_record(squares)


@pytest.mark.timeout(60)
def test_tiny_pieces_are_dropped_so_the_rest_fits():
    import shapely

    big = box(-50, 100, 50, 200)
    dust = [box(x, y, x + 0.5, y + 0.5) for x in range(-99, 99, 2) for y in range(300, 330, 2)]
    geom = shapely.union_all([big, *dust])
    record = to_record(geom)
    assert record.vertex_count <= MAX_VERTICES
    assert from_record(record).area == pytest.approx(big.area, rel=0.01)


@pytest.mark.timeout(60)
def test_scribbled_outline_is_refused_quickly():
    import random

    rng = random.Random(7)
    scribble = [(rng.uniform(-100, 100), rng.uniform(0, 1000)) for _ in range(2000)]
    with pytest.raises(SketchError, match="crosses itself"):
        lasso_area(scribble, FIGURE)


@pytest.mark.timeout(60)
def test_outline_crossing_itself_hundreds_of_times_is_refused():
    with pytest.raises(SketchError, match="crosses itself"):
        lasso_area(_zigzag(400), FIGURE)


@pytest.mark.timeout(60)
def test_drawing_that_falls_into_too_many_pieces_is_refused():
    import shapely

    comb = shapely.union_all([box(x, 0, x + 1.0, 1000) for x in range(-300, 300, 2)])
    with pytest.raises(SketchError, match="pieces"):
        brush_area([(-299.0, 500.0), (299.0, 500.0)], 20, comb)


def test_outline_with_a_few_crossings_still_works():
    geom = lasso_area(_zigzag(40), FIGURE)
    assert geom.is_valid and to_record(geom).vertex_count <= MAX_VERTICES


@pytest.mark.timeout(60)
@pytest.mark.parametrize("far", [1e308, -1e308, 1e20, 5000.0])
def test_points_beyond_the_page_never_reach_geos(far):
    stroke = [(0.0, 100.0), (far, 100.0), (0.0, far), (10.0, 120.0)]
    geom = brush_area(stroke, 1.0, FIGURE)
    assert geom.bounds[2] <= 100 and geom.bounds[3] <= 1000
    with pytest.raises(SketchError):
        brush_area([(far, far), (-far, far)], 1.0, FIGURE)
    with pytest.raises(SketchError):
        lasso_area([(far, 0.0), (0.0, far), (far, far)], FIGURE)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-120, 120), st.floats(-10, 1010)), min_size=3, max_size=300))
def test_crossing_count_matches_geos(points):
    import shapely
    from shapely.geometry import LineString

    from dn_bodymap.charting.editing.sketch import clean_points, crossings

    pts = clean_points(points)
    if len(pts) < 4:
        return
    ring = LineString([*pts, pts[0]])
    # GEOS agrees the outline is simple exactly when no two edges cross (touching aside).
    if crossings(pts, 10_000) > 0:
        assert not shapely.is_simple(ring)
