"""Head and tooth pictures, drawn on the body views and on the detail views of the head (face,
head_lateral_*), must put the textbook muscles in the reverse lookup's top 5.

Same table style as test_clinical_pictures_upper.py: each row is a pain drawing made of surface
regions (``id:side``; detail-view ids are face_* and headlat_*), the muscles the literature names,
whether all or at least one must be in the top five, and the source key the expectation comes from
(assets/trigger_points/sources.toml). When a row fails, fix the referral DATA, not the expectation.
"""

from __future__ import annotations

import pytest
from clinical_pictures import ALL, ANY, assert_in_top5

# (regions, expected muscles, all/any, source key, picture)
PICTURES = [
    # toothache without dental cause (referral.md §1a rows 13, 14, 16, 17)
    (
        ["face_upper_lip:right"],
        ["temporalis"],
        ALL,
        "TS1999",
        "upper incisor pain on the face view: temporalis, anterior fibres",
    ),
    (
        ["headlat_upper_lip:right"],
        ["temporalis"],
        ALL,
        "TS1999",
        "upper incisor pain on the side view: temporalis, anterior fibres",
    ),
    (
        ["headlat_upper_teeth:right"],
        ["masseter", "temporalis"],
        ALL,
        "ML1",
        "upper back-tooth pain on the side view: masseter (upper part), temporalis (middle and posterior)",
    ),
    (
        ["face_upper_teeth:left"],
        ["masseter", "temporalis"],
        ALL,
        "ML1",
        "upper back-tooth pain on the face view: masseter, temporalis",
    ),
    (
        ["headlat_lower_teeth:right"],
        ["masseter"],
        ALL,
        "ML1",
        "lower molar pain on the side view: masseter, superficial mid-belly",
    ),
    (
        ["face_lower_teeth:right"],
        ["masseter"],
        ALL,
        "ML1",
        "lower molar pain on the face view: masseter",
    ),
    (
        ["face_lower_lip:right", "face_lower_lip:left"],
        ["digastric"],
        ALL,
        "NA",
        "pain in the four lower incisors: digastric, anterior belly",
    ),
    (
        ["upper_jaw:right"],
        ["masseter", "temporalis"],
        ALL,
        "ML1",
        "upper jaw and teeth on the body views: masseter, temporalis",
    ),
    (
        ["lower_jaw:right"],
        ["masseter", "digastric"],
        ALL,
        "ML1",
        "lower jaw and teeth on the body views: masseter, digastric",
    ),
    # temple headache (referral.md §1a rows 1, 4, 13)
    (
        ["face_temple:right"],
        ["temporalis", "trapezius", "sternocleidomastoid"],
        ALL,
        "TS1999",
        "temple headache on the face view: temporalis, upper trapezius, SCM",
    ),
    (
        ["headlat_temple:right"],
        ["temporalis", "trapezius", "sternocleidomastoid"],
        ALL,
        "TS1999",
        "temple headache on the side view: temporalis, upper trapezius, SCM",
    ),
    # jaw joint and ear (rows 14, 15, 16)
    (
        ["headlat_tmj:right", "headlat_preauricular:right"],
        ["lateral_pterygoid", "masseter"],
        ALL,
        "NI",
        "pain in and in front of the jaw joint: lateral pterygoid, masseter deep layer",
    ),
    (
        ["face_throat", "headlat_throat"],
        ["medial_pterygoid", "digastric"],
        ANY,
        "ML4",
        "throat pain without infection, drawn on the head views: medial pterygoid, digastric",
    ),
]


@pytest.mark.parametrize(
    ("regions", "expected", "mode", "source", "picture"), PICTURES, ids=[p[4] for p in PICTURES]
)
def test_head_picture_ranks_the_textbook_muscles(regions, expected, mode, source, picture):
    assert_in_top5(regions, expected, mode, source, picture)
