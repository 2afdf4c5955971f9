"""Fingertip, finger, thumb and thenar pictures drawn on the hand views (issue #15) put the textbook
muscles in the reverse lookup's top five; the intrinsic hand muscles reach drawings made on the body
views too.

Drawings on the hand views are scored against the zones authored there and against the body-view
zones drawn on the hands through ``body_regions`` (atlas/detail_map.py). Expectations come from the
literature (/work/shared/reference/referral.md rows 23, 45-46, 49-52); when a row fails, fix the
referral DATA, not the expectation.
"""

from __future__ import annotations

import pytest
from clinical_pictures import ALL, ANY, assert_in_top5
from shapely.geometry import LineString

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.charting.referral.drawing import PainDrawing
from dn_bodymap.charting.referral.index_cache import default_referral_index
from dn_bodymap.charting.referral.suggest import suggest

# (regions, expected muscles, all/any, source key, picture)
PICTURES = [
    (
        ["palmar_index_tip:right", "palmar_middle_tip:right"],
        ["flexor_digitorum_superficialis", "flexor_digitorum_profundus"],
        ANY,
        "WSP",
        "fingertip pain on the palm side of the index and middle fingers: the long finger flexors",
    ),
    (
        [f"palmar_{f}_tip:left" for f in ("thumb", "index", "middle", "ring", "little")],
        ["flexor_digitorum_profundus", "flexor_digitorum_superficialis", "flexor_pollicis_longus"],
        ANY,
        "WSP",
        "pain in every fingertip pad: the long flexors, whose pain seems to shoot past the tip",
    ),
    (
        ["palmar_thumb_tip:right"],
        ["flexor_pollicis_longus"],
        ALL,
        "WSP",
        "pain in the pad of the thumb: flexor pollicis longus",
    ),
    (
        ["palmar_thumb_tip:right", "palmar_index_tip:right"],
        ["infraspinatus"],
        ALL,
        "ML12b",
        "thumb and index fingertips: infraspinatus refers to the radial hand",
    ),
    (
        ["thenar_eminence:left"],
        ["adductor_pollicis"],
        ALL,
        "NI",
        "ball of the thumb: adductor pollicis (thumb web, thenar eminence)",
    ),
    (
        ["dorsal_little_finger:right"],
        ["abductor_digiti_minimi_hand"],
        ALL,
        "NI",
        "back of the little finger: abductor digiti minimi",
    ),
    (
        ["index_and_middle_fingers:right"],
        ["dorsal_interossei_hand", "lumbricals_hand", "palmar_interossei"],
        ANY,
        "NI",
        "finger pain drawn on a body view finds the interossei and lumbricals",
    ),
]


@pytest.mark.parametrize(
    ("regions", "expected", "mode", "source", "picture"),
    PICTURES,
    ids=[p[4].split(":")[0] for p in PICTURES],
)
def test_hand_picture_ranks_textbook_muscles(regions, expected, mode, source, picture):
    assert_in_top5(regions, expected, mode, source, picture)


def _drawn_top5(view: str, line: list[tuple[float, float]], width: float) -> list[str]:
    atlas = default_atlas()
    drawing = PainDrawing()
    drawing.add(view, LineString(line).buffer(width / 2))
    return [s.muscle for s in suggest(drawing.clipped(atlas), default_referral_index(), top=5)]


def _finger_side(view: str, finger: str, toward: str, side: str) -> list[tuple[float, float]]:
    """A line along one side of a finger (``toward`` the thumb or the little finger)."""
    vd = default_atlas().view(view)
    names = (f"hand_{finger}_base", f"hand_{finger}_pip", f"hand_{finger}_dip")
    points = [vd.landmark(n, side) for n in names]
    # The thumb is lateral on both hand views: away from the midline.
    outward = 1.0 if points[0].x > 0 else -1.0
    shift = 18.0 * (outward if toward == "thumb" else -outward)
    return [(p.x + shift, p.y) for p in points]


def test_pain_down_the_thumb_side_of_the_back_of_the_index_finger_is_the_first_dorsal_interosseous():
    # NI: "strong pain in the dorsum of the index finger (lateral half)".
    top = _drawn_top5("dorsal_hand", _finger_side("dorsal_hand", "index", "thumb", "right"), 30)
    assert "dorsal_interossei_hand" in top, top


def test_pain_along_the_thumb_side_of_the_ring_finger_is_an_intrinsic_hand_muscle():
    # NI: the lumbricals refer like the interossei, along the side of the finger they serve.
    top = _drawn_top5("palmar", _finger_side("palmar", "ring", "thumb", "left"), 30)
    assert {"lumbricals_hand", "palmar_interossei"} & set(top), top


def test_picture_sources_resolve():
    from dn_bodymap.atlas.sources import default_sources

    known = default_sources()
    for *_, source, picture in PICTURES:
        assert source in known, picture
