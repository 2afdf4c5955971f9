"""Gesture geometry for the pain-drawing tools, without Qt (CONVENTIONS §6).

The canvas only turns mouse events into atlas-unit points; brush strokes, lasso outlines and the
eraser become clean, valid polygons here, clipped to the figure and kept under the record's vertex
cap, so what is stored is always a valid area.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from dn_bodymap.charting.geometry import MAX_VERTICES, AreaGeometry, geometry_from_value

XY = tuple[float, float]
MIN_STEP = 0.75  # atlas units between kept stroke points
MIN_AREA = 4.0  # square atlas units: smaller results are treated as nothing drawn
MAX_STROKE_POINTS = 2000  # a long gesture is thinned evenly before smoothing and buffering


class SketchError(ValueError):
    """A gesture that gives no usable area; the message is shown to the clinician."""


def clean_points(points: Sequence[XY]) -> list[XY]:
    """Drop non-finite points and points closer than MIN_STEP to the last kept one."""
    kept: list[XY] = []
    for x, y in points:
        if not (math.isfinite(x) and math.isfinite(y)):
            continue
        if not kept or math.dist(kept[-1], (x, y)) >= MIN_STEP:
            kept.append((float(x), float(y)))
    if len(kept) > MAX_STROKE_POINTS:
        step = math.ceil(len(kept) / MAX_STROKE_POINTS)
        kept = kept[::step] + ([kept[-1]] if (len(kept) - 1) % step else [])
    return kept


def smooth(points: Sequence[XY], passes: int = 2) -> list[XY]:
    """Chaikin corner cutting: a hand-drawn stroke without jitter, ends kept."""
    pts = list(points)
    for _ in range(passes):
        if len(pts) < 3:
            break
        out = [pts[0]]
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            out.append((0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1))
            out.append((0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1))
        out.append(pts[-1])
        pts = out
    return pts


def brush_area(points: Sequence[XY], width: float, figure: BaseGeometry) -> BaseGeometry:
    """A round-ended band of ``width`` atlas units along the stroke, clipped to the figure."""
    if not (math.isfinite(width) and 1.0 <= width <= 200.0):
        raise SketchError("the brush width must be between 1 and 200")
    pts = smooth(clean_points(points))
    base = Point(pts[0]) if len(pts) == 1 else LineString(pts) if pts else None
    if base is None:
        raise SketchError("nothing was drawn")
    geom = base.buffer(width / 2.0, quad_segs=8).simplify(0.2)
    return _finish(geom.intersection(figure))


def lasso_area(points: Sequence[XY], figure: BaseGeometry) -> BaseGeometry:
    """The area enclosed by a freehand or clicked outline (self-crossings repaired)."""
    pts = clean_points(points)
    if len(pts) < 3:
        raise SketchError("an outline needs at least three points")
    geom = shapely.make_valid(Polygon(pts))
    return _finish(geom.intersection(figure))


def erase(area: BaseGeometry, eraser: BaseGeometry) -> BaseGeometry:
    """What is left of an area after the eraser passed; may be empty."""
    return _polygonal(area.difference(eraser))


def merge(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    return _polygonal(shapely.union(a, b))


def _finish(geom: BaseGeometry) -> BaseGeometry:
    geom = _polygonal(geom)
    if geom.is_empty or geom.area < MIN_AREA:
        raise SketchError("the drawing lies outside the figure or is too small")
    return geom


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    return shapely.union_all(parts) if parts else Polygon()


def to_record(geom: BaseGeometry) -> AreaGeometry:
    """Shapely → the record's geometry, simplified until under the vertex cap."""
    tolerance = 0.0
    candidate = geom
    while shapely.get_num_coordinates(candidate) > MAX_VERTICES:
        tolerance = tolerance * 2 if tolerance else 0.25
        candidate = geom.simplify(tolerance)
    return geometry_from_value("geometry", mapping(shapely.normalize(candidate)))


def from_record(area: AreaGeometry) -> BaseGeometry:
    return _polygonal(shape(area.to_geojson()))
