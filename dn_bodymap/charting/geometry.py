"""Pain-area outlines in atlas units, checked before any geometry library sees them.

Kept free of shapely: NaN makes GEOS raise and infinities give shapes that still "contain" points
(reference/reliability.md), so coordinates are refused here; repair of self-crossing outlines is the
drawing tool's job. Stored as GeoJSON coordinates, so the store encodes it losslessly as JSON.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dn_bodymap.charting.validation import ValidationError

MAX_VERTICES = 5000
X_RANGE = (-600.0, 600.0)
Y_RANGE = (-50.0, 1050.0)

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]


@dataclass(frozen=True, slots=True)
class AreaGeometry:
    """One or more polygons; each is an exterior ring followed by its holes, all closed."""

    polygons: tuple[Polygon, ...]

    @property
    def vertex_count(self) -> int:
        return sum(len(ring) for polygon in self.polygons for ring in polygon)

    def to_geojson(self) -> dict[str, Any]:
        """A GeoJSON Polygon (one part) or MultiPolygon, coordinates as lists."""
        parts = [[[list(p) for p in ring] for ring in polygon] for polygon in self.polygons]
        if len(parts) == 1:
            return {"type": "Polygon", "coordinates": parts[0]}
        return {"type": "MultiPolygon", "coordinates": parts}


def geometry_from_value(field: str, value: object) -> AreaGeometry:
    """Accept an ``AreaGeometry``, a GeoJSON Polygon/MultiPolygon dict or a list of rings.

    A list of rings is one polygon in GeoJSON order (exterior first, then holes).
    """
    if isinstance(value, AreaGeometry):
        value = value.to_geojson()  # re-check: a value built by hand may bypass validation
    if isinstance(value, Mapping):
        kind = value.get("type")
        coordinates = value.get("coordinates")
        if kind == "Polygon":
            polygons = [coordinates]
        elif kind == "MultiPolygon":
            if not _is_sequence(coordinates):
                raise ValidationError(field, "MultiPolygon coordinates must be a list of polygons")
            polygons = list(coordinates)  # type: ignore[arg-type]
        else:
            raise ValidationError(field, f"must be a GeoJSON Polygon or MultiPolygon, not {kind!r}")
    elif _is_sequence(value):
        polygons = [value]
    else:
        raise ValidationError(field, "must be a list of rings or a GeoJSON Polygon/MultiPolygon")
    if not polygons:
        raise ValidationError(field, "must contain at least one polygon")
    result = tuple(_polygon(f"{field}[{i}]", polygon) for i, polygon in enumerate(polygons))
    geometry = AreaGeometry(result)
    if geometry.vertex_count > MAX_VERTICES:
        raise ValidationError(field, f"has more than {MAX_VERTICES} vertices; simplify the drawing")
    return geometry


def _polygon(field: str, value: object) -> Polygon:
    if not _is_sequence(value) or not value:  # type: ignore[truthy-bool]
        raise ValidationError(field, "a polygon must be a non-empty list of rings")
    if len(value) > MAX_VERTICES:  # type: ignore[arg-type]
        raise ValidationError(field, "has too many rings")
    return tuple(_ring(f"{field}[{i}]", ring) for i, ring in enumerate(value))  # type: ignore[arg-type]


def _ring(field: str, value: object) -> Ring:
    if not _is_sequence(value):
        raise ValidationError(field, "a ring must be a list of [x, y] points")
    items: Sequence[object] = value  # type: ignore[assignment]
    if len(items) > MAX_VERTICES + 1:
        raise ValidationError(field, f"has more than {MAX_VERTICES} vertices")
    points = [_point(f"{field}[{i}]", item) for i, item in enumerate(items)]
    if points and points[0] != points[-1]:
        points.append(points[0])  # close it: GeoJSON rings repeat the first point
    if len(set(points)) < 3:
        raise ValidationError(field, "a ring needs at least 3 distinct points")
    return tuple(points)


def point_from_value(field: str, value: object) -> Point:
    """One ``[x, y]`` in atlas units: numbers, finite, inside ``X_RANGE`` / ``Y_RANGE``."""
    return _point(field, value)


def _point(field: str, value: object) -> Point:
    if not _is_sequence(value) or len(value) != 2:  # type: ignore[arg-type]
        raise ValidationError(field, "a point must be [x, y]")
    x, y = value  # type: ignore[misc]
    coords: list[float] = []
    for name, coordinate, (low, high) in (("x", x, X_RANGE), ("y", y, Y_RANGE)):
        if isinstance(coordinate, bool) or not isinstance(coordinate, int | float):
            raise ValidationError(field, f"{name} must be a number")
        if not math.isfinite(coordinate):
            raise ValidationError(field, f"{name} must be finite")
        if not low <= coordinate <= high:
            raise ValidationError(field, f"{name} must be between {low:g} and {high:g}")
        coords.append(float(coordinate))
    return (coords[0], coords[1])


def _is_sequence(value: object) -> bool:
    return isinstance(value, list | tuple)
