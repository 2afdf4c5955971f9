"""The pleura, kidney and other zones sit where the surface-anatomy rules put them."""

from __future__ import annotations

import copy

import pytest
from shapely.geometry import LineString, Point

from dn_bodymap.atlas.loader import read_tables
from dn_bodymap.safety.hazards import build_hazards, read_hazard_tables

#: Tolerance in atlas units (about 1.7 mm each).
TOL = 3.0


@pytest.fixture(scope="module")
def bare(atlas):
    """The hazard set with the pleural projection's breathing/landmark margin taken out."""
    tables = copy.deepcopy(read_hazard_tables())
    for area in tables["area"]:
        if area["id"] == "pleural_projection":
            area["buffer"] = 0
    return build_hazards(atlas, tables, read_tables()["landmarks"])


def _lowest_on_line(geom, x, y0=100.0, y1=600.0):
    cut = geom.intersection(LineString([(x, y0), (x, y1)]))
    assert not cut.is_empty, f"nothing on the line x = {x}"
    return cut.bounds[3]


def test_pleura_apex_above_the_clavicle(atlas, bare, hazards):
    ant = atlas.view("anterior")
    for side in ("left", "right"):
        clavicle = ant.landmark("clavicle_medial_third", side)
        pleura = bare.area("pleural_projection", "anterior", side)
        top = pleura.intersection(LineString([(clavicle.x - 8, 0), (clavicle.x - 8, 400)]).buffer(8)).bounds[
            1
        ]
        # about 2.5 cm (≈15 units) above the clavicle's medial third
        assert clavicle.y - top == pytest.approx(15, abs=TOL + 2)
        # the very-high apex zone reaches at least that high (the dome itself can fall just
        # outside this figure's slim neck, where clipping to the silhouette removes it)
        zone = hazards.zones["pleura_apex"].geometry("anterior", side)
        assert zone.bounds[1] <= clavicle.y - 15
        assert zone.covers(Point(clavicle.x * 0.8, clavicle.y - 8))
    for view in ("lateral_right", "lateral_left"):
        clavicle = atlas.view(view).landmark("clavicle_mid", view.split("_")[1])
        top = bare.area("pleural_projection", view).bounds[1]
        assert top < clavicle.y - 15


@pytest.mark.parametrize("view", ["lateral_right", "lateral_left"])
def test_lower_border_crosses_the_mid_axillary_line_at_rib_10(atlas, bare, view):
    v = atlas.view(view)
    rib10 = v.landmark("rib10_mal", view.split("_")[1])
    pleura = bare.area("pleural_projection", view)
    assert _lowest_on_line(pleura, rib10.x) == pytest.approx(rib10.y, abs=TOL)
    # and it is the lowest point of the border: higher in front (rib 8) and behind (rib 12)
    front = 20.0 if view == "lateral_right" else -20.0
    assert _lowest_on_line(pleura, rib10.x + front) < rib10.y - 4
    assert _lowest_on_line(pleura, rib10.x - 2 * front) < rib10.y - 4


def test_lower_border_at_rib_8_on_the_mcl_and_rib_12_at_the_back(atlas, bare):
    ant, post = atlas.view("anterior"), atlas.view("posterior")
    for side in ("left", "right"):
        rib8 = ant.landmark("rib8_mcl", side)
        pleura = bare.area("pleural_projection", "anterior", side)
        assert _lowest_on_line(pleura, rib8.x) == pytest.approx(rib8.y, abs=TOL)
        rib12 = post.landmark("rib12_scapular_line", side)
        pleura = bare.area("pleural_projection", "posterior", side)
        assert _lowest_on_line(pleura, rib12.x) == pytest.approx(rib12.y, abs=TOL)
        # the paravertebral margin runs from C7/T1 down to T12
        para = post.landmark("paravertebral_t1", side)
        assert pleura.covers(Point(para.x * 1.05, post.landmark("t2").y))
        assert pleura.covers(Point(para.x * 1.05, post.landmark("t12").y))
        assert not pleura.covers(Point(para.x * 1.05, post.landmark("l1").y))


def test_margin_makes_the_zone_larger_than_the_projection(bare, hazards):
    for view in ("anterior", "posterior", "lateral_right"):
        assert (
            hazards.area("pleural_projection", view).area > bare.area("pleural_projection", view).area * 1.05
        )


def test_kidney_zone_between_t11_and_l3(atlas, hazards):
    post = atlas.view("posterior")
    t11, l3 = post.landmark("t11"), post.landmark("l3")
    kidney = hazards.zones["kidney"]
    assert kidney.views == ("posterior",)
    for side in ("left", "right"):
        minx, miny, maxx, maxy = kidney.geometry("posterior", side).bounds
        assert miny >= t11.y - 1
        assert maxy <= l3.y + 15  # lower border of L3, right kidney about 1.25 cm lower
        assert 13 <= min(abs(minx), abs(maxx)) <= 17  # 2.5 cm from the midline
        assert 53 <= max(abs(minx), abs(maxx)) <= 59  # 9.5 cm from the midline
    right_low = kidney.geometry("posterior", "right").bounds[3]
    left_low = kidney.geometry("posterior", "left").bounds[3]
    assert right_low > left_low


def test_pleural_zones_partition_without_overlap(hazards):
    ids = [z.id for z in hazards.zones.values() if z.kind == "pneumothorax"]
    for view in ("anterior", "posterior", "lateral_right", "lateral_left"):
        geoms = [hazards.zones[i].geometry(view) for i in ids]
        for i, a in enumerate(geoms):
            for b in geoms[i + 1 :]:
                assert a.intersection(b).area < 1.0


def test_zones_are_inside_the_figure_and_mirrored(atlas, hazards):
    from dn_bodymap.atlas.shapes import mirror

    for zone in hazards.zones.values():
        assert zone.views, zone.id
        for piece in zone.pieces:
            silhouette = atlas.view(piece.view).silhouette
            assert piece.geometry.difference(silhouette).area < 1.0, zone.id
    # bilateral zones are mirror images (the anterior pleura is not: the cardiac notch)
    for zid in ("pleura_apex", "femoral_triangle", "sciatic_nerve"):
        zone = hazards.zones[zid]
        view = zone.views[0]
        left, right = zone.geometry(view, "left"), zone.geometry(view, "right")
        assert mirror(left).symmetric_difference(right).area < 1.0
    ant = hazards.area("pleural_projection", "anterior", "left")
    assert mirror(ant).symmetric_difference(hazards.area("pleural_projection", "anterior", "right")).area > 20


def test_zones_follow_the_landmarks(atlas):
    """Moving a landmark moves the zone built on it (zones are not drawn freehand)."""
    tables = read_tables()["landmarks"]
    moved = copy.deepcopy(tables)
    moved["frontal"]["fibular_head"] = [tables["frontal"]["fibular_head"][0], 760]
    before = build_hazards(atlas, read_hazard_tables(), tables)
    after = build_hazards(atlas, read_hazard_tables(), moved)
    y0 = before.zones["common_fibular_nerve"].geometry("posterior").centroid.y
    y1 = after.zones["common_fibular_nerve"].geometry("posterior").centroid.y
    assert y1 - y0 == pytest.approx(22, abs=2)
