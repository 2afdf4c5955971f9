"""A stored pain area drawn straight from its rings (render/paths.py ``area_path``, so the session
screen paints its areas before shapely is loaded) is the path drawn through shapely."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QPointF

from dn_bodymap.charting.editing.sketch import from_record
from dn_bodymap.charting.geometry import geometry_from_value
from dn_bodymap.render.paths import area_path, polygon_path


@st.composite
def polygons(draw, column: int) -> list[list[tuple[float, float]]]:
    """A rectangle in its own column of the page (the parts of a stored area never overlap), maybe
    with a rectangular hole inside it, as closed rings."""
    x = float(-450 + 300 * column + draw(st.integers(0, 140)))
    y = float(draw(st.integers(0, 850)))  # the page is -50 to 1050 units tall
    w, h = draw(st.integers(8, 150)), draw(st.integers(8, 150))
    rings = [[(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]]
    if draw(st.booleans()):
        rings.append([(x + 2, y + 2), (x + 4, y + 2), (x + 4, y + 4), (x + 2, y + 4), (x + 2, y + 2)])
    return rings


def _points(path) -> list[tuple[float, float]]:
    return sorted((p.x(), p.y()) for p in path.toFillPolygon())


@given(st.integers(1, 3).flatmap(lambda n: st.tuples(*(polygons(i) for i in range(n)))))
def test_an_area_drawn_from_its_rings_is_the_path_shapely_gives(parts) -> None:
    geometry = geometry_from_value("geometry", {"type": "MultiPolygon", "coordinates": list(parts)})
    mine, theirs = area_path(geometry), polygon_path(from_record(geometry))
    assert _points(mine) == _points(theirs)
    for x, y in [ring[0] for rings in parts for ring in rings]:  # odd-even: holes stay holes
        probe = QPointF(x + 1.0, y + 1.0)
        assert mine.contains(probe) == theirs.contains(probe)
