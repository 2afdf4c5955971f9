"""Describe a pain drawing in chart words: regions, extent, bilateral and widespread flags.

Extent of the whole body uses the anterior and posterior views, which together show the body
surface once. "Widespread" follows the ACR 1990 definition of widespread pain (Wolfe et al.,
Arthritis Rheum 1990;33:160): pain on the left and right side, above and below the waist, and in
the axial skeleton (neck, chest, back).
"""

from __future__ import annotations

from dataclasses import dataclass

from dn_bodymap.atlas.detail_map import BODY_Y_RANGE
from dn_bodymap.atlas.model import Atlas, Side
from dn_bodymap.charting.referral.drawing import PainDrawing

#: A region counts as covered when the drawing takes at least this share of it, or this area.
MIN_REGION_SHARE = 0.05
MIN_REGION_AREA = 40.0
WAIST_Y = 400.0  # umbilicus level in atlas units
AXIAL_REGIONS = frozenset(
    {
        "posterior_neck",
        "lateral_neck",
        "throat",
        "suboccipital",
        "sternum",
        "pectoral",
        "interscapular",
        "mid_back",
        "lumbar",
        "sacral",
        "coccyx",
    }
)


@dataclass(frozen=True, slots=True)
class CoveredRegion:
    id: str
    label: str
    view: str
    side: Side
    share: float


@dataclass(frozen=True, slots=True)
class Description:
    regions: tuple[CoveredRegion, ...]
    extent: dict[str, float]
    bilateral: bool
    widespread: bool
    summary: str


def describe(drawing: PainDrawing, atlas: Atlas) -> Description:
    covered: list[CoveredRegion] = []
    extent: dict[str, float] = {}
    for view_name in drawing.views():
        view = atlas.view(view_name)
        geom = drawing.areas[view_name]
        extent[view_name] = round(100 * geom.area / view.silhouette.area, 2)
        for region in view.regions:
            overlap = geom.intersection(region.geometry).area
            share = overlap / region.geometry.area if region.geometry.area else 0.0
            if share >= MIN_REGION_SHARE or overlap >= MIN_REGION_AREA:
                covered.append(
                    CoveredRegion(region.id, region.label, view_name, region.side, round(share, 3))
                )
    body_views = [v for v in BODY_SURFACE_VIEWS if v in atlas.views]
    body_total = sum(atlas.view(v).silhouette.area for v in body_views)
    body_drawn = sum(drawing.areas[v].area for v in body_views if v in drawing.areas)
    extent["body"] = round(100 * body_drawn / body_total, 2) if body_total else 0.0
    sides = {c.side for c in covered}
    bilateral = Side.LEFT in sides and Side.RIGHT in sides
    above = any(_min_y(drawing, v) < WAIST_Y for v in drawing.views())
    below = any(_max_y(drawing, v) > WAIST_Y for v in drawing.views())
    axial = any(c.id in AXIAL_REGIONS for c in covered)
    widespread = bilateral and above and below and axial
    return Description(tuple(covered), extent, bilateral, widespread, summarise(covered))


#: The views whose drawn area counts towards the share of the body surface.
BODY_SURFACE_VIEWS = ("anterior", "posterior")
_BODY_VIEW_WORDS = {
    "anterior": "front view",
    "posterior": "back view",
    "lateral_right": "right side view",
    "lateral_left": "left side view",
}


def extent_phrase(description: Description, atlas: Atlas) -> str:
    """How much is drawn, in words, for the session screen and the report: the share of the body
    surface when something is drawn on the front or back views; otherwise where it is drawn and how
    much of that view, since "0.0% of the body surface" for pain drawn on the soles reads as none."""
    extent = description.extent
    if any(v in extent for v in BODY_SURFACE_VIEWS):
        return f"{extent.get('body', 0.0):.1f}% of the body surface"
    drawn = [(v, pct) for v, pct in extent.items() if v != "body"]
    if not drawn:
        return "nothing drawn"
    places = "; ".join(f"{_view_words(atlas, v)} {pct:.1f}%" for v, pct in drawn)
    return f"none on the front or back views (of the view drawn on: {places})"


def _view_words(atlas: Atlas, view: str) -> str:
    meta = atlas.view_meta.get(view)
    if meta is not None:
        return meta.label.lower()
    return _BODY_VIEW_WORDS.get(view, view.replace("_", " "))


def _min_y(drawing: PainDrawing, view: str) -> float:
    if view in BODY_Y_RANGE:  # a detail view: its own plane, placed by the body part it enlarges
        return BODY_Y_RANGE[view][0]
    return drawing.areas[view].bounds[1]


def _max_y(drawing: PainDrawing, view: str) -> float:
    if view in BODY_Y_RANGE:
        return BODY_Y_RANGE[view][1]
    return drawing.areas[view].bounds[3]


def summarise(covered: list[CoveredRegion]) -> str:
    """'right temple and right back of the neck' — largest shares first, each place once."""
    if not covered:
        return "no painful area marked"
    best: dict[tuple[str, Side], CoveredRegion] = {}
    for c in covered:
        key = (c.id, c.side)
        if key not in best or c.share > best[key].share:
            best[key] = c
    by_place: dict[str, set[Side]] = {}
    labels: dict[str, str] = {}
    order: list[str] = []
    for c in sorted(best.values(), key=lambda c: -c.share):
        if c.id not in by_place:
            order.append(c.id)
        by_place.setdefault(c.id, set()).add(c.side)
        labels[c.id] = c.label
    phrases = []
    for rid in order:
        sides = by_place[rid]
        label = labels[rid]
        if {Side.LEFT, Side.RIGHT} <= sides:
            phrases.append(f"{label} on both sides")
        elif Side.RIGHT in sides:
            phrases.append(f"right {label}")
        elif Side.LEFT in sides:
            phrases.append(f"left {label}")
        else:
            phrases.append(label)
    if len(phrases) == 1:
        return phrases[0]
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]
