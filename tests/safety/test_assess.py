"""assess(): hazards under a site, modifiers from patient factors, the overall level."""

from __future__ import annotations

import json

import pytest

from dn_bodymap.safety.assess import assess, assess_document
from dn_bodymap.safety.levels import LEVELS, highest, raised, rank
from dn_bodymap.safety.patient import Patient


def _site(atlas, view, name, side=None, dx=0.0, dy=0.0):
    lm = atlas.view(view).landmark(name, side)
    return (lm.x + dx, lm.y + dy)


def test_levels_are_ordered():
    assert [rank(level) for level in LEVELS] == [0, 1, 2, 3, 4]
    assert highest(["caution", "very_high", "high"]) == "very_high"
    assert highest([]) == "none"
    assert raised("caution") == "high" and raised("high", 5) == "very_high"
    assert raised("no_needle") == "no_needle"
    with pytest.raises(ValueError):
        rank("safe")


def test_upper_trapezius_over_the_apex_is_very_high(atlas):
    c7 = atlas.view("posterior").landmark("c7")
    acromion = atlas.view("posterior").landmark("acromion", "right")
    result = assess("posterior", ((c7.x + acromion.x) / 2, (c7.y + acromion.y) / 2 + 3))
    assert result.inside and result.level == "very_high" and result.side == "right"
    (hit,) = result.hazards
    assert hit.id == "pleura_apex" and hit.kind == "pneumothorax" and hit.side == "right"
    assert "pincer" in hit.guidance.lower()
    assert any("14.6 mm" in d.text for d in hit.depth)  # published depth with its source
    assert all(d.sources for d in hit.depth)


def test_scapular_fossa_is_caution_and_raised_by_patient_factors(atlas):
    site = _site(atlas, "posterior", "infraspinous_fossa", "right")
    plain = assess("posterior", site)
    assert [h.id for h in plain.hazards] == ["pleura_scapular_fossa"]
    assert plain.level == "caution"
    thin = assess("posterior", site, Patient.from_values(bmi=17.0))
    assert thin.level == "high" and "low_bmi" in thin.hazards[0].raised_by
    both = assess("posterior", site, Patient.from_values(bmi=17.0, conditions=["lung_disease"]))
    assert both.level == "very_high"
    assert {m.id for m in both.modifiers} == {"low_bmi", "lung_disease"}
    surgery = assess("posterior", site, Patient.from_values(conditions=["thoracic_surgery"]))
    assert surgery.level == "high"


def test_limb_site_has_no_hazard_but_lymphoedema_of_that_limb_forbids_it(atlas):
    # front of the patient's left thigh (anterior view: x > 0 is the patient's left)
    site = _site(atlas, "anterior", "patella", "left", dy=-70)
    assert assess("anterior", site).level == "none"
    same = assess("anterior", site, Patient.from_values(conditions=["lymphoedema_left_leg"]))
    assert same.level == "no_needle"
    assert any(m.level == "no_needle" for m in same.modifiers)
    other = assess("anterior", site, Patient.from_values(conditions=["lymphoedema_right_leg"]))
    assert other.level == "none"
    arm = assess("anterior", site, Patient.from_values(conditions=["lymphoedema_left_arm"]))
    assert arm.level == "none"


def test_anticoagulants_raise_spinal_and_vascular_sites(atlas):
    site = _site(atlas, "posterior", "t12", dx=5)
    plain = assess("posterior", site)
    assert "thoracolumbar_paramedian" in {h.id for h in plain.hazards}
    raised_ = assess("posterior", site, Patient.from_values(conditions=["anticoagulants"]))
    spinal = next(h for h in raised_.hazards if h.id == "thoracolumbar_paramedian")
    assert spinal.level == "very_high" and spinal.base_level == "high"
    # elsewhere anticoagulants add advice without raising anything
    limb = assess(
        "anterior",
        _site(atlas, "anterior", "patella", "left", dy=-70),
        Patient.from_values(conditions=["anticoagulants"]),
    )
    assert limb.level == "none" and [m.id for m in limb.modifiers] == ["anticoagulants"]


def test_pregnancy_raises_the_abdomen(atlas):
    site = _site(atlas, "anterior", "umbilicus", dx=25, dy=40)
    plain = assess("anterior", site)
    assert plain.level == "high" and "abdomen" in {h.id for h in plain.hazards}
    pregnant = assess("anterior", site, Patient.from_values(conditions=["pregnancy"]))
    assert pregnant.level == "very_high"


@pytest.mark.parametrize(
    ("view", "name", "zone"),
    [
        ("anterior", "eye", "eye"),
        ("anterior", "nipple", "nipple"),
        ("anterior", "umbilicus", "umbilicus"),
        ("lateral_right", "nipple", "nipple"),
        ("anterior", "carpal_tunnel", "median_nerve_wrist"),
        ("posterior", "popliteal_fossa", "popliteal_fossa"),
        ("posterior", "fibular_head", "common_fibular_nerve"),
        ("anterior", "femoral_triangle_apex", "femoral_triangle"),
        ("posterior", "c7", "cervical_spine"),
    ],
)
def test_named_sites_hit_their_zone(atlas, view, name, zone):
    views = atlas.view(view)
    side = None if (name, "midline") in {(k[0], str(k[1])) for k in views.landmarks} else "left"
    if view.startswith("lateral"):
        side = "right"
    result = assess(
        view,
        _site(atlas, view, name, side, dy={"femoral_triangle": -2, "cervical_spine": -20}.get(zone, 0)),
    )
    assert zone in {h.id for h in result.hazards}
    level = next(h.level for h in result.hazards if h.id == zone)
    assert rank(result.level) >= rank(level)


def test_no_needle_zones_are_no_needle(atlas):
    result = assess("anterior", _site(atlas, "anterior", "eye", "right"))
    assert result.level == "no_needle"
    assert any("Do not needle" in line for line in result.advice)


def test_outside_the_figure_says_so(atlas):
    for point in [(500.0, 500.0), (0.0, -50.0), (float("nan"), 3.0)]:
        result = assess("anterior", point)
        assert not result.inside and result.level == "none" and not result.hazards
        assert result.outside_message


def test_unknown_view_is_refused():
    with pytest.raises(ValueError, match="unknown view"):
        assess("superior", (0, 0))


def test_document_has_the_contract_fields(atlas):
    doc = assess_document(
        "posterior",
        *_site(atlas, "posterior", "t5", dx=30),
        bmi=17,
        conditions=["lung_disease", "made_up"],
        sex="female",
    )
    assert {"inside", "level", "hazards", "modifiers", "advice", "outside_message"} <= doc.keys()
    for hit in doc["hazards"]:
        assert {"id", "kind", "level", "structure", "message", "guidance", "sources"} <= hit.keys()
    assert doc["patient"] == {
        "sex": "female",
        "bmi": 17.0,
        "conditions": ["low_bmi", "lung_disease"],
    }
    assert any("made_up" in note for note in doc["notes"])
    json.dumps(doc, allow_nan=False)
