"""How well a drawn zone matches a trigger point's referral pattern (the quiz score).

Only the views the drawing uses count. With E the essential zone and S the spillover zone (minus E)
on those views, and D the drawing:

- essential_overlap = |D ∩ E| / |E|            (how much of the essential zone was drawn)
- spillover_overlap = |D ∩ S| / |S|            (how much of the spillover zone was drawn)
- outside           = |D − (E ∪ S)| / |D|      (share of the drawing outside the pattern)
- precision         = (|D ∩ E| + W_S · |D ∩ S|) / |D|, with W_S = 0.5: spillover counts less
- score             = F1(essential_overlap, precision)

Drawing the essential zone exactly scores 1; adding the spillover costs a little (it is not wrong,
but it is not the core of the pattern); a drawing that misses the pattern scores 0. A pattern with
no essential zone on the drawn views is scored on its spillover zone instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.model import ALL_VIEWS as VIEWS
from dn_bodymap.atlas.model import Side, is_detail_view
from dn_bodymap.atlas.trigger_points import Library, TriggerPoint
from dn_bodymap.charting.referral.drawing import PainDrawing

SPILLOVER_CREDIT = 0.5

Drawing = BaseGeometry | Mapping[str, BaseGeometry] | PainDrawing


class ScoreError(ValueError):
    """A drawing or trigger point that cannot be scored; the message says why."""


@dataclass(frozen=True, slots=True)
class PatternScore:
    trigger_point: str
    side: Side
    score: float
    essential_overlap: float
    spillover_overlap: float
    outside: float
    precision: float
    views: tuple[str, ...]
    explanation: str


def main_view(tp: TriggerPoint) -> str:
    """The view where the pattern's essential zone is largest (spillover if it has none)."""
    located = {loc.view for loc in tp.locations}
    for kind in ("essential", "spillover"):
        areas: dict[str, float] = {}
        for z in tp.zones(kind):
            if is_detail_view(z.view) and z.view not in located:
                continue  # a body-view zone repeated on a detail view (atlas/detail_map.py)
            areas[z.view] = areas.get(z.view, 0.0) + z.geometry.area
        if areas:
            return max(areas, key=lambda v: (areas[v], -VIEWS.index(v) if v in VIEWS else 0))
    return tp.locations[0].view if tp.locations else VIEWS[0]


def _areas(tp: TriggerPoint, drawing: Drawing, view: str | None) -> dict[str, BaseGeometry]:
    if isinstance(drawing, PainDrawing):
        areas = dict(drawing.areas)
    elif isinstance(drawing, BaseGeometry):
        areas = {view or main_view(tp): drawing}
    elif isinstance(drawing, Mapping):
        areas = dict(drawing)
    else:
        raise ScoreError("a drawing must be a shapely geometry or a mapping of view to geometry")
    out: dict[str, BaseGeometry] = {}
    for v, geom in areas.items():
        if v not in VIEWS:
            raise ScoreError(f"unknown view {v!r}; expected one of {', '.join(VIEWS)}")
        if not isinstance(geom, BaseGeometry):
            raise ScoreError(f"the drawing on the {v} view is not a geometry")
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        polys = _polygonal(geom)
        if not polys.is_empty and polys.area > 0:
            out[v] = polys
    return out


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else Polygon()


def score_drawing(
    trigger_point_id: str,
    side: str,
    drawing: Drawing,
    *,
    view: str | None = None,
    library: Library | None = None,
) -> PatternScore:
    """Score ``drawing`` (atlas units) against the pattern of one trigger point on one side.

    ``drawing`` is a geometry on ``view`` (default: the view where the pattern's essential zone is
    largest), a mapping view → geometry, or a ``PainDrawing``.
    """
    if library is None:
        from dn_bodymap.atlas.trigger_points import default_library

        library = default_library()
    try:
        side_value = Side(side)
    except ValueError:
        raise ScoreError(f"unknown side {side!r}; use left or right") from None
    tp = library.instances.get((trigger_point_id, side_value))
    if tp is None:
        raise ScoreError(f"no trigger point {trigger_point_id!r} on the {side} side in the library")
    areas = _areas(tp, drawing, view)
    views = tuple(v for v in VIEWS if v in areas)
    if not views:
        raise ScoreError("the drawing encloses no area")
    drawn = e = s = e_total = s_total = 0.0
    for v in views:
        d = areas[v]
        ess = tp.zone_geometry("essential", v)
        spill = tp.zone_geometry("spillover", v).difference(ess)
        drawn += d.area
        e += d.intersection(ess).area if not ess.is_empty else 0.0
        s += d.intersection(spill).area if not spill.is_empty else 0.0
        e_total += ess.area
        s_total += spill.area
    essential_overlap = e / e_total if e_total > 0 else 0.0
    spillover_overlap = s / s_total if s_total > 0 else 0.0
    outside = max(0.0, drawn - e - s) / drawn
    if e_total > 0:
        recall = essential_overlap
        precision = (e + SPILLOVER_CREDIT * s) / drawn
    else:  # only spillover shows on these views: it becomes the target
        recall = spillover_overlap
        precision = s / drawn
    score = 2 * recall * precision / (recall + precision) if recall > 0 and precision > 0 else 0.0
    score = min(1.0, max(0.0, score))
    return PatternScore(
        trigger_point=tp.id,
        side=side_value,
        score=round(score, 4),
        essential_overlap=round(essential_overlap, 4),
        spillover_overlap=round(spillover_overlap, 4),
        outside=round(outside, 4),
        precision=round(precision, 4),
        views=views,
        explanation=_explain(tp, score, essential_overlap, spillover_overlap, outside, e_total, s_total),
    )


def _explain(
    tp: TriggerPoint, score: float, ess: float, spill: float, outside: float, e_total: float, s_total: float
) -> str:
    parts = []
    if e_total > 0:
        parts.append(f"covers {ess:.0%} of the essential zone")
    else:
        parts.append("the essential zone does not show on this view")
    if s_total > 0:
        parts.append(f"{spill:.0%} of the spillover zone")
    parts.append(f"{outside:.0%} of the drawing lies outside the pattern")
    return f"Score {score:.0%} for {tp.label} ({tp.side}): the drawing " + ", ".join(parts) + "."
