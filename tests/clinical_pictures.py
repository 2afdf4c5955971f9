"""Shared check for the clinical-picture tables: the textbook muscles rank in the top five."""

from __future__ import annotations

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.trigger_points import default_library
from dn_bodymap.charting.referral.drawing import PainDrawing
from dn_bodymap.charting.referral.index_cache import default_referral_index
from dn_bodymap.charting.referral.suggest import suggest

ALL, ANY = "all", "any"


def assert_in_top5(regions: list[str], expected: list[str], mode: str, source: str, picture: str) -> None:
    authored = {tp.muscle for tp in default_library().instances.values()}
    missing = [m for m in expected if m not in authored]
    assert not missing, f"no library trigger points for {missing}"
    top = suggest(PainDrawing.from_regions(default_atlas(), regions), default_referral_index(), top=5)
    muscles = [s.muscle for s in top]
    found = [m for m in expected if m in muscles]
    ok = len(found) == len(expected) if mode == ALL else bool(found)
    assert ok, f"{picture} [{source}]: expected {mode} of {expected} in top 5, got {muscles}"
