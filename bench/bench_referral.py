"""`suggest` latency: a 10-polygon pain drawing and a whole-figure drawing against the whole library,
with drawings simplified to 0.5 units before scoring (the default) and without (the old path), with
the spatial index and without it, and the fast overlap test against the reference (exact) one. Also
checks that simplifying, and the fast path, keep the same top 8 on every clinical picture of
tests/referral. Target (issue #14): whole-figure drawing ≤ 50 ms.

Run: python bench/bench_referral.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from shapely.geometry import Point


@contextmanager
def unsimplified():
    """The pre-simplification scoring path, for the comparison."""
    import importlib

    module = importlib.import_module("dn_bodymap.charting.referral.suggest")

    saved = module.simplified
    module.simplified = lambda drawing: drawing
    try:
        yield
    finally:
        module.simplified = saved


def _pictures() -> list[list[str]]:
    tests = Path(__file__).resolve().parents[1] / "tests"
    sys.path[:0] = [str(tests), str(tests / "referral")]
    pictures: list[list[str]] = []
    names = ("test_clinical_pictures_lower", "test_clinical_pictures_upper", "test_clinical_pictures_ranking")
    for name in names:
        try:
            module = __import__(name)
        except ImportError:
            continue
        pictures += [list(p[0]) for p in getattr(module, "PICTURES", [])]
    return pictures


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
    n_entries = len(index.entries)  # builds the index now, not inside the first timing
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
    whole = PainDrawing()
    for view in ("anterior", "posterior", "lateral_right"):
        whole.add(view, atlas.view(view).silhouette)
    whole = whole.clipped(atlas)

    def timed(
        cases: list[PainDrawing], use_index: bool = True, repeat: int = 1, exact: bool = False
    ) -> float:
        times, cpu = [], []
        for _ in range(repeat):
            for d in cases:
                start, cpu_start = time.perf_counter(), time.process_time()
                suggest(d, index, top=10, use_index=use_index, exact=exact)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - cpu_start)
        cpu_medians.append(statistics.median(cpu))
        return statistics.median(times)

    cpu_medians: list[float] = []  # the same calls' process CPU time (less inflated by other jobs)

    timed(drawings)  # warm-up
    print(
        f"library: {len(library.trigger_points)} trigger points ({len(library.instances)} with sides), "
        f"{n_entries} zone entries"
    )
    print(f"library build {1000 * (t1 - t0):.0f} ms, index build {1000 * (t2 - t1):.0f} ms (once a process)")
    with unsimplified():
        before_small, before_whole = timed(drawings, exact=True), timed([whole], repeat=5, exact=True)
    ref_small, ref_whole = timed(drawings, exact=True), timed([whole], repeat=5, exact=True)
    ref_whole_cpu = cpu_medians[-1]
    after_small = timed(drawings)
    after_small_cpu = cpu_medians[-1]
    after_whole = timed([whole], repeat=15)
    after_whole_cpu = cpu_medians[-1]
    without = timed(drawings, use_index=False)
    print(f"suggest, 10-polygon drawing, not simplified : {before_small * 1000:7.2f} ms (median of 20)")
    print(f"suggest, 10-polygon drawing, simplified 0.5 : {ref_small * 1000:7.2f} ms (median of 20)")
    print(f"suggest, whole-figure drawing, not simplified: {before_whole * 1000:7.2f} ms (median of 5)")
    print(f"suggest, whole-figure drawing, simplified 0.5: {ref_whole * 1000:7.2f} ms (median of 5)")
    print(f"suggest, 10-polygon drawing, fast overlaps   : {after_small * 1000:7.2f} ms (median of 20)")
    print(f"suggest, whole-figure drawing, fast overlaps : {after_whole * 1000:7.2f} ms (median of 15)")
    print(
        f"CPU time: whole figure {ref_whole_cpu * 1000:.2f} ms reference, "
        f"{after_whole_cpu * 1000:.2f} ms fast; 10-polygon drawing {after_small_cpu * 1000:.2f} ms fast"
    )
    print(f"suggest, 10-polygon drawing, every pattern (no index): {without * 1000:7.2f} ms")
    print(f"index speed-up: {without / after_small:.1f}x")
    pictures = _pictures()
    changed, fast_changed, worst = [], [], 0.0
    for regions in pictures:
        drawing = PainDrawing.from_regions(atlas, regions)
        with unsimplified():
            old = [s.muscle for s in suggest(drawing, index, top=8, exact=True)]
        ref = suggest(drawing, index, top=8, exact=True)
        fast = suggest(drawing, index, top=8)
        new = [s.muscle for s in ref]
        if old != new:
            changed.append((regions, old, new))
        if [s.muscle for s in fast] != new:
            fast_changed.append((regions, new, [s.muscle for s in fast]))
        worst = max([worst] + [abs(a.score - b.score) for a, b in zip(ref, fast, strict=False)])
    same = len(pictures) - len(changed)
    print(f"clinical pictures with the same top 8 after simplifying: {same}/{len(pictures)}")
    for regions, old, new in changed:
        print(f"  {regions}: {old} -> {new}")
    print(
        f"clinical pictures with the reference top 8 on the fast path: {len(pictures) - len(fast_changed)}"
        f"/{len(pictures)} (largest score difference {worst:.4f})"
    )
    for regions, old, new in fast_changed:
        print(f"  {regions}: {old} -> {new}")


if __name__ == "__main__":
    main()
