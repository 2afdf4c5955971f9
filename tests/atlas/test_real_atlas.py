"""The packaged atlas meets the product's rules (the `atlas check` contract) and reads right."""

import pytest
from shapely.geometry import Point

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.locate import AtlasIndex
from dn_bodymap.atlas.model import DETAIL_VIEWS, Side
from dn_bodymap.atlas.validate import MIN_SUPERFICIAL_COVERAGE, check_atlas, measure


@pytest.fixture(scope="module")
def atlas():
    return default_atlas()


@pytest.fixture(scope="module")
def index(atlas):
    return AtlasIndex(atlas)


def test_atlas_check_is_clean(atlas):
    assert check_atlas(atlas) == []


def test_counts(atlas):
    assert len(atlas.muscles) >= 90
    for view in ("anterior", "posterior"):
        v = atlas.view(view)
        assert len({lm.id for lm in v.landmarks.values()}) >= 40
        assert len(v.regions) >= 60
    assert list(atlas.views)[:4] == ["anterior", "posterior", "lateral_right", "lateral_left"]
    assert set(atlas.views) <= {"anterior", "posterior", "lateral_right", "lateral_left", *DETAIL_VIEWS}


def test_superficial_coverage(atlas):
    for view, cov in measure(atlas).superficial_coverage.items():
        assert cov >= MIN_SUPERFICIAL_COVERAGE, view


def test_anterior_negative_x_is_the_patients_right(atlas, index):
    acromion = atlas.view("anterior").landmark("acromion", "right")
    assert acromion.x < 0
    assert index.locate("anterior", acromion.x + 8, acromion.y + 15).side is Side.RIGHT
    assert index.locate("anterior", -acromion.x - 8, acromion.y + 15).side is Side.LEFT


def test_posterior_positive_x_is_the_patients_right(atlas, index):
    acromion = atlas.view("posterior").landmark("acromion", "right")
    assert acromion.x > 0
    assert index.locate("posterior", acromion.x - 8, acromion.y + 15).side is Side.RIGHT


def _muscles_at(index, view, x, y):
    return [m.muscle_id for m in index.locate(view, x, y).muscles]


def test_between_c7_and_acromion_lies_trapezius(atlas, index):
    post = atlas.view("posterior")
    c7, acr = post.landmark("c7"), post.landmark("acromion", "right")
    x, y = (c7.x + acr.x) / 2, (c7.y + acr.y) / 2 + 3
    assert _muscles_at(index, "posterior", x, y)[0] == "trapezius"


def test_centre_of_lateral_thigh_is_iliotibial_band_or_vastus_lateralis(atlas, index):
    lat = atlas.view("lateral_right")
    troch, knee = lat.landmark("greater_trochanter", "right"), lat.landmark("knee_centre", "right")
    x, y = (troch.x + knee.x) / 2, (troch.y + knee.y) / 2
    found = _muscles_at(index, "lateral_right", x, y)
    assert found and found[0] in ("iliotibial_tract", "vastus_lateralis")
    assert "vastus_lateralis" in found


@pytest.mark.parametrize(
    ("view", "landmark", "dx", "dy", "muscle"),
    [
        ("posterior", "scapula_inferior_angle", 12, -25, "infraspinatus"),
        ("anterior", "nipple", -5, -28, "pectoralis_major"),
        ("anterior", "umbilicus", 14, -30, "rectus_abdominis"),
        ("posterior", "sacrum", 60, 40, "gluteus_maximus"),
        ("anterior", "patella", 7, -78, "rectus_femoris"),
    ],
)
def test_known_places_fall_in_their_muscles(atlas, index, view, landmark, dx, dy, muscle):
    v = atlas.view(view)
    lm = (
        v.landmark(landmark, "midline")
        if (landmark, Side.MIDLINE) in v.landmarks
        else v.landmark(landmark, "left" if view == "anterior" else "right")
    )
    x = lm.x + (dx if lm.x >= 0 else -dx)
    assert muscle in _muscles_at(index, view, x, lm.y + dy)


def test_every_anchor_lies_inside_its_shape(atlas):
    for view in atlas.views.values():
        for shape in view.muscle_shapes:
            assert shape.geometry.buffer(0.5).contains(Point(shape.anchor)), shape.muscle_id
        for region in view.regions:
            assert region.geometry.buffer(0.5).contains(Point(region.anchor)), region.id
