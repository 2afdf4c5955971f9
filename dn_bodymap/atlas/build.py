"""Assemble an Atlas from the parsed asset tables: landmarks, silhouette, regions, muscles.

Bilateral structures are authored once on the x ≥ 0 half and mirrored here, so both sides are
symmetric by construction. Regions are authored roughly and partitioned exactly: each takes what
earlier regions left of it inside the silhouette, and leftover slivers join the neighbour they
share most border with, so the regions of a view always tile the silhouette.

Finally every outline is simplified to display resolution (a 2,000-pixel render shows one atlas
unit as two pixels): the curves are flattened far finer than that, and every extra vertex costs in
hit-testing, painting and PDF size. The regions are simplified as one coverage, so a shared border
is simplified once and neighbours still meet; the silhouette becomes their union, so they still
tile it; muscles are simplified and clipped to that silhouette again.
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
    ViewMeta,
    is_mirror_view,
    is_one_sided,
    side_of_x,
)
from dn_bodymap.atlas.shapes import (
    ShapeError,
    build_shape,
    line_geometry,
    mirror,
    polygonal,
    without_specks,
)

#: Authored data sets and the views built from each (the detail frames: docs/atlas-detail-views.md).
#: A side frame's second view is the mirror image of its first.
FRAMES: dict[str, tuple[str, ...]] = {
    "anterior": ("anterior",),
    "posterior": ("posterior",),
    "lateral": ("lateral_right", "lateral_left"),
    "plantar": ("plantar",),
    "palmar": ("palmar",),
    "dorsal_hand": ("dorsal_hand",),
    "face": ("face",),
    "head_lateral": ("head_lateral_right", "head_lateral_left"),
}
#: Frame → the silhouette file (assets/atlas/silhouette/<key>.toml) its views are cut from.
SILHOUETTE_KEYS: dict[str, str] = {
    "anterior": "frontal",
    "posterior": "frontal",
    "lateral": "lateral",
    "plantar": "plantar",
    "palmar": "hand",
    "dorsal_hand": "hand",
    "face": "face",
    "head_lateral": "head_lateral",
}
#: Frame → landmark tables it reads, shared ones first (frontal for the body, hand for both hands).
LANDMARK_TABLES: dict[str, tuple[str, ...]] = {
    "anterior": ("frontal", "anterior"),
    "posterior": ("frontal", "posterior"),
    "palmar": ("hand", "palmar"),
    "dorsal_hand": ("hand", "dorsal_hand"),
}
#: View → its frame.
FRAME_OF_VIEW: dict[str, str] = {view: frame for frame, views in FRAMES.items() for view in views}


def frame_of(view: str) -> str:
    """The authored frame a view is built from (``lateral_left`` → ``lateral``)."""
    return FRAME_OF_VIEW.get(view, view)


#: Radius used to round the joins between silhouette parts (atlas units).
FILLET = 4.0
#: Pieces smaller than this (square atlas units) are rounding noise.
MIN_AREA = 0.5
#: Display resolution (atlas units): region borders and the silhouette are simplified to this.
DISPLAY_TOLERANCE = 0.25
#: Muscles and lines use a little less: GEOS's topology-preserving simplifier may stray slightly
#: beyond its tolerance, and the clip to the simplified silhouette adds its own share.
SHAPE_TOLERANCE = 0.2


class AtlasDataError(ValueError):
    """Atlas data that cannot be assembled; the message names the item."""


def frame_landmarks(tables: Mapping[str, Any], frame: str) -> dict[str, tuple[float, float]]:
    points: dict[str, tuple[float, float]] = {}
    for source in LANDMARK_TABLES.get(frame, (frame,)):
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
    if is_one_sided(view):
        side = Side.MIDLINE if spec.get("midline") else side_of_x(view, 0.0)
        return [(side, mirror(geom) if is_mirror_view(view) else geom)]
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
    linked: dict[str, tuple[str, ...]] = {}
    for spec in specs:
        rid = spec.get("id")
        if not rid:
            raise AtlasDataError(f"a region on {view} has no id")
        body_regions = spec.get("body_regions", [])
        if not isinstance(body_regions, list) or not all(isinstance(b, str) for b in body_regions):
            raise AtlasDataError(f"region {rid!r} on {view}: body_regions must be a list of region ids")
        linked[rid] = tuple(dict.fromkeys([*linked.get(rid, ()), *body_regions]))
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
        Region(rid, label, view, side, polygonal(geom), anchor_of(polygonal(geom)), linked.get(rid, ()))
        for (rid, side), (_, label, geom) in merged.items()
    ]


def _tendon_cut(geom: BaseGeometry, y: float) -> Polygon:
    """Everything below ``y``, with a chevron top: the tendon reaches up into the belly in the middle
    and the fibres end obliquely on it at the sides, as a musculotendinous junction looks."""
    minx, _, maxx, maxy = geom.bounds
    rise = min(12.0, 0.6 * (maxx - minx))
    cx = (minx + maxx) / 2
    return Polygon(
        [
            (minx - 1, y + rise / 2),
            (cx, y - rise / 2),
            (maxx + 1, y + rise / 2),
            (maxx + 1, maxy + 1),
            (minx - 1, maxy + 1),
        ]
    )


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
    tendons: dict[tuple[str, Side, str], list[BaseGeometry]] = defaultdict(list)
    for spec in specs:
        mid = spec.get("muscle")
        if mid not in muscles:
            raise AtlasDataError(f"a shape on {view} names unknown muscle {mid!r}")
        layer = spec.get("layer", muscles[mid].layer)
        if layer not in LAYERS:
            raise AtlasDataError(f"a shape of {mid!r} on {view} has layer {layer!r}")
        geom = _build(spec, points, f"muscle {mid!r} on {view}")
        angle = spec.get("fibre_angle", muscles[mid].fibre_angle)
        mirrored_view = is_mirror_view(view)
        for i, (side, g) in enumerate(_sided(geom, spec, view)):
            clipped = polygonal(g.intersection(silhouette))
            if clipped.area < MIN_AREA:
                continue
            key = (mid, side, layer)
            collected[key].append(clipped)
            if spec.get("tendon"):
                tendons[key].append(clipped)
                continue
            if "tendon_below" in spec:  # the part below this y is the muscle's tendon
                below = polygonal(clipped.intersection(_tendon_cut(clipped, float(spec["tendon_below"]))))
                if not below.is_empty:
                    tendons[key].append(below)
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
            MuscleShape(
                mid,
                view,
                side,
                layer,
                geom,
                anchor_of(geom),
                angles.get(key),
                tuple(parts[key]),
                tuple(tendons[key]),
            )
        )
    # Within a layer, keep authoring order: it is the painting order, and a shape authored later
    # lies on top (and is what a click there finds first).
    order = {layer: i for i, layer in enumerate(LAYERS)}
    shapes.sort(key=lambda s: order[s.layer])
    return shapes


def _kept_anchor(geom: BaseGeometry, anchor: tuple[float, float]) -> tuple[float, float]:
    return anchor if geom.contains(shapely.Point(anchor)) else anchor_of(geom)


_TWIN = {Side.RIGHT: Side.LEFT, Side.LEFT: Side.RIGHT, Side.MIDLINE: Side.MIDLINE}
#: Far beyond the figure: the half-plane kept of a frontal view.
_FAR = 10_000.0


def _fill_gaps(pieces: list[BaseGeometry]) -> None:
    """Give any pinhole left between simplified pieces to the piece it borders most (the figure
    is solid)."""
    for part in _polygons(shapely.union_all(pieces)):
        for ring in part.interiors:
            hole = Polygon(ring)
            edge = hole.boundary.buffer(0.05)
            best = max(range(len(pieces)), key=lambda i: pieces[i].intersection(edge).area)
            pieces[best] = polygonal(shapely.union(pieces[best], hole))


def _noded(pieces: list[BaseGeometry]) -> list[BaseGeometry]:
    """``pieces`` rebuilt from one noded set of borders, so neighbours share identical edges.

    The partition's borders match only to rounding (each piece was cut separately); coverage
    simplification needs them identical, or it opens gaps and drops corners.
    """
    lines = shapely.union_all([g.boundary for g in pieces])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    tree = shapely.STRtree(pieces)
    owned: list[list[BaseGeometry]] = [[] for _ in pieces]
    for face, inside in zip(faces, shapely.point_on_surface(faces), strict=True):
        hits = sorted(int(i) for i in tree.query(inside, predicate="intersects"))
        if hits:
            owned[hits[0]].append(face)
    return [polygonal(shapely.coverage_union_all(f)) if f else Polygon() for f in owned]


def _simplify_regions(vd: ViewData) -> tuple[BaseGeometry, list[BaseGeometry]] | None:
    """(silhouette, region geometries) at display resolution, tiling as exactly as before.

    The regions are simplified as one coverage together with what they leave of the figure
    (slivers too small to assign), so the silhouette rebuilt from it keeps its shape. A frontal
    view keeps its x ≥ 0 half and mirrors it, so left and right stay mirror images.
    """
    regions = vd.regions
    pieces = [r.geometry for r in regions]
    filler = polygonal(vd.silhouette.difference(shapely.union_all(pieces)))
    coverage = _noded(pieces + ([] if filler.is_empty else [filler]))
    done = [
        polygonal(g) for g in shapely.coverage_simplify(coverage, DISPLAY_TOLERANCE, simplify_boundary=True)
    ]
    _fill_gaps(done)
    if not is_one_sided(vd.name):
        half = shapely.box(0.0, -_FAR, _FAR, _FAR)
        halves = [polygonal(g.intersection(half)) for g in done]
        index = {(r.id, r.side): i for i, r in enumerate(regions)}
        parts = [[g] for g in halves]
        for i, g in enumerate(halves):
            if not g.is_empty:
                # The mirrored half goes to the twin on the other side (itself for the midline).
                twin = index.get((regions[i].id, _TWIN[regions[i].side]), i) if i < len(regions) else i
                parts[twin].append(mirror(g))
        done = [polygonal(shapely.union_all(p)) for p in parts]
    # The body is one solid polygon: specks and zero-width slits the overlay leaves between
    # pieces are rounding noise.
    body = [Polygon(p.exterior) for p in _polygons(shapely.union_all(done)) if p.area > MIN_AREA]
    done = done[: len(regions)]
    # One body; two (one per side) on the views of both feet or both hands.
    if len(body) != len(_polygons(vd.silhouette)) or not all(b.is_valid for b in body):
        return None  # not expected: keep the exact partition rather than a broken one
    if any(g.is_empty for g in done):
        return None
    return (body[0] if len(body) == 1 else MultiPolygon(body)), done


def _clipped(geom: BaseGeometry, sil: BaseGeometry) -> BaseGeometry:
    """Simplified, clipped to the figure, without the specks clipping leaves along its edge."""
    return without_specks(polygonal(geom.simplify(SHAPE_TOLERANCE).intersection(sil)))


def _simplify_shape(shape: MuscleShape, sil: BaseGeometry, twin: MuscleShape | None) -> MuscleShape:
    """Simplified and clipped to ``sil``; ``twin`` (simplified already) is mirrored when given."""
    if (
        twin is not None
        and len(twin.fibre_parts) == len(shape.fibre_parts)
        and len(twin.tendon_parts) == len(shape.tendon_parts)
    ):
        geom = mirror(twin.geometry)  # the silhouette is symmetric: no clip needed
        parts = tuple(
            (mirror(g), a) for (g, _), (_, a) in zip(twin.fibre_parts, shape.fibre_parts, strict=True)
        )
        tendons = tuple(mirror(g) for g in twin.tendon_parts)
    else:
        geom = _clipped(shape.geometry, sil)
        parts = tuple((polygonal(g.simplify(SHAPE_TOLERANCE)), a) for g, a in shape.fibre_parts)
        tendons = tuple(_clipped(g, sil) for g in shape.tendon_parts)
    anchor = _kept_anchor(geom, shape.anchor)
    return MuscleShape(
        shape.muscle_id, shape.view, shape.side, shape.layer, geom, anchor, shape.fibre_angle, parts, tendons
    )


def simplify_view(vd: ViewData) -> None:
    """Reduce ``vd``'s outlines to display resolution in place (see the module docstring)."""
    result = _simplify_regions(vd) if vd.regions else None
    if result is not None:
        vd.silhouette, geoms = result
        vd.regions = [
            Region(r.id, r.label, r.view, r.side, g, _kept_anchor(g, r.anchor), r.body_regions)
            for r, g in zip(vd.regions, geoms, strict=True)
        ]
    elif not vd.regions:
        vd.silhouette = polygonal(vd.silhouette.simplify(DISPLAY_TOLERANCE))
    # Sided shapes of a frontal view: the one on x ≥ 0 is simplified, its twin is its mirror image.
    frontal = not is_one_sided(vd.name)
    done: dict[tuple[str, Side, str], MuscleShape] = {}
    order = sorted(range(len(vd.muscle_shapes)), key=lambda i: vd.muscle_shapes[i].geometry.centroid.x < 0)
    for i in order:
        s = vd.muscle_shapes[i]
        twin = (
            done.get((s.muscle_id, _TWIN[s.side], s.layer))
            if frontal and s.side is not Side.MIDLINE
            else None
        )
        done[(s.muscle_id, s.side, s.layer)] = _simplify_shape(s, vd.silhouette, twin)
    vd.muscle_shapes = [done[(s.muscle_id, s.side, s.layer)] for s in vd.muscle_shapes]
    vd.details = [d.simplify(SHAPE_TOLERANCE) for d in vd.details]


