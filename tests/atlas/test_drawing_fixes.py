"""The drawing fixes a clinician noticed first (issue #15): each would come back unnoticed without a test."""

import pytest
import shapely
from shapely.geometry import Point

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.model import Side


@pytest.fixture(scope="module")
def atlas():
    return default_atlas()


def _muscle(atlas, view, muscle, side=Side.RIGHT):
    shapes = [s.geometry for s in atlas.view(view).muscle_shapes if s.muscle_id == muscle and s.side is side]
    assert shapes, f"{muscle} not on {view}"
    return shapely.union_all(shapes)


def test_quadratus_lumborum_keeps_off_the_midline(atlas):
    """It arises from the tips of the transverse processes, about 4-5 cm out, not from the spine."""
    ql = _muscle(atlas, "posterior", "quadratus_lumborum")
    minx = ql.bounds[0] if ql.bounds[0] > 0 else -ql.bounds[2]
    assert minx >= 17


def test_semimembranosus_is_one_belly_not_two_slivers(atlas):
    semimembranosus = _muscle(atlas, "posterior", "semimembranosus")
    assert semimembranosus.geom_type == "Polygon"
    # broad: wider than the old slivers either side of the semitendinosus tendon
    assert semimembranosus.minimum_rotated_rectangle.area > 0.5 * (49 - 25) * (716 - 620)


def test_the_achilles_tendon_is_not_drawn_as_muscle(atlas):
    """Below the musculotendinous junction the calf shows tendon, not gastrocnemius or plantaris."""
    for muscle in ("gastrocnemius", "plantaris"):
        shape = _muscle(atlas, "posterior", muscle)
        assert shape.bounds[3] < 885, muscle
    superficial = [
        s for s in atlas.view("posterior").muscle_shapes if s.layer == "superficial" and s.side is Side.RIGHT
    ]
    tendon = Point(50, 920)
    assert not [s.muscle_id for s in superficial if s.geometry.contains(tendon)]


def test_no_skin_gap_over_the_pubis(atlas):
    view = atlas.view("anterior")
    covered = shapely.union_all([s.geometry for s in view.muscle_shapes if s.layer == "superficial"])
    for x, y in [(0.0, 506.0), (5.0, 506.0), (-5.0, 506.0), (8.0, 505.0), (-8.0, 505.0)]:
        assert covered.buffer(0.6).contains(Point(x, y)), (x, y)


def test_the_gluteal_fold_line_does_not_run_over_gluteus_maximus(atlas):
    view = atlas.view("posterior")
    maximus = _muscle(atlas, "posterior", "gluteus_maximus")
    inside = maximus.buffer(-1.5)
    fold_level = [d for d in view.details if d.centroid.y > 525]  # below the PSIS dimples
    crossing = [d for d in fold_level if d.intersects(inside) and d.intersection(inside).length > 8]
    assert not crossing


def test_the_pelvic_floor_is_a_region_with_a_no_needle_note():
    from dn_bodymap.safety.assess import assess

    atlas = default_atlas()
    regions = {r.id for r in atlas.view("posterior").regions}
    assert "perineum" in regions
    result = assess("posterior", (2.0, 530.0))
    assert result.level == "no_needle"
    assert "pelvic_floor" in {h.id for h in result.hazards}


@pytest.mark.parametrize(
    ("view", "muscle"),
    [
        ("posterior", "extensor_carpi_ulnaris"),
        ("posterior", "extensor_carpi_radialis_brevis"),
        ("anterior", "palmaris_longus"),
        ("anterior", "tibialis_anterior"),
        ("lateral_right", "gastrocnemius"),
        ("lateral_left", "plantaris"),
    ],
)
def test_tendons_are_tendon_not_muscle(atlas, view, muscle):
    """The distal tendons of the wrist extensors and the calf are painted as tendon, yet a click
    there still names the muscle (they stay part of its outline)."""
    shapes = [s for s in atlas.view(view).muscle_shapes if s.muscle_id == muscle]
    tendons = [t for s in shapes for t in s.tendon_parts]
    assert tendons, f"{muscle} on {view} has no tendon"
    for shape in shapes:
        for tendon in shape.tendon_parts:
            assert shape.geometry.buffer(0.5).contains(tendon)
    lowest = max(t.bounds[3] for t in tendons)
    assert lowest >= max(s.geometry.bounds[3] for s in shapes) - 1  # the tendon is the distal end


def test_tendons_carry_no_fibre_hatching(atlas):
    from dn_bodymap.render.prepared import fibre_lines

    view = atlas.view("posterior")
    for shape, lines in zip(view.muscle_shapes, fibre_lines(view), strict=True):
        if shape.tendon_parts and lines is not None:
            tendon = shapely.union_all(shape.tendon_parts).buffer(-0.5)
            assert lines.intersection(tendon).length < 1.0, shape.muscle_id
