"""The detail views of the head (face, head_lateral_right/left) in the packaged atlas: `atlas check`
holds them, sides follow the anterior and lateral conventions, the left side view is the mirror of
the right, the face has credible proportions, a click over a muscle finds it, every trigger point
lies on its muscle, and referral zones authored on the body views reach these views."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.locate import AtlasIndex
from dn_bodymap.atlas.model import Side
from dn_bodymap.atlas.shapes import mirror
from dn_bodymap.atlas.trigger_points import default_library, location_on_muscle
from dn_bodymap.atlas.validate import check_atlas
from dn_bodymap.atlas.vocabulary import DETAIL_VOCABULARY

HEAD_VIEWS = ("face", "head_lateral_right", "head_lateral_left")
HEAD_FRAMES = ("face", "head_lateral")


@pytest.fixture(scope="module")
def atlas():
    return default_atlas()


@pytest.fixture(scope="module")
def index(atlas):
    return AtlasIndex(atlas)


def _ids(view) -> set[str]:
    return {r.id for r in view.regions}


def test_head_views_are_built_and_pass_atlas_check(atlas):
    assert set(HEAD_VIEWS) <= set(atlas.views)
    words = (*HEAD_VIEWS, "face_", "headlat_")
    problems = [p for p in check_atlas(atlas) if any(w in p for w in words)]
    assert problems == []


def test_every_vocabulary_region_is_drawn_and_links_to_body_regions(atlas):
    body_ids = {r.id for v in ("anterior", "posterior", "lateral_right") for r in atlas.view(v).regions}
    for frame, view in (("face", "face"), ("head_lateral", "head_lateral_right")):
        drawn = {r.id: r for r in atlas.view(view).regions}
        assert set(DETAIL_VOCABULARY[frame]) == set(drawn)
        for region in drawn.values():
            assert region.body_regions, region.id
            assert set(region.body_regions) <= body_ids, region.id
    # the teeth: referral "to the upper/lower teeth" is the lips and the cheek over them
    face = {r.id: r.body_regions for r in atlas.view("face").regions}
    assert "upper_jaw" in face["face_upper_lip"] and "upper_jaw" in face["face_upper_teeth"]
    assert "lower_jaw" in face["face_lower_lip"] and "lower_jaw" in face["face_lower_teeth"]


def test_face_patients_right_is_at_negative_x(atlas, index):
    face = atlas.view("face")
    assert face.landmark("face_eye", Side.RIGHT).x < 0 < face.landmark("face_eye", Side.LEFT).x
    right = index.locate("face", -200, 580)
    left = index.locate("face", 200, 580)
    assert right.side is Side.RIGHT and left.side is Side.LEFT
    assert right.region is not None and left.region is not None
    assert right.region.id == left.region.id == "face_jaw_side"
    # midline structures stay midline
    assert index.locate("face", 0, 550).region.side is Side.MIDLINE  # the nose


def test_face_regions_and_muscles_are_mirror_images(atlas):
    face = atlas.view("face")
    regions = {(r.id, r.side): r.geometry for r in face.regions}
    for (rid, side), geom in regions.items():
        if side is Side.RIGHT:
            assert mirror(geom).hausdorff_distance(regions[(rid, Side.LEFT)]) < 0.05, rid
    shapes = {(s.muscle_id, s.layer, s.side): s.geometry for s in face.muscle_shapes}
    for (mid, layer, side), geom in shapes.items():
        if side is Side.RIGHT:
            assert mirror(geom).hausdorff_distance(shapes[(mid, layer, Side.LEFT)]) < 0.05, mid


def test_head_lateral_left_mirrors_the_right(atlas):
    right, left = atlas.view("head_lateral_right"), atlas.view("head_lateral_left")
    assert mirror(right.silhouette).hausdorff_distance(left.silhouette) < 0.05
    assert [r.id for r in right.regions] == [r.id for r in left.regions]
    for r, lft in zip(right.regions, left.regions, strict=True):
        assert mirror(r.geometry).hausdorff_distance(lft.geometry) < 0.05, r.id
        assert (r.side, lft.side) in ((Side.RIGHT, Side.LEFT), (Side.MIDLINE, Side.MIDLINE))
    # the face looks towards +x on the right side view and towards -x on the left one
    nose_right = right.landmark("headlat_nose_tip", Side.RIGHT)
    nose_left = left.landmark("headlat_nose_tip", Side.LEFT)
    assert nose_right.x > 0 > nose_left.x


@settings(max_examples=60)
@given(st.floats(0.02, 0.98), st.floats(0.02, 0.98))
def test_a_point_on_the_left_side_view_reads_as_its_mirror_on_the_right(u, v):
    atlas = default_atlas()
    index = _index(atlas)
    minx, miny, maxx, maxy = atlas.view("head_lateral_right").silhouette.bounds
    x, y = minx + u * (maxx - minx), miny + v * (maxy - miny)
    right, left = index.locate("head_lateral_right", x, y), index.locate("head_lateral_left", -x, y)
    assert right.inside == left.inside
    if not right.inside:
        return
    assert left.side is Side.LEFT and right.side is Side.RIGHT
    # a point on a border may fall either way after rounding: compare only away from the edges
    view = atlas.view("head_lateral_right")
    p = Point(x, y)
    edges = [r.geometry.boundary for r in view.regions] + [s.geometry.boundary for s in view.muscle_shapes]
    if min(e.distance(p) for e in edges) < 0.5:
        return
    assert right.region is not None and left.region is not None
    assert right.region.id == left.region.id
    assert [m.muscle_id for m in right.muscles] == [m.muscle_id for m in left.muscles]


_cache: dict[int, AtlasIndex] = {}


def _index(atlas) -> AtlasIndex:
    return _cache.setdefault(id(atlas), AtlasIndex(atlas))


def test_face_proportions(atlas):
    """Eyes at half the head height, the mouth a third of the way from the nose to the chin, the ear
    between the brow and the base of the nose."""
    face = atlas.view("face")
    top = face.landmark("face_vertex").y
    chin = face.landmark("face_menton").y
    eye = face.landmark("face_eye", Side.LEFT).y
    assert abs((eye - top) / (chin - top) - 0.5) < 0.02
    nose, mouth = face.landmark("face_subnasale").y, face.landmark("face_stomion").y
    assert abs((mouth - nose) / (chin - nose) - 1 / 3) < 0.03
    ear = next(r for r in face.regions if r.id == "face_ear" and r.side is Side.LEFT).geometry
    _, ear_top, _, ear_bottom = ear.bounds
    assert face.landmark("face_glabella").y - 25 <= ear_top
    assert ear_bottom <= face.landmark("face_subnasale").y + 25
    # the neck reaches about C6 (cricoid) at the bottom of the view
    assert face.silhouette.bounds[3] == pytest.approx(1000, abs=2)
    assert face.landmark("face_cricoid").y > 950


@pytest.mark.parametrize(
    ("view", "x", "y"),
    [
        ("face", -214, 560),
        ("face", 214, 560),
        ("head_lateral_right", 110, 600),
        ("head_lateral_left", -110, 600),
    ],
)
def test_locate_over_the_masseter_finds_masseter_first(index, view, x, y):
    hit = index.locate(view, x, y)
    assert hit.inside
    assert hit.muscles and hit.muscles[0].muscle_id == "masseter"


def test_locate_over_the_temple_and_the_neck(index):
    assert index.locate("head_lateral_right", 120, 300).muscles[0].muscle_id == "temporalis"
    assert index.locate("head_lateral_right", 30, 900).muscles[0].muscle_id == "sternocleidomastoid"
    assert index.locate("face", -160, 920).muscles[0].muscle_id == "sternocleidomastoid"
    assert index.locate("face", 100, 250).muscles[0].muscle_id == "frontalis"


def test_every_trigger_point_on_the_head_views_lies_on_its_muscle(atlas):
    library = default_library()
    placed = 0
    for tp in library.instances.values():
        for loc in tp.locations:
            if loc.view in HEAD_VIEWS:
                placed += 1
                assert location_on_muscle(atlas, tp, loc), (tp.id, loc)
    assert placed >= 30


def test_detail_points_refer_to_the_teeth_they_are_known_for():
    library = default_library()

    def essential(tid: str, view: str) -> set[str]:
        tp = library.instances[(tid, Side.RIGHT)]
        return {r for z in tp.essential if z.view == view for r in z.regions}

    assert "face_upper_lip" in essential("temporalis.anterior_fibres", "face")
    assert "headlat_upper_teeth" in essential("masseter.upper_belly", "head_lateral_right")
    assert "headlat_lower_teeth" in essential("masseter.mid_belly", "head_lateral_right")
    assert "face_lower_lip" in essential("digastric.anterior_belly", "face")
    assert "face_upper_teeth" not in essential("medial_pterygoid.below_angle", "face")


def test_body_view_referral_zones_are_drawn_on_the_head_views():
    """masseter.1 is authored on the body views only (upper jaw and cheek); its zone reaches the face
    and the side of the head over the detail regions linked to those body regions."""
    library = default_library()
    tp = library.instances[("masseter.1", Side.RIGHT)]
    face = {r for z in tp.essential if z.view == "face" and z.side is Side.RIGHT for r in z.regions}
    assert {"face_upper_teeth", "face_maxillary", "face_cheekbone"} <= face
    side = {r for z in tp.essential if z.view == "head_lateral_right" for r in z.regions}
    assert "headlat_upper_teeth" in side
    assert not any(z.view == "head_lateral_left" for z in tp.essential)
