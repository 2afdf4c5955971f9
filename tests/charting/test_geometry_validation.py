"""Pain-area geometry: finite, in range, closed rings, capped size; never half-accepted."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dn_bodymap.charting.geometry import MAX_VERTICES, AreaGeometry, geometry_from_value
from dn_bodymap.charting.validation import ValidationError

TRIANGLE = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]]


@pytest.mark.parametrize(
    "value",
    [
        [],
        [[]],
        [[[0.0, 0.0], [1.0, 1.0]]],
        [[[0.0, 0.0], [1.0, 1.0], [0.0, 0.0]]],
        [[[0.0, math.nan], [1.0, 1.0], [2.0, 0.0]]],
        [[[0.0, math.inf], [1.0, 1.0], [2.0, 0.0]]],
        [[[0.0, 0.0, 0.0], [1.0, 1.0], [2.0, 0.0]]],
        [[["0", 0.0], [1.0, 1.0], [2.0, 0.0]]],
        [[[True, 0.0], [1.0, 1.0], [2.0, 0.0]]],
        [[[9999.0, 0.0], [1.0, 1.0], [2.0, 0.0]]],
        {"type": "Point", "coordinates": [0, 0]},
        {"type": "MultiPolygon", "coordinates": "x"},
        {"type": "MultiPolygon", "coordinates": []},
        "POLYGON ((0 0, 1 1, 2 0, 0 0))",
        None,
    ],
)
def test_bad_geometry_is_refused(value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        geometry_from_value("geometry", value)
    assert caught.value.field.startswith("geometry")


def test_vertex_cap() -> None:
    ring = [[math.cos(t) * 100, 500 + math.sin(t) * 100] for t in range(MAX_VERTICES + 10)]
    with pytest.raises(ValidationError, match="vertices"):
        geometry_from_value("geometry", [ring])


def test_rings_are_closed_and_multipolygons_kept() -> None:
    g = geometry_from_value("geometry", [TRIANGLE])
    assert g.polygons[0][0][0] == g.polygons[0][0][-1]
    multi = {"type": "MultiPolygon", "coordinates": [[TRIANGLE], [[[20, 20], [30, 20], [30, 30]]]]}
    m = geometry_from_value("geometry", multi)
    assert len(m.polygons) == 2
    assert geometry_from_value("geometry", m.to_geojson()) == m
    assert isinstance(geometry_from_value("geometry", m), AreaGeometry)


coord_x = st.floats(-600, 600, allow_nan=False)
coord_y = st.floats(-50, 1050, allow_nan=False)
points = st.lists(st.tuples(coord_x, coord_y), min_size=3, max_size=30, unique=True)


@given(points)
def test_valid_rings_roundtrip_exactly_through_geojson(ring: list[tuple[float, float]]) -> None:
    g = geometry_from_value("geometry", [ring])
    again = geometry_from_value("geometry", g.to_geojson())
    assert again == g
    assert g.polygons[0][0][: len(ring)] == tuple(ring)


@given(
    st.lists(
        st.lists(st.one_of(st.floats(), st.integers(-(10**6), 10**6), st.none()), max_size=3),
        max_size=8,
    )
)
def test_arbitrary_input_is_valid_or_refused(ring: list[list[object]]) -> None:
    try:
        g = geometry_from_value("geometry", [ring])
    except ValidationError:
        return
    for x, y in g.polygons[0][0]:
        assert math.isfinite(x) and math.isfinite(y)
        assert -600 <= x <= 600 and -50 <= y <= 1050
