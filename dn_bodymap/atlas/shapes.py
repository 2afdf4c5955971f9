"""Turn authored shape specs (compact TOML) into shapely geometry in atlas units.

A shape spec is a table with exactly one of:

- ``smooth = [pt, ...]``: closed Catmull-Rom curve through the points;
- ``poly = [pt, ...]``: straight-edged polygon;
- ``stroke = [pt, ...]`` with ``width`` (or ``widths``, one per point): a smooth band with round
  ends, for fingers, toes and strap muscles.

``symmetric = true`` (with ``smooth``/``poly``) means the points run from the midline, down one
half, back to the midline; the other half is mirrored in, giving one shape symmetric by
construction. Points are ``[x, y]``, a landmark name, or ``[name, dx, dy]``; a trailing ``"c"``
(``[x, y, "c"]``, ``[name, dx, dy, "c"]``) makes that point a sharp corner.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.curves import Node, closed_beziers, flatten, open_beziers, svg_path_data


class ShapeError(ValueError):
    """An authored shape that cannot be built; the message says which and why."""


def resolve_point(spec: Any, landmarks: Mapping[str, tuple[float, float]]) -> Node:
    corner = False
    if isinstance(spec, list | tuple) and spec and spec[-1] == "c":
        corner = True
        spec = spec[:-1]
    if isinstance(spec, str):
        spec = [spec, 0, 0]
    if (
        isinstance(spec, list | tuple)
        and len(spec) == 3
        and isinstance(spec[0], str)
        and all(isinstance(v, int | float) for v in spec[1:])
    ):
        name, dx, dy = spec
        if name not in landmarks:
            raise ShapeError(f"unknown landmark {name!r}")
        x, y = landmarks[name]
        return Node(x + float(dx), y + float(dy), corner)
    if (
        isinstance(spec, list | tuple)
        and len(spec) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in spec)
    ):
        x, y = float(spec[0]), float(spec[1])
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ShapeError(f"non-finite point {spec!r}")
        return Node(x, y, corner)
    raise ShapeError(f"cannot read point {spec!r}")


def _nodes(specs: Sequence[Any], landmarks: Mapping[str, tuple[float, float]]) -> list[Node]:
    return [resolve_point(s, landmarks) for s in specs]


def _mirror_nodes(nodes: Sequence[Node]) -> list[Node]:
    return [Node(-n.x, n.y, n.corner) for n in nodes]


def _symmetric_ring(nodes: list[Node]) -> list[Node]:
    """Half from midline to midline → full ring; the ends sit on x = 0 and are not doubled."""
    if abs(nodes[0].x) > 1e-6 or abs(nodes[-1].x) > 1e-6:
        raise ShapeError("a symmetric shape must start and end on the midline (x = 0)")
    return nodes + _mirror_nodes(nodes[-2:0:-1])


def outline_beziers(spec: Mapping[str, Any], landmarks: Mapping[str, tuple[float, float]]):
    """Bézier segments of a smooth/poly outline (used by the SVG export)."""
    kind = "smooth" if "smooth" in spec else "poly"
    nodes = _nodes(spec[kind], landmarks)
    if spec.get("symmetric"):
        nodes = _symmetric_ring(nodes)
    if kind == "poly":
        nodes = [Node(n.x, n.y, True) for n in nodes]
    return closed_beziers(nodes)


def build_shape(spec: Mapping[str, Any], landmarks: Mapping[str, tuple[float, float]]) -> BaseGeometry:
    """The polygon(s) of one authored shape, repaired to valid polygonal geometry."""
    kinds = [k for k in ("smooth", "poly", "stroke") if k in spec]
    if len(kinds) != 1:
        raise ShapeError("a shape needs exactly one of smooth, poly or stroke")
    if kinds[0] == "stroke":
        geom = _stroke(spec, landmarks)
    else:
        ring = flatten(outline_beziers(spec, landmarks))
        if len(ring) < 3:
            raise ShapeError("an outline needs at least three points")
        geom = Polygon(ring)
    return polygonal(geom)


def _stroke(spec: Mapping[str, Any], landmarks: Mapping[str, tuple[float, float]]) -> BaseGeometry:
    nodes = _nodes(spec["stroke"], landmarks)
    if len(nodes) < 2:
        raise ShapeError("a stroke needs at least two points")
    if "widths" in spec:
        widths = [float(w) for w in spec["widths"]]
        if len(widths) != len(nodes):
            raise ShapeError("a stroke needs one width per point")
    elif "width" in spec:
        widths = [float(spec["width"])] * len(nodes)
    else:
        raise ShapeError("a stroke needs width or widths")
    if any(not math.isfinite(w) or w <= 0 for w in widths):
        raise ShapeError("stroke widths must be positive")
    # Interpolate widths along the flattened centre line, then union round "beads" pairwise:
    # the hull of two circles is a tapered capsule, so the band tapers smoothly.
    segments = open_beziers(nodes)
    pieces: list[BaseGeometry] = []
    for i, seg in enumerate(segments):
        pts = flatten([seg], closed=False)
        w0, w1 = widths[i], widths[i + 1]
        n = len(pts) - 1
        circles = [
            Point(p).buffer((w0 + (w1 - w0) * (k / n if n else 0)) / 2.0, quad_segs=12)
            for k, p in enumerate(pts)
        ]
        for a, b in itertools.pairwise(circles):
            pieces.append(shapely.convex_hull(shapely.union(a, b)))
    return shapely.union_all(pieces)


#: Coordinates equal to this many decimals (atlas units; the figure is 1000 tall) are one point.
PRECISION_DECIMALS = 6


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Valid polygonal geometry only: repairs self-crossings, drops lines and points."""
    if not geom.is_valid:
        # Snap first: GEOS's repair of a ring with subnormal coordinates (1e-300) gives invalid
        # output (found by hypothesis); a millionth of a unit changes nothing drawn.
        geom = shapely.make_valid(shapely.transform(geom, lambda c: np.round(c, PRECISION_DECIMALS)))
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    if not parts:
        return Polygon()
    return shapely.union_all(parts)


