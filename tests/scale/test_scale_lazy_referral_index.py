"""The referral index is made at start-up but built only when a drawing is first scored."""

from __future__ import annotations

import threading

from shapely.geometry import Point

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.trigger_points import default_library
from dn_bodymap.charting.referral.drawing import PainDrawing
from dn_bodymap.charting.referral.suggest import ReferralIndex, suggest


def _drawing(atlas) -> PainDrawing:
    drawing = PainDrawing()
    drawing.add("posterior", Point(-60, 330).buffer(40))
    return drawing.clipped(atlas)


def test_made_unbuilt_and_built_by_the_first_query() -> None:
    atlas, library = default_atlas(), default_library()
    lazy = ReferralIndex(atlas, library)
    assert not lazy.built
    results = suggest(_drawing(atlas), lazy, top=8)
    assert lazy.built and results
    eager = ReferralIndex(atlas, library)
    assert len(eager.entries) > 0 and eager.built  # reading the tables builds them too
    assert suggest(_drawing(atlas), eager, top=8) == results


def test_concurrent_first_queries_build_once() -> None:
    index = ReferralIndex(default_atlas(), default_library())
    seen: list[object] = []
    barrier = threading.Barrier(4)

    def first_use() -> None:
        barrier.wait()
        seen.append(index._built())

    threads = [threading.Thread(target=first_use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(tables) for tables in seen}) == 1
