import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dn_bodymap.atlas.shapes import ShapeError, build_shape, mirror, resolve_point

LANDMARKS = {"acromion": (120.0, 180.0)}


def test_points_resolve_from_landmarks_with_offsets_and_corners():
    assert resolve_point("acromion", LANDMARKS).xy == (120.0, 180.0)
    n = resolve_point(["acromion", -4, 6, "c"], LANDMARKS)
    assert n.xy == (116.0, 186.0) and n.corner


@pytest.mark.parametrize(
    "spec",
    [
        ["nowhere", 0, 0],
        "nowhere",
        [1],
        [1, 2, 3],
        [float("nan"), 1],
        ["acromion", "x", 1],
        {"x": 1},
    ],
)
def test_unreadable_points_are_refused(spec):
    with pytest.raises(ShapeError):
        resolve_point(spec, LANDMARKS)


def test_symmetric_shape_is_symmetric_by_construction():
    geom = build_shape({"symmetric": True, "smooth": [[0, 0], [30, 10], [25, 60], [0, 70]]}, {})
    assert geom.is_valid and mirror(geom).hausdorff_distance(geom) < 1e-6
    assert geom.bounds[0] == pytest.approx(-geom.bounds[2])


def test_symmetric_shape_must_start_on_midline():
    with pytest.raises(ShapeError, match="midline"):
        build_shape({"symmetric": True, "poly": [[5, 0], [30, 10], [0, 70]]}, {})


def test_stroke_tapers():
    geom = build_shape({"stroke": [[0, 0], [0, 100]], "widths": [20, 4]}, {})
    top = geom.intersection(geom.envelope.boundary.buffer(0)).bounds  # noqa: F841 - smoke
    assert geom.is_valid
    assert geom.bounds[2] - geom.bounds[0] == pytest.approx(20, abs=0.5)


def test_shape_needs_exactly_one_kind():
    with pytest.raises(ShapeError):
        build_shape({"poly": [[0, 0], [1, 0], [0, 1]], "smooth": [[0, 0], [1, 0], [0, 1]]}, {})
    with pytest.raises(ShapeError):
        build_shape({}, {})


coords = st.tuples(st.floats(-300, 300, allow_nan=False), st.floats(-300, 300, allow_nan=False))


@given(st.lists(coords, min_size=3, max_size=10))
def test_any_outline_gives_valid_polygonal_geometry(points):
    geom = build_shape({"smooth": [list(p) for p in points]}, {})
    assert geom.is_valid
    assert geom.geom_type in ("Polygon", "MultiPolygon")
    assert math.isfinite(geom.area)