def mirrored_view(source: ViewData, exact: ViewData) -> ViewData | None:
    """``exact`` at display resolution as the mirror image of ``source`` (already simplified).

    lateral_left is lateral_right mirrored; mirroring its simplified copy keeps the two identical
    where simplifying each would not. None when the two do not pair up item by item.
    """
    if [r.id for r in source.regions] != [r.id for r in exact.regions] or [
        (s.muscle_id, s.layer) for s in source.muscle_shapes
    ] != [(s.muscle_id, s.layer) for s in exact.muscle_shapes]:
        return None
    vd = ViewData(exact.name, mirror(source.silhouette), exact.landmarks)
    vd.regions = [
        Region(r.id, r.label, r.view, r.side, g, _kept_anchor(g, r.anchor), r.body_regions)
        for r, g in ((r, mirror(src.geometry)) for r, src in zip(exact.regions, source.regions, strict=True))
    ]
    vd.muscle_shapes = [
        _simplify_shape(s, vd.silhouette, src)
        for s, src in zip(exact.muscle_shapes, source.muscle_shapes, strict=True)
    ]
    vd.details = [d.simplify(SHAPE_TOLERANCE) for d in exact.details]
    return vd


def build_atlas(data: Mapping[str, Any], display_resolution: bool = True) -> Atlas:
    """``data`` holds the parsed TOML tables (see loader.read_tables).

    ``display_resolution=False`` keeps the outlines as flattened from the curves (for comparing).
    """
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
        silhouette_parts = data["silhouette"].get(SILHOUETTE_KEYS[frame], [])
        if not silhouette_parts:
            continue  # a detail frame not authored yet: absent from the atlas
        points = frame_landmarks(data["landmarks"], frame)
        for view in view_names:
            silhouette = build_silhouette(silhouette_parts, points, view)
            vd = ViewData(view, silhouette)
            for name, (x, y) in points.items():
                label = labels.get(name, name.replace("_", " "))
                if is_one_sided(view):
                    xx = -x if is_mirror_view(view) else x
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
            if display_resolution:
                mirrored = mirrored_view(views[view_names[0]], vd) if is_mirror_view(view) else None
                if mirrored is not None:
                    vd = mirrored
                else:
                    simplify_view(vd)
            views[view] = vd
    return Atlas(str(data["version"]), views, muscles, view_metadata(data.get("views", {}), views))


