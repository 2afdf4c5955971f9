"""The session's referral panel ranks off the UI thread and drops results for an outdated drawing."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from dn_bodymap.atlas.model import Side
from dn_bodymap.charting.editing.sketch import to_record
from dn_bodymap.charting.referral.suggest import ReferralIndex
from dn_bodymap.gui.session.referral_panel import ReferralPanel


@dataclass
class Area:
    view: str
    geometry: object


def _area(atlas, region: str, side: Side) -> Area:
    geom = next(r.geometry for r in atlas.view("anterior").regions if r.id == region and r.side is side)
    return Area("anterior", to_record(geom))


class GatedIndex(ReferralIndex):
    """Holds the worker inside its first query until the test opens the gate."""

    def __init__(self, atlas, library) -> None:
        super().__init__(atlas, library)
        self.started, self.gate = threading.Event(), threading.Event()

    def overlaps(self, view, geom, use_index=True, exact=False):
        self.started.set()
        assert self.gate.wait(10), "the test never opened the gate"
        return super().overlaps(view, geom, use_index, exact)


def test_results_arrive_from_the_worker(qtbot, mini):
    atlas, library = mini
    panel = ReferralPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.suggestionsReady, timeout=10_000):
        panel.update_from(atlas, [_area(atlas, "chest", Side.RIGHT)], ReferralIndex(atlas, library))
    assert panel.suggestions.count() > 0
    first = panel.suggestions.item(0)
    assert first.text().startswith("Big") and "(right)" in first.text()
    assert "prior" in first.toolTip() and "Fit" in first.toolTip()


def test_a_result_for_an_outdated_drawing_is_discarded(qtbot, mini):
    atlas, library = mini
    index = GatedIndex(atlas, library)
    panel = ReferralPanel()
    qtbot.addWidget(panel)
    panel.update_from(atlas, [_area(atlas, "chest", Side.RIGHT)], index)
    qtbot.waitUntil(index.started.is_set, timeout=10_000)  # the first job runs (and waits)
    assert panel.suggestions.count() == 0  # the UI thread was never blocked by it
    panel.update_from(atlas, [_area(atlas, "belly", Side.LEFT)], index)  # a newer drawing
    index.gate.set()
    qtbot.waitUntil(lambda: panel.stale_results == 1 and panel.suggestions.count() > 0, timeout=10_000)
    texts = [panel.suggestions.item(i).text() for i in range(panel.suggestions.count())]
    # the newer drawing's ranking only: the belly point refers to both sides; the chest point did not
    assert texts and texts[0].startswith("Big muscle (left, right)"), texts
    assert panel.wait_for_suggestions(10_000)


def test_clearing_the_drawing_drops_a_pending_ranking(qtbot, mini):
    atlas, library = mini
    index = GatedIndex(atlas, library)
    panel = ReferralPanel()
    qtbot.addWidget(panel)
    panel.update_from(atlas, [_area(atlas, "chest", Side.RIGHT)], index)
    qtbot.waitUntil(index.started.is_set, timeout=10_000)
    panel.update_from(atlas, [], index)
    index.gate.set()
    qtbot.waitUntil(lambda: panel.stale_results == 1, timeout=10_000)
    assert panel.suggestions.count() == 0 and "No pain area" in panel.summary.text()
