"""Hazard zones built from atlas landmarks (``assets/safety/hazards.toml``), placed on every view.

Shapes are authored like atlas shapes (docs/atlas-format.md) and referenced to landmarks, so the
zones follow the figure when it is redrawn. Each zone is built per view and per patient side:
bilateral shapes are mirrored, ``side = "left"|"right"`` keeps one side (the anterior pleura is
asymmetric), the left side view mirrors the right one. A zone may add a margin (``buffer``), keep
inside a helper area (``within``), leave out earlier zones (``minus``: the graded pleural zones
partition the pleural projection) and is always clipped to the silhouette.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely import STRtree
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from dn_bodymap.assets import asset_path
from dn_bodymap.atlas.build import FRAMES, frame_landmarks
from dn_bodymap.atlas.model import Atlas, Side, is_mirror_view, is_one_sided, side_of_x
from dn_bodymap.atlas.shapes import ShapeError, build_shape, mirror, polygonal
from dn_bodymap.safety.levels import ZONE_LEVELS

KINDS: tuple[str, ...] = (
    "pneumothorax",
    "cardiac",
    "neurovascular",
    "spinal",
    "visceral",
    "nerve",
    "infection",
    "no_needle",
)
_TEXT_FIELDS = ("structure", "reason", "technique")
#: Pieces smaller than this (square atlas units) are clipping noise.
_MIN_AREA = 0.5


class HazardDataError(ValueError):
    """Hazard data that cannot be built; the message names the zone and the problem."""


@dataclass(frozen=True, slots=True)
class DepthFigure:
    """A published depth or distance, as its source gives it (never a "safe" depth).

    Skin-to-structure figures also carry numbers: ``min_mm`` is the shallowest value the source
    reports for its group (the range minimum, or the mean when only a mean is published) and
    ``max_mm`` the deepest; ``measure`` says what was measured (e.g. "skin to pleura"),
    ``population`` who, and ``sex`` limits the figure to one sex when the source splits by sex.
    Figures without numbers (thicknesses, cadaver needle counts, positions) are text only.
    """

    text: str
    sources: tuple[str, ...]
    min_mm: float | None = None
    max_mm: float | None = None
    measure: str = ""
    population: str = ""
    sex: str | None = None

    def to_document(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "sources": list(self.sources),
            "min_mm": self.min_mm,
            "max_mm": self.max_mm,
            "measure": self.measure or None,
            "population": self.population or None,
            "sex": self.sex,
        }


def depth_figure(spec: Mapping[str, Any], zid: str = "?") -> DepthFigure:
    """A ``[[zone.depth]]`` table as a ``DepthFigure``; numbers must come with measure and population."""
    text = str(spec.get("text", "")).strip()
    sources = tuple(spec.get("sources", ()))
    if not text or not sources:
        raise HazardDataError(f"{zid}: a depth figure needs text and sources")
    low, high = spec.get("min_mm"), spec.get("max_mm")
    for name, value in (("min_mm", low), ("max_mm", high)):
        if value is not None and (
            not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value < 300
        ):
            raise HazardDataError(f"{zid}: depth {name} must be a number of millimetres")
    if high is not None and low is None:
        raise HazardDataError(f"{zid}: depth max_mm needs min_mm")
    if low is not None and high is not None and high < low:
        raise HazardDataError(f"{zid}: depth max_mm is below min_mm")
    measure = str(spec.get("measure", "")).strip()
    population = str(spec.get("population", "")).strip()
    if low is not None and not (measure and population):
        raise HazardDataError(f"{zid}: a depth with numbers needs measure and population")
    sex = spec.get("sex")
    if sex is not None and sex not in ("female", "male"):
        raise HazardDataError(f"{zid}: depth sex must be 'female' or 'male'")
    return DepthFigure(
        text,
        sources,
        float(low) if low is not None else None,
        float(high) if high is not None else None,
        measure,
        population,
        sex,
    )


def ordered_depths(figures: Iterable[DepthFigure], sex: str | None = None) -> tuple[DepthFigure, ...]:
    """Published ranges shallowest first, then text-only figures in file order.

    With a known sex, figures published for the other sex are left out.
    """
    kept = [f for f in figures if f.sex is None or sex not in ("female", "male") or f.sex == sex]
    numeric = sorted((f for f in kept if f.min_mm is not None), key=lambda f: f.min_mm or 0.0)
    return tuple(numeric) + tuple(f for f in kept if f.min_mm is None)


@dataclass(frozen=True, slots=True)
class ZonePiece:
    """One zone on one view and patient side."""

    zone_id: str
    view: str
    side: Side
    geometry: BaseGeometry


@dataclass(frozen=True, slots=True)
class HazardZone:
    id: str
    kind: str
    level: str
    structure: str
    reason: str
    technique: str
    sources: tuple[str, ...]
    depth: tuple[DepthFigure, ...]
    pieces: tuple[ZonePiece, ...] = field(hash=False, compare=False)

    @property
    def views(self) -> tuple[str, ...]:
        seen: list[str] = []
        for p in self.pieces:
            if p.view not in seen:
                seen.append(p.view)
        return tuple(seen)

    def geometry(self, view: str, side: Side | str | None = None) -> BaseGeometry:
        parts = [p.geometry for p in self.pieces if p.view == view and (side is None or p.side == Side(side))]
        return shapely.union_all(parts) if parts else Polygon()

    def all_sources(self) -> tuple[str, ...]:
        keys = list(self.sources)
        for d in self.depth:
            keys.extend(d.sources)
        return tuple(dict.fromkeys(keys))


class HazardSet:
    """The zones of an atlas, with a spatial index per view for hit-testing."""

    def __init__(
        self,
        atlas: Atlas,
        zones: Mapping[str, HazardZone],
        areas: Mapping[str, Mapping[str, Mapping[Side, BaseGeometry]]],
    ) -> None:
        self.atlas = atlas
        self.zones: dict[str, HazardZone] = dict(zones)
        #: Helper areas (not hazards): id → view → side → geometry.
        self.areas = {k: {v: dict(s) for v, s in views.items()} for k, views in areas.items()}
        self._trees: dict[str, tuple[STRtree, list[ZonePiece]]] = {}

    def pieces(self, view: str) -> list[ZonePiece]:
        return [p for z in self.zones.values() for p in z.pieces if p.view == view]

    def area(self, area_id: str, view: str, side: Side | str | None = None) -> BaseGeometry:
        sided = self.areas.get(area_id, {}).get(view, {})
        parts = [g for s, g in sided.items() if side is None or s == Side(side)]
        return shapely.union_all(parts) if parts else Polygon()

    def areas_at(self, view: str, x: float, y: float, prefix: str = "") -> list[str]:
        """Ids of the helper areas (starting with ``prefix``) that cover a point."""
        point = Point(x, y)
        return [
            area_id
            for area_id, views in self.areas.items()
            if area_id.startswith(prefix) and any(g.covers(point) for g in views.get(view, {}).values())
        ]

    def hits(self, view: str, x: float, y: float) -> list[ZonePiece]:
        """Zone pieces under a point, in file order (the order zones are listed in)."""
        if view not in self._trees:
            pieces = self.pieces(view)
            self._trees[view] = (STRtree([p.geometry for p in pieces]), pieces)
        tree, pieces = self._trees[view]
        found = tree.query(Point(x, y), predicate="intersects")
        return [pieces[int(i)] for i in sorted(found)]


# ---------------------------------------------------------------------------------- building


def hazards_file() -> Path:
    return asset_path("safety", "hazards.toml")


def hazard_files(path: Path | None = None) -> list[Path]:
    """``path`` alone, or the packaged hazards.toml followed by every hazards_*.toml (one per detail
    frame: hazards_plantar.toml, hazards_hand.toml, …) in name order."""
    if path is not None:
        return [path]
    main = hazards_file()
    return [main, *sorted(p for p in main.parent.glob("hazards_*.toml") if p.is_file())]


def read_hazard_tables(path: Path | None = None) -> dict[str, Any]:
    """The zones and areas of ``hazard_files(path)``, concatenated in file order."""
    merged: dict[str, Any] = {}
    for file in hazard_files(path):
        try:
            with file.open("rb") as fh:
                data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise HazardDataError(f"{file.name}: {exc}") from None
        for key, value in data.items():
            if isinstance(value, list) and isinstance(merged.get(key, []), list):
                merged.setdefault(key, []).extend(value)
            else:
                merged.setdefault(key, value)
    return merged


def _placed(geom: BaseGeometry, spec: Mapping[str, Any], view: str) -> list[tuple[Side, BaseGeometry]]:
    """Authored (x > 0 half) geometry → (patient side, geometry) pairs on a view."""
    wanted = spec.get("side")
    if wanted is not None and wanted not in ("left", "right"):
        raise HazardDataError(f"side must be 'left' or 'right', not {wanted!r}")
    if is_one_sided(view):
        side = side_of_x(view, 0.0)
        if wanted is not None and Side(wanted) is not side:
            return []
        return [(side, mirror(geom) if is_mirror_view(view) else geom)]
    if spec.get("symmetric") or spec.get("midline"):
        return [(Side.MIDLINE, geom)]
    authored = side_of_x(view, 1.0)
    other = Side.LEFT if authored is Side.RIGHT else Side.RIGHT
    pairs = [(authored, geom), (other, mirror(geom))]
    if wanted is not None:
        pairs = [(s, g) for s, g in pairs if s is Side(wanted)]
    return pairs


def _sided_shapes(
    item: Mapping[str, Any], frame: str, view: str, points: Mapping[str, tuple[float, float]]
) -> dict[Side, BaseGeometry]:
    by_side: dict[Side, list[BaseGeometry]] = {}
    for i, spec in enumerate(item.get("shape", [])):
        if spec.get("frame") not in FRAMES:
            raise HazardDataError(
                f"{item['id']}: shape {i + 1} has frame {spec.get('frame')!r}; "
                f"expected one of {', '.join(FRAMES)}"
            )
        if spec["frame"] != frame:
            continue
        try:
            geom = build_shape(spec, points)
        except ShapeError as exc:
            raise HazardDataError(f"{item['id']}: shape {i + 1} ({frame}): {exc}") from None
        for side, g in _placed(geom, spec, view):
            by_side.setdefault(side, []).append(g)
    return {side: polygonal(shapely.union_all(parts)) for side, parts in by_side.items()}


def _buffered(geom: BaseGeometry, item: Mapping[str, Any]) -> BaseGeometry:
    margin = item.get("buffer", 0)
    if not isinstance(margin, int | float) or isinstance(margin, bool) or not math.isfinite(margin):
        raise HazardDataError(f"{item['id']}: buffer must be a number")
    if margin == 0 or geom.is_empty:
        return geom
    return polygonal(geom.buffer(float(margin), quad_segs=8))


def _check_zone(item: Mapping[str, Any], seen: set[str]) -> None:
    zid = item.get("id")
    if not isinstance(zid, str) or not zid:
        raise HazardDataError("a zone or area has no id")
    if zid in seen:
        raise HazardDataError(f"{zid}: defined twice")
    if "kind" not in item and "level" not in item:
        return  # an area
    if item.get("kind") not in KINDS:
        raise HazardDataError(f"{zid}: kind {item.get('kind')!r} is not one of {', '.join(KINDS)}")
    if item.get("level") not in ZONE_LEVELS:
        raise HazardDataError(f"{zid}: level {item.get('level')!r} is not one of {', '.join(ZONE_LEVELS)}")
    for name in _TEXT_FIELDS:
        if not str(item.get(name, "")).strip():
            raise HazardDataError(f"{zid}: {name} is missing")
    if not item.get("sources"):
        raise HazardDataError(f"{zid}: sources are missing")
    for d in item.get("depth", []):
        depth_figure(d, zid)


def build_hazards(atlas: Atlas, tables: Mapping[str, Any], landmark_tables: Mapping[str, Any]) -> HazardSet:
    """Areas and zones of ``tables`` (parsed hazards.toml) on every view of ``atlas``."""
    seen: set[str] = set()
    areas: dict[str, dict[str, dict[Side, BaseGeometry]]] = {}
    built: dict[str, dict[str, dict[Side, BaseGeometry]]] = {}
    for item in [*tables.get("area", []), *tables.get("zone", [])]:
        _check_zone(item, seen)
        seen.add(item["id"])
    for frame, view_names in FRAMES.items():
        points = frame_landmarks(landmark_tables, frame)
        for view in view_names:
            if view not in atlas.views:
                continue
            silhouette = atlas.view(view).silhouette
            for item in tables.get("area", []):
                sided = _sided_shapes(item, frame, view, points)
                areas.setdefault(item["id"], {})[view] = {
                    side: _buffered(geom, item) for side, geom in sided.items()
                }
            for item in tables.get("zone", []):
                built.setdefault(item["id"], {})[view] = _zone_on_view(
                    item, frame, view, points, silhouette, areas, built
                )
    zones: dict[str, HazardZone] = {}
    for item in tables.get("zone", []):
        pieces = tuple(
            ZonePiece(item["id"], view, side, geom)
            for view, by_side in built[item["id"]].items()
            for side, geom in by_side.items()
        )
        zones[item["id"]] = HazardZone(
            id=item["id"],
            kind=item["kind"],
            level=item["level"],
            structure=item["structure"].strip(),
            reason=item["reason"].strip(),
            technique=item["technique"].strip(),
            sources=tuple(item["sources"]),
            depth=ordered_depths(depth_figure(d, item["id"]) for d in item.get("depth", [])),
            pieces=pieces,
        )
    return HazardSet(atlas, zones, areas)


def _zone_on_view(
    item: Mapping[str, Any],
    frame: str,
    view: str,
    points: Mapping[str, tuple[float, float]],
    silhouette: BaseGeometry,
    areas: Mapping[str, Mapping[str, Mapping[Side, BaseGeometry]]],
    built: Mapping[str, Mapping[str, Mapping[Side, BaseGeometry]]],
) -> dict[Side, BaseGeometry]:
    zid = item["id"]
    if "from_area" in item:
        if item["from_area"] not in areas:
            raise HazardDataError(f"{zid}: from_area names unknown area {item['from_area']!r}")
        sided = dict(areas[item["from_area"]].get(view, {}))
    else:
        sided = _sided_shapes(item, frame, view, points)
    within = _reference(item.get("within"), zid, view, areas, built) if item.get("within") else None
    minus = [_reference(ref, zid, view, areas, built) for ref in item.get("minus", [])]
    cut = shapely.union_all(minus) if minus else None
    result: dict[Side, BaseGeometry] = {}
    for side, geom in sided.items():
        geom = _buffered(geom, item)
        if within is not None:
            geom = geom.intersection(within)
        if cut is not None:
            geom = geom.difference(cut)
        geom = polygonal(geom.intersection(silhouette))
        if geom.area >= _MIN_AREA:
            result[side] = geom
    return result


def _reference(
    ref: str,
    zid: str,
    view: str,
    areas: Mapping[str, Mapping[str, Mapping[Side, BaseGeometry]]],
    built: Mapping[str, Mapping[str, Mapping[Side, BaseGeometry]]],
) -> BaseGeometry:
    if ref in areas:
        parts = list(areas[ref].get(view, {}).values())
        return shapely.union_all(parts) if parts else Polygon()
    if ref in built and view in built[ref]:
        parts = list(built[ref][view].values())
        return shapely.union_all(parts) if parts else Polygon()
    raise HazardDataError(f"{zid}: {ref!r} is not an area or an earlier zone")


def load_hazards(atlas: Atlas, path: Path | None = None, landmark_tables=None) -> HazardSet:
    from dn_bodymap.atlas.loader import read_tables

    tables = read_hazard_tables(path)
    if landmark_tables is None:
        landmark_tables = read_tables()["landmarks"]
    return build_hazards(atlas, tables, landmark_tables)


#: Bump when the building code changes the zones for the same assets (part of the cache key).
CACHE_REVISION = "1"


def hazards_fingerprint(path: Path | None = None) -> str:
    """Key of the cached zones: this code's revision, the packaged atlas and the hazard file."""
    import hashlib

    from dn_bodymap.atlas.loader import assets_fingerprint, code_fingerprint

    digest = hashlib.sha256(CACHE_REVISION.encode())
    digest.update(assets_fingerprint().encode())
    digest.update(code_fingerprint(Path(__file__).resolve().parent).encode())
    for file in hazard_files(path):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:24]


