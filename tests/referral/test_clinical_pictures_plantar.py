"""Heel, arch and forefoot pictures drawn on the plantar view (issue #15) put the textbook muscles in
the reverse lookup's top five, and the plantar muscles reach drawings made on the body views too.

Drawings on the soles are scored against the zones authored there and against the body-view zones
drawn on the soles through ``body_regions`` (atlas/detail_map.py). Sources as in
test_clinical_pictures_lower.py (/work/shared/reference/referral.md rows 86–103).
"""

from __future__ import annotations

import pytest
from clinical_pictures import ALL, assert_in_top5

PICTURES = [
    (
        ["plantar_heel_pad:right"],
        ["soleus", "quadratus_plantae", "abductor_hallucis"],
        ALL,
        "Thummar2020",
        "heel pain drawn under the heel: soleus, quadratus plantae, abductor hallucis",
    ),
    (
        ["medial_heel:right", "plantar_heel_pad:right"],
        ["abductor_hallucis", "quadratus_plantae", "soleus"],
        ALL,
        "OrtegaSantiago2019",
        "inner and underside of the heel: abductor hallucis, quadratus plantae, soleus",
    ),
    (
        ["medial_arch:right"],
        ["gastrocnemius", "abductor_hallucis"],
        ALL,
        "Thummar2020",
        "arch (instep) pain: gastrocnemius medial head, abductor hallucis",
    ),
    (
        ["ball_medial:left"],
        ["flexor_hallucis_brevis", "flexor_hallucis_longus"],
        ALL,
        "BS",
        "pain under the big-toe joint: flexor hallucis brevis and longus",
    ),
    (
        ["ball_central:right"],
        ["flexor_digitorum_brevis", "flexor_digitorum_longus"],
        ALL,
        "NI",
        "pain under the middle metatarsal heads: flexor digitorum brevis and longus",
    ),
    (
        ["heel:right", "plantar_heel:right"],
        ["quadratus_plantae", "soleus", "abductor_hallucis"],
        ALL,
        "OrtegaSantiago2019",
        "heel pain drawn on the body views also finds quadratus plantae",
    ),
]


@pytest.mark.parametrize(("regions", "expected", "mode", "source", "picture"), PICTURES)
def test_plantar_picture_ranks_textbook_muscles(regions, expected, mode, source, picture):
    assert_in_top5(regions, expected, mode, source, picture)


def test_picture_sources_resolve():
    from dn_bodymap.atlas.sources import default_sources

    known = default_sources()
    for *_, source, picture in PICTURES:
        assert source in known, picture
