"""The loader side of the detail views (docs/atlas-detail-views.md), on a tiny synthetic atlas:
frames without data are absent, sides follow the body view each detail view is seen like, one-sided
frames mirror, ``body_regions`` and ``views/*.toml`` are read, and `atlas check` holds the rules."""

from __future__ import annotations

import pytest
from mini_atlas import MINI, write_tree
from shapely.geometry import box

from dn_bodymap.atlas.build import AtlasDataError, frame_of
from dn_bodymap.atlas.detail_map import (
    back_view,
    body_regions_covered,
    detail_zone_parts,
    opens_detail,
)
from dn_bodymap.atlas.loader import frame_of_detail_file, load_atlas
from dn_bodymap.atlas.model import DETAIL_VIEWS, Side, side_of_x
from dn_bodymap.atlas.shapes import mirror
from dn_bodymap.atlas.validate import _check_detail_links, _check_symmetry

PLANTAR = {
    "landmarks/plantar.toml": """
[plantar]
plantar_heel_centre = [60, 250]
plantar_toe = [50, 20]
""",
    "silhouette/plantar.toml": """
[[part]]
poly = [[20, 0], [100, 0, "c"], [100, 280, "c"], [20, 280, "c"]]
""",
    "regions/plantar.toml": """
[[region]]
id = "sole_heel"
label = "heel pad"
body_regions = ["back"]
poly = [[0, 200], [120, 200], [120, 300], [0, 300]]
[[region]]
id = "sole_front"
label = "front of the sole"
body_regions = ["chest", "side"]
poly = [[0, -10], [120, -10], [120, 200], [0, 200]]
""",
    "shapes/plantar/test.toml": """
[[shape]]
muscle = "deep_one"
poly = [[30, 100], [80, 100], [80, 240], [30, 240]]
""",
    "views/plantar.toml": """
[[view]]
name = "plantar"
label = "Soles of the feet"
opens_from = [{ view = "posterior", regions = ["back"] }]
""",
    "details/plantar.toml": """
[[detail]]
line = [[40, 50], [60, 60]]
""",
    "details/plantar_extra.toml": """
[[detail]]
line = [[40, 150], [60, 160]]
""",
}

HEAD_LATERAL = {
    "landmarks/head.toml": """
[head_lateral]
headlat_ear = [10, 100]
""",
    "silhouette/head_lateral.toml": """
[[part]]
poly = [[-50, 0], [80, 0, "c"], [60, 300, "c"], [-50, 300, "c"]]
""",
    "regions/head_lateral.toml": """
[[region]]
id = "headlat_all"
label = "side of the head"
body_regions = ["side"]
poly = [[-60, -10], [90, -10], [90, 310], [-60, 310]]
""",
    "shapes/head_lateral/test.toml": """
[[shape]]
muscle = "big"
poly = [[0, 50], [60, 50], [40, 150], [0, 150]]
""",
    "views/head_lateral.toml": """
[[view]]
name = "head_lateral_right"
label = "Head, right side"
opens_from = [{ view = "lateral_right", regions = ["side"] }]
[[view]]
name = "head_lateral_left"
label = "Head, left side"
opens_from = [{ view = "lateral_left", regions = ["side"] }]
""",
}


@pytest.fixture(scope="module")
def detail_atlas(tmp_path_factory):
    root = write_tree(tmp_path_factory.mktemp("detail") / "atlas", {**MINI, **PLANTAR, **HEAD_LATERAL})
    return load_atlas(root, use_cache=False)


def test_a_frame_without_a_silhouette_is_absent(mini_atlas):
    assert set(mini_atlas.views) == {"anterior", "posterior", "lateral_right", "lateral_left"}
    assert mini_atlas.detail_views() == ()


def test_detail_frames_are_built_with_their_views(detail_atlas):
    assert detail_atlas.detail_views() == ("plantar", "head_lateral_right", "head_lateral_left")
    assert frame_of("head_lateral_left") == "head_lateral"
    assert detail_atlas.view_meta["plantar"].label == "Soles of the feet"


@pytest.mark.parametrize(
    ("view", "x", "side"),
    [
        ("plantar", 10, Side.RIGHT),  # seen like the posterior view
        ("plantar", -10, Side.LEFT),
        ("dorsal_hand", 10, Side.RIGHT),
        ("palmar", 10, Side.LEFT),  # seen like the anterior view
        ("face", -10, Side.RIGHT),
        ("head_lateral_right", -10, Side.RIGHT),
        ("head_lateral_left", 10, Side.LEFT),
    ],
)
def test_side_conventions_of_detail_views(view, x, side):
    assert side_of_x(view, x) is side


