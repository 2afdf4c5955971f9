"""The plantar view on the packaged atlas (issue #15): `atlas check` holds it to the same rules, the
side conventions (seen like the posterior view, big toes towards the midline), locate at the heel,
the plantar muscles and trigger points, hazards, and body-view referral zones drawn on the soles."""

from __future__ import annotations

import json

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from dn_bodymap.atlas.detail_map import body_regions_covered
from dn_bodymap.atlas.locate import locate
from dn_bodymap.atlas.model import Side
from dn_bodymap.atlas.trigger_points import default_library, location_on_muscle
from dn_bodymap.atlas.validate import check_atlas, partition_error
from dn_bodymap.atlas.vocabulary import DETAIL_VOCABULARY

PLANTAR_MUSCLES = {
    "abductor_hallucis",
    "flexor_digitorum_brevis",
    "abductor_digiti_minimi_foot",
    "quadratus_plantae",
    "flexor_hallucis_brevis",
    "adductor_hallucis",
    "plantar_interossei",
    "dorsal_interossei_foot",
}


@pytest.fixture(scope="module")
def atlas():
    from dn_bodymap.atlas.loader import default_atlas

    return default_atlas()


@pytest.fixture(scope="module")
def plantar(atlas):
    return atlas.view("plantar")


def _region(view, rid, side):
    return next(r for r in view.regions if r.id == rid and r.side is side)


def test_atlas_check_holds_the_plantar_view(atlas, plantar):
    problems = [p for p in check_atlas(atlas) if "plantar" in p or any(m in p for m in PLANTAR_MUSCLES)]
    assert problems == []
    assert partition_error(plantar) < 0.01
    assert plantar.silhouette.geom_type == "MultiPolygon" and len(plantar.silhouette.geoms) == 2
    assert {r.id for r in plantar.regions} == set(DETAIL_VOCABULARY["plantar"])


def test_the_right_foot_is_on_the_right_and_the_big_toes_are_medial(plantar):
    for side, sign in ((Side.RIGHT, 1), (Side.LEFT, -1)):
        heel = _region(plantar, "plantar_heel_pad", side).geometry.centroid
        big = _region(plantar, "plantar_great_toe", side).geometry.centroid
        lesser = _region(plantar, "plantar_lesser_toes", side).geometry.centroid
        assert sign * heel.x > 0
        assert abs(big.x) < abs(lesser.x)  # the big toe is on the medial side, towards the midline
        assert big.y < heel.y  # toes at the top, heels at the bottom
    # the big toe is the largest: its pad is far wider than the 2nd toe's (about 50 units)
    big = _region(plantar, "plantar_great_toe", Side.RIGHT).geometry
    assert big.bounds[2] - big.bounds[0] > 80


def test_the_midfoot_is_narrower_than_the_ball_and_the_heel_narrower_still(plantar):
    right = next(g for g in plantar.silhouette.geoms if g.centroid.x > 0)

    def width_at(y: float) -> float:
        line = shapely.LineString([(0, y), (1000, y)]).intersection(right)
        return line.length

    ball, arch, heel = width_at(360), width_at(650), width_at(900)
    assert ball > arch > 0.6 * ball and ball > heel


@pytest.mark.parametrize("side", [Side.RIGHT, Side.LEFT])
def test_locate_at_the_heel_gives_the_heel_pad_and_the_plantar_muscles(plantar, side):
    x, y = plantar.landmark("plantar_heel_front", side).x, 790.0
    hit = locate("plantar", x, y)
    assert hit.inside and hit.side is side
    assert hit.region is not None and hit.region.id in {"plantar_heel_pad", "medial_heel", "lateral_heel"}
    muscles = [m.muscle_id for m in hit.muscles]
    assert "flexor_digitorum_brevis" in muscles and "quadratus_plantae" in muscles
    assert muscles.index("flexor_digitorum_brevis") < muscles.index("quadratus_plantae")  # by depth
    pad = _region(plantar, "plantar_heel_pad", side)
    assert locate("plantar", *pad.anchor).region.id == "plantar_heel_pad"


def test_deep_layers_are_listed_under_the_superficial_ones(plantar):
    hit = locate("plantar", 160, 450)  # under the first metatarsal space, right foot
    layers = [m.layer for m in hit.muscles]
    assert layers == sorted(layers, key=["superficial", "intermediate", "deep"].index)
    ids = [m.muscle_id for m in hit.muscles]
    assert "dorsal_interossei_foot" in ids and ids[-1] == "dorsal_interossei_foot"


def test_every_plantar_muscle_is_drawn_on_both_feet_with_a_trigger_point(plantar):
    drawn = {(s.muscle_id, s.side) for s in plantar.muscle_shapes}
    for muscle in PLANTAR_MUSCLES:
        assert {(muscle, Side.RIGHT), (muscle, Side.LEFT)} <= drawn, muscle
    library = default_library()
    with_points = {
        tp.muscle for tp in library.instances.values() if any(loc.view == "plantar" for loc in tp.locations)
    }
    assert with_points >= PLANTAR_MUSCLES


