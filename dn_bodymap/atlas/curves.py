"""Smooth outlines from point lists: Catmull-Rom splines as cubic Béziers, flattened to polygons.

Authors give a few points per shape; the figure needs smooth curves. A uniform Catmull-Rom spline
through the points converts exactly to cubic Bézier segments, so the SVG export shows the very
curves the geometry was flattened from. A point flagged as a corner gets zero-length handles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]

#: Chords of the flattened curve are at most this long (atlas units): a fixed tolerance, so the
#: same data always gives the same polygons.
MAX_CHORD = 2.0


@dataclass(frozen=True, slots=True)
class Node:
    x: float
    y: float
    corner: bool = False

    @property
    def xy(self) -> Point:
        return (self.x, self.y)


Bezier = tuple[Point, Point, Point, Point]


def closed_beziers(nodes: Sequence[Node]) -> list[Bezier]:
    """Cubic segments of the closed uniform Catmull-Rom spline through ``nodes``."""
    n = len(nodes)
    if n < 3:
        raise ValueError("a closed curve needs at least three points")
    segments: list[Bezier] = []
    for i in range(n):
        p0, p1, p2, p3 = nodes[i - 1], nodes[i], nodes[(i + 1) % n], nodes[(i + 2) % n]
        segments.append(_segment(p0, p1, p2, p3))
    return segments


def open_beziers(nodes: Sequence[Node]) -> list[Bezier]:
    """Cubic segments of the open spline through ``nodes`` (end tangents point along the ends)."""
    n = len(nodes)
    if n < 2:
        raise ValueError("a curve needs at least two points")
    segments: list[Bezier] = []
    for i in range(n - 1):
        p0 = nodes[i - 1] if i > 0 else nodes[i]
        p3 = nodes[i + 2] if i + 2 < n else nodes[i + 1]
        segments.append(_segment(p0, nodes[i], nodes[i + 1], p3))
    return segments


def _segment(p0: Node, p1: Node, p2: Node, p3: Node) -> Bezier:
    c1 = p1.xy if p1.corner else (p1.x + (p2.x - p0.x) / 6.0, p1.y + (p2.y - p0.y) / 6.0)
    c2 = p2.xy if p2.corner else (p2.x - (p3.x - p1.x) / 6.0, p2.y - (p3.y - p1.y) / 6.0)
    return (p1.xy, c1, c2, p2.xy)


def flatten(segments: Sequence[Bezier], closed: bool = True) -> list[Point]:
    """Sample each cubic so no chord exceeds MAX_CHORD.

    A cubic's speed is at most 3 × its longest control leg, which bounds every step's chord.
    """
    points: list[Point] = []
    for a, b, c, d in segments:
        leg = max(math.dist(a, b), math.dist(b, c), math.dist(c, d))
        steps = max(2, math.ceil(3 * leg / MAX_CHORD))
        for k in range(steps):
            t = k / steps
            mt = 1.0 - t
            points.append(
                (
                    mt**3 * a[0] + 3 * mt * mt * t * b[0] + 3 * mt * t * t * c[0] + t**3 * d[0],
                    mt**3 * a[1] + 3 * mt * mt * t * b[1] + 3 * mt * t * t * c[1] + t**3 * d[1],
                )
            )
    if not closed and segments:
        points.append(segments[-1][3])
    return points


def svg_path_data(segments: Sequence[Bezier], closed: bool = True) -> str:
    """SVG ``d`` attribute for the segments (what a vector editor opens)."""
    if not segments:
        return ""
    parts = [f"M{_fmt(segments[0][0])}"]
    for _, b, c, d in segments:
        parts.append(f"C{_fmt(b)} {_fmt(c)} {_fmt(d)}")
    if closed:
        parts.append("Z")
    return " ".join(parts)


def _fmt(p: Point) -> str:
    return f"{p[0]:.2f},{p[1]:.2f}"
