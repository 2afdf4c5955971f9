"""One referral index per process over the packaged atlas and library."""

from __future__ import annotations

from functools import lru_cache

from dn_bodymap.charting.referral.suggest import ReferralIndex


@lru_cache(maxsize=1)
def default_referral_index() -> ReferralIndex:
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.atlas.trigger_points import default_library

    return ReferralIndex(default_atlas(), default_library())