def cached_hazards(atlas: Atlas, path: Path | None = None) -> HazardSet:
    """Zones of ``path`` on ``atlas`` (the packaged one), from the user cache when possible.

    Building clips every zone on every view (a tenth of a second); the zones and helper areas are
    pickled like the atlas, under a key that changes with the hazard file or the atlas assets.
    """
    from dn_bodymap.atlas.loader import cache_file, read_cached, write_cached

    cache = cache_file("hazards-" + hazards_fingerprint(path))
    cached = read_cached(cache, tuple)
    if cached is not None and len(cached) == 2:
        return HazardSet(atlas, *cached)
    hazards = load_hazards(atlas, path)
    write_cached(cache, (hazards.zones, hazards.areas))
    return hazards


@lru_cache(maxsize=1)
def default_hazards() -> HazardSet:
    """The packaged hazard zones on the packaged atlas, built once per process (cached on disk)."""
    from dn_bodymap.atlas.loader import default_atlas

    return cached_hazards(default_atlas())


def zone_sources(zones: Iterable[HazardZone]) -> list[str]:
    keys: list[str] = []
    for z in zones:
        keys.extend(z.all_sources())
    return list(dict.fromkeys(keys))


def summary(zone: HazardZone) -> dict[str, Any]:
    """The `atlas hazards` JSON entry of a zone."""
    return {
        "id": zone.id,
        "kind": zone.kind,
        "level": zone.level,
        "structure": zone.structure,
        "views": list(zone.views),
        "sides": sorted({str(p.side) for p in zone.pieces}),
        "reason": zone.reason,
        "technique": zone.technique,
        "depth": [d.to_document() for d in zone.depth],
        "sources": list(zone.all_sources()),
    }