#: Parts of a shape under this many square atlas units, beside a bigger part of it, are specks left
#: by cutting shapes against each other (a region against its neighbours, a muscle or a zone against
#: the outline): drawn, each outline is a stray dot off the shape. Nothing authored is that small
#: (the figure is 1000 units tall; 2 square units is a dot of 1.4 units).
SPECK_AREA = 2.0


def split_specks(geom: BaseGeometry) -> tuple[BaseGeometry, list[Polygon]]:
    """``geom`` without its specks, and the specks; a shape whose parts are all small keeps its
    largest (a speck is small beside the rest of its shape, not small in itself)."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon) and not g.is_empty]
    if len(parts) < 2:
        return geom, []
    biggest = max(p.area for p in parts)
    small = [p.area < SPECK_AREA and p.area < biggest for p in parts]
    if not any(small):
        return geom, []
    kept = [p for p, s in zip(parts, small, strict=True) if not s]
    return (kept[0] if len(kept) == 1 else MultiPolygon(kept)), [
        p for p, s in zip(parts, small, strict=True) if s
    ]


def without_specks(geom: BaseGeometry) -> BaseGeometry:
    return split_specks(geom)[0]


def region_zone(regions: Sequence[BaseGeometry]) -> BaseGeometry:
    """Regions joined into a referral zone: regions keep the specks their partition leaves (a
    click there still finds a region), a zone drawn from them does not."""
    return without_specks(polygonal(shapely.union_all(list(regions))))


def mirror(geom: BaseGeometry) -> BaseGeometry:
    """Reflect across the midline (x → −x); orientation is restored by normalising."""
    return shapely.transform(geom, lambda c: c * [-1.0, 1.0]).normalize()


def svg_path(spec: Mapping[str, Any], landmarks: Mapping[str, tuple[float, float]]) -> str:
    if "stroke" in spec:
        nodes = _nodes(spec["stroke"], landmarks)
        return svg_path_data(open_beziers(nodes), closed=False)
    return svg_path_data(outline_beziers(spec, landmarks))


def line_geometry(spec: Sequence[Any], landmarks: Mapping[str, tuple[float, float]]) -> LineString:
    """An open smooth line (detail strokes such as the navel or a finger crease)."""
    nodes = _nodes(spec, landmarks)
    return LineString(flatten(open_beziers(nodes), closed=False))