def test_plantar_sides_and_mirroring(detail_atlas):
    plantar = detail_atlas.view("plantar")
    heel = {r.side: r for r in plantar.regions if r.id == "sole_heel"}
    assert set(heel) == {Side.RIGHT, Side.LEFT}
    assert heel[Side.RIGHT].geometry.centroid.x > 0  # the patient's right foot at x > 0
    assert mirror(heel[Side.RIGHT].geometry).hausdorff_distance(heel[Side.LEFT].geometry) < 0.05
    assert plantar.landmark("plantar_heel_centre", "right").x == 60
    assert plantar.landmark("plantar_heel_centre", "left").x == -60
    assert heel[Side.RIGHT].body_regions == ("back",)
    assert len(plantar.details) == 4  # both files of the frame, each line on both feet


def test_head_lateral_left_is_the_mirror_of_right(detail_atlas):
    right, left = detail_atlas.view("head_lateral_right"), detail_atlas.view("head_lateral_left")
    assert mirror(right.silhouette).hausdorff_distance(left.silhouette) < 0.05
    assert {r.side for r in right.regions} == {Side.RIGHT}
    assert {r.side for r in left.regions} == {Side.LEFT}
    assert left.landmark("headlat_ear", "left").x == -10
    assert not _check_symmetry(detail_atlas)


def test_detail_file_globs_are_exact():
    assert frame_of_detail_file("plantar") == "plantar"
    assert frame_of_detail_file("plantar_extra") == "plantar"
    assert frame_of_detail_file("head_lateral_x") == "head_lateral"
    assert frame_of_detail_file("lateral") == "lateral"
    assert frame_of_detail_file("faces") is None


def test_navigation_metadata(detail_atlas):
    assert opens_detail(detail_atlas, "posterior", "back") == "plantar"
    assert opens_detail(detail_atlas, "anterior", "chest") is None
    assert opens_detail(detail_atlas, "lateral_left", "side") == "head_lateral_left"
    assert opens_detail(detail_atlas, "plantar", "sole_heel") is None
    assert back_view(detail_atlas, "plantar") == "posterior"
    assert back_view(detail_atlas, "plantar", came_from="lateral_right") == "lateral_right"


def test_body_zones_are_drawn_on_detail_views(detail_atlas):
    parts = detail_zone_parts(detail_atlas, [("posterior", Side.RIGHT, ("back",), box(0, 0, 1, 1))])
    plantar = [p for p in parts if p[0] == "plantar"]
    assert [(p[1], p[2]) for p in plantar] == [(Side.RIGHT, ("sole_heel",))]
    # a drawn zone (no region ids) covering most of a body region counts as that region
    back = next(r for r in detail_atlas.view("posterior").regions if r.id == "back" and r.side is Side.LEFT)
    drawn = detail_zone_parts(detail_atlas, [("posterior", Side.LEFT, (), back.geometry.buffer(-1))])
    assert ("plantar", Side.LEFT, ("sole_heel",)) in [(p[0], p[1], p[2]) for p in drawn]


def test_a_detail_view_shows_only_zones_of_the_body_views_facing_the_same_way(detail_atlas):
    """The sole opens from the back view only (in this mini atlas): a zone charted on the front view
    is on the other surface (the top of the foot, the back of the hand) and must not appear there."""
    chest = next(r for r in detail_atlas.view("anterior").regions if r.id == "chest" and r.side is Side.LEFT)
    drawn = detail_zone_parts(detail_atlas, [("anterior", Side.LEFT, (), chest.geometry.buffer(-1))])
    assert "plantar" not in {p[0] for p in drawn}


def test_detail_drawings_read_as_body_regions(detail_atlas):
    heel = next(
        r for r in detail_atlas.view("plantar").regions if r.id == "sole_heel" and r.side is Side.LEFT
    )
    assert body_regions_covered(detail_atlas, {"plantar": heel.geometry}) == {Side.LEFT: {"back"}}


def test_check_rules_for_links(detail_atlas):
    assert _check_detail_links(detail_atlas) == []


def test_bad_links_are_reported(tmp_path):
    files = {**MINI, **PLANTAR}
    files["regions/plantar.toml"] = files["regions/plantar.toml"].replace('["back"]', '["nowhere"]')
    files["views/plantar.toml"] = files["views/plantar.toml"].replace('"back"', '"chest"')
    atlas = load_atlas(write_tree(tmp_path / "atlas", files), use_cache=False)
    problems = _check_detail_links(atlas)
    assert any("unknown body region 'nowhere'" in p for p in problems)
    assert any("'chest' is not on posterior" in p for p in problems)


def test_a_view_of_another_frame_in_metadata_is_refused(tmp_path):
    files = {**MINI, **PLANTAR, "views/plantar.toml": '[[view]]\nname = "palmar"\n'}
    with pytest.raises(AtlasDataError, match="not a view of frame"):
        load_atlas(write_tree(tmp_path / "atlas", files), use_cache=False)


def test_detail_views_are_known_records_views():
    from dn_bodymap.charting.enums import View

    assert set(DETAIL_VIEWS) <= {v.value for v in View}