def view_metadata(tables: Mapping[str, Any], views: Mapping[str, ViewData]) -> dict[str, ViewMeta]:
    """``views/<frame>.toml`` → ViewMeta for each built detail view.

    ``opens_from`` names the body views and regions where a click offers the detail view; a view
    with no entry still gets a label (its name), so navigation is data-driven.
    """
    meta: dict[str, ViewMeta] = {}
    for frame, entries in tables.items():
        for entry in entries:
            name = entry.get("name")
            if name not in FRAMES.get(frame, ()):
                raise AtlasDataError(f"views/{frame}.toml: view {name!r} is not a view of frame {frame!r}")
            if name not in views:
                continue
            opens: list[tuple[str, tuple[str, ...]]] = []
            for item in entry.get("opens_from", []):
                body_view = item.get("view") if isinstance(item, Mapping) else None
                regions = item.get("regions", []) if isinstance(item, Mapping) else None
                if not isinstance(body_view, str) or not isinstance(regions, list):
                    raise AtlasDataError(f"views/{frame}.toml: {name}: opens_from needs view and regions")
                opens.append((body_view, tuple(str(r) for r in regions)))
            meta[name] = ViewMeta(name, str(entry.get("label", name.replace("_", " "))), tuple(opens))
    for name in views:
        if name not in meta and name not in ("anterior", "posterior", "lateral_right", "lateral_left"):
            meta[name] = ViewMeta(name, name.replace("_", " "), ())
    return meta
