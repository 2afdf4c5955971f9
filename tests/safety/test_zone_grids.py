"""Grid tests: the lung fields are covered on every view, each new zone sits on its anatomy, the
limbs gain no false alarm, and the pregnancy points warn only when pregnancy is recorded."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from shapely.geometry import Point, box

from dn_bodymap.atlas.loader import read_tables
from dn_bodymap.safety.assess import assess
from dn_bodymap.safety.hazards import build_hazards, read_hazard_tables
from dn_bodymap.safety.levels import rank
from dn_bodymap.safety.patient import Patient

VIEWS = ("anterior", "posterior", "lateral_right", "lateral_left")


@pytest.fixture(scope="module")
def bare(atlas):
    """The pleural projection without its breathing/landmark margin (the lung field itself)."""
    tables = copy.deepcopy(read_hazard_tables())
    for area in tables["area"]:
        if area["id"] == "pleural_projection":
            area["buffer"] = 0
    return build_hazards(atlas, tables, read_tables()["landmarks"])


def _grid(geom, step=4.0):
    minx, miny, maxx, maxy = geom.bounds
    for x in np.arange(minx, maxx, step):
        for y in np.arange(miny, maxy, step):
            if geom.contains(Point(x, y)):
                yield float(x), float(y)


@pytest.mark.parametrize("view", VIEWS)
def test_every_point_of_the_lung_field_has_a_pneumothorax_hazard(atlas, bare, hazards, view):
    """Documented exception: on the side views the shoulder cap (humerus and deltoid) stands
    lateral to the ribs, so a needle there meets bone, not the chest wall."""
    field = bare.area("pleural_projection", view).intersection(atlas.view(view).silhouette)
    exception = hazards.area("shoulder_cap", view)
    checked, missing = 0, []
    for x, y in _grid(field):
        if exception.contains(Point(x, y)):
            continue
        checked += 1
        if not any(hazards.zones[p.zone_id].kind == "pneumothorax" for p in hazards.hits(view, x, y)):
            missing.append((round(x), round(y)))
    assert checked > 500 and not missing


def test_no_gap_between_the_thoracic_zones_on_the_front_of_the_trunk(atlas):
    """Between the clavicles and the umbilicus every point has a hazard (the left xiphisternal
    angle and the cardiac notch included); only the shoulder tops above the pleura are free."""
    ant = atlas.view("anterior")
    top = ant.landmark("clavicle_mid", "left").y + 12
    umbilicus = ant.landmark("umbilicus").y
    rib10 = ant.landmark("rib10_mal", "left").x
    gaps = []
    for x in np.arange(-rib10 + 4, rib10 - 4, 4.0):
        for y in np.arange(top, umbilicus, 4.0):
            result = assess("anterior", (float(x), float(y)))
            if result.inside and result.level == "none":
                gaps.append((round(x), round(y), result.region))
    assert not gaps


def test_cardiac_notch_names_the_heart(atlas):
    ant = atlas.view("anterior")
    notch = ant.landmark("safety_cardiac_notch", "left")
    for dx, dy in ((-6, 8), (-6, 24), (0, 30)):
        result = assess("anterior", (notch.x + dx, notch.y + dy))
        assert "heart_cardiac_notch" in {h.id for h in result.hazards}
        assert result.level == "very_high"
    xiphoid = ant.landmark("xiphoid")
    left_angle = assess("anterior", (xiphoid.x + 10, xiphoid.y + 4))
    assert {"heart_cardiac_notch", "abdomen"} & {h.id for h in left_angle.hazards}
    # the heart zone is on the patient's left only
    right = assess("anterior", (-(notch.x - 6), notch.y + 24))
    assert "heart_cardiac_notch" not in {h.id for h in right.hazards}


def test_thoracic_laminae_are_a_caution_with_the_pleura_beside_them(atlas):
    post = atlas.view("posterior")
    for name in ("t3", "t6", "t9"):
        spine = post.landmark(name)
        result = assess("posterior", (spine.x + 2, spine.y))
        assert "thoracic_laminae" in {h.id for h in result.hazards}
        assert result.thoracic and rank(result.level) >= rank("caution")
    assert "thoracic_laminae" not in {h.id for h in assess("posterior", (2, post.landmark("l4").y)).hazards}


def test_lung_apex_stops_about_2_5_cm_above_the_clavicle(atlas, hazards):
    """The dome rises about 2.5 cm (15 units) above the medial third of the clavicle, not to C4/C5."""
    ant, post = atlas.view("anterior"), atlas.view("posterior")
    for side in ("left", "right"):
        clavicle = ant.landmark("clavicle_medial_third", side)
        top = hazards.zones["pleura_apex"].geometry("anterior", side).bounds[1]
        assert clavicle.y - 17 <= top <= clavicle.y - 12
    c5 = post.landmark("c2").y + 3 * (post.landmark("c7").y - post.landmark("c2").y) / 5
    assert hazards.zones["pleura_apex"].geometry("posterior").bounds[1] > c5 + 4
    # mid-neck sites name the brachial plexus and the carotid sheath instead
    clavicle = ant.landmark("clavicle_medial_third", "left")
    plexus = hazards.zones["brachial_plexus_neck"].geometry("anterior", "left")
    mid = plexus.intersection(box(0, 0, 200, clavicle.y - 20)).representative_point()
    ids = {h.id for h in assess("anterior", (mid.x, mid.y)).hazards}
    assert "brachial_plexus_neck" in ids and "pleura_apex" not in ids
    lateral_mid = assess("lateral_right", (6, 140))
    assert {"brachial_plexus_neck", "anterior_neck"} & {h.id for h in lateral_mid.hazards}


#: (zone, view, landmark, side, dx, dy) points that must lie in the zone: its anatomy.
INSIDE = [
    ("median_nerve_elbow", "anterior", "cubital_fossa", "left", -8, 0),
    ("median_nerve_elbow", "anterior", "cubital_fossa", "right", -8, 0),
    ("median_nerve_elbow", "anterior", "medial_epicondyle", "left", 6, -30),
    ("posterior_interosseous_nerve", "posterior", "radial_head", "right", 0, 16),
    ("posterior_interosseous_nerve", "posterior", "radial_head", "left", 0, 30),
    ("ulnar_nerve_elbow", "posterior", "ulnar_nerve_groove", "right", 0, 0),
    ("ulnar_nerve_elbow", "posterior", "ulnar_nerve_groove", "left", 0, -20),
    ("radial_nerve_spiral_groove", "posterior", "deltoid_tuberosity", "right", -8, 20),
    ("radial_nerve_spiral_groove", "posterior", "lateral_supracondylar_ridge", "left", -16, -26),
    ("axilla", "anterior", "anterior_axillary_fold", "left", 4, 12),
    ("axilla", "posterior", "back_teres_major_insertion", "right", -4, 8),
    ("axilla", "lateral_right", "shoulder_joint", "right", 0, 64),
    ("deep_posterior_leg", "posterior", "popliteal_fossa", "right", -6, 60),
    ("deep_posterior_leg", "posterior", "medial_malleolus", "left", 6, -60),
    ("deep_posterior_leg", "lateral_right", "fibular_head", "right", -14, 60),
    ("vertebral_artery_cervical", "posterior", "c2", None, 20, 16),
    ("vertebral_artery_cervical", "lateral_left", "headneck_c1_transverse", "left", 0, 20),
    ("brachial_plexus_neck", "anterior", "headneck_scalene_tubercle", "right", -4, -20),
    ("adductor_canal", "anterior", "femoral_triangle_apex", "left", 0, 30),
    ("adductor_canal", "anterior", "femoral_triangle_apex", "right", 0, 60),
    ("kidney_side", "lateral_right", "back_t12", "right", 14, 30),
    ("kidney_side", "lateral_left", "back_t12", "left", 14, 20),
    ("sciatic_nerve_side", "lateral_right", "greater_trochanter", "right", -24, 36),
    ("sciatic_nerve_side", "lateral_left", "gluteal_fold", "left", 10, 20),
]
#: Points that must stay outside: the neighbouring, hazard-free anatomy.
OUTSIDE = [
    ("median_nerve_elbow", "anterior", "lateral_epicondyle", "left", 0, 0),
    ("posterior_interosseous_nerve", "posterior", "olecranon", "right", 0, 0),
    ("ulnar_nerve_elbow", "posterior", "lateral_epicondyle", "right", 0, 0),
    ("radial_nerve_spiral_groove", "posterior", "olecranon", "right", 0, -40),
    ("deep_posterior_leg", "posterior", "popliteal_fossa", "right", 0, -40),
    ("adductor_canal", "anterior", "patella", "left", 0, -60),
    ("kidney_side", "lateral_right", "umbilicus", "right", 0, 0),
    ("sciatic_nerve_side", "lateral_right", "greater_trochanter", "right", 0, 0),
]


def _point(atlas, view, name, side, dx, dy):
    """A landmark moved by (dx, dy) as authored on the x > 0 half (mirrored on the other side)."""
    lm = atlas.view(view).landmark(name, side)
    mirrored = view == "lateral_left" or (not view.startswith("lateral") and lm.x < 0)
    return (lm.x - dx if mirrored else lm.x + dx), lm.y + dy


@pytest.mark.parametrize(("zone", "view", "name", "side", "dx", "dy"), INSIDE)
def test_new_zone_covers_its_anatomy(atlas, hazards, zone, view, name, side, dx, dy):
    x, y = _point(atlas, view, name, side, dx, dy)
    result = assess(view, (x, y))
    hit = [h for h in result.hazards if h.id == zone]
    assert hit, f"{zone} not at {view} {name} ({x:.0f}, {y:.0f}): {[h.id for h in result.hazards]}"
    z = hazards.zones[zone]
    assert rank(hit[0].level) >= rank(z.level) and z.sources and z.technique


@pytest.mark.parametrize(("zone", "view", "name", "side", "dx", "dy"), OUTSIDE)
def test_new_zone_stays_off_neighbouring_anatomy(atlas, zone, view, name, side, dx, dy):
    x, y = _point(atlas, view, name, side, dx, dy)
    assert zone not in {h.id for h in assess(view, (x, y)).hazards}


#: Limb areas with no mapped hazard, sampled on a grid: no zone may spread onto them.
CLEAR_LIMB_REGIONS = {
    "anterior": ("anterior_thigh", "shin", "dorsum_of_foot", "anterior_forearm", "lateral_shoulder"),
    "posterior": ("lateral_leg", "posterior_forearm", "dorsum_of_hand", "heel"),
    "lateral_right": ("lateral_thigh", "shin", "lateral_shoulder", "lateral_arm"),
    "lateral_left": ("lateral_thigh", "shin", "lateral_shoulder", "lateral_arm"),
}
#: Zones allowed to reach into those regions at their edges: nerves crossing into them just below
#: the elbow or the knee, and (side views) the chest wall behind the hanging arm.
EDGE_ZONES = {
    "common_fibular_nerve",
    "posterior_interosseous_nerve",
    "median_nerve_elbow",
    "ulnar_nerve_elbow",
    "pleura_lateral_chest_wall",
    "median_nerve_wrist",
    "deep_posterior_leg",
    "femoral_triangle",
    "adductor_canal",
    "axilla",
    "pleura_apex",
}


@pytest.mark.parametrize("view", VIEWS)
def test_no_new_false_alarm_on_the_limbs(atlas, view):
    regions = [r for r in atlas.view(view).regions if r.id in CLEAR_LIMB_REGIONS[view]]
    assert regions
    flagged, clear, total = set(), 0, 0
    for region in regions:
        for x, y in _grid(region.geometry, 6.0):
            result = assess(view, (x, y))
            total += 1
            if result.level == "none":
                clear += 1
            flagged |= {h.id for h in result.hazards}
    assert flagged <= EDGE_ZONES, sorted(flagged - EDGE_ZONES)
    assert clear >= 0.75 * total


PREGNANCY_POINTS = [
    ("pregnancy_li4", "posterior", "first_dorsal_interosseous", "right", 0, 0),
    ("pregnancy_li4", "anterior", "thenar_eminence", "left", 2, 12),
    ("pregnancy_sp6", "anterior", "medial_malleolus", "right", 3, -40),
    ("pregnancy_sp6", "posterior", "medial_malleolus", "left", 3, -40),
    ("pregnancy_bl60", "posterior", "lateral_malleolus", "right", -6, 0),
    ("pregnancy_bl60", "lateral_left", "lateral_malleolus", "left", -12, 0),
    ("pregnancy_bl67", "anterior", "safety_bl67", "left", 0, 0),
    ("pregnancy_bl67", "lateral_right", "safety_lat_bl67", "right", 0, 0),
    ("pregnancy_sacral_foramina", "posterior", "psis", "right", -14, 20),
]


@pytest.mark.parametrize(("area", "view", "name", "side", "dx", "dy"), PREGNANCY_POINTS)
def test_pregnancy_points_are_site_warnings_only_in_pregnancy(atlas, hazards, area, view, name, side, dx, dy):
    x, y = _point(atlas, view, name, side, dx, dy)
    assert area in hazards.areas_at(view, x, y, "pregnancy_")
    plain = assess(view, (x, y))
    pregnant = assess(view, (x, y), Patient.from_values(conditions=["pregnancy"]))
    assert plain.inside and pregnant.inside
    (modifier,) = [m for m in pregnant.modifiers if m.id == "pregnancy"]
    assert modifier.level in ("high", "very_high") and "This site is" in modifier.text
    assert rank(pregnant.level) >= rank("high") > rank(plain.level) or plain.level == pregnant.level
    assert "Carr15" in modifier.sources or modifier.level == "very_high"


def test_pregnancy_elsewhere_is_advice_without_a_site_level(atlas):
    thigh = atlas.view("anterior").landmark("patella", "left")
    pregnant = assess("anterior", (thigh.x, thigh.y - 70), Patient.from_values(conditions=["pregnancy"]))
    (modifier,) = [m for m in pregnant.modifiers if m.id == "pregnancy"]
    assert modifier.level is None and pregnant.level == "none"
