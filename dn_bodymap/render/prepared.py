"""Paths of a view built once and reused for every paint (zooming the canvas repaints often).

Fibre hatching is cut to each muscle with shapely here, once, instead of clipping while painting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from PySide6.QtGui import QPainterPath
from shapely.geometry import MultiLineString

from dn_bodymap.atlas.model import Atlas, MuscleShape, Region
from dn_bodymap.render.paths import line_path, polygon_path

FIBRE_SPACING = 4.5


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
            (r, polygon_path(r.geometry)) for r in sorted(view.regions, key=lambda r: (r.anchor[1], r.anchor[0]))
        ),
        muscles=tuple(
            PreparedMuscle(s, polygon_path(s.geometry), _fibres(s)) for s in view.muscle_shapes
        ),
        details=details,
    )
    _cache[key] = (atlas, prepared)
    return prepared


def _fibres(shape: MuscleShape) -> QPainterPath | None:
    if shape.fibre_angle is None or shape.geometry.is_empty:
        return None
    minx, miny, maxx, maxy = shape.geometry.bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    reach = math.hypot(maxx - minx, maxy - miny) / 2 + FIBRE_SPACING
    a = math.radians(shape.fibre_angle)
    dx, dy = math.cos(a), math.sin(a)  # along the fibres
    nx, ny = -dy, dx  # across them
    lines = []
    k = -reach
    while k <= reach:
        ox, oy = cx + nx * k, cy + ny * k
        lines.append(((ox - dx * reach, oy - dy * reach), (ox + dx * reach, oy + dy * reach)))
        k += FIBRE_SPACING
    cut = shapely.intersection(MultiLineString(lines), shape.geometry.buffer(-0.6))
    return line_path(cut) if not cut.is_empty else None
