"""Well-known lower-body clinical pictures must put the textbook muscles in the reverse lookup's top 5.

Each row is a pain drawing made of surface regions, the muscles the literature names for it, whether
all of them or at least one must appear among the top five suggestions, and the source key (resolved
by the registry of every ``sources.toml`` under assets/) the expectation comes from. The expectations
were written from the literature first (Travell & Simons Vol. 2 as paraphrased in
/work/shared/reference/referral.md §1d–1e); when a row fails, fix the referral DATA, not the
expectation.
"""

from __future__ import annotations

import re

import pytest
from clinical_pictures import ALL, ANY, assert_in_top5

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.trigger_points import default_library

LOWER_GROUPS = ("pelvis_hip", "thigh", "leg_foot")

# (regions, expected muscles, all/any, source key, picture)
PICTURES = [
    (
        ["lateral_thigh:right", "lateral_leg:right"],
        ["gluteus_minimus"],
        ALL,
        "PFH",
        "pseudo-sciatica down the outer thigh and leg: anterior gluteus minimus",
    ),
    (
        ["posterior_thigh:right", "calf:right"],
        ["gluteus_minimus"],
        ALL,
        "NA",
        "sciatica-like pain down the back of the thigh and calf: posterior gluteus minimus",
    ),
    (
        ["lateral_hip:right"],
        ["gluteus_medius", "tensor_fasciae_latae", "gluteus_minimus"],
        ALL,
        "AB",
        "lateral hip pain ('trochanteric bursitis'): gluteus medius, TFL, gluteus minimus",
    ),
    (
        ["buttock:right"],
        ["gluteus_maximus"],
        ALL,
        "MT",
        "buttock pain: gluteus maximus",
    ),
    (
        # piriformis refers in a band across the buttock (issue #15), so a whole-buttock drawing no
        # longer lists it; its full picture spreads from the SI region into the back of the thigh
        ["sacroiliac:right", "buttock:right", "posterior_thigh:right"],
        ["piriformis"],
        ALL,
        "ML15",
        "SI region, buttock and back of the thigh ('sciatica'): piriformis",
    ),
    (
        ["coccyx"],
        ["gluteus_maximus"],
        ALL,
        "MT",
        "tailbone pain: lowest medial gluteus maximus fibres",
    ),
    (
        ["sacroiliac:right", "sacral"],
        ["gluteus_medius"],
        ALL,
        "NA",
        "pain over the sacrum and sacroiliac joint: posterior gluteus medius",
    ),
    (
        ["sacroiliac:right"],
        ["gluteus_maximus", "soleus"],
        ALL,
        "TS1992",
        "sacroiliac joint pain: upper gluteus maximus; soleus TrP3 (examine the calf in low back pain)",
    ),
    (
        ["groin:right"],
        ["adductor_longus", "pectineus"],
        ALL,
        "AB",
        "groin pain: adductor longus, pectineus",
    ),
    (
        ["anterior_thigh:right"],
        ["vastus_intermedius", "rectus_femoris"],
        ANY,
        "RE",
        "ache over the front of the thigh: vastus intermedius",
    ),
    (
        ["medial_thigh:right"],
        ["gracilis", "adductor_magnus"],
        ALL,
        "Bodyache",
        "inner-thigh pain: gracilis, adductor magnus",
    ),
    (
        ["anterior_knee:right"],
        ["rectus_femoris", "vastus_medialis"],
        ALL,
        "Rozenfeld2020",
        "anterior knee pain: rectus femoris, vastus medialis",
    ),
    (
        ["medial_knee:right"],
        ["vastus_medialis", "gracilis", "sartorius"],
        ALL,
        "NA",
        "inner knee pain: vastus medialis, gracilis, sartorius",
    ),
    (
        ["medial_knee:right"],
        ["adductor_longus"],
        ALL,
        "AB",
        "inner knee pain: distal adductor longus",
    ),
    (["lateral_knee:right"], ["vastus_lateralis"], ALL, "NA", "outer knee pain: vastus lateralis"),
    (
        ["popliteal_fossa:right"],
        ["popliteus", "biceps_femoris", "gastrocnemius"],
        ALL,
        "NA",
        "pain behind the knee: popliteus, biceps femoris, gastrocnemius near the knee",
    ),
    (
        ["calf:right"],
        ["gastrocnemius", "soleus"],
        ALL,
        "NA",
        "calf pain (after a DVT is ruled out): gastrocnemius, soleus",
    ),
    (
        ["achilles:right"],
        ["soleus", "tibialis_posterior"],
        ALL,
        "NA",
        "Achilles region pain: soleus, tibialis posterior",
    ),
    (
        ["heel:right", "plantar_heel:right"],
        ["soleus", "abductor_hallucis"],
        ALL,
        "Thummar2020",
        "heel pain ('plantar fasciitis'): soleus, abductor hallucis",
    ),
    (
        ["anterior_ankle:right", "great_toe:right"],
        ["tibialis_anterior", "extensor_hallucis_longus"],
        ALL,
        "NI",
        "front of the ankle and big toe: tibialis anterior, extensor hallucis longus",
    ),
    (
        ["dorsum_of_foot:right"],
        ["extensor_digitorum_longus", "extensor_digitorum_brevis"],
        ALL,
        "TWD",
        "top of the foot: extensor digitorum longus and brevis",
    ),
    (
        ["lateral_ankle:right"],
        ["fibularis_longus", "fibularis_brevis"],
        ALL,
        "PW",
        "outer ankle pain, 'weak ankle': fibularis longus and brevis",
    ),
    (
        ["plantar_forefoot:right"],
        ["flexor_digitorum_longus", "flexor_hallucis_longus"],
        ALL,
        "BS",
        "ball of the foot ('metatarsalgia'): long toe flexors",
    ),
]


@pytest.mark.parametrize(
    ("regions", "expected", "mode", "source", "picture"),
    PICTURES,
    ids=[p[4].split(":")[0] for p in PICTURES],
)
def test_clinical_picture_top5(regions, expected, mode, source, picture):
    assert_in_top5(regions, expected, mode, source, picture)


def test_sources_of_the_pictures_resolve():
    from dn_bodymap.atlas.sources import read_sources

    assert {p[3] for p in PICTURES} <= set(read_sources())


def test_every_lower_body_muscle_has_a_trigger_point_except_the_iliotibial_tract():
    atlas = default_atlas()
    lower = {m for m, muscle in atlas.muscles.items() if muscle.group in LOWER_GROUPS}
    authored = {tp.muscle for tp in default_library().instances.values()}
    assert lower - authored == {"iliotibial_tract"}
    assert "iliotibial_tract" not in authored  # fascia: no source describes a trigger point in it


def test_lower_body_trigger_points_cite_resolvable_sources_and_never_call_a_site_safe():
    from dn_bodymap.atlas.sources import read_sources

    atlas = default_atlas()
    keys = set(read_sources())
    for tp in default_library().instances.values():
        if atlas.muscles[tp.muscle].group not in LOWER_GROUPS:
            continue
        assert tp.sources and set(tp.sources) <= keys, tp.id
        assert tp.hazard_note and tp.mimics and tp.needling.get("needle_length_mm"), tp.id
        text = f"{tp.description} {tp.hazard_note} {tp.needling}".lower()
        assert not re.search(r"\bsafe(ly|r|st)?\b", text), tp.id
