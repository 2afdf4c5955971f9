"""Hit-testing: what lies under a point of a view (side, surface region, muscles by depth)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import Point

from dn_bodymap.atlas.model import LAYERS, Atlas, MuscleShape, Region, Side, side_of_x

_LAYER_ORDER = {layer: i for i, layer in enumerate(LAYERS)}
#: True depth within the deep drawing layer where paint order does not give it: muscles on the ribs
#: come after the muscles that cover them (serratus anterior lies on the ribs over the intercostals).
_DEPTH_IN_LAYER: dict[str, int] = {"serratus_anterior": 1, "intercostals": 2}
#: Muscles drawn under other surface regions that a needle only reaches through some regions (or
#: within ``REACH_MARGIN`` of them: the axillary folds), with the reason shown instead of offering
#: them elsewhere (subscapularis lies on the front of the scapula: behind the lung from the front,
#: behind the bone from the back).
REACH_MARGIN = 10.0
REACHED_ONLY_THROUGH: dict[str, tuple[frozenset[str], str]] = {
    "subscapularis": (
        frozenset({"axilla"}),
        "subscapularis is reached through the axilla (posterior axillary fold, arm abducted and "
        "externally rotated, needle parallel to the ribs onto the scapula), not through the chest "
        "wall or the scapula",
    ),
}


@dataclass(frozen=True, slots=True)
class LocateResult:
    view: str
    x: float
    y: float
    inside: bool
    side: Side | None
    region: Region | None
    muscles: tuple[MuscleShape, ...]
    #: Muscles drawn under the point that cannot be reached through it: (muscle id, why).
    unreachable: tuple[tuple[str, str], ...] = ()


class ViewIndex:
    """STRtree over one view's regions and muscle shapes (built once, queried many times)."""

    def __init__(self, atlas: Atlas, view: str) -> None:
        self.view = atlas.view(view)
        shapely.prepare(self.view.silhouette)
        self._regions = list(self.view.regions)
        self._muscles = list(self.view.muscle_shapes)
        # Prepared geometries make each point-in-polygon test logarithmic instead of linear in
        # the (many) vertices of a flattened Bézier outline.
        for geom in [r.geometry for r in self._regions] + [m.geometry for m in self._muscles]:
            shapely.prepare(geom)
        self._region_geoms = np.array([r.geometry for r in self._regions], dtype=object)
        self._muscle_geoms = np.array([m.geometry for m in self._muscles], dtype=object)
        self._region_tree = STRtree(self._region_geoms)
        self._muscle_tree = STRtree(self._muscle_geoms)
        self._reach = {
            muscle: shapely.union_all(
                [r.geometry for r in self._regions if r.id in regions] or [Point()]
            ).buffer(REACH_MARGIN)
            for muscle, (regions, _) in REACHED_ONLY_THROUGH.items()
        }
        for geom in self._reach.values():
            shapely.prepare(geom)

    @staticmethod
    def _hits(tree: STRtree, geoms: np.ndarray, point: Point) -> np.ndarray:
        """Bounding-box candidates from the tree, then one vectorised test on the prepared shapes
        (the tree's own predicate would test unprepared candidates one by one)."""
        candidates = tree.query(point)
        if not len(candidates):
            return candidates
        return candidates[shapely.intersects(geoms[candidates], point)]

    def _depth_key(self, i: int) -> tuple[int, int, int]:
        """Superficial layers first; within a layer, true depth where known, then what is
        painted on top (authored later)."""
        muscle = self._muscles[i]
        in_layer = _DEPTH_IN_LAYER.get(muscle.muscle_id, 0) if muscle.layer == "deep" else 0
        return (_LAYER_ORDER[muscle.layer], in_layer, -i)

    def _reachable(
        self, ordered: list[MuscleShape], point: Point
    ) -> tuple[tuple[MuscleShape, ...], tuple[tuple[str, str], ...]]:
        kept: list[MuscleShape] = []
        dropped: dict[str, str] = {}
        for m in ordered:
            rule = REACHED_ONLY_THROUGH.get(m.muscle_id)
            if rule is not None and not self._reach[m.muscle_id].covers(point):
                dropped.setdefault(m.muscle_id, rule[1])
            else:
                kept.append(m)
        return tuple(kept), tuple(dropped.items())

    def locate(self, x: float, y: float) -> LocateResult:
        point = Point(x, y)
        hits = self._hits(self._region_tree, self._region_geoms, point)
        # Regions tile the figure, so a region hit already proves the point is inside; only a
        # point in a rounding sliver between regions needs the (slower) silhouette test.
        if not len(hits) and not self.view.silhouette.covers(point):
            return LocateResult(self.view.name, x, y, False, None, None, ())
        region = self._regions[int(min(hits))] if len(hits) else None
        muscle_hits = self._hits(self._muscle_tree, self._muscle_geoms, point)
        ordered = [self._muscles[i] for i in sorted((int(i) for i in muscle_hits), key=self._depth_key)]
        muscles, unreachable = self._reachable(ordered, point)
        side = region.side if region is not None and region.side is not Side.MIDLINE else None
        if side is None:
            side = side_of_x(self.view.name, x, midline_band=1.5)
        return LocateResult(self.view.name, x, y, True, side, region, muscles, unreachable)

    def locate_brute_force(self, x: float, y: float) -> LocateResult:
        """The same answer without the index (the benchmark's baseline and a test oracle)."""
        point = Point(x, y)
        if not self.view.silhouette.covers(point):
            return LocateResult(self.view.name, x, y, False, None, None, ())
        region = next((r for r in self._regions if r.geometry.intersects(point)), None)
        hits = [i for i, m in enumerate(self._muscles) if m.geometry.intersects(point)]
        ordered = [self._muscles[i] for i in sorted(hits, key=self._depth_key)]
        muscles, unreachable = self._reachable(ordered, point)
        side = region.side if region is not None and region.side is not Side.MIDLINE else None
        if side is None:
            side = side_of_x(self.view.name, x, midline_band=1.5)
        return LocateResult(self.view.name, x, y, True, side, region, muscles, unreachable)


class AtlasIndex:
    """Spatial indexes for every view of an atlas, built lazily."""

    def __init__(self, atlas: Atlas) -> None:
        self.atlas = atlas
        self._views: dict[str, ViewIndex] = {}

    def view(self, name: str) -> ViewIndex:
        if name not in self._views:
            self._views[name] = ViewIndex(self.atlas, name)
        return self._views[name]

    def locate(self, view: str, x: float, y: float) -> LocateResult:
        return self.view(view).locate(x, y)

    @cached_property
    def views(self) -> tuple[str, ...]:
        return tuple(self.atlas.views)


_default_index: AtlasIndex | None = None


def default_index() -> AtlasIndex:
    global _default_index
    if _default_index is None:
        from dn_bodymap.atlas.loader import default_atlas

        _default_index = AtlasIndex(default_atlas())
    return _default_index


def locate(view: str, x: float, y: float) -> LocateResult:
    """Side, surface region and muscles (superficial first) under a point of the packaged atlas."""
    return default_index().locate(view, x, y)
