"""Atlas figures: load time (cold build and from cache) and locate throughput, index vs brute force.

Run: python bench/bench_atlas.py  (prints medians; the ratio compares both methods in this run)
"""

from __future__ import annotations

import random
import tempfile

from timing import median_seconds

from dn_bodymap.atlas.loader import atlas_dir, load_atlas
from dn_bodymap.atlas.locate import AtlasIndex


def main() -> None:
    import os

    with tempfile.TemporaryDirectory() as cache:
        os.environ["DN_BODYMAP_CACHE"] = cache
        cold = median_seconds(lambda: load_atlas(atlas_dir(), use_cache=False), 3)
        load_atlas(atlas_dir())  # writes the cache
        warm = median_seconds(lambda: load_atlas(atlas_dir()), 7)
    atlas = load_atlas(atlas_dir(), use_cache=False)
    index = AtlasIndex(atlas)
    rng = random.Random(1)
    from shapely.geometry import Point

    points = []
    while len(points) < 2000:  # clicks land on the figure: sample inside the silhouette
        view = rng.choice(list(atlas.views))
        sil = atlas.view(view).silhouette
        minx, miny, maxx, maxy = sil.bounds
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if sil.contains(Point(x, y)):
            points.append((view, x, y))
    for view in atlas.views:
        index.view(view)  # build the trees outside the timing

    def run(brute: bool) -> None:
        for view, x, y in points:
            vi = index.view(view)
            (vi.locate_brute_force if brute else vi.locate)(x, y)

    indexed = median_seconds(lambda: run(False), 5)
    brute = median_seconds(lambda: run(True), 3)
    shapes = sum(len(v.muscle_shapes) + len(v.regions) for v in atlas.views.values())
    print(f"atlas {atlas.version}: {len(atlas.muscles)} muscles, {shapes} shapes over 4 views")
    print(f"load, cold build      : {cold * 1000:8.1f} ms (median of 3)")
    print(f"load, from cache      : {warm * 1000:8.1f} ms (median of 7)  cold/cache = {cold / warm:.1f}x")
    for name, seconds in (("spatial index", indexed), ("brute force  ", brute)):
        per_point = seconds / len(points) * 1e6
        print(f"locate, {name} : {len(points) / seconds:8.0f} points/s ({per_point:.1f} µs each)")
    print(f"index speed-up        : {brute / indexed:.1f}x")


if __name__ == "__main__":
    main()
