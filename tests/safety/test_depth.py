"""Published depths as ranges (shallowest first, sex-specific where published) and the depth warning."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dn_bodymap.safety.assess import assess, assess_document
from dn_bodymap.safety.depth import DepthWarning, depth_warning
from dn_bodymap.safety.hazards import HazardDataError, depth_figure
from dn_bodymap.safety.patient import Patient
from dn_bodymap.safety.sources import default_sources


def _interscapular(atlas):
    t5 = atlas.view("posterior").landmark("t5")
    return (t5.x + 30, t5.y)


def _apex(atlas):
    c7 = atlas.view("posterior").landmark("c7")
    acromion = atlas.view("posterior").landmark("acromion", "right")
    return ((c7.x + acromion.x) / 2, (c7.y + acromion.y) / 2 + 3)


def test_depths_are_published_ranges_shallowest_first_with_population(hazards):
    for zone in hazards.zones.values():
        numeric = [d for d in zone.depth if d.min_mm is not None]
        assert [d.min_mm for d in numeric] == sorted(d.min_mm for d in numeric), zone.id
        # numeric figures come before text-only ones
        assert list(zone.depth[: len(numeric)]) == numeric, zone.id
        for d in numeric:
            assert d.population and d.measure and d.sources, zone.id
            assert d.max_mm is None or d.max_mm >= d.min_mm
            assert all(k in default_sources() for k in d.sources)


def test_no_single_predicted_depth_from_bmi(atlas):
    """The BMI regression point estimate is gone: the same figures whatever the BMI."""
    site = _interscapular(atlas)
    thin = assess("posterior", site, Patient.from_values(bmi=21.1)).hazards[0]
    heavy = assess("posterior", site, Patient.from_values(bmi=28)).hazards[0]
    assert thin.id == "pleura_interscapular"
    assert [d.text for d in thin.depth] == [d.text for d in heavy.depth]
    texts = " ".join(d.text for d in heavy.depth)
    assert "0.380" not in texts and "For BMI" not in texts and "6.3 cm" not in texts
    # the shallowest published figure (the rib at 1.9-3.4 cm) comes first
    assert thin.depth[0].sources == ("Wada-2025",) and thin.depth[0].min_mm == 19


def test_sex_specific_figures_when_sex_is_known(atlas):
    site = _apex(atlas)
    unknown = assess("posterior", site).hazards[0]
    women = assess("posterior", site, Patient.from_values(sex="female")).hazards[0]
    men = assess("posterior", site, Patient.from_values(sex="male")).hazards[0]
    assert unknown.id == "pleura_apex"
    assert {d.sex for d in unknown.depth} >= {"female", "male"}
    assert "14.6 mm" in women.depth[0].text and all(d.sex != "male" for d in women.depth)
    assert any("17.4 mm" in d.text for d in men.depth) and all(d.sex != "female" for d in men.depth)


def test_depth_beyond_the_published_interscapular_figure_warns(atlas):
    result = assess("posterior", _interscapular(atlas))
    warning = depth_warning(result, 35)
    assert isinstance(warning, DepthWarning)
    assert warning.hazard_id == "pleura_interscapular" and warning.limit_mm == 19
    assert warning.depth_mm == 35 and warning.sources == ("Wada-2025",)
    assert "35 mm" in warning.message and "19-34 mm" in warning.message
    assert "safe" not in warning.message.lower()
    assert depth_warning(result, 15) is None


def test_sex_changes_the_limit_at_gb21(atlas):
    site = _apex(atlas)
    women = depth_warning(assess("posterior", site, Patient.from_values(sex="female")), 16)
    men = depth_warning(assess("posterior", site, Patient.from_values(sex="male")), 16)
    assert women is not None and women.limit_mm == 14.6
    assert men is None  # 16 mm is shallower than the men's mean of 17.4 mm
    assert depth_warning(assess("posterior", site, Patient.from_values(sex="male")), 18).limit_mm == 17.4


def test_no_figure_no_warning_and_bad_depths_are_refused(atlas):
    thigh = atlas.view("anterior").landmark("patella", "left")
    plain = assess("anterior", (thigh.x, thigh.y - 70))
    assert depth_warning(plain, 90) is None
    for bad in (0, -5, math.nan, math.inf, 400, "deep"):
        with pytest.raises(ValueError):
            depth_warning(plain, bad)  # type: ignore[arg-type]


def test_assess_document_carries_the_warning(atlas):
    x, y = _interscapular(atlas)
    doc = assess_document("posterior", x, y, depth_mm=35)
    assert doc["depth_mm"] == 35 and doc["depth_warning"]["limit_mm"] == 19
    assert doc["hazards"][0]["depth"][0]["min_mm"] == 19
    assert assess_document("posterior", x, y, depth_mm=10)["depth_warning"] is None
    assert "depth_warning" not in assess_document("posterior", x, y)
    bad = assess_document("posterior", x, y, depth_mm="deep")
    assert "depth_warning" not in bad and any("deep" in note for note in bad["notes"])


@settings(deadline=None, max_examples=40)
@given(st.floats(min_value=0.5, max_value=300))
def test_warning_exactly_when_deeper_than_the_shallowest_figure(atlas, depth):
    result = assess("posterior", _interscapular(atlas))
    limit = min(d.min_mm for h in result.hazards for d in h.depth if d.min_mm is not None)
    warning = depth_warning(result, depth)
    assert (warning is not None) == (depth > limit)


@pytest.mark.parametrize(
    "spec",
    [
        {"text": "x", "sources": ["Chen-2018"], "min_mm": 10},  # numbers without measure/population
        {"text": "x", "sources": ["Chen-2018"], "max_mm": 10, "measure": "m", "population": "p"},
        {"text": "x", "sources": ["S"], "min_mm": 20, "max_mm": 10, "measure": "m", "population": "p"},
        {"text": "x", "sources": ["Chen-2018"], "min_mm": "ten", "measure": "m", "population": "p"},
        {"text": "x", "sources": ["Chen-2018"], "min_mm": 10, "measure": "m", "population": "p", "sex": "f"},
        {"text": "", "sources": ["Chen-2018"]},
    ],
)
def test_bad_depth_tables_are_refused(spec):
    with pytest.raises(HazardDataError):
        depth_figure(spec, "z")
