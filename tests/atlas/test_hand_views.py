"""The hand detail views (palmar, dorsal_hand) in the packaged atlas: `atlas check` holds them, the
patient's right hand is where the contract puts it on each view, the hand has credible proportions,
a click on the thenar eminence finds it and its muscles superficial-first, every trigger point
authored on a hand view lies on its muscle, left and right are mirror images, referral zones and
hazards reach the hand views, and a drawing on a hand view reads as the body regions it enlarges."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from dn_bodymap.atlas.detail_map import body_regions_covered
from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.locate import AtlasIndex
from dn_bodymap.atlas.model import LAYERS, Side
from dn_bodymap.atlas.shapes import mirror
from dn_bodymap.atlas.trigger_points import default_library, location_on_muscle
from dn_bodymap.atlas.validate import check_atlas
from dn_bodymap.atlas.vocabulary import DETAIL_VOCABULARY
from dn_bodymap.safety.assess import assess
from dn_bodymap.safety.patient import Patient

HAND_VIEWS = ("palmar", "dorsal_hand")
HAND_MUSCLES = (
    "lumbricals_hand",
    "palmar_interossei",
    "dorsal_interossei_hand",
    "abductor_pollicis_brevis",
    "flexor_pollicis_brevis",
    "opponens_pollicis",
    "adductor_pollicis",
    "abductor_digiti_minimi_hand",
    "flexor_digiti_minimi_brevis_hand",
    "opponens_digiti_minimi",
    "palmaris_brevis",
)


@pytest.fixture(scope="module")
def atlas():
    return default_atlas()


@pytest.fixture(scope="module")
def index(atlas):
    return AtlasIndex(atlas)


def test_hand_views_are_built_and_pass_atlas_check(atlas):
    assert set(HAND_VIEWS) <= set(atlas.views)
    words = (
        *HAND_VIEWS,
        "hand_",
        *HAND_MUSCLES,
        *DETAIL_VOCABULARY["palmar"],
        *DETAIL_VOCABULARY["dorsal_hand"],
    )
    problems = [p for p in check_atlas(atlas) if any(w in p for w in words)]
    assert problems == []


def test_every_vocabulary_region_is_drawn_on_both_hands_and_links_to_body_regions(atlas):
    body_ids = {r.id for v in ("anterior", "posterior") for r in atlas.view(v).regions}
    for view in HAND_VIEWS:
        regions = atlas.view(view).regions
        assert {r.id for r in regions} == set(DETAIL_VOCABULARY[view])
        assert {r.side for r in regions} == {Side.LEFT, Side.RIGHT}
        for region in regions:
            assert region.body_regions, region.id
            assert set(region.body_regions) <= body_ids, region.id


def test_every_hand_muscle_is_drawn_on_a_hand_view(atlas):
    drawn = {s.muscle_id for v in HAND_VIEWS for s in atlas.view(v).muscle_shapes}
    assert set(HAND_MUSCLES) <= drawn


@pytest.mark.parametrize(("view", "right_is_negative"), [("palmar", True), ("dorsal_hand", False)])
def test_the_patients_right_hand_is_where_the_contract_puts_it(atlas, index, view, right_is_negative):
    vd = atlas.view(view)
    thumb = vd.landmark("hand_thumb_pulp", "right")
    little = vd.landmark("hand_little_pulp", "right")
    assert (thumb.x < 0) is right_is_negative
    # Palm forward (anatomical position) or back of the hand, the thumb is lateral.
    assert abs(thumb.x) > abs(little.x)
    hit = index.locate(view, thumb.x, thumb.y)
    assert hit.side is Side.RIGHT
    assert hit.region is not None and hit.region.id.endswith("thumb_tip")
    other = index.locate(view, -thumb.x, thumb.y)
    assert other.side is Side.LEFT


def test_the_hand_has_credible_proportions(atlas):
    vd = atlas.view("palmar")

    def y(name: str) -> float:
        return vd.landmark(name, "left").y

    tips = {f: y(f"hand_{f}_tip") for f in ("index", "middle", "ring", "little")}
    # The middle finger is the longest, the little finger the shortest; the fingertips reach the top.
    assert tips["middle"] < min(tips["index"], tips["ring"]) < tips["little"]
    assert 0 <= tips["middle"] < 40
    wrist, base = y("hand_wrist_centre"), y("hand_middle_base")
    palm, finger = wrist - base, base - tips["middle"]
    assert 0.7 < finger / palm < 0.95  # middle finger ~80 mm on a ~100 mm palm
    for f in ("index", "middle", "ring", "little"):
        assert y(f"hand_{f}_base") > y(f"hand_{f}_pip") > y(f"hand_{f}_dip") > y(f"hand_{f}_tip")
    # Two phalanges of the thumb: its tip reaches above the base of the index finger.
    assert y("hand_thumb_mcp") > y("hand_thumb_ip") > y("hand_thumb_tip")
    assert y("hand_thumb_tip") < y("hand_index_base")
    minx, miny, maxx, maxy = vd.silhouette.bounds
    assert miny >= 0 and maxy <= 1001 and minx < 0 < maxx


def test_the_two_hands_are_separate_mirror_images(atlas):
    for view in HAND_VIEWS:
        sil = atlas.view(view).silhouette
        assert sil.is_valid
        parts = list(getattr(sil, "geoms", [sil]))
        assert len(parts) == 2
        assert mirror(sil).hausdorff_distance(sil) < 0.1
        assert not sil.intersects(LineString([(0, -10), (0, 1010)]))


def test_locate_on_the_thenar_eminence_finds_it_superficial_first(atlas, index):
    for side in (Side.RIGHT, Side.LEFT):
        lm = atlas.view("palmar").landmark("hand_thenar_eminence", side)
        hit = index.locate("palmar", lm.x, lm.y)
        assert hit.side is side
        assert hit.region is not None and hit.region.id == "thenar_eminence"
        muscles = [m.muscle_id for m in hit.muscles]
        assert muscles[0] in ("abductor_pollicis_brevis", "flexor_pollicis_brevis")
        assert "opponens_pollicis" in muscles
        layers = [LAYERS.index(m.layer) for m in hit.muscles]
        assert layers == sorted(layers)


def test_locate_in_the_thumb_web_on_the_back_finds_the_first_dorsal_interosseous(atlas, index):
    lm = atlas.view("dorsal_hand").landmark("hand_first_dorsal_interosseous", "right")
    hit = index.locate("dorsal_hand", lm.x, lm.y)
    assert hit.region is not None and hit.region.id == "first_dorsal_web"
    assert hit.muscles[0].muscle_id == "dorsal_interossei_hand"


def test_every_trigger_point_on_a_hand_view_lies_on_its_muscle(atlas):
    library = default_library()
    placed = [
        (tp, loc) for tp in library.instances.values() for loc in tp.locations if loc.view in HAND_VIEWS
    ]
    assert {tp.muscle for tp, _ in placed} >= {
        "lumbricals_hand",
        "palmar_interossei",
        "dorsal_interossei_hand",
        "adductor_pollicis",
        "opponens_pollicis",
        "flexor_pollicis_brevis",
        "abductor_digiti_minimi_hand",
    }
    missing = [(tp.id, loc.view, loc.side) for tp, loc in placed if not location_on_muscle(atlas, tp, loc)]
    assert missing == []


def test_hand_trigger_points_refer_along_their_finger(atlas):
    library = default_library()
    first_di = library.instances[("dorsal_interossei_hand.1", Side.RIGHT)]
    zone = first_di.zone_geometry("essential", "dorsal_hand")
    index_pip = atlas.view("dorsal_hand").landmark("hand_index_pip", "right")
    middle_pip = atlas.view("dorsal_hand").landmark("hand_middle_pip", "right")
    # The first dorsal interosseous refers down the thumb side of the index finger, not the middle.
    assert zone.distance(Point(index_pip.x + 10, index_pip.y)) == 0
    assert zone.distance(Point(middle_pip.x, middle_pip.y)) > 20


def test_mirrored_pairs_match(atlas):
    for view in HAND_VIEWS:
        vd = atlas.view(view)
        shapes = {(s.muscle_id, s.layer, s.side): s.geometry for s in vd.muscle_shapes}
        regions = {(r.id, r.side): r.geometry for r in vd.regions}
        for (mid, layer, side), geom in shapes.items():
            if side is Side.RIGHT:
                assert mirror(geom).hausdorff_distance(shapes[(mid, layer, Side.LEFT)]) < 0.05, mid
        for (rid, side), geom in regions.items():
            if side is Side.RIGHT:
                assert mirror(geom).hausdorff_distance(regions[(rid, Side.LEFT)]) < 0.05, rid


def test_body_view_referral_zones_reach_the_palm(atlas):
    library = default_library()
    fds = library.instances[("flexor_digitorum_superficialis.1", Side.RIGHT)]
    zone = fds.zone_geometry("essential", "palmar")
    tip = atlas.view("palmar").landmark("hand_index_pulp", "right")
    assert zone.distance(Point(tip.x, tip.y)) == 0


def test_a_drawing_on_the_hand_views_reads_as_body_regions(atlas):
    palm = atlas.view("palmar").landmark("hand_thenar_eminence", "left")
    web = atlas.view("dorsal_hand").landmark("hand_first_dorsal_interosseous", "right")
    found = body_regions_covered(
        atlas,
        {"palmar": Point(palm.x, palm.y).buffer(40), "dorsal_hand": Point(web.x, web.y).buffer(35)},
    )
    assert "palm" in found[Side.LEFT]
    assert {"dorsum_of_hand", "thumb"} <= found[Side.RIGHT]


@settings(max_examples=60)
@given(st.floats(-600, 600), st.floats(0, 1000), st.sampled_from(HAND_VIEWS))
def test_any_point_on_a_hand_has_a_region_and_the_side_of_its_hand(x, y, view):
    atlas = default_atlas()
    vd = atlas.view(view)
    if not vd.silhouette.contains(Point(x, y)):
        return
    hit = AtlasIndex(atlas).locate(view, x, y)
    assert hit.inside and hit.region is not None
    right_is_negative = view == "palmar"
    assert hit.side is (Side.RIGHT if (x < 0) == right_is_negative else Side.LEFT)


@pytest.mark.parametrize(
    ("view", "landmark", "zone", "level"),
    [
        ("palmar", "hand_carpal_tunnel", "median_nerve_carpal_tunnel", "high"),
        ("palmar", "hand_recurrent_motor_branch", "median_recurrent_motor_branch", "high"),
        ("palmar", "hand_guyon_canal", "ulnar_canal", "high"),
        ("palmar", "hand_superficial_palmar_arch", "superficial_palmar_arch", "caution"),
        ("palmar", "hand_middle_pip", "finger_joints_and_flexor_sheaths", "caution"),
        ("dorsal_hand", "hand_anatomical_snuffbox", "radial_artery_wrist_hand", "caution"),
    ],
)
def test_hand_hazards_are_assessed_on_the_hand_views(atlas, view, landmark, zone, level):
    for side in (Side.RIGHT, Side.LEFT):
        lm = atlas.view(view).landmark(landmark, side)
        result = assess(view, (lm.x, lm.y))
        assert result.side == side
        found = {h.id: h for h in result.hazards}
        assert zone in found, (landmark, side)
        assert found[zone].level == level
        assert found[zone].sources


def test_the_sides_of_the_fingers_are_flagged_for_the_digital_nerves(atlas):
    vd = atlas.view("palmar")
    pip = vd.landmark("hand_ring_pip", "right")
    base = vd.landmark("hand_ring_base", "right")
    # A point 7 mm to one side of the ring finger's axis at the middle of its proximal phalanx.
    x, y = (pip.x + base.x) / 2 + 28, (pip.y + base.y) / 2
    result = assess("palmar", (x, y))
    assert "digital_nerves_arteries" in {h.id for h in result.hazards}
    assert result.level == "high"


@pytest.mark.parametrize(
    ("view", "landmark", "side"),
    [("dorsal_hand", "hand_first_dorsal_interosseous", "right"), ("palmar", "hand_palmar_thumb_web", "left")],
)
def test_li4_in_the_thumb_web_is_a_pregnancy_site_on_the_hand_views(atlas, view, landmark, side):
    lm = atlas.view(view).landmark(landmark, side)
    plain = assess(view, (lm.x, lm.y))
    pregnant = assess(view, (lm.x, lm.y), Patient.from_values(conditions=["pregnancy"]))
    (modifier,) = [m for m in pregnant.modifiers if m.id == "pregnancy"]
    assert modifier.level in ("high", "very_high") and "LI4" in modifier.text
    assert plain.level != pregnant.level


@pytest.mark.parametrize(
    ("body_view", "region", "detail"),
    [
        ("anterior", "palm", "palmar"),
        ("anterior", "thumb", "palmar"),
        ("anterior", "ring_and_little_fingers", "palmar"),
        ("posterior", "dorsum_of_hand", "dorsal_hand"),
        ("posterior", "index_and_middle_fingers", "dorsal_hand"),
    ],
)
def test_a_click_on_the_hand_of_a_body_view_opens_the_hand_view_and_back_returns(
    atlas, body_view, region, detail
):
    from dn_bodymap.atlas.detail_map import back_view, opens_detail

    assert opens_detail(atlas, body_view, region) == detail
    assert back_view(atlas, detail, body_view) == body_view
    assert back_view(atlas, detail) == body_view
