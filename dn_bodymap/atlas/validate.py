"""`atlas check`: every rule the rest of the product relies on, as a list of readable problems."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.build import FRAMES, frame_of
from dn_bodymap.atlas.model import (
    BODY_VIEWS,
    Atlas,
    Side,
    ViewData,
    is_detail_view,
    is_mirror_view,
    is_one_sided,
)
from dn_bodymap.atlas.shapes import mirror
from dn_bodymap.atlas.vocabulary import DETAIL_VOCABULARY, REGION_VOCABULARY

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
MIN_LANDMARKS = 40  # anterior and posterior
MIN_REGIONS = 60  # per anterior/posterior view, counting each side
#: Views showing both feet or both hands apart: one outline per side.
SILHOUETTE_PARTS = {"plantar": 2, "palmar": 2, "dorsal_hand": 2}
MIN_DETAIL_LANDMARKS = 10  # per detail view
MIN_DETAIL_REGIONS = 8  # per detail view, counting each side
MIN_MUSCLES = 90
MIN_SUPERFICIAL_COVERAGE = 0.85
MAX_PARTITION_ERROR = 0.01
OUTSIDE_TOLERANCE = 1.0  # square atlas units a shape may stray outside the figure (rounding)
SYMMETRY_TOLERANCE = 0.05  # atlas units between a shape and its mirrored twin


@dataclass(frozen=True, slots=True)
class Measures:
    """Figures reported by `atlas check`/`stats` and held to the thresholds above."""

    superficial_coverage: dict[str, float]
    partition_error: dict[str, float]


def excluded_parts(view: ViewData) -> BaseGeometry:
    """Head, hands and feet: the coverage rule for superficial muscles leaves these out."""
    sil = view.silhouette
    if view.name.startswith("lateral"):
        parts = [box(-200, -10, 200, 128), box(-200, 950, 200, 1010)]
    else:
        parts = [box(-300, -10, 300, 128), box(-300, 950, 300, 1010)]
        parts += [box(140, 512, 300, 640), box(-300, 512, -140, 640)]
    return sil.intersection(shapely.union_all(parts))


def superficial_coverage(view: ViewData) -> float:
    counted = view.silhouette.difference(excluded_parts(view))
    sup = shapely.union_all([s.geometry for s in view.muscle_shapes if s.layer == "superficial"])
    if counted.area == 0:
        return 0.0
    return sup.intersection(counted).area / counted.area


def partition_error(view: ViewData) -> float:
    """(gaps + overlaps) of the regions as a fraction of the silhouette area."""
    geoms = [r.geometry for r in view.regions]
    if not geoms:
        return 1.0
    union = shapely.union_all(geoms)
    gaps = view.silhouette.difference(union).area
    overlap = sum(g.area for g in geoms) - union.area
    return (gaps + max(overlap, 0.0)) / view.silhouette.area


def measure(atlas: Atlas) -> Measures:
    return Measures(
        {v: superficial_coverage(atlas.view(v)) for v in ("anterior", "posterior")},
        {name: partition_error(view) for name, view in atlas.views.items()},
    )


def check_atlas(atlas: Atlas) -> list[str]:
    problems: list[str] = []
    problems += _check_muscles(atlas)
    for view in atlas.views.values():
        problems += _check_view(view)
    problems += _check_symmetry(atlas)
    problems += _check_vocabulary(atlas)
    problems += _check_detail_links(atlas)
    m = measure(atlas)
    for view, cov in m.superficial_coverage.items():
        if cov < MIN_SUPERFICIAL_COVERAGE:
            problems.append(
                f"{view}: superficial muscles cover {cov:.1%} of the figure outside head, hands and "
                f"feet (needs {MIN_SUPERFICIAL_COVERAGE:.0%})"
            )
    for view, err in m.partition_error.items():
        if err > MAX_PARTITION_ERROR:
            problems.append(f"{view}: regions leave {err:.2%} gaps/overlaps (max 1%)")
    return problems


def _check_muscles(atlas: Atlas) -> list[str]:
    problems = []
    if len(atlas.muscles) < MIN_MUSCLES:
        problems.append(f"only {len(atlas.muscles)} muscles (needs {MIN_MUSCLES})")
    drawn = {s.muscle_id for v in atlas.views.values() for s in v.muscle_shapes}
    for muscle in atlas.muscles.values():
        if not ID_PATTERN.match(muscle.id):
            problems.append(f"muscle id {muscle.id!r} is not snake_case")
        if not muscle.name or not muscle.latin or not muscle.group:
            problems.append(f"muscle {muscle.id!r} lacks a name, Latin name or group")
        if muscle.id not in drawn:
            problems.append(f"muscle {muscle.id!r} has no shape on any view")
    return problems


def _check_view(view: ViewData) -> list[str]:
    problems = []
    sil = view.silhouette
    parts = SILHOUETTE_PARTS.get(view.name, 1)
    count = 1 if sil.geom_type == "Polygon" else len(getattr(sil, "geoms", ()))
    if not sil.is_valid or sil.geom_type not in ("Polygon", "MultiPolygon") or count != parts:
        problems.append(f"{view.name}: the silhouette is not {parts} valid polygon(s)")
    frontal = view.name in ("anterior", "posterior")
    if frontal and len({lm.id for lm in view.landmarks.values()}) < MIN_LANDMARKS:
        problems.append(f"{view.name}: fewer than {MIN_LANDMARKS} named landmarks")
    if frontal and len(view.regions) < MIN_REGIONS:
        problems.append(f"{view.name}: {len(view.regions)} regions (needs {MIN_REGIONS})")
    if is_detail_view(view.name):
        if len({lm.id for lm in view.landmarks.values()}) < MIN_DETAIL_LANDMARKS:
            problems.append(f"{view.name}: fewer than {MIN_DETAIL_LANDMARKS} named landmarks")
        if len(view.regions) < MIN_DETAIL_REGIONS:
            problems.append(f"{view.name}: {len(view.regions)} regions (needs {MIN_DETAIL_REGIONS})")
        if not view.muscle_shapes:
            problems.append(f"{view.name}: no muscles drawn")
    keys = Counter((r.id, r.side) for r in view.regions)
    problems += [f"{view.name}: region {k[0]} ({k[1]}) appears twice" for k, n in keys.items() if n > 1]
    for region in view.regions:
        problems += _shape_problems(view, f"region {region.id} ({region.side})", region.geometry)
        if not ID_PATTERN.match(region.id):
            problems.append(f"{view.name}: region id {region.id!r} is not snake_case")
        if not region.label:
            problems.append(f"{view.name}: region {region.id!r} has no label")
    for shape in view.muscle_shapes:
        problems += _shape_problems(view, f"muscle {shape.muscle_id} ({shape.side})", shape.geometry)
    return problems


def _shape_problems(view: ViewData, what: str, geom: BaseGeometry) -> list[str]:
    if geom.is_empty:
        return [f"{view.name}: {what} is empty"]
    if not geom.is_valid:
        return [f"{view.name}: {what} is not a valid polygon"]
    outside = geom.difference(view.silhouette).area
    if outside > OUTSIDE_TOLERANCE:
        return [f"{view.name}: {what} lies {outside:.1f} square units outside the figure"]
    return []


def _check_symmetry(atlas: Atlas) -> list[str]:
    problems = []
    for view in atlas.views.values():
        if is_one_sided(view.name):
            continue
        by_key = {(s.muscle_id, s.layer, s.side): s.geometry for s in view.muscle_shapes}
        by_key.update({("region:" + r.id, "", r.side): r.geometry for r in view.regions})
        for (mid, layer, side), geom in by_key.items():
            if side is not Side.RIGHT:
                continue
            twin = by_key.get((mid, layer, Side.LEFT))
            if twin is None:
                problems.append(f"{view.name}: {mid} has a right shape but no left one")
            elif mirror(geom).hausdorff_distance(twin) > SYMMETRY_TOLERANCE:
                problems.append(f"{view.name}: {mid} left and right are not mirror images")
    for names in FRAMES.values():
        if len(names) != 2 or not is_mirror_view(names[1]):
            continue
        right, left = atlas.views.get(names[0]), atlas.views.get(names[1])
        if (
            right
            and left
            and mirror(right.silhouette).hausdorff_distance(left.silhouette) > SYMMETRY_TOLERANCE
        ):
            problems.append(f"{names[1]} is not the mirror image of {names[0]}")
    return problems


def _check_vocabulary(atlas: Atlas) -> list[str]:
    problems = []
    present: dict[str, set[str]] = {}
    for view in atlas.views.values():
        frame = frame_of(view.name)
        for region in view.regions:
            present.setdefault(region.id, set()).add(frame)
    for rid, (_, frames) in REGION_VOCABULARY.items():
        missing = [f for f in frames if f not in present.get(rid, set())]
        if missing:
            problems.append(f"region {rid!r} missing on: {', '.join(missing)}")
    # A detail frame's vocabulary is held only once the frame is built (authored in parallel).
    built = {frame_of(v) for v in atlas.views}
    for frame, entries in DETAIL_VOCABULARY.items():
        if frame not in built:
            continue
        for rid in entries:
            if frame not in present.get(rid, set()):
                problems.append(f"region {rid!r} missing on: {frame}")
    # Region ids of detail views are unique across the atlas: never a body region id, never in
    # two frames.
    for rid, frames in present.items():
        detail = {f for f in frames if f not in ("anterior", "posterior", "lateral")}
        if detail and (len(frames) > 1 or rid in REGION_VOCABULARY):
            problems.append(
                f"detail region {rid!r} reuses an id of another frame ({', '.join(sorted(frames))})"
            )
    return problems


def _check_detail_links(atlas: Atlas) -> list[str]:
    """``body_regions`` name real body regions; every detail region links to at least one; every
    ``opens_from`` names a body view and regions on it."""
    problems: list[str] = []
    body_ids: dict[str, set[str]] = {
        v: {r.id for r in atlas.view(v).regions} for v in BODY_VIEWS if v in atlas.views
    }
    all_body = set().union(*body_ids.values()) if body_ids else set()
    for name in atlas.detail_views():
        for region in atlas.view(name).regions:
            if not region.body_regions:
                problems.append(f"{name}: region {region.id} has no body_regions")
            for rid in region.body_regions:
                if rid not in all_body:
                    problems.append(f"{name}: region {region.id} links to unknown body region {rid!r}")
        meta = atlas.view_meta.get(name)
        if meta is None or not meta.opens_from:
            problems.append(f"{name}: no views/*.toml entry with opens_from (it cannot be opened by a click)")
            continue
        for body_view, regions in meta.opens_from:
            if body_view not in body_ids:
                problems.append(f"{name}: opens_from names unknown body view {body_view!r}")
                continue
            for rid in regions:
                if rid not in body_ids[body_view]:
                    problems.append(f"{name}: opens_from region {rid!r} is not on {body_view}")
    return problems
