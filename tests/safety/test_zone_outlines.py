"""The kidney and flank-pleura zones are drawn as anatomical outlines, not boxes (issue #9 §4).

A rectangle (or a rectangle clipped by one straight cut) fills its bounding box almost entirely; a
bean-shaped kidney or a flank domed under the axilla fills clearly less of it.
"""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from dn_bodymap.safety.assess import assess

OUTLINES = [
    ("kidney", "posterior"),
    ("pleura_lateral_chest_wall", "anterior"),
    ("pleura_lateral_chest_wall", "posterior"),
    ("pleura_lateral_chest_wall", "lateral_right"),
    ("pleura_lateral_chest_wall", "lateral_left"),
]


def _fill(geometry) -> float:
    minx, miny, maxx, maxy = geometry.bounds
    return geometry.area / ((maxx - minx) * (maxy - miny))


@pytest.mark.parametrize(("zone_id", "view"), OUTLINES)
def test_the_zone_is_not_an_axis_aligned_rectangle(hazards, zone_id, view):
    zone = hazards.zones[zone_id]
    for side in ("left", "right"):
        geometry = zone.geometry(view, side)
        if geometry.is_empty:
            continue
        assert _fill(geometry) < 0.9, (zone_id, view, side)
        assert len(geometry.exterior.coords if geometry.geom_type == "Polygon" else []) != 5


def test_the_kidney_is_a_bean_sloping_outwards_downwards(atlas, hazards):
    """Upper pole nearer the midline than the lower pole; the hilum (at L1) lies lateral to the
    poles' medial edge, so the medial border is concave there; both poles are inside the zone."""
    post = atlas.view("posterior")
    t12, l1, l3 = (post.landmark(n).y for n in ("t12", "l1", "l3"))
    for side, sign in (("left", -1), ("right", 1)):
        kidney = hazards.zones["kidney"].geometry("posterior", side)
        assert 0.6 < _fill(kidney) < 0.85

        def width_at(y: float, kidney=kidney, sign=sign) -> tuple[float, float]:
            """(medial, lateral) edge of the kidney at height y, as distances from the midline."""
            xs = [x / 2 for x in range(0, 130) if kidney.contains(Point(sign * x / 2, y))]
            return min(xs), max(xs)

        upper, lower = width_at(t12 - 6), width_at(l3 - 8)
        assert (upper[0] + upper[1]) / 2 < (lower[0] + lower[1]) / 2  # long axis slopes outwards
        assert width_at(l1 + 6)[0] > min(width_at(t12 + 4)[0], width_at(l3 - 14)[0])  # hilum notch
        assert assess("posterior", (sign * 36, l1)).level in ("high", "very_high")
