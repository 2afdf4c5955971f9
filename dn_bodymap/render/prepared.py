"""Paths of a view built once and reused for every paint (zooming the canvas repaints often).

Fibre hatching is cut to each muscle with shapely here, once, instead of clipping while painting.
Cutting it is most of the cost of preparing a view, so the cut lines are also kept in the user
cache folder (like the atlas) under a key made from the shapes themselves: a new process, or any
atlas with the same shapes, reads them instead of cutting again.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import shapely
from PySide6.QtGui import QPainterPath
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.model import Atlas, MuscleShape, Region, ViewData
from dn_bodymap.render.paths import line_path, polygon_path

FIBRE_SPACING = 4.5
#: Bump when the hatching changes for the same shapes (part of the disk cache key).
FIBRE_REVISION = "1"


@dataclass(frozen=True, slots=True)
class PreparedMuscle:
    shape: MuscleShape
    outline: QPainterPath
    fibres: QPainterPath | None


@dataclass(frozen=True, slots=True)
class PreparedView:
    silhouette: QPainterPath
    regions: tuple[tuple[Region, QPainterPath], ...]
    muscles: tuple[PreparedMuscle, ...]
    details: QPainterPath


_cache: dict[tuple[int, str], tuple[Atlas, PreparedView]] = {}
_tones: dict[int, tuple[Atlas, dict[str, int]]] = {}


def muscle_tones(atlas: Atlas) -> dict[str, int]:
    """A tone index per muscle such that superficial muscles that touch on any view differ.

    Greedy graph colouring, most-connected first; one tone per muscle on every view, so a muscle
    keeps its colour when the clinician switches views.
    """
    hit = _tones.get(id(atlas))
    if hit is not None and hit[0] is atlas:
        return hit[1]
    from shapely import STRtree

    neighbours: dict[str, set[str]] = {m: set() for m in atlas.muscles}
    for view in atlas.views.values():
        shapes = [s for s in view.muscle_shapes if s.layer == "superficial"]
        tree = STRtree([s.geometry for s in shapes])
        for i, shape in enumerate(shapes):
            for j in tree.query(shape.geometry.buffer(1.0), predicate="intersects"):
                other = shapes[int(j)].muscle_id
                if int(j) != i and other != shape.muscle_id:
                    neighbours[shape.muscle_id].add(other)
                    neighbours[other].add(shape.muscle_id)
    tones: dict[str, int] = {}
    for mid in sorted(neighbours, key=lambda m: (-len(neighbours[m]), m)):
        used = {tones[n] for n in neighbours[mid] if n in tones}
        tones[mid] = next(t for t in range(64) if t not in used)
    _tones[id(atlas)] = (atlas, tones)
    return tones


def prepared_view(atlas: Atlas, view_name: str) -> PreparedView:
    key = (id(atlas), view_name)
    hit = _cache.get(key)
    if hit is not None and hit[0] is atlas:
        return hit[1]
    view = atlas.view(view_name)
    details = QPainterPath()
    for d in view.details:
        details.addPath(line_path(d))
    prepared = PreparedView(
        silhouette=polygon_path(view.silhouette),
        regions=tuple(
            (r, polygon_path(r.geometry))
            for r in sorted(view.regions, key=lambda r: (r.anchor[1], r.anchor[0]))
        ),
        muscles=tuple(
            PreparedMuscle(s, polygon_path(s.geometry), None if lines is None else line_path(lines))
            for s, lines in zip(view.muscle_shapes, fibre_lines(view), strict=True)
        ),
        details=details,
    )
    _cache[key] = (atlas, prepared)
    return prepared


def fibres_fingerprint(view: ViewData) -> str:
    """Key of a view's cached hatching: the revision, the spacing and every shape's pieces."""
    digest = hashlib.sha256(f"{FIBRE_REVISION}|{FIBRE_SPACING}|{view.name}".encode())
    for s in view.muscle_shapes:
        pieces = s.fibre_parts or (((s.geometry, s.fibre_angle),) if s.fibre_angle is not None else ())
        digest.update(f"|{s.muscle_id}|{s.side}|{s.layer}|{[a for _, a in pieces]}".encode())
        for geom, _ in pieces:
            digest.update(shapely.to_wkb(geom))
    return digest.hexdigest()[:24]


def fibre_lines(view: ViewData) -> list[BaseGeometry | None]:
    """Hatching lines of each muscle shape of ``view`` (in order), from the disk cache if possible."""
    from dn_bodymap.atlas.loader import cache_file, read_cached, write_cached

    path = cache_file("fibres-" + fibres_fingerprint(view))
    cached = read_cached(path, list)
    if cached is not None and len(cached) == len(view.muscle_shapes):
        return cached
    lines = [_fibres(s) for s in view.muscle_shapes]
    write_cached(path, lines)
    return lines


def _fibres(shape: MuscleShape) -> BaseGeometry | None:
    """Hatching per authored piece, each along its own fibre direction."""
    pieces = shape.fibre_parts or (
        ((shape.geometry, shape.fibre_angle),) if shape.fibre_angle is not None else ()
    )
    cuts = []
    covered = None
    # Later pieces lie on top: cut earlier hatching away where a later piece overlaps it.
    for geom, angle in reversed(pieces):
        own = geom if covered is None else geom.difference(covered)
        covered = geom if covered is None else shapely.union(covered, geom)
        part = _hatch(own, angle)
        if part is not None:
            cuts.append(part)
    lines = [
        g for cut in cuts for g in shapely.get_parts(cut) if isinstance(g, LineString) and not g.is_empty
    ]
    return MultiLineString(lines) if lines else None


def _hatch(geom: BaseGeometry, angle: float) -> BaseGeometry | None:
    if geom.is_empty:
        return None
    minx, miny, maxx, maxy = geom.bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    reach = math.hypot(maxx - minx, maxy - miny) / 2 + FIBRE_SPACING
    a = math.radians(angle)
    dx, dy = math.cos(a), math.sin(a)  # along the fibres
    nx, ny = -dy, dx  # across them
    lines = []
    k = -reach
    while k <= reach:
        ox, oy = cx + nx * k, cy + ny * k
        lines.append(((ox - dx * reach, oy - dy * reach), (ox + dx * reach, oy + dy * reach)))
        k += FIBRE_SPACING
    cut = shapely.intersection(MultiLineString(lines), geom.buffer(-0.6))
    return None if cut.is_empty else cut
