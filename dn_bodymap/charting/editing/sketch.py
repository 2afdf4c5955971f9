"""Gesture geometry for the pain-drawing tools, without Qt (CONVENTIONS §6).

The canvas only turns mouse events into atlas-unit points; brush strokes, lasso outlines and the
eraser become clean, valid polygons here, clipped to the figure and kept under the record's vertex
cap, so what is stored is always a valid area.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dn_bodymap.charting.geometry import MAX_VERTICES, X_RANGE, Y_RANGE, AreaGeometry, geometry_from_value

if TYPE_CHECKING:
    import numpy as np
    from shapely.geometry.base import BaseGeometry

# shapely (and numpy under it) is imported inside the functions that use it: the session screen
# imports this module, and its first paint needs no geometry (atlas/lazy.py says why it matters).

XY = tuple[float, float]
MIN_STEP = 0.75  # atlas units between kept stroke points
MIN_AREA = 4.0  # square atlas units: smaller results are treated as nothing drawn
MAX_STROKE_POINTS = 2000  # a long gesture is thinned evenly before smoothing and buffering
# Work bounds: repairing an outline costs about the square of its self-crossings in GEOS, and a
# record cannot hold more pieces than MAX_VERTICES / 4, so both are refused before GEOS is asked.
MAX_OUTLINE_POINTS = 600
MAX_CROSSINGS = 150
MAX_PIECES = 200
MAX_SIMPLIFY_TOLERANCE = 4.0  # atlas units; beyond this a simplified outline no longer looks drawn


class SketchError(ValueError):
    """A gesture that gives no usable area; the message is shown to the clinician."""


def _on_page(x: float, y: float) -> bool:
    """Finite and inside the atlas page: ±1e308 makes GEOS raise or hang, so it never gets there."""
    return X_RANGE[0] <= x <= X_RANGE[1] and Y_RANGE[0] <= y <= Y_RANGE[1]


def clean_points(points: Sequence[XY], limit: int = MAX_STROKE_POINTS) -> list[XY]:
    """Drop non-finite or off-page points and points closer than MIN_STEP to the last kept one.

    Coordinates are rounded to 1e-6 atlas units (a millionth of a pixel): a subnormal such as 1e-172
    makes GEOS divide by zero while buffering, and no drawing needs that precision."""
    kept: list[XY] = []
    for x, y in points:
        if not _on_page(x, y):  # NaN compares false, so it is dropped here too
            continue
        x, y = round(float(x), 6), round(float(y), 6)
        if not kept or math.dist(kept[-1], (x, y)) >= MIN_STEP:
            kept.append((x, y))
    if len(kept) > limit:
        step = math.ceil(len(kept) / limit)
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
    from shapely.geometry import LineString, Point

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
    import shapely
    from shapely.geometry import Polygon

    pts = clean_points(points, MAX_OUTLINE_POINTS)
    if len(pts) < 3:
        raise SketchError("an outline needs at least three points")
    if crossings(pts, MAX_CROSSINGS) > MAX_CROSSINGS:
        raise SketchError("the outline crosses itself too often to read as an area; draw around it once")
    geom = shapely.make_valid(Polygon(pts))
    return _finish(geom.intersection(figure))


def crossings(points: Sequence[XY], stop_after: int) -> int:
    """Proper crossings between the edges of the closed outline (counting stops past
    ``stop_after``): vectorised, so a scribble is measured in milliseconds, not repaired for minutes."""
    import numpy as np

    pts = np.asarray(points, dtype=float)
    a, b = pts, np.roll(pts, -1, axis=0)
    n = len(pts)
    count = 0
    for start in range(0, n, 128):
        stop = min(n, start + 128)
        p, q = a[start:stop, None, :], b[start:stop, None, :]
        d1, d2 = _orient(p, q, a[None]), _orient(p, q, b[None])
        d3, d4 = _orient(a[None], b[None], p), _orient(a[None], b[None], q)
        hit = (d1 * d2 < 0) & (d3 * d4 < 0)
        i, j = np.nonzero(hit)
        i = i + start
        count += int(np.count_nonzero((j > i) & ~((i == 0) & (j == n - 1))))
        if count > stop_after:
            break
    return count


def _orient(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Sign of the turn p → q → r, broadcast over arrays of points."""
    dx, dy = q[..., 0] - p[..., 0], q[..., 1] - p[..., 1]
    return dx * (r[..., 1] - p[..., 1]) - dy * (r[..., 0] - p[..., 0])


