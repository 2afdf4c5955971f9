"""Session rules (both sides of the thorax, count of high-level sites) and post-needling advice."""

from __future__ import annotations

from dn_bodymap.safety.advice import advice_text, post_needling_advice
from dn_bodymap.safety.session import BILATERAL_THORAX, review_session


def _trap(atlas, side):
    post = atlas.view("posterior")
    c7, acromion = post.landmark("c7"), post.landmark("acromion", side)
    return ("posterior", (c7.x + acromion.x) / 2, (c7.y + acromion.y) / 2)


def _thigh(atlas):
    patella = atlas.view("anterior").landmark("patella", "left")
    return ("anterior", patella.x, patella.y - 70)


def test_one_side_of_the_thorax_gives_no_session_warning(atlas):
    review = review_session([_trap(atlas, "right"), _thigh(atlas)])
    assert review.warnings == ()
    assert review.thoracic_sides == {"right"}
    assert review.high_level_sites == 1


def test_both_sides_of_the_thorax_raise_their_own_warning(atlas):
    serratus = atlas.view("lateral_left").landmark("rib6_mal", "left")
    sites = [_trap(atlas, "right"), ("lateral_left", serratus.x - 10, serratus.y), _thigh(atlas)]
    review = review_session(sites)
    (warning,) = review.warnings
    assert warning.id == BILATERAL_THORAX and warning.level == "very_high"
    assert "both" in warning.message and warning.sources
    assert review.thoracic_sides == {"left", "right"}
    assert review.high_level_sites == 2
    doc = review.to_document()
    assert doc["high_level_sites"] == 2 and doc["warnings"][0]["id"] == BILATERAL_THORAX


def test_outside_sites_count_for_nothing():
    review = review_session([("anterior", 900.0, 900.0)])
    assert review.high_level_sites == 0 and review.warnings == () and review.level == "none"


def test_advice_names_the_symptoms_that_mean_seek_help_now():
    thoracic = advice_text(True).lower()
    for symptom in ("chest pain", "shortness of breath", "pain when you breathe in", "next day"):
        assert symptom in thoracic
    limb_only = advice_text(False).lower()
    assert "pneumothorax" not in limb_only and "soreness" in limb_only
    doc = post_needling_advice(True).to_document()
    assert doc["seek_help_now"] and all(item["sources"] for item in doc["seek_help_now"])
