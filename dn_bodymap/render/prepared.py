"""Paths of a view built once and reused for every paint (zooming the canvas repaints often).

Fibre hatching is cut to each muscle with shapely here, once, instead of clipping while painting.
Cutting it is most of the cost of preparing a view, so the cut lines are also kept in the user
cache folder (like the atlas) under a key made from the shapes themselves: a new process, or any
atlas with the same shapes, reads them instead of cutting again. The finished painter paths of a
view (QDataStream, exact coordinates) and the muscle tones are kept the same way, so a new process
neither turns shapes into paths again nor colours the muscle graph again (issue #14).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import shapely
from PySide6.QtCore import QByteArray, QDataStream, QIODevice, qVersion
from PySide6.QtGui import QPainterPath
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.model import Atlas, MuscleShape, Region, ViewData
from dn_bodymap.render.paths import line_path, polygon_path

FIBRE_SPACING = 4.5
#: Bump when the hatching changes for the same shapes (part of the disk cache key).
FIBRE_REVISION = "2"
#: Bump when the prepared paths or the tones change for the same shapes (part of their cache keys).
PATHS_REVISION = "1"
TONES_REVISION = "1"
_STREAM_VERSION = QDataStream.Version.Qt_6_0


@dataclass(frozen=True, slots=True)
class PreparedMuscle:
    shape: MuscleShape
    outline: QPainterPath
    fibres: QPainterPath | None
    #: The shape's tendon pieces (painted pale, over the muscle's fill), or None.
    tendons: QPainterPath | None = None


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
    from dn_bodymap.atlas.loader import cache_file, read_cached, write_cached

    path = cache_file("tones-" + _tones_key(atlas))
    cached = read_cached(path, dict)
    if cached is not None and set(cached) == set(atlas.muscles):
        _tones[id(atlas)] = (atlas, cached)
        return cached
    tones = _colour_muscles(atlas)
    write_cached(path, tones)
    _tones[id(atlas)] = (atlas, tones)
    return tones


def _tones_key(atlas: Atlas) -> str:
    """The tones' cache key: from the atlas's identity when it was read from the atlas cache (no
    shape is encoded again, issue #14), else from its shapes."""
    from dn_bodymap.atlas.loader import atlas_identity

    identity = atlas_identity(atlas)
    if identity is None:
        return _tones_fingerprint(atlas)
    digest = hashlib.sha256(f"{TONES_REVISION}|atlas {identity}".encode())
    with open(__file__, "rb") as source:
        digest.update(source.read())
    return "a" + digest.hexdigest()[:23]


def _tones_fingerprint(atlas: Atlas) -> str:
    """Key of the cached tones: every muscle, every view's superficial shapes (all they read) and
    this module's code (the colouring)."""
    digest = hashlib.sha256(f"{TONES_REVISION}|{sorted(atlas.muscles)}".encode())
    with open(__file__, "rb") as source:
        digest.update(source.read())
    for name, view in atlas.views.items():
        shapes = [s for s in view.muscle_shapes if s.layer == "superficial"]
        digest.update(f"|{name}|{[s.muscle_id for s in shapes]}".encode())
        for wkb in shapely.to_wkb([s.geometry for s in shapes]):
            digest.update(wkb)
    return digest.hexdigest()[:24]


def _colour_muscles(atlas: Atlas) -> dict[str, int]:
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
    return tones


def prepared_view(atlas: Atlas, view_name: str) -> PreparedView:
    key = (id(atlas), view_name)
    hit = _cache.get(key)
    if hit is not None and hit[0] is atlas:
        return hit[1]
    view = atlas.view(view_name)
    from dn_bodymap.atlas.loader import cache_file

    path = cache_file("paths-" + _paths_key(atlas, view))
    prepared = _cached_paths(view, path)
    if prepared is None:
        prepared = _build_paths(view)
        _write_paths(prepared, path)
    _cache[key] = (atlas, prepared)
    return prepared


def _regions_in_order(view: ViewData) -> list[Region]:
    return sorted(view.regions, key=lambda r: (r.anchor[1], r.anchor[0]))


def _build_paths(view: ViewData) -> PreparedView:
    details = QPainterPath()
    for d in view.details:
        details.addPath(line_path(d))
    return PreparedView(
        silhouette=polygon_path(view.silhouette),
        regions=tuple((r, polygon_path(r.geometry)) for r in _regions_in_order(view)),
        muscles=tuple(
            PreparedMuscle(
                s,
                polygon_path(s.geometry),
                None if lines is None else line_path(lines),
                _tendon_path(s),
            )
            for s, lines in zip(view.muscle_shapes, fibre_lines(view), strict=True)
        ),
        details=details,
    )


def _paths_key(atlas: Atlas, view: ViewData) -> str:
    """A view's paths' cache key: from the atlas's identity (``loader.atlas_identity``: the exact
    bytes its shapes were read from) when it has one, so the first paint encodes no shape again
    (issue #14); else from the shapes themselves (``paths_fingerprint``)."""
    from dn_bodymap.atlas.loader import atlas_identity

    identity = atlas_identity(atlas)
    if identity is None or atlas.views.get(view.name) is not view:
        return paths_fingerprint(view)
    from dn_bodymap.render import paths

    head = f"{PATHS_REVISION}|{FIBRE_REVISION}|{FIBRE_SPACING}|{qVersion()}|atlas {identity}|{view.name}"
    digest = hashlib.sha256(head.encode())
    for module in (paths.__file__, __file__):
        with open(module, "rb") as source:
            digest.update(source.read())
    return "a" + digest.hexdigest()[:23]


def paths_fingerprint(view: ViewData) -> str:
    """Key of a view's cached painter paths: the hatching's key, every other shape drawn, the code
    that turns shapes into paths and the Qt version (its stream format)."""
    from dn_bodymap.render import paths

    digest = hashlib.sha256(f"{PATHS_REVISION}|{qVersion()}|{fibres_fingerprint(view)}".encode())
    for module in (paths.__file__, __file__):
        with open(module, "rb") as source:
            digest.update(source.read())
    regions = _regions_in_order(view)
    digest.update(f"|{[r.id for r in regions]}|{len(view.details)}".encode())
    shapes = [view.silhouette, *(r.geometry for r in regions), *(s.geometry for s in view.muscle_shapes)]
    for wkb in shapely.to_wkb([*shapes, *view.details]):
        digest.update(wkb)
    return digest.hexdigest()[:24]


def _write_paths(prepared: PreparedView, file: Path) -> None:
    """The view's paths in order (silhouette, details, regions, then outline, fibres and tendons of
    each muscle; an absent path as a false flag), streamed by Qt with exact coordinates."""
    from dn_bodymap.atlas.loader import write_cached

    data = QByteArray()
    stream = QDataStream(data, QIODevice.OpenModeFlag.WriteOnly)
    stream.setVersion(_STREAM_VERSION)
    paths = [prepared.silhouette, prepared.details, *(p for _, p in prepared.regions)]
    for m in prepared.muscles:
        paths += [m.outline, m.fibres, m.tendons]
    stream.writeUInt32(len(paths))
    for path in paths:
        stream.writeBool(path is not None)
        if path is not None:
            stream << path
    write_cached(file, bytes(data.data()))


def _cached_paths(view: ViewData, file: Path) -> PreparedView | None:
    """The view's paths from the disk cache; None when missing, stale, torn or of another shape."""
    from dn_bodymap.atlas.loader import read_cached

    data = read_cached(file, bytes)
    if data is None:
        return None
    stream = QDataStream(QByteArray(data))
    stream.setVersion(_STREAM_VERSION)
    regions = _regions_in_order(view)
    count = stream.readUInt32()
    if count != 2 + len(regions) + 3 * len(view.muscle_shapes):
        return None
    paths: list[QPainterPath | None] = []
    for _ in range(count):
        if stream.readBool():
            path = QPainterPath()
            stream >> path
            paths.append(path)
        else:
            paths.append(None)
    if stream.status() != QDataStream.Status.Ok or not stream.atEnd():
        return None
    silhouette, details, *rest = paths
    region_paths, muscle_paths = rest[: len(regions)], rest[len(regions) :]
    if silhouette is None or details is None or None in region_paths or None in muscle_paths[::3]:
        return None
    return PreparedView(
        silhouette=silhouette,
        regions=tuple(zip(regions, region_paths, strict=True)),  # type: ignore[arg-type]
        muscles=tuple(
            PreparedMuscle(s, *muscle_paths[3 * i : 3 * i + 3])  # type: ignore[arg-type]
            for i, s in enumerate(view.muscle_shapes)
        ),
        details=details,
    )


def _tendon_path(shape: MuscleShape) -> QPainterPath | None:
    if not shape.tendon_parts:
        return None
    # One union, not one subpath per piece: overlapping pieces (tendons meeting in the carpal
    # tunnel) would cancel out under the path's odd-even fill and show the muscle through.
    return polygon_path(shapely.union_all(shape.tendon_parts))


def fibres_fingerprint(view: ViewData) -> str:
    """Key of a view's cached hatching: the revision, the spacing and every shape's pieces."""
    digest = hashlib.sha256(f"{FIBRE_REVISION}|{FIBRE_SPACING}|{view.name}".encode())
    for s in view.muscle_shapes:
        pieces = s.fibre_parts or (((s.geometry, s.fibre_angle),) if s.fibre_angle is not None else ())
        digest.update(f"|{s.muscle_id}|{s.side}|{s.layer}|{[a for _, a in pieces]}".encode())
        for geom, _ in pieces:
            digest.update(shapely.to_wkb(geom))
        for geom in s.tendon_parts:
            digest.update(b"tendon" + shapely.to_wkb(geom))
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
    # Tendon pieces are not hatched: they count as covering what lies under them.
    covered = shapely.union_all(shape.tendon_parts) if shape.tendon_parts else None
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
