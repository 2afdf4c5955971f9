import itertools
import math

from hypothesis import given
from hypothesis import strategies as st

from dn_bodymap.atlas.curves import (
    MAX_CHORD,
    Node,
    closed_beziers,
    flatten,
    open_beziers,
    svg_path_data,
)

coord = st.floats(min_value=-500, max_value=500, allow_nan=False)
nodes = st.lists(st.builds(Node, coord, coord, st.booleans()), min_size=3, max_size=12)


@given(nodes)
def test_closed_spline_passes_through_every_point(pts):
    segs = closed_beziers(pts)
    assert len(segs) == len(pts)
    for seg, node in zip(segs, pts, strict=True):
        assert seg[0] == node.xy


@given(nodes)
def test_flattened_chords_respect_the_tolerance(pts):
    ring = flatten(closed_beziers(pts))
    ring.append(ring[0])
    longest = max(math.dist(a, b) for a, b in itertools.pairwise(ring))
    assert longest <= MAX_CHORD + 1e-6


def test_corner_has_zero_length_handles():
    pts = [Node(0, 0), Node(10, 0, corner=True), Node(10, 10), Node(0, 10)]
    segs = closed_beziers(pts)
    assert segs[1][1] == (10.0, 0.0)  # leaving the corner
    assert segs[0][2] == (10.0, 0.0)  # arriving at the corner


def test_open_spline_ends_at_its_last_point():
    pts = [Node(0, 0), Node(5, 5), Node(10, 0)]
    line = flatten(open_beziers(pts), closed=False)
    assert line[0] == (0.0, 0.0) and line[-1] == (10.0, 0.0)


def test_svg_path_is_closed_and_cubic():
    d = svg_path_data(closed_beziers([Node(0, 0), Node(10, 0), Node(5, 8)]))
    assert d.startswith("M0.00,0.00 C") and d.endswith("Z") and d.count("C") == 3