def erase(area: BaseGeometry, eraser: BaseGeometry) -> BaseGeometry:
    """What is left of an area after the eraser passed; may be empty."""
    return _polygonal(area.difference(eraser))


def merge(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    import shapely

    return _polygonal(shapely.union(a, b))


def _finish(geom: BaseGeometry) -> BaseGeometry:
    import shapely

    geom = _polygonal(geom)
    if geom.is_empty or geom.area < MIN_AREA:
        raise SketchError("the drawing lies outside the figure or is too small")
    if shapely.get_num_geometries(geom) > MAX_PIECES:
        raise SketchError(f"the drawing falls into more than {MAX_PIECES} separate pieces; draw it in one go")
    return geom


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    import shapely
    from shapely.geometry import MultiPolygon, Polygon

    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    return shapely.union_all(parts) if parts else Polygon()


def to_record(geom: BaseGeometry) -> AreaGeometry:
    """Shapely → the record's geometry, simplified (a bounded number of times) under the vertex
    cap; pieces smaller than MIN_AREA count as nothing drawn. An area that still does not fit is
    refused with a message rather than simplified out of recognition."""
    import shapely
    from shapely.geometry import Polygon, mapping

    if shapely.get_num_coordinates(geom) > MAX_VERTICES and shapely.get_num_geometries(geom) > 1:
        parts = [g for g in shapely.get_parts(geom) if g.area >= MIN_AREA]
        geom = shapely.multipolygons(parts) if parts else Polygon()
    tolerance = 0.25
    candidate = geom
    while shapely.get_num_coordinates(candidate) > MAX_VERTICES:
        if tolerance > MAX_SIMPLIFY_TOLERANCE:
            raise SketchError(
                "the area has too many separate pieces or corners to store; draw it more simply"
            )
        candidate = geom.simplify(tolerance)
        tolerance *= 2
    if candidate.is_empty:
        raise SketchError("the drawing lies outside the figure or is too small")
    return geometry_from_value("geometry", mapping(shapely.normalize(candidate)))


def from_record(area: AreaGeometry) -> BaseGeometry:
    from shapely.geometry import shape

    return _polygonal(shape(area.to_geojson()))


@dataclass(frozen=True)
class StrokeOutcome:
    """What one finished stroke does to the session's pain areas; exactly one field is set (an
    eraser that touches nothing leaves all three empty)."""

    new: AreaGeometry | None = None  # a new area
    extend: tuple[str, AreaGeometry] | None = None  # (area id, the area merged with the stroke)
    erased: tuple[tuple[str, AreaGeometry | None], ...] = ()  # (area id, what is left; None: nothing)


def plan_stroke(
    tool: str,
    points: Sequence[XY],
    width: float,
    figure: BaseGeometry,
    areas: Sequence[tuple[str, AreaGeometry]],
) -> StrokeOutcome:
    """All the geometry of a finished stroke: buffer or repair it, then merge it into the first of
    ``areas`` it touches (the same view and quality, in order) or make it a new area; for the eraser,
    what is left of each area of the view it touches. Pure and Qt-free, so the GUI runs it on a
    worker thread (gui/session/sketch_worker.py) and applies the outcome as one editing command.
    Raises SketchError with the sentence to show."""
    if tool == "eraser":
        eraser = brush_area(points, width, figure)
        erased: list[tuple[str, AreaGeometry | None]] = []
        for area_id, geometry in areas:
            existing = from_record(geometry)
            if not existing.intersects(eraser):
                continue
            rest = erase(existing, eraser)
            erased.append((area_id, None if rest.is_empty or rest.area < MIN_AREA else to_record(rest)))
        return StrokeOutcome(erased=tuple(erased))
    geom = brush_area(points, width, figure) if tool == "brush" else lasso_area(points, figure)
    for area_id, geometry in areas:
        existing = from_record(geometry)
        if existing.intersects(geom):
            return StrokeOutcome(extend=(area_id, to_record(merge(existing, geom))))
    return StrokeOutcome(new=to_record(geom))
