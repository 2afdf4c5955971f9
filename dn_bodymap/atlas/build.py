"""Assemble an Atlas from the parsed asset tables: landmarks, silhouette, regions, muscles.

Bilateral structures are authored once on the x ≥ 0 half and mirrored here, so both sides are
symmetric by construction. Regions are authored roughly and partitioned exactly: each takes what
earlier regions left of it inside the silhouette, and leftover slivers join the neighbour they
share most border with, so the regions of a view always tile the silhouette.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from dn_bodymap.atlas.model import (
    LAYERS,
    Atlas,
    Landmark,
    Muscle,
    MuscleShape,
    Region,
    Side,
    ViewData,
    side_of_x,
)
from dn_bodymap.atlas.shapes import ShapeError, build_shape, line_geometry, mirror, polygonal

#: Authored data sets and the views built from each.
FRAMES: dict[str, tuple[str, ...]] = {
    "anterior": ("anterior",),
    "posterior": ("posterior",),
    "lateral": ("lateral_right", "lateral_left"),
}
#: Radius used to round the joins between silhouette parts (atlas units).
FILLET = 4.0
#: Pieces smaller than this (square atlas units) are rounding noise.
MIN_AREA = 0.5


class AtlasDataError(ValueError):
    """Atlas data that cannot be assembled; the message names the item."""


def frame_landmarks(tables: Mapping[str, Any], frame: str) -> dict[str, tuple[float, float]]:
    points: dict[str, tuple[float, float]] = {}
    sources = ("frontal", frame) if frame in ("anterior", "posterior") else (frame,)
    for source in sources:
        for name, xy in tables.get(source, {}).items():
            if not (isinstance(xy, list) and len(xy) == 2):
                raise AtlasDataError(f"landmark {name!r} ({source}) must be [x, y]")
            points[name] = (float(xy[0]), float(xy[1]))
    return points


def anchor_of(geom: BaseGeometry) -> tuple[float, float]:
    """An interior point far from the edges (pole of inaccessibility of the largest part)."""
    if geom.is_empty:
        return (0.0, 0.0)
    part = max(geom.geoms, key=lambda g: g.area) if isinstance(geom, MultiPolygon) else geom
    p = polylabel(part, tolerance=0.5)
    return (round(p.x, 2), round(p.y, 2))


def _sided(geom: BaseGeometry, spec: Mapping[str, Any], view: str) -> list[tuple[Side, BaseGeometry]]:
    """Authored geometry → one or two (side, geometry) pairs for a view."""
    if view.startswith("lateral"):
        side = Side.MIDLINE if spec.get("midline") else side_of_x(view, 0.0)
        return [(side, mirror(geom) if view == "lateral_left" else geom)]
    if spec.get("symmetric") or spec.get("midline"):
        return [(Side.MIDLINE, geom)]
    authored_side = side_of_x(view, 1.0)
    other = Side.LEFT if authored_side is Side.RIGHT else Side.RIGHT
    return [(authored_side, geom), (other, mirror(geom))]


def _build(spec: Mapping[str, Any], points: Mapping[str, tuple[float, float]], what: str):
    try:
        return build_shape(spec, points)
    except ShapeError as exc:
        raise AtlasDataError(f"{what}: {exc}") from None


def build_silhouette(parts: Iterable[Mapping[str, Any]], points, view: str) -> BaseGeometry:
    filleted: list[BaseGeometry] = []
    plain: list[BaseGeometry] = []
    for i, spec in enumerate(parts):
        if spec.get("only") not in (None, view):
            continue
        geom = _build(spec, points, f"silhouette part {i + 1}")
        target = plain if spec.get("join") == "plain" else filleted
        for _, g in _sided(geom, {"symmetric": spec.get("symmetric"), **spec}, view):
            target.append(g)
    body = shapely.union_all(filleted)
    body = body.buffer(FILLET, quad_segs=8).buffer(-FILLET, quad_segs=8)
    whole = polygonal(shapely.union_all([body, *plain]))
    # One body: drop specks, keep interior (no holes: the figure is solid).
    parts_kept = [Polygon(p.exterior) for p in _polygons(whole) if p.area > 50]
    return polygonal(shapely.union_all(parts_kept))


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [] if geom.is_empty else [geom]
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]


def build_regions(
    specs: Iterable[Mapping[str, Any]], points, view: str, silhouette: BaseGeometry
) -> list[Region]:
    taken: BaseGeometry = Polygon()
    pieces: list[tuple[str, str, Side, BaseGeometry]] = []
    for spec in specs:
        rid = spec.get("id")
        if not rid:
            raise AtlasDataError(f"a region on {view} has no id")
        geom = _build(spec, points, f"region {rid!r}")
        for side, g in _sided(geom, spec, view):
            own = polygonal(g.intersection(silhouette).difference(taken))
            if own.area < MIN_AREA:
                continue
            taken = shapely.union(taken, own)
            pieces.append((rid, spec.get("label", rid.replace("_", " ")), side, own))
    leftover = polygonal(silhouette.difference(taken))
    grown = [list(p) for p in pieces]
    for hole in _polygons(leftover):
        if hole.area < MIN_AREA:
            continue
        edge = hole.boundary.buffer(0.6)
        best = max(range(len(grown)), key=lambda i: grown[i][3].intersection(edge).area, default=None)
        if best is not None and grown[best][3].intersection(edge).area > 0:
            grown[best][3] = shapely.union(grown[best][3], hole)
    merged: dict[tuple[str, Side], list[Any]] = {}
    for rid, label, side, geom in grown:
        key = (rid, side)
        if key in merged:
            merged[key][2] = shapely.union(merged[key][2], geom)
        else:
            merged[key] = [rid, label, geom]
    return [
        Region(rid, label, view, side, polygonal(geom), anchor_of(polygonal(geom)))
        for (rid, side), (_, label, geom) in merged.items()
    ]


def build_muscle_shapes(
    specs: Iterable[Mapping[str, Any]],
    points,
    view: str,
    silhouette: BaseGeometry,
    muscles: Mapping[str, Muscle],
) -> list[MuscleShape]:
    """Shapes clipped to the silhouette, one per muscle, side and layer.

    A shape may override its muscle's layer: the lumbar erector spinae lies under the skin while
    its thoracic part lies under trapezius, so one muscle can have shapes on two layers.
    """
    collected: dict[tuple[str, Side, str], list[BaseGeometry]] = defaultdict(list)
    angles: dict[tuple[str, Side, str], float] = {}
    parts: dict[tuple[str, Side, str], list[tuple[BaseGeometry, float]]] = defaultdict(list)
    for spec in specs:
        mid = spec.get("muscle")
        if mid not in muscles:
            raise AtlasDataError(f"a shape on {view} names unknown muscle {mid!r}")
        layer = spec.get("layer", muscles[mid].layer)
        if layer not in LAYERS:
            raise AtlasDataError(f"a shape of {mid!r} on {view} has layer {layer!r}")
        geom = _build(spec, points, f"muscle {mid!r} on {view}")
        angle = spec.get("fibre_angle", muscles[mid].fibre_angle)
        mirrored_view = view == "lateral_left"
        for i, (side, g) in enumerate(_sided(geom, spec, view)):
            clipped = polygonal(g.intersection(silhouette))
            if clipped.area < MIN_AREA:
                continue
            key = (mid, side, layer)
            collected[key].append(clipped)
            if angle is not None:
                # A mirrored copy reverses the fibre direction's x component.
                flipped = mirrored_view or i == 1
                angles[key] = (180.0 - float(angle)) % 180.0 if flipped else float(angle) % 180.0
                parts[key].append((clipped, angles[key]))
    shapes = []
    for (mid, side, layer), geoms in collected.items():
        geom = polygonal(shapely.union_all(geoms))
        key = (mid, side, layer)
        shapes.append(
            MuscleShape(mid, view, side, layer, geom, anchor_of(geom), angles.get(key), tuple(parts[key]))
        )
    # Within a layer, keep authoring order: it is the painting order, and a shape authored later
    # lies on top (and is what a click there finds first).
    order = {layer: i for i, layer in enumerate(LAYERS)}
    shapes.sort(key=lambda s: order[s.layer])
    return shapes


def build_atlas(data: Mapping[str, Any]) -> Atlas:
    """``data`` holds the parsed TOML tables (see loader.read_tables)."""
    muscles: dict[str, Muscle] = {}
    for m in data["muscles"]:
        if m["id"] in muscles:
            raise AtlasDataError(f"muscle {m['id']!r} is defined twice")
        if m.get("layer") not in LAYERS:
            raise AtlasDataError(f"muscle {m['id']!r} has layer {m.get('layer')!r}")
        muscles[m["id"]] = Muscle(
            m["id"], m["name"], m.get("latin", ""), m["group"], m["layer"], m.get("fibre_angle")
        )
    labels: Mapping[str, str] = data["landmarks"].get("labels", {})
    views: dict[str, ViewData] = {}
    for frame, view_names in FRAMES.items():
        points = frame_landmarks(data["landmarks"], frame)
        silhouette_key = "lateral" if frame == "lateral" else "frontal"
        for view in view_names:
            silhouette = build_silhouette(data["silhouette"][silhouette_key], points, view)
            vd = ViewData(view, silhouette)
            for name, (x, y) in points.items():
                label = labels.get(name, name.replace("_", " "))
                if view.startswith("lateral"):
                    xx = -x if view == "lateral_left" else x
                    side = side_of_x(view, xx)
                    vd.landmarks[(name, side)] = Landmark(name, label, view, side, xx, y)
                elif abs(x) < 1e-9:
                    vd.landmarks[(name, Side.MIDLINE)] = Landmark(name, label, view, Side.MIDLINE, 0.0, y)
                else:
                    for xx in (x, -x):
                        side = side_of_x(view, xx)
                        vd.landmarks[(name, side)] = Landmark(name, label, view, side, xx, y)
            vd.regions = build_regions(data["regions"].get(frame, []), points, view, silhouette)
            vd.muscle_shapes = build_muscle_shapes(
                data["shapes"].get(frame, []), points, view, silhouette, muscles
            )
            for spec in data["details"].get(frame, []):
                if spec.get("only") not in (None, view):
                    continue
                line = line_geometry(spec["line"], points)
                for _, g in _sided(line, spec, view):
                    vd.details.append(g)
            views[view] = vd
    return Atlas(str(data["version"]), views, muscles)
