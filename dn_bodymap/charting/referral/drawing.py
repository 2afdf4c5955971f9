"""A pain drawing as geometry per view, built from region ids, GeoJSON or drawn polygons.

Input is checked before shapely sees it (reliability.md): non-finite numbers, oversized files,
duplicate JSON keys and absurd vertex counts are refused with a message; self-crossing outlines are
repaired and only their polygon parts kept.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.model import ALL_VIEWS as VIEWS
from dn_bodymap.atlas.model import Atlas, Side

MAX_GEOJSON_BYTES = 5_000_000
MAX_VERTICES = 20_000
COORD_LIMIT = 5_000.0


class DrawingError(ValueError):
    """A pain drawing that cannot be read; the message says why in plain words."""


@dataclass(slots=True)
class PainDrawing:
    """Painful areas per view, in atlas units, clipped to the figure."""

    areas: dict[str, BaseGeometry] = field(default_factory=dict)

    def views(self) -> list[str]:
        return [v for v, g in self.areas.items() if not g.is_empty]

    def is_empty(self) -> bool:
        return not self.views()

    def add(self, view: str, geom: BaseGeometry) -> None:
        if view not in VIEWS:
            raise DrawingError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
        current = self.areas.get(view, Polygon())
        self.areas[view] = shapely.union(current, geom)

    @classmethod
    def from_regions(cls, atlas: Atlas, region_refs: Iterable[str]) -> PainDrawing:
        """Region ids such as ``temple`` (both sides), ``temple:right`` or ``sacral``."""
        drawing = cls()
        known = {r.id for v in atlas.views.values() for r in v.regions}
        for ref in region_refs:
            ref = ref.strip()
            if not ref:
                continue
            rid, _, side_text = ref.partition(":")
            if rid not in known:
                raise DrawingError(f"unknown region {rid!r} (see `dn-bodymap atlas regions`)")
            sides: set[Side]
            if side_text:
                try:
                    sides = {Side(side_text)}
                except ValueError:
                    raise DrawingError(f"unknown side {side_text!r} in {ref!r}") from None
            else:
                sides = set(Side)
            for view in atlas.views.values():
                for region in view.regions:
                    if region.id == rid and (region.side in sides or region.side is Side.MIDLINE):
                        drawing.add(view.name, region.geometry)
        if drawing.is_empty():
            raise DrawingError("no regions given")
        return drawing.clipped(atlas)

    @classmethod
    def from_geojson_text(cls, atlas: Atlas, text: str) -> PainDrawing:
        if len(text) > MAX_GEOJSON_BYTES:
            raise DrawingError("the drawing file is too large (over 5 MB)")
        try:
            doc = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as exc:
            raise DrawingError(f"not valid JSON: {exc.msg} (line {exc.lineno})") from None
        return cls.from_geojson(atlas, doc)

    @classmethod
    def from_geojson(cls, atlas: Atlas, doc: Any, default_view: str | None = None) -> PainDrawing:
        """A Feature or FeatureCollection whose features carry ``properties.view``."""
        if not isinstance(doc, Mapping):
            raise DrawingError("a drawing must be a GeoJSON Feature or FeatureCollection")
        if doc.get("type") in _GEOMETRY_TYPES:  # a geometry alone says nothing of the view it is on
            raise DrawingError(
                f"a drawing must be a GeoJSON Feature or FeatureCollection, not a bare {doc['type']}: "
                "put it in a Feature whose properties.view names the view"
            )
        features = doc.get("features") if doc.get("type") == "FeatureCollection" else [doc]
        if not isinstance(features, list) or not features:
            raise DrawingError("the drawing has no features")
        drawing = cls()
        for i, feature in enumerate(features, 1):
            if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
                raise DrawingError(f"feature {i} is not a GeoJSON Feature")
            props = feature.get("properties") or {}
            view = props.get("view", default_view) if isinstance(props, Mapping) else default_view
            if view not in VIEWS:
                raise DrawingError(f"feature {i}: properties.view must be one of {', '.join(VIEWS)}")
            drawing.add(view, polygon_from_geojson(feature.get("geometry"), f"feature {i}"))
        return drawing.clipped(atlas)

    def clipped(self, atlas: Atlas) -> PainDrawing:
        out = PainDrawing()
        for view, geom in self.areas.items():
            if view not in atlas.views:
                raise DrawingError(f"the {view} view is not in this atlas yet")
            clipped = _polygonal(geom.intersection(atlas.view(view).silhouette))
            if not clipped.is_empty:
                out.areas[view] = clipped
        if out.is_empty():
            raise DrawingError("the drawing lies outside the figure")
        return out


_GEOMETRY_TYPES = frozenset(
    ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection")
)


def polygon_from_geojson(geometry: Any, where: str = "geometry") -> BaseGeometry:
    if not isinstance(geometry, Mapping) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise DrawingError(f"{where}: geometry must be a Polygon or MultiPolygon")
    count = _check_coordinates(geometry.get("coordinates"), where)
    if count > MAX_VERTICES:
        raise DrawingError(f"{where}: too many points ({count}; at most {MAX_VERTICES})")
    try:
        geom = shape(geometry)
        geom = _polygonal(geom if geom.is_valid else shapely.make_valid(geom))
    except (GEOSException, ValueError, TypeError, IndexError) as exc:
        raise DrawingError(f"{where}: unreadable outline ({exc})") from None
    if geom.is_empty:
        raise DrawingError(f"{where}: the outline encloses no area")
    return geom


def _check_coordinates(value: Any, where: str, depth: int = 0) -> int:
    if depth > 4 or not isinstance(value, list):
        raise DrawingError(f"{where}: coordinates are not nested lists of numbers")
    if value and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        if len(value) < 2:
            raise DrawingError(f"{where}: a point needs x and y")
        for v in value[:2]:
            if not math.isfinite(v) or abs(v) > COORD_LIMIT:
                raise DrawingError(f"{where}: coordinate {v!r} is not a finite atlas coordinate")
        return 1
    return sum(_check_coordinates(v, where, depth + 1) for v in value)


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    return shapely.union_all(parts) if parts else Polygon()


def _refuse_constant(name: str) -> float:
    raise DrawingError(f"the drawing contains {name}, which is not a number")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DrawingError(f"the drawing repeats the key {key!r}")
        out[key] = value
    return out
