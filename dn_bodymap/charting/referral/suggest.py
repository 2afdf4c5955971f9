"""Rank library trigger points by how well their referral patterns explain a pain drawing.

Scoring (documented in docs/referral.md). For each trigger point and side, over the views the
drawing uses, with spillover weighted W_S = 0.4 against essential 1.0 (the T&S solid/stippled
convention, referral.md §5):

- explained  = |D ∩ E| + W_S · |D ∩ (S − E)|     (area of the drawing the pattern explains)
- coverage   = explained / |D|                    (share of the drawing explained)
- fit        = explained / (|E| + W_S · |S − E|)  (share of the pattern inside the drawing)
- score      = F_β(coverage, fit) with β = 1.5    (explaining the drawing matters more)

A tiny pattern inside a large drawing has fit 1 but coverage near 0, so it cannot win; a huge
pattern over a small drawing has the opposite problem. A muscle's score is its best trigger point.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.model import Atlas, Side
from dn_bodymap.atlas.trigger_points import Library, TriggerPoint
from dn_bodymap.charting.referral.drawing import PainDrawing

SPILLOVER_WEIGHT = 0.4
BETA = 1.5


@dataclass(frozen=True, slots=True)
class Suggestion:
    muscle: str
    muscle_name: str
    trigger_point: str
    side: Side
    score: float
    coverage: float
    fit: float
    essential_share: float
    spillover_share: float
    explanation: str


@dataclass(frozen=True, slots=True)
class _ZoneEntry:
    tp: TriggerPoint
    view: str
    essential: BaseGeometry
    spill_only: BaseGeometry


class ReferralIndex:
    """Per-view STRtrees over every pattern's zones, so a drawing meets only nearby patterns.

    Built on first use, not when made: the app makes one at start-up, and most start-ups never draw
    a pain area (building costs ~170 ms and ~18 MiB). The build is locked so that a first query
    from a worker thread and one from the UI thread build it once.
    """

    def __init__(self, atlas: Atlas, library: Library) -> None:
        self.atlas = atlas
        self.library = library
        self._tables: _Tables | None = None
        self._lock = threading.Lock()

    @property
    def built(self) -> bool:
        return self._tables is not None

    @property
    def entries(self) -> list[_ZoneEntry]:
        return self._built().entries

    @property
    def pattern_size(self) -> dict[tuple[str, Side], dict[str, float]]:
        return self._built().pattern_size

    def _built(self) -> _Tables:
        tables = self._tables
        if tables is None:
            with self._lock:
                if self._tables is None:
                    self._tables = _Tables.build(self.library)
                tables = self._tables
        return tables

    def candidates(self, view: str, geom: BaseGeometry, use_index: bool = True) -> list[_ZoneEntry]:
        tables = self._built()
        idx = tables.by_view.get(view, [])
        if not use_index:
            return [tables.entries[i] for i in idx]
        hits = tables.trees[view].query(geom, predicate="intersects") if idx else []
        return [tables.entries[idx[int(h)]] for h in hits]


@dataclass(frozen=True, slots=True)
class _Tables:
    entries: list[_ZoneEntry]
    pattern_size: dict[tuple[str, Side], dict[str, float]]
    by_view: dict[str, list[int]]
    trees: dict[str, STRtree]

    @staticmethod
    def build(library: Library) -> _Tables:
        entries: list[_ZoneEntry] = []
        pattern_size: dict[tuple[str, Side], dict[str, float]] = {}
        for tp in library.instances.values():
            views = {z.view for z in tp.essential} | {z.view for z in tp.spillover}
            sizes: dict[str, float] = {}
            for view in views:
                ess = tp.zone_geometry("essential", view)
                spill = tp.zone_geometry("spillover", view).difference(ess)
                shapely.prepare(ess)
                entries.append(_ZoneEntry(tp, view, ess, spill))
                sizes[view] = ess.area + SPILLOVER_WEIGHT * spill.area
            pattern_size[(tp.id, tp.side)] = sizes
        by_view: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            by_view.setdefault(e.view, []).append(i)
        trees = {
            view: STRtree([shapely.union(entries[i].essential, entries[i].spill_only) for i in idx])
            for view, idx in by_view.items()
        }
        return _Tables(entries, pattern_size, by_view, trees)


def suggest(
    drawing: PainDrawing, index: ReferralIndex, top: int = 10, use_index: bool = True
) -> list[Suggestion]:
    views = drawing.views()
    drawn_area = sum(drawing.areas[v].area for v in views)
    if drawn_area <= 0:
        return []
    explained_e: dict[tuple[str, Side], float] = {}
    explained_s: dict[tuple[str, Side], float] = {}
    tps: dict[tuple[str, Side], TriggerPoint] = {}
    for view in views:
        geom = drawing.areas[view]
        shapely.prepare(geom)
        for entry in index.candidates(view, geom, use_index):
            key = (entry.tp.id, entry.tp.side)
            e = geom.intersection(entry.essential).area if not entry.essential.is_empty else 0.0
            s = geom.intersection(entry.spill_only).area if not entry.spill_only.is_empty else 0.0
            if e <= 0 and s <= 0:
                continue
            tps[key] = entry.tp
            explained_e[key] = explained_e.get(key, 0.0) + e
            explained_s[key] = explained_s.get(key, 0.0) + s
    best: dict[tuple[str, Side], Suggestion] = {}
    for key, tp in tps.items():
        e, s = explained_e[key], explained_s[key]
        explained = e + SPILLOVER_WEIGHT * s
        size = sum(index.pattern_size[key].get(v, 0.0) for v in views)
        coverage = explained / drawn_area
        fit = explained / size if size > 0 else 0.0
        score = _f_beta(coverage, fit)
        muscle_key = (tp.muscle, tp.side)
        if muscle_key in best and best[muscle_key].score >= score:
            continue
        name = index.atlas.muscles[tp.muscle].name
        best[muscle_key] = Suggestion(
            muscle=tp.muscle,
            muscle_name=name,
            trigger_point=tp.id,
            side=tp.side,
            score=round(score, 4),
            coverage=round(coverage, 4),
            fit=round(fit, 4),
            essential_share=round(e / drawn_area, 4),
            spillover_share=round(SPILLOVER_WEIGHT * s / drawn_area, 4),
            explanation=_explain(tp, coverage, fit, e / drawn_area, SPILLOVER_WEIGHT * s / drawn_area),
        )
    ranked = sorted(best.values(), key=lambda s: (-s.score, s.muscle, s.side))
    return ranked[: max(0, top)]


def _f_beta(coverage: float, fit: float) -> float:
    if coverage <= 0 or fit <= 0:
        return 0.0
    b2 = BETA * BETA
    return (1 + b2) * coverage * fit / (b2 * fit + coverage)


def _explain(tp: TriggerPoint, coverage: float, fit: float, ess: float, spill: float) -> str:
    side = f"{tp.side} " if tp.side is not Side.MIDLINE else ""
    return (
        f"{tp.label} ({side}side) explains {coverage:.0%} of the drawing "
        f"(essential zone {ess:.0%}, spillover {spill:.0%}); "
        f"{1 - min(fit, 1.0):.0%} of its pattern lies outside the drawing."
    )
