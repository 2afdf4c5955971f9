"""Hazards on the detail views of the head (assets/safety/hazards_face.toml): the eye is a no-needle
zone on both head views, the facial nerve trunk and the upper neck vessels are flagged where the
sources place them, sides follow the views, and a site away from them reads no mapped hazard."""

from __future__ import annotations

import pytest

from dn_bodymap.safety.assess import assess


def _ids(result) -> set[str]:
    return {h.id for h in result.hazards}


@pytest.mark.parametrize(("x", "side"), [(-110, "right"), (110, "left")])
def test_the_eye_is_a_no_needle_zone_on_the_face(x, side):
    result = assess("face", (x, 398))
    assert result.level == "no_needle" and result.side == side
    assert "orbit" in _ids(result)


@pytest.mark.parametrize(
    ("view", "x", "side"), [("head_lateral_right", 300, "right"), ("head_lateral_left", -300, "left")]
)
def test_the_eye_is_a_no_needle_zone_on_the_side_views(view, x, side):
    result = assess(view, (x, 400))
    assert result.level == "no_needle" and result.side == side


def test_facial_nerve_trunk_below_the_ear_is_high_with_its_sources():
    result = assess("head_lateral_right", (-10, 530))
    assert result.level == "high"
    hit = next(h for h in result.hazards if h.id == "facial_nerve_trunk")
    assert hit.kind == "nerve" and "Stankevicius-2019" in hit.sources
    assert "safe" not in (hit.message + hit.guidance).lower()


def test_upper_neck_vessels_and_suboccipital_region():
    assert "upper_neck_vessels" in _ids(assess("face", (60, 900)))
    # the left side view faces -x: the front of the neck is at x < 0
    left = assess("head_lateral_left", (-100, 800))
    assert "upper_neck_vessels" in _ids(left) and left.side == "left" and left.level == "high"
    assert "cervical_canal_upper_neck" in _ids(assess("head_lateral_left", (180, 800)))  # back of the neck
    assert assess("head_lateral_right", (-200, 580)).level == "very_high"


def test_a_site_away_from_the_mapped_structures_reads_none():
    assert assess("face", (100, 250)).level == "none"  # frontalis, mid-forehead


def test_masseter_belly_is_at_most_caution():
    """The middle of masseter carries the parotid and facial-nerve caution, nothing higher."""
    result = assess("head_lateral_right", (110, 612))
    assert result.level in ("none", "caution")
