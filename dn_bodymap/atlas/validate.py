"""`atlas check`: every rule the rest of the product relies on, as a list of readable problems."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.model import Atlas, Side, ViewData
from dn_bodymap.atlas.shapes import mirror
from dn_bodymap.atlas.vocabulary import REGION_VOCABULARY

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
MIN_LANDMARKS = 40  # anterior and posterior
MIN_REGIONS = 60  # per anterior/posterior view, counting each side
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
    if not sil.is_valid or sil.geom_type != "Polygon":
        problems.append(f"{view.name}: the silhouette is not one valid polygon")
    frontal = not view.name.startswith("lateral")
    if frontal and len({lm.id for lm in view.landmarks.values()}) < MIN_LANDMARKS:
        problems.append(f"{view.name}: fewer than {MIN_LANDMARKS} named landmarks")
    if frontal and len(view.regions) < MIN_REGIONS:
        problems.append(f"{view.name}: {len(view.regions)} regions (needs {MIN_REGIONS})")
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
        if view.name.startswith("lateral"):
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
    right, left = atlas.views.get("lateral_right"), atlas.views.get("lateral_left")
    if right and left and mirror(right.silhouette).hausdorff_distance(left.silhouette) > SYMMETRY_TOLERANCE:
        problems.append("lateral_left is not the mirror image of lateral_right")
    return problems


def _check_vocabulary(atlas: Atlas) -> list[str]:
    problems = []
    present: dict[str, set[str]] = {}
    for view in atlas.views.values():
        frame = "lateral" if view.name.startswith("lateral") else view.name
        for region in view.regions:
            present.setdefault(region.id, set()).add(frame)
    for rid, (_, frames) in REGION_VOCABULARY.items():
        missing = [f for f in frames if f not in present.get(rid, set())]
        if missing:
            problems.append(f"region {rid!r} missing on: {', '.join(missing)}")
    return problems
