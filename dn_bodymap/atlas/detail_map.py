"""Body views ↔ detail views, through the ``body_regions`` each detail region carries.

A detail region (the heel pad on the plantar view) names the body-view regions it enlarges
(``plantar_heel``, ``heel``). That one link is used both ways, so no referral pattern is authored
twice:

- a referral zone given on the body views is drawn on each detail view over the detail regions
  linked to the body regions it covers (``detail_zone_parts``), so the heel of soleus appears on the
  sole and a drawing made on the sole is scored against it;
- a pain drawing on a detail view is read as the body regions it covers (``body_regions_covered``),
  for descriptions that speak in the body vocabulary.

A drawn (not region-based) body zone counts as covering a body region when it covers at least
``COVER_SHARE`` of that region: a zone that only grazes the heel does not paint the whole heel pad.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dn_bodymap.atlas.model import Atlas, Side, is_detail_view

if TYPE_CHECKING:  # imported where used: the session screen asks where a detail view leads first
    import shapely
    from shapely.geometry.base import BaseGeometry

#: Share of a body region a drawn zone must cover to count as referring there.
COVER_SHARE = 0.5
#: Share of a detail region a drawing must cover to count as pain in its body regions.
DRAWN_SHARE = 0.1
#: Where each detail view's part lies on the body views (atlas y, top and bottom), for rules that
#: speak of the body's height such as "above / below the waist" in `describe`.
BODY_Y_RANGE: dict[str, tuple[float, float]] = {
    "plantar": (960.0, 1000.0),
    "palmar": (510.0, 590.0),
    "dorsal_hand": (510.0, 590.0),
    "face": (0.0, 130.0),
    "head_lateral_right": (0.0, 130.0),
    "head_lateral_left": (0.0, 130.0),
}


def linked_body_regions(atlas: Atlas, view: str) -> dict[str, tuple[str, ...]]:
    """Detail region id → the body region ids it enlarges, on one detail view."""
    if view not in atlas.views:
        return {}
    return {r.id: r.body_regions for r in atlas.view(view).regions if r.body_regions}


@dataclass(slots=True)
class _Memo:
    """Region trees and unions of the atlas last asked about (the library build asks for every
    zone of every point). Held for one atlas at a time, checked by identity, never by id()."""

    atlas: Atlas | None = None
    trees: dict[str, shapely.STRtree] = field(default_factory=dict)
    unions: dict[tuple[str, Side, tuple[str, ...]], BaseGeometry] = field(default_factory=dict)


_memo = _Memo()


def _memo_for(atlas: Atlas) -> _Memo:
    global _memo
    if _memo.atlas is not atlas:
        _memo = _Memo(atlas)
    return _memo


def _tree(atlas: Atlas, view: str) -> shapely.STRtree:
    import shapely

    trees = _memo_for(atlas).trees
    if view not in trees:
        trees[view] = shapely.STRtree([r.geometry for r in atlas.view(view).regions])
    return trees[view]


def regions_under(atlas: Atlas, view: str, side: Side, geom: BaseGeometry, share: float) -> set[str]:
    """Region ids of ``view`` (on ``side`` or the midline) at least ``share`` covered by ``geom``."""
    found: set[str] = set()
    if geom.is_empty:
        return found
    regions = atlas.view(view).regions
    for i in _tree(atlas, view).query(geom, predicate="intersects"):
        region = regions[int(i)]
        if region.side not in (side, Side.MIDLINE) or region.geometry.area == 0:
            continue
        if region.geometry.intersection(geom).area >= share * region.geometry.area:
            found.add(region.id)
    return found


def detail_zone_parts(
    atlas: Atlas,
    body_zones: Iterable[tuple[str, Side, tuple[str, ...], BaseGeometry]],
) -> list[tuple[str, Side, tuple[str, ...], BaseGeometry]]:
    """(view, side, detail region ids, geometry) on every detail view for referral zones given on
    the body views as (view, side, region ids, geometry); region ids may be empty for a drawn zone.
    """
    by_view: dict[str, dict[Side, set[str]]] = {}
    for view, side, region_ids, geom in body_zones:
        if is_detail_view(view) or view not in atlas.views:
            continue
        ids = set(region_ids) or regions_under(atlas, view, side, geom, COVER_SHARE)
        by_view.setdefault(view, {}).setdefault(side, set()).update(ids)
    if not by_view:
        return []
    out: list[tuple[str, Side, tuple[str, ...], BaseGeometry]] = []
    for view in atlas.detail_views():
        wanted: dict[Side, set[str]] = {}
        for body_view, sides in by_view.items():
            if body_view not in _facing_views(atlas, view):
                continue
            for side, ids in sides.items():
                wanted.setdefault(side, set()).update(ids)
        for side, ids in wanted.items():
            hit = [
                r
                for r in atlas.view(view).regions
                if r.side in (side, Side.MIDLINE) and ids.intersection(r.body_regions)
            ]
            if hit:
                rids = tuple(dict.fromkeys(r.id for r in hit))
                out.append((view, side, rids, _union(atlas, view, side, rids)))
    return out


#: Body views whose zones a detail view also shows besides those it opens from: the head is small on
#: every body view, and a pattern to the temple, jaw or teeth is often charted on only one of them
#: (the patient's side still decides which head view shows it).
ALSO_FACING: dict[str, tuple[str, ...]] = {
    "face": ("lateral_right", "lateral_left"),
    "head_lateral_right": ("anterior", "posterior"),
    "head_lateral_left": ("anterior", "posterior"),
}


def _facing_views(atlas: Atlas, detail_view: str) -> set[str]:
    """The body views that show the same surface as ``detail_view``: the palm's zones come from the
    front view, not from the back of the hand (a palm-side pattern must not appear on the knuckles,
    nor a pattern on the top of the big toe under the sole)."""
    meta = atlas.view_meta.get(detail_view)
    views = {v for v, _ in meta.opens_from} if meta else set()
    return views | set(ALSO_FACING.get(detail_view, ()))


def _union(atlas: Atlas, view: str, side: Side, rids: tuple[str, ...]) -> BaseGeometry:
    """The union of those regions of ``view`` on ``side`` (and the midline), computed once."""
    from dn_bodymap.atlas.shapes import region_zone

    unions = _memo_for(atlas).unions
    key = (view, side, rids)
    if key not in unions:
        wanted = set(rids)
        parts = [
            r.geometry for r in atlas.view(view).regions if r.id in wanted and r.side in (side, Side.MIDLINE)
        ]
        unions[key] = region_zone(parts)
    return unions[key]


def body_regions_covered(atlas: Atlas, areas: Mapping[str, BaseGeometry]) -> dict[Side, set[str]]:
    """Body region ids (per side) a drawing on detail views covers (``areas``: view → geometry)."""
    found: dict[Side, set[str]] = {}
    for view, geom in areas.items():
        if not is_detail_view(view) or view not in atlas.views or geom.is_empty:
            continue
        for region in atlas.view(view).regions:
            if not region.body_regions or not region.geometry.intersects(geom):
                continue
            if region.geometry.intersection(geom).area >= DRAWN_SHARE * region.geometry.area:
                found.setdefault(region.side, set()).update(region.body_regions)
    return found


def opens_detail(atlas: Atlas, view: str, region_id: str | None) -> str | None:
    """The detail view a click on ``region_id`` of body ``view`` can open (None: none)."""
    if region_id is None or is_detail_view(view):
        return None
    return atlas.detail_view_at(view, region_id)


def back_view(atlas: Atlas, detail_view: str, came_from: str | None = None) -> str:
    """The body view "Back" returns to: where the detail view was opened from, else the first
    body view it opens from, else anterior."""
    if came_from and came_from in atlas.views and not is_detail_view(came_from):
        return came_from
    meta = atlas.view_meta.get(detail_view)
    if meta and meta.opens_from:
        return meta.opens_from[0][0]
    return "anterior"
