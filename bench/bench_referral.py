"""`suggest` latency for a pain drawing of 10 polygons against the whole library, with the spatial
index and without it (every pattern tested), as a ratio. Target: well under 100 ms.

Run: python bench/bench_referral.py
"""

from __future__ import annotations

import random
import statistics
import time

from shapely.geometry import Point


def main() -> None:
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.atlas.trigger_points import default_library
    from dn_bodymap.charting.referral.drawing import PainDrawing
    from dn_bodymap.charting.referral.suggest import ReferralIndex, suggest

    atlas = default_atlas()
    t0 = time.perf_counter()
    library = default_library()
    t1 = time.perf_counter()
    index = ReferralIndex(atlas, library)
    t2 = time.perf_counter()
    rng = random.Random(11)
    drawings = []
    for _ in range(20):
        drawing = PainDrawing()
        for _ in range(10):
            view = rng.choice(["anterior", "posterior", "lateral_right"])
            sil = atlas.view(view).silhouette
            minx, miny, maxx, maxy = sil.bounds
            while True:
                p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
                if sil.contains(p):
                    break
            drawing.add(view, p.buffer(rng.uniform(8, 35)))
        drawings.append(drawing.clipped(atlas))

    def timed(use_index: bool) -> float:
        times = []
        for d in drawings:
            start = time.perf_counter()
            suggest(d, index, top=10, use_index=use_index)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    timed(True)  # warm-up
    with_index, without = timed(True), timed(False)
    print(
        f"library: {len(library.trigger_points)} trigger points ({len(library.instances)} with sides), "
        f"{len(index.entries)} zone entries"
    )
    print(
        f"library build {1000 * (t1 - t0):.0f} ms, index build {1000 * (t2 - t1):.0f} ms (once per process)"
    )
    print(f"suggest, 10-polygon drawing, spatial index : {with_index * 1000:7.2f} ms (median of 20)")
    print(f"suggest, 10-polygon drawing, every pattern : {without * 1000:7.2f} ms (median of 20)")
    print(f"index speed-up: {without / with_index:.1f}x")


if __name__ == "__main__":
    main()