def test_plantar_trigger_points_lie_on_their_muscles(atlas):
    for tp in default_library().instances.values():
        for loc in tp.locations:
            if loc.view == "plantar":
                assert location_on_muscle(atlas, tp, loc), (tp.id, loc)
                assert loc.x * (1 if tp.side is Side.RIGHT else -1) > 0


def test_body_view_zones_are_drawn_on_the_soles(plantar):
    library = default_library()
    soleus = library.instances[("soleus.1", Side.RIGHT)]
    zone = soleus.zone_geometry("essential", "plantar")
    pad = _region(plantar, "plantar_heel_pad", Side.RIGHT).geometry
    assert zone.intersection(pad).area > 0.9 * pad.area
    assert zone.intersection(_region(plantar, "plantar_heel_pad", Side.LEFT).geometry).area == 0
    # a point authored on the soles keeps its own, more precise zone there
    qp = library.instances[("quadratus_plantae.1", Side.RIGHT)].zone_geometry("essential", "plantar")
    assert qp.intersection(_region(plantar, "ball_central", Side.RIGHT).geometry).area == 0


def test_a_drawing_on_the_soles_reads_as_body_regions(atlas, plantar):
    pad = _region(plantar, "plantar_heel_pad", Side.LEFT).geometry
    assert body_regions_covered(atlas, {"plantar": pad}) == {Side.LEFT: {"plantar_heel"}}


def test_plantar_hazard_zone_and_assess(plantar):
    from dn_bodymap.safety.assess import assess
    from dn_bodymap.safety.hazards import default_hazards
    from dn_bodymap.safety.sources import default_sources

    zone = default_hazards().zones["plantar_nerves_vessels"]
    assert {p.view for p in zone.pieces} == {"plantar"}
    assert {p.side for p in zone.pieces} == {Side.RIGHT, Side.LEFT}
    assert set(zone.sources) <= set(default_sources())
    entry = plantar.landmark("plantar_nv_entry", "right")
    result = assess("plantar", (entry.x, entry.y))
    assert "plantar_nerves_vessels" in [h.id for h in result.hazards]
    away = assess("plantar", (plantar.landmark("plantar_hallux_pad", "right").x, 100))
    assert "plantar_nerves_vessels" not in [h.id for h in away.hazards]


def test_cli_renders_and_locates_on_the_plantar_view(tmp_path, capsys, qapp):  # qapp: a QApplication first
    from dn_bodymap.cli import main

    out = tmp_path / "plantar.png"
    assert main(["atlas", "render", "--view", "plantar", "--height", "300", "--out", str(out)]) == 0
    assert out.stat().st_size > 1000
    capsys.readouterr()
    assert main(["atlas", "locate", "--view", "plantar", "--x", "238", "--y", "905", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["side"] == "right" and doc["region"]["id"] == "plantar_heel_pad"
    assert Point(238, 905).within(_region_geom("plantar_heel_pad"))


def _region_geom(rid: str):
    from dn_bodymap.atlas.loader import default_atlas

    return _region(default_atlas().view("plantar"), rid, Side.RIGHT).geometry


BODY_FOOT_REGIONS = ["heel", "plantar_heel", "arch", "plantar_forefoot", "great_toe", "lesser_toes", "calf"]


@settings(max_examples=40)
@given(
    ids=st.lists(st.sampled_from(BODY_FOOT_REGIONS), min_size=1, max_size=4, unique=True),
    side=st.sampled_from([Side.RIGHT, Side.LEFT]),
)
def test_mapped_zones_stay_on_linked_regions_of_their_side(atlas, plantar, ids, side):
    from dn_bodymap.atlas.detail_map import detail_zone_parts

    parts = [
        p
        for p in detail_zone_parts(atlas, [("posterior", side, tuple(ids), Point(0, 0))])
        if p[0] == "plantar"
    ]
    linked = {r.id for r in plantar.regions if set(ids) & set(r.body_regions)}
    if not linked:
        assert parts == []
        return
    ((_view, zone_side, rids, geom),) = parts
    assert zone_side is side and set(rids) == linked
    own_side = shapely.union_all([r.geometry for r in plantar.regions if r.side is side])
    assert geom.difference(own_side).area < 1.0


@settings(max_examples=40)
@given(
    x=st.floats(-420, 420),
    y=st.floats(0, 1000),
    radius=st.floats(5, 150),
)
def test_a_drawing_reads_as_body_regions_of_the_sides_it_touches(atlas, plantar, x, y, radius):
    drawn = Point(x, y).buffer(radius).intersection(plantar.silhouette)
    found = body_regions_covered(atlas, {"plantar": drawn})
    linked = {b for r in plantar.regions for b in r.body_regions}
    for side, ids in found.items():
        assert ids <= linked
        touched = shapely.union_all([r.geometry for r in plantar.regions if r.side is side])
        assert touched.intersects(drawn)
