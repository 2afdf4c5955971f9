"""The trigger-point library: where each muscle's trigger points lie and where they refer pain.

Data lives in ``assets/trigger_points/*.toml``. A trigger point is authored once per frame on the
x > 0 half (like every bilateral structure) and exists on both sides; its referral zones are
composed from surface-region ids (same side unless ``contralateral``/``bilateral``) and/or drawn
shapes, on any views (infraspinatus refers to the front of the shoulder). Essential zones are where
nearly every patient with that active trigger point feels pain; spillover zones only some.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from dn_bodymap.assets import asset_path
from dn_bodymap.atlas.build import FRAMES, AtlasDataError, frame_landmarks
from dn_bodymap.atlas.detail_map import detail_zone_parts
from dn_bodymap.atlas.model import Atlas, Side, is_mirror_view, is_one_sided, side_of_x
from dn_bodymap.atlas.shapes import (
    ShapeError,
    build_shape,
    mirror,
    polygonal,
    region_zone,
    resolve_point,
    without_specks,
)

ZONE_KINDS = ("essential", "spillover")


@dataclass(frozen=True, slots=True)
class Location:
    view: str
    side: Side
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Zone:
    """One referral zone of a trigger point on one view and side."""

    view: str
    side: Side
    regions: tuple[str, ...]
    geometry: BaseGeometry


@dataclass(frozen=True, slots=True)
class TriggerPoint:
    id: str
    muscle: str
    label: str
    description: str
    mimics: tuple[str, ...]
    needling: Mapping[str, Any]
    hazard_note: str
    sources: tuple[str, ...]
    #: The side this instance belongs to (each library point exists once per side).
    side: Side
    locations: tuple[Location, ...]
    essential: tuple[Zone, ...]
    spillover: tuple[Zone, ...]

    def zones(self, kind: str) -> tuple[Zone, ...]:
        return self.essential if kind == "essential" else self.spillover

    def zone_geometry(self, kind: str, view: str) -> BaseGeometry:
        parts = [z.geometry for z in self.zones(kind) if z.view == view]
        return shapely.union_all(parts) if parts else Polygon()


@dataclass(slots=True)
class Library:
    #: Every (trigger point, side) instance, keyed by (id, side).
    instances: dict[tuple[str, Side], TriggerPoint] = field(default_factory=dict)

    @property
    def trigger_points(self) -> dict[str, list[TriggerPoint]]:
        """Library points by id, each with its two side instances."""
        grouped: dict[str, list[TriggerPoint]] = {}
        for (tid, _), tp in self.instances.items():
            grouped.setdefault(tid, []).append(tp)
        return grouped

    def for_muscle(self, muscle_id: str) -> list[TriggerPoint]:
        return [tp for tp in self.instances.values() if tp.muscle == muscle_id]

    def nearest(
        self, view: str, side: Side, x: float, y: float, muscles: Iterable[str]
    ) -> TriggerPoint | None:
        """The library point of ``muscles`` nearest to (x, y) on that view and side."""
        wanted = set(muscles)
        best: tuple[float, TriggerPoint] | None = None
        for tp in self.instances.values():
            if tp.muscle not in wanted or tp.side is not side:
                continue
            for loc in tp.locations:
                if loc.view == view:
                    d = (loc.x - x) ** 2 + (loc.y - y) ** 2
                    if best is None or d < best[0]:
                        best = (d, tp)
        return best[1] if best else None


def library_dir() -> Path:
    return asset_path("trigger_points")


def read_library_tables(root: Path | None = None) -> list[dict[str, Any]]:
    root = root or library_dir()
    entries: list[dict[str, Any]] = []
    for path in sorted(root.glob("*.toml")):
        if path.name == "sources.toml":
            continue
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise AtlasDataError(f"trigger_points/{path.name}: {exc}") from None
        for entry in data.get("trigger_point", []):
            entry["_file"] = path.name
            entries.append(entry)
    return entries


def _views_of(atlas: Atlas, frame: str) -> tuple[str, ...]:
    """The views of ``frame`` present in ``atlas`` (a detail frame may not be authored yet)."""
    return tuple(v for v in FRAMES.get(frame, ()) if v in atlas.views)


def build_library(
    atlas: Atlas, entries: Iterable[Mapping[str, Any]], landmark_tables: Mapping[str, Any]
) -> Library:
    points = {frame: frame_landmarks(landmark_tables, frame) for frame in FRAMES}
    regions_by_key: dict[tuple[str, str, Side], BaseGeometry] = {}
    for view in atlas.views.values():
        for region in view.regions:
            regions_by_key[(view.name, region.id, region.side)] = region.geometry
    library = Library()
    seen: set[str] = set()
    for entry in entries:
        tid = entry.get("id", "")
        where = f"trigger point {tid!r} ({entry.get('_file', '?')})"
        if not tid or tid in seen:
            raise AtlasDataError(f"{where}: missing or repeated id")
        seen.add(tid)
        muscle = entry.get("muscle")
        if muscle not in atlas.muscles:
            raise AtlasDataError(f"{where}: unknown muscle {muscle!r}")
        if not tid.startswith(f"{muscle}."):
            raise AtlasDataError(f"{where}: id must start with '{muscle}.'")
        for side in (Side.RIGHT, Side.LEFT):
            try:
                library.instances[(tid, side)] = _instance(atlas, entry, side, points, regions_by_key)
            except ShapeError as exc:
                raise AtlasDataError(f"{where}: {exc}") from None
    return library


def _place(view: str, side: Side, x: float) -> float | None:
    """x for ``side`` on ``view`` given an authored x > 0 point, or None if that side is hidden."""
    if is_one_sided(view):
        if side is not side_of_x(view, 0.0):
            return None
        return -x if is_mirror_view(view) else x
    return x if side_of_x(view, 1.0) is side else -x


def _instance(
    atlas: Atlas,
    entry: Mapping[str, Any],
    side: Side,
    points: Mapping[str, Mapping[str, tuple[float, float]]],
    regions_by_key: Mapping[tuple[str, str, Side], BaseGeometry],
) -> TriggerPoint:
    locations: list[Location] = []
    for loc in entry.get("location", []):
        frame = loc["frame"]
        node = resolve_point(loc["at"], points[frame])
        for view in _views_of(atlas, frame):
            x = _place(view, side, node.x)
            if x is not None:
                locations.append(Location(view, side, round(x, 2), round(node.y, 2)))
    zones: dict[str, list[Zone]] = {"essential": [], "spillover": []}
    for kind in ZONE_KINDS:
        for spec in entry.get(kind, []):
            zones[kind].extend(_zones(atlas, spec, side, points, regions_by_key))
    # Body-view zones are drawn on the detail views too (atlas/detail_map.py), except on a detail
    # view where the point has zones of its own (authored there, more precise than the mapping).
    own = {z.view for kind in ZONE_KINDS for z in zones[kind]}
    for kind in ZONE_KINDS:
        parts = detail_zone_parts(atlas, [(z.view, z.side, z.regions, z.geometry) for z in zones[kind]])
        zones[kind].extend(Zone(*part) for part in parts if part[0] not in own)
    return TriggerPoint(
        id=entry["id"],
        muscle=entry["muscle"],
        label=entry.get("label", entry["id"]),
        description=entry.get("description", ""),
        mimics=tuple(entry.get("mimics", [])),
        needling=dict(entry.get("needling", {})),
        hazard_note=entry.get("hazard_note", ""),
        sources=tuple(entry.get("sources", [])),
        side=side,
        locations=tuple(locations),
        essential=tuple(_merge(zones["essential"])),
        spillover=tuple(_merge(zones["spillover"])),
    )


def _zones(
    atlas: Atlas,
    spec: Mapping[str, Any],
    side: Side,
    points: Mapping[str, Mapping[str, tuple[float, float]]],
    regions_by_key: Mapping[tuple[str, str, Side], BaseGeometry],
) -> list[Zone]:
    other = Side.LEFT if side is Side.RIGHT else Side.RIGHT
    sides = [side, other] if spec.get("bilateral") else [other] if spec.get("contralateral") else [side]
    sides_and_mid = [*sides, Side.MIDLINE]
    out: list[Zone] = []
    if "regions" in spec:
        frames = spec.get("frames", list(FRAMES))
        for frame in frames:
            for view in _views_of(atlas, frame):
                for s in sides_and_mid:
                    found = [
                        (rid, regions_by_key[(view, rid, s)])
                        for rid in spec["regions"]
                        if (view, rid, s) in regions_by_key
                    ]
                    if found:
                        geom = region_zone([g for _, g in found])
                        out.append(Zone(view, s, tuple(r for r, _ in found), geom))
    else:
        frame = spec["frame"]
        authored = build_shape(spec, points[frame])
        for view in _views_of(atlas, frame):
            sil = atlas.view(view).silhouette
            for s in sides:
                geom = _placed_geometry(view, s, authored)
                if geom is None:
                    continue
                clipped = without_specks(polygonal(geom.intersection(sil)))
                if clipped.area > 0.5:
                    out.append(Zone(view, s, (), clipped))
    return out


def _placed_geometry(view: str, side: Side, authored: BaseGeometry) -> BaseGeometry | None:
    if is_one_sided(view):
        if side is not side_of_x(view, 0.0):
            return None
        return mirror(authored) if is_mirror_view(view) else authored
    return authored if side_of_x(view, 1.0) is side else mirror(authored)


def _merge(zones: list[Zone]) -> list[Zone]:
    """One zone per view and side (region ids pooled, geometry unioned)."""
    merged: dict[tuple[str, Side], tuple[list[str], list[BaseGeometry]]] = {}
    for z in zones:
        ids, geoms = merged.setdefault((z.view, z.side), ([], []))
        ids.extend(r for r in z.regions if r not in ids)
        geoms.append(z.geometry)
    return [
        Zone(view, side, tuple(ids), polygonal(shapely.union_all(geoms)))
        for (view, side), (ids, geoms) in merged.items()
    ]


def location_on_muscle(atlas: Atlas, tp: TriggerPoint, loc: Location, tolerance: float = 1.5) -> bool:
    """True when the location lies on (within ``tolerance`` of) the muscle's shape on that view."""
    view = atlas.view(loc.view)
    p = Point(loc.x, loc.y)
    return any(
        s.muscle_id == tp.muscle and s.side == loc.side and s.geometry.distance(p) <= tolerance
        for s in view.muscle_shapes
    )


def library_fingerprint() -> str:
    import hashlib

    from dn_bodymap.atlas.loader import assets_fingerprint

    digest = hashlib.sha256(assets_fingerprint().encode())
    for path in sorted(library_dir().rglob("*.toml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


@lru_cache(maxsize=1)
def default_library() -> Library:
    """The packaged library, cached on disk like the atlas (keyed on both sets of assets)."""
    from dn_bodymap.atlas.loader import cache_file, default_atlas, read_cached, read_tables, write_cached

    path = cache_file("library-" + library_fingerprint())
    cached = read_cached(path, Library)
    if cached is not None:
        return cached
    library = build_library(default_atlas(), read_library_tables(), read_tables()["landmarks"])
    write_cached(path, library)
    return library
