"""The muscles added in the atlas's second edition (issue #15) are drawn, layered in true depth
order and carry complete, sourced trigger points on the body views."""

from __future__ import annotations

import pytest

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.locate import AtlasIndex
from dn_bodymap.atlas.model import Side
from dn_bodymap.atlas.sources import default_sources
from dn_bodymap.atlas.trigger_points import default_library, location_on_muscle

#: muscle id → (group, layer, views it is drawn on)
NEW_MUSCLES: dict[str, tuple[str, str, set[str]]] = {
    "obturator_internus": ("pelvis_hip", "deep", {"posterior"}),
    "gemellus_superior": ("pelvis_hip", "deep", {"posterior"}),
    "gemellus_inferior": ("pelvis_hip", "deep", {"posterior"}),
    "psoas_minor": ("pelvis_hip", "deep", {"anterior"}),
    "longissimus_capitis": ("neck", "deep", {"posterior", "lateral_right", "lateral_left"}),
    "longissimus_cervicis": ("neck", "deep", {"posterior"}),
    "iliocostalis_cervicis": ("neck", "deep", {"posterior"}),
    "platysma": ("neck", "superficial", {"anterior", "lateral_right", "lateral_left"}),
    "buccinator": ("head", "deep", {"anterior", "lateral_right", "lateral_left"}),
    "rotatores": ("trunk_posterior", "deep", {"posterior"}),
    "diaphragm": ("trunk_anterior", "deep", {"anterior"}),
    "extensor_pollicis_longus": ("forearm_hand", "deep", {"posterior"}),
    "extensor_pollicis_brevis": ("forearm_hand", "intermediate", {"posterior"}),
    "extensor_digiti_minimi": ("forearm_hand", "superficial", {"posterior"}),
    "flexor_pollicis_brevis": ("forearm_hand", "superficial", {"anterior"}),
}


#: The sides a bilateral muscle shows on each view (a side view shows its own side only).
VIEW_SIDES = {
    "anterior": {Side.LEFT, Side.RIGHT},
    "posterior": {Side.LEFT, Side.RIGHT},
    "lateral_right": {Side.RIGHT},
    "lateral_left": {Side.LEFT},
}


@pytest.fixture(scope="module")
def atlas():
    return default_atlas()


@pytest.fixture(scope="module")
def index(atlas):
    return AtlasIndex(atlas)


@pytest.fixture(scope="module")
def library():
    return default_library()


@pytest.mark.parametrize("muscle_id", sorted(NEW_MUSCLES))
def test_new_muscle_is_drawn_on_each_side_its_views_show(atlas, muscle_id):
    group, layer, views = NEW_MUSCLES[muscle_id]
    muscle = atlas.muscles[muscle_id]
    assert (muscle.group, muscle.layer) == (group, layer)
    for view in views:
        sides = {s.side for s in atlas.view(view).muscle_shapes if s.muscle_id == muscle_id}
        assert sides == VIEW_SIDES[view], (view, sides)


@pytest.mark.parametrize("muscle_id", sorted(NEW_MUSCLES))
def test_new_muscle_has_complete_sourced_trigger_points_on_it(atlas, library, muscle_id):
    sources = default_sources()
    points = library.for_muscle(muscle_id)
    assert points, muscle_id
    for tp in points:
        assert tp.essential and tp.description and tp.label
        assert all(key in sources for key in tp.sources), tp.sources
        assert all(location_on_muscle(atlas, tp, loc) for loc in tp.locations), tp.id


def _point(library, tp_id: str, side: Side = Side.RIGHT):
    tp = library.instances[(tp_id, side)]
    return tp.locations[0]


@pytest.mark.parametrize(
    ("tp_id", "over", "under"),
    [
        ("rotatores.2", "multifidus", "rotatores"),
        ("rotatores.1", "multifidus", "rotatores"),
        ("obturator_internus.1", "gluteus_maximus", "obturator_internus"),
        ("gemellus_inferior.1", "gluteus_maximus", "gemellus_inferior"),
        ("psoas_minor.1", "psoas_minor", "psoas_major"),
        ("longissimus_capitis.1", "splenius_capitis", "longissimus_capitis"),
        ("longissimus_capitis.1", "splenius_cervicis", "longissimus_capitis"),
        ("iliocostalis_cervicis.1", "serratus_posterior_superior", "iliocostalis_cervicis"),
        ("extensor_pollicis_longus.1", "extensor_digitorum", "extensor_pollicis_longus"),
        ("diaphragm.1", "external_oblique", "diaphragm"),
        ("platysma.1", "platysma", "scalenus_medius"),
    ],
)
def test_locate_lists_the_new_muscles_in_true_depth_order(library, index, tp_id, over, under):
    for side in (Side.LEFT, Side.RIGHT):
        loc = _point(library, tp_id, side)
        found = [m.muscle_id for m in index.locate(loc.view, loc.x, loc.y).muscles]
        assert over in found and under in found, found
        assert found.index(over) < found.index(under), found


HIP_ROTATORS_TOP_DOWN = [
    "piriformis",
    "gemellus_superior",
    "obturator_internus",
    "gemellus_inferior",
    "quadratus_femoris",
]


def test_deep_hip_rotators_lie_between_piriformis_and_quadratus_femoris(atlas):
    shapes = {
        s.muscle_id: s.geometry
        for s in atlas.view("posterior").muscle_shapes
        if s.side is Side.RIGHT and s.muscle_id in HIP_ROTATORS_TOP_DOWN
    }
    centre_y = {m: g.centroid.y for m, g in shapes.items()}  # y grows downward
    order = sorted(centre_y, key=centre_y.get)
    assert order == HIP_ROTATORS_TOP_DOWN


def test_diaphragm_refers_to_the_tip_of_its_own_shoulder(atlas, library):
    for side in (Side.LEFT, Side.RIGHT):
        tp = library.instances[("diaphragm.1", side)]
        for view in ("anterior", "posterior"):
            shoulder = next(
                r.geometry for r in atlas.view(view).regions if r.id == "top_of_shoulder" and r.side is side
            )
            assert tp.zone_geometry("spillover", view).intersection(shoulder).area > 0.9 * shoulder.area


@pytest.mark.parametrize("tp_id", ["diaphragm.1", "psoas_minor.1"])
def test_points_that_are_not_needled_say_so(library, tp_id):
    tp = library.instances[(tp_id, Side.RIGHT)]
    assert "not a needling target" in tp.hazard_note.lower()
    assert "not needled" in tp.needling["approach"]


def test_hip_rotator_points_keep_to_the_lateral_half_away_from_the_sciatic_nerve(atlas, library):
    tuberosity = atlas.view("posterior").landmark("ischial_tuberosity", Side.RIGHT)
    trochanter = atlas.view("posterior").landmark("greater_trochanter", Side.RIGHT)
    middle = (tuberosity.x + trochanter.x) / 2
    for tp_id in ("obturator_internus.1", "gemellus_superior.1", "gemellus_inferior.1"):
        loc = _point(library, tp_id)
        assert loc.x > middle, (tp_id, loc.x, middle)
        assert "sciatic nerve" in library.instances[(tp_id, Side.RIGHT)].hazard_note
