"""Rank muscles by how well their referral patterns explain a pain drawing, and how often they cause it.

Scoring (documented in docs/referral.md). The drawing is first simplified to 0.5 atlas units (far
below what a finger or a mouse can draw; it keeps the same ranking and saves most of the GEOS
time). For each trigger point and side, over the views the drawing uses, with spillover weighted
W_S = 0.4 against essential 1.0 (the T&S solid/stippled convention, referral.md §5):

- explained      = |D ∩ E| + W_S · |D ∩ (S − E)|     (area of the drawing the pattern explains)
- coverage       = explained / |D|                    (share of the drawing explained)
- pattern_inside = explained / (|E| + W_S · |S − E|)  (share of the pattern inside the drawing)
- fit            = F_β(coverage, pattern_inside), β = 1.5 (explaining the drawing matters more)
- score          = fit · prior                        (prior: prior.py, how often it is the cause)

A tiny pattern inside a large drawing has pattern_inside 1 but coverage near 0, so it cannot win; a
huge pattern over a small drawing has the opposite problem. A muscle is listed once: its best
trigger point and side, with every side whose best score reaches half of that (a midline drawing
lists left and right together).

Speed (issue #14): a GEOS overlay costs ~50 µs however small its inputs, and a whole-figure drawing
meets ~1,300 zones, most of them lying along the figure's edge where the drawing (clipped to the
silhouette) and the zone were simplified separately, so the exact "zone inside the drawing" test
fails by a hair. A zone that lies within EDGE_TOLERANCE of the drawing (inside the drawing grown by
that much) therefore counts as wholly inside: |D ∩ Z| is taken as |Z|, which overstates it by at
most the part of Z in that band outside D, the same size as the simplification error both already
carry. Only zones that really cross the drawing's edge are intersected, in one vectorised call per
view. The shortcut is taken only for a view whose band (the grown drawing less the drawing) is under
EDGE_SHARE of its drawing, which bounds any zone's error to that share of the drawing (measured: a
few 1e-4 of a score); a smaller drawing meets few patterns and is scored exactly, where a near-tie
between two muscles is decided. A pattern whose share of the drawing lies so near MIN_SHARE that
the shortcut could decide whether it counts is measured exactly, so the patterns that count are the
reference's. ``suggest(..., exact=True)`` is the reference path (an overlay for every zone not
strictly inside), kept for the tests that hold the fast path to it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.model import Atlas, Side
from dn_bodymap.atlas.trigger_points import Library, TriggerPoint
from dn_bodymap.charting.referral.drawing import PainDrawing
from dn_bodymap.charting.referral.prior import DEFAULT_PRIOR, Prior, packaged_priors

SPILLOVER_WEIGHT = 0.4
BETA = 1.5
#: Drawings are simplified to this tolerance (atlas units; the figure is ~1000 high) before scoring.
SIMPLIFY_TOLERANCE = 0.5
#: Outlines with fewer vertices than this are scored as drawn (nothing to gain).
SIMPLIFY_MIN_VERTICES = 64
#: A pattern that explains less than this share of the drawing (a sliver along a shared edge) is
#: not a suggestion.
MIN_SHARE = 0.01
#: A further side of a muscle is listed when its score reaches this share of the best side's.
SIDE_SHARE = 0.5
#: A zone within this distance of the drawing's edge (atlas units) counts as inside the drawing; the
#: simplification tolerance, i.e. no coarser than the scoring geometry already is.
EDGE_TOLERANCE = SIMPLIFY_TOLERANCE
#: ... but only in a view whose band of that width is under this share of its drawing (a disc of
#: radius 50 units or more: a whole limb or the whole figure).
EDGE_SHARE = 0.02


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One muscle. ``side`` is the best-fitting side (whose pattern a click shows); ``sides`` all the
    sides its patterns explain, best first."""

    muscle: str
    muscle_name: str
    trigger_point: str
    side: Side
    sides: tuple[Side, ...]
    score: float
    fit: float
    prior: float
    prior_source: str | None
    prior_basis: str
    coverage: float
    pattern_inside: float
    essential_share: float
    spillover_share: float
    explanation: str

    def to_json(self) -> dict[str, object]:
        return {
            "muscle": self.muscle,
            "name": self.muscle_name,
            "sides": [str(s) for s in self.sides],
            "trigger_point": self.trigger_point,
            "side": str(self.side),
            "score": self.score,
            "fit": self.fit,
            "prior": self.prior,
            "prior_source": self.prior_source,
            "prior_basis": self.prior_basis,
            "coverage": self.coverage,
            "pattern_inside": self.pattern_inside,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class _ZoneEntry:
    tp: TriggerPoint
    view: str
    essential: BaseGeometry
    spill_only: BaseGeometry


@dataclass(frozen=True, slots=True)
class _ViewTable:
    """One view's zones as arrays (built once with the index), for vectorised overlap tests."""

    entries: list[_ZoneEntry]
    essential: np.ndarray  # geometries
    spill_only: np.ndarray
    essential_area: np.ndarray  # floats
    spill_area: np.ndarray
    tree: STRtree  # over each entry's essential ∪ spillover

    @staticmethod
    def build(entries: list[_ZoneEntry]) -> _ViewTable:
        ess = np.array([e.essential for e in entries], dtype=object)
        spill = np.array([e.spill_only for e in entries], dtype=object)
        shapely.prepare(ess)
        shapely.prepare(spill)
        tree = STRtree([shapely.union(e.essential, e.spill_only) for e in entries])
        return _ViewTable(entries, ess, spill, shapely.area(ess), shapely.area(spill), tree)


class ReferralIndex:
    """Per-view STRtrees over every pattern's zones, so a drawing meets only nearby patterns.

    Built on first use, not when made: the app makes one at start-up, and most start-ups never draw
    a pain area (building costs ~170 ms and ~18 MiB). The build is locked so that a first query
    from a worker thread and one from the UI thread build it once.
    """

    def __init__(self, atlas: Atlas, library: Library, priors: dict[str, Prior] | None = None) -> None:
        self.atlas = atlas
        self.library = library
        self._priors = priors
        self._tables: _Tables | None = None
        self._lock = threading.Lock()

    @property
    def built(self) -> bool:
        return self._tables is not None

    @property
    def entries(self) -> list[_ZoneEntry]:
        return self._built().entries

    def prior(self, trigger_point: str) -> Prior:
        return self._built().priors.get(trigger_point, DEFAULT_PRIOR)

    @property
    def pattern_size(self) -> dict[tuple[str, Side], dict[str, float]]:
        return self._built().pattern_size

    def _built(self) -> _Tables:
        tables = self._tables
        if tables is None:
            with self._lock:
                if self._tables is None:
                    priors = packaged_priors() if self._priors is None else self._priors
                    self._tables = _Tables.build(self.library, priors)
                tables = self._tables
        return tables

    def candidates(self, view: str, geom: BaseGeometry, use_index: bool = True) -> list[_ZoneEntry]:
        table = self._built().views.get(view)
        if table is None:
            return []
        return [table.entries[int(i)] for i in self._candidate_ids(table, geom, use_index)]

    @staticmethod
    def _candidate_ids(table: _ViewTable, geom: BaseGeometry, use_index: bool) -> np.ndarray:
        if not use_index:
            return np.arange(len(table.entries))
        return np.sort(table.tree.query(geom, predicate="intersects"))

    def overlaps(
        self, view: str, geom: BaseGeometry, use_index: bool = True, exact: bool = False
    ) -> list[tuple[_ZoneEntry, float, float, float]]:
        """(entry, |D ∩ essential|, |D ∩ spillover-only|, slack) for every pattern the view's
        drawing meets; the two areas may overstate the exact ones (never understate them), weighted
        as in the score by at most ``slack`` (0 when exact).

        ``geom`` should be prepared. The fast path is described in the module docstring; ``exact``
        is the reference path."""
        table = self._built().views.get(view)
        if table is None:
            return []
        ids = self._candidate_ids(table, geom, use_index)
        if exact:
            return [
                (
                    table.entries[i],
                    _overlap(geom, table.essential[i]),
                    _overlap(geom, table.spill_only[i]),
                    0.0,
                )
                for i in (int(i) for i in ids)
            ]
        grown = geom  # a small drawing: only zones strictly inside skip the overlay
        if EDGE_TOLERANCE * geom.length <= EDGE_SHARE * geom.area:  # the band's area, roughly: worth it
            grown = shapely.buffer(geom, EDGE_TOLERANCE, quad_segs=2)
            if grown.area - geom.area > EDGE_SHARE * geom.area:
                grown = geom
        shapely.prepare(grown)
        ess, ess_slack = _overlap_areas(geom, grown, table.essential[ids], table.essential_area[ids])
        spill, spill_slack = _overlap_areas(geom, grown, table.spill_only[ids], table.spill_area[ids])
        slack = ess_slack + SPILLOVER_WEIGHT * spill_slack
        return [
            (table.entries[int(i)], float(e), float(s), float(k))
            for i, e, s, k in zip(ids, ess, spill, slack, strict=True)
        ]


@dataclass(frozen=True, slots=True)
class _Tables:
    entries: list[_ZoneEntry]
    pattern_size: dict[tuple[str, Side], dict[str, float]]
    views: dict[str, _ViewTable]
    priors: dict[str, Prior]

    @staticmethod
    def build(library: Library, priors: dict[str, Prior]) -> _Tables:
        entries: list[_ZoneEntry] = []
        pattern_size: dict[tuple[str, Side], dict[str, float]] = {}
        for tp in library.instances.values():
            views = {z.view for z in tp.essential} | {z.view for z in tp.spillover}
            sizes: dict[str, float] = {}
            for view in views:
                ess = _coarse(tp.zone_geometry("essential", view))
                spill = _coarse(tp.zone_geometry("spillover", view).difference(ess))
                shapely.prepare(ess)
                entries.append(_ZoneEntry(tp, view, ess, spill))
                sizes[view] = ess.area + SPILLOVER_WEIGHT * spill.area
            pattern_size[(tp.id, tp.side)] = sizes
        by_view: dict[str, list[_ZoneEntry]] = {}
        for e in entries:
            by_view.setdefault(e.view, []).append(e)
        views = {view: _ViewTable.build(view_entries) for view, view_entries in by_view.items()}
        return _Tables(entries, pattern_size, views, priors)


def _coarse(geom: BaseGeometry) -> BaseGeometry:
    """A zone at scoring resolution, like the drawings it is compared with."""
    out = shapely.simplify(geom, SIMPLIFY_TOLERANCE, preserve_topology=True)
    return geom if out.is_empty else out


def simplified(drawing: PainDrawing) -> PainDrawing:
    """The drawing at scoring resolution (SIMPLIFY_TOLERANCE), keeping valid polygons."""
    out = PainDrawing()
    for view in drawing.views():
        geom = drawing.areas[view]
        if shapely.get_num_coordinates(geom) > SIMPLIFY_MIN_VERTICES:
            coarse = shapely.simplify(geom, SIMPLIFY_TOLERANCE, preserve_topology=True)
            geom = coarse if not coarse.is_empty else geom
        out.areas[view] = geom
    return out


def scoring_areas(drawing: PainDrawing) -> dict[str, BaseGeometry]:
    """The drawing as the per-view geometry that is scored (simplified, non-empty views only).

    The one place a drawing becomes what `suggest` compares with the patterns: a mapping of
    further views onto the body views belongs here."""
    coarse = simplified(drawing)
    return {view: coarse.areas[view] for view in coarse.views()}


def suggest(
    drawing: PainDrawing, index: ReferralIndex, top: int = 10, use_index: bool = True, exact: bool = False
) -> list[Suggestion]:
    """The best ``top`` muscles for the drawing; ``exact`` scores by the reference (slow) path."""
    areas = scoring_areas(drawing)
    views = list(areas)
    drawn_area = sum(g.area for g in areas.values())
    if drawn_area <= 0:
        return []
    explained_e: dict[tuple[str, Side], float] = {}
    explained_s: dict[tuple[str, Side], float] = {}
    tps: dict[tuple[str, Side], TriggerPoint] = {}
    for view, geom in areas.items():
        shapely.prepare(geom)
        for entry, e, s, slack in index.overlaps(view, geom, use_index, exact):
            key = (entry.tp.id, entry.tp.side)
            if e + SPILLOVER_WEIGHT * s < MIN_SHARE * drawn_area:
                continue
            if e + SPILLOVER_WEIGHT * s - slack < MIN_SHARE * drawn_area:
                # near the cut, where a sliver decides whether the pattern counts: decided exactly
                e, s = _overlap(geom, entry.essential), _overlap(geom, entry.spill_only)
                if e + SPILLOVER_WEIGHT * s < MIN_SHARE * drawn_area:
                    continue
            tps[key] = entry.tp
            explained_e[key] = explained_e.get(key, 0.0) + e
            explained_s[key] = explained_s.get(key, 0.0) + s
    # the best trigger point per muscle and side
    best: dict[tuple[str, Side], tuple[float, Suggestion]] = {}
    for key, tp in tps.items():
        e, s = explained_e[key], explained_s[key]
        explained = e + SPILLOVER_WEIGHT * s
        size = sum(index.pattern_size[key].get(v, 0.0) for v in views)
        coverage = explained / drawn_area
        inside = explained / size if size > 0 else 0.0
        fit = _f_beta(coverage, inside)
        prior = index.prior(tp.id)
        score = fit * prior.weight
        muscle_key = (tp.muscle, tp.side)
        if muscle_key in best and best[muscle_key][0] >= score:
            continue
        ess, spill = e / drawn_area, SPILLOVER_WEIGHT * s / drawn_area
        best[muscle_key] = (
            score,
            Suggestion(
                muscle=tp.muscle,
                muscle_name=index.atlas.muscles[tp.muscle].name,
                trigger_point=tp.id,
                side=tp.side,
                sides=(tp.side,),
                score=round(score, 4),
                fit=round(fit, 4),
                prior=prior.rate,
                prior_source=prior.source,
                prior_basis=prior.basis,
                coverage=round(coverage, 4),
                pattern_inside=round(inside, 4),
                essential_share=round(ess, 4),
                spillover_share=round(spill, 4),
                explanation=_explain(tp, coverage, inside, ess, spill, fit, prior, score),
            ),
        )
    # one suggestion per muscle, with the sides it explains
    by_muscle: dict[str, list[tuple[float, Suggestion]]] = {}
    for (muscle, _side), pair in best.items():
        by_muscle.setdefault(muscle, []).append(pair)
    merged: list[tuple[float, Suggestion]] = []
    for pairs in by_muscle.values():
        pairs.sort(key=lambda p: (-round(p[0], 4), str(p[1].side)))  # a tie lists left first
        top_score, lead = pairs[0]
        sides = tuple(s.side for sc, s in pairs if sc >= SIDE_SHARE * top_score)
        if len(sides) > 1:
            both = f"({' and '.join(str(s) for s in sides)} sides)"
            text = lead.explanation.replace(f"({lead.side} side)", both, 1)
            lead = replace(lead, sides=sides, explanation=text)
        merged.append((top_score, lead))
    merged.sort(key=lambda p: (-p[0], p[1].muscle))
    return [s for _, s in merged[: max(0, top)]]


def _overlap(drawing: BaseGeometry, zone: BaseGeometry) -> float:
    """|drawing ∩ zone| exactly (the reference); a zone inside the (prepared) drawing costs no overlay."""
    if zone.is_empty:
        return 0.0
    if drawing.contains(zone):
        return zone.area
    return drawing.intersection(zone).area


def _overlap_areas(
    drawing: BaseGeometry, grown: BaseGeometry, zones: np.ndarray, areas: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """|drawing ∩ zone| for each zone, a zone inside ``grown`` (the drawing + EDGE_TOLERANCE) taken
    as wholly inside; only the zones that cross the drawing's edge cost an overlay. Also each
    value's slack: how much it may overstate the exact one."""
    out, slack = np.zeros(len(zones)), np.zeros(len(zones))
    live = np.flatnonzero(areas > 0)
    if not len(live):
        return out, slack
    inside = shapely.contains(grown, zones[live])
    taken = live[inside]
    out[taken] = areas[taken]
    if grown is not drawing and len(taken):
        # what lies in the band is a strip of the zone along the drawing's edge: at most the band,
        # and in practice (the drawing's edge running along the zone's) the zone's own edge band
        edge = EDGE_TOLERANCE * shapely.length(zones[taken])
        slack[taken] = np.minimum(np.minimum(areas[taken], edge), grown.area - drawing.area)
    rest = live[~inside]
    rest = rest[shapely.intersects(drawing, zones[rest])]
    if len(rest):
        out[rest] = shapely.area(shapely.intersection(drawing, zones[rest]))
    return out, slack


def _f_beta(coverage: float, inside: float) -> float:
    if coverage <= 0 or inside <= 0:
        return 0.0
    b2 = BETA * BETA
    return (1 + b2) * coverage * inside / (b2 * inside + coverage)


def _explain(
    tp: TriggerPoint,
    coverage: float,
    inside: float,
    ess: float,
    spill: float,
    fit: float,
    prior: Prior,
    score: float,
) -> str:
    side = f"{tp.side} " if tp.side is not Side.MIDLINE else ""
    if prior.published:
        how_often = f"prior {prior.rate:.2f} ({prior.basis} [{prior.source}])"
    else:
        how_often = f"prior {prior.rate:.2f} ({prior.basis})"
    return (
        f"{tp.label} ({side}side) explains {coverage:.0%} of the drawing "
        f"(essential zone {ess:.0%}, spillover {spill:.0%}); "
        f"{1 - min(inside, 1.0):.0%} of its pattern lies outside the drawing. "
        f"Fit {fit:.2f} × {how_often} = score {score:.2f}."
    )
