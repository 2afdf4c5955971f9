"""The packaged atlas at display resolution: close to the authored outlines, far fewer vertices,
regions still tiling the figure, left and right still mirror images."""

from __future__ import annotations

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from dn_bodymap.atlas.build import build_atlas
from dn_bodymap.atlas.loader import default_atlas, read_tables
from dn_bodymap.atlas.model import VIEWS, Side
from dn_bodymap.atlas.shapes import mirror
from dn_bodymap.atlas.validate import check_atlas, partition_error

#: How far a simplified outline may lie from the authored one (atlas units; a 2,000-pixel render
#: shows one unit as two pixels).
HAUSDORFF_LIMIT = 0.3
#: Mean offset between the two outlines (area between them per unit of outline).
MEAN_OFFSET_LIMIT = 0.15


def assert_close(authored, simplified, what) -> None:
    """Every point of the simplified outline lies within the limit of the authored outline, and
    the two enclose the same area to within a thin band along the outline.

    The other direction of the Hausdorff distance is not bounded: the exact partition carries
    hairline slivers and spikes (thinner than the tolerance, invisible at any print size) that
    simplification rightly drops.
    """
    border = shapely.get_coordinates(simplified.boundary)
    assert shapely.distance(shapely.points(border), authored.boundary).max() <= HAUSDORFF_LIMIT, what
    band = authored.symmetric_difference(simplified).area / authored.length
    assert band <= MEAN_OFFSET_LIMIT, what


@pytest.fixture(scope="module")
def exact():
    return build_atlas(read_tables(), display_resolution=False)


@pytest.fixture(scope="module")
def simplified():
    return default_atlas()


def _vertices(view) -> int:
    geoms = [view.silhouette, *(r.geometry for r in view.regions), *(s.geometry for s in view.muscle_shapes)]
    return int(sum(shapely.get_num_coordinates(geoms)))


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_has_far_fewer_vertices(exact, simplified, view):
    assert _vertices(simplified.view(view)) * 3 < _vertices(exact.view(view))


@pytest.mark.parametrize("view", VIEWS)
def test_silhouette_stays_within_tolerance(exact, simplified, view):
    a, b = exact.view(view).silhouette, simplified.view(view).silhouette
    assert b.geom_type == "Polygon" and not b.interiors
    assert_close(a, b, view)
    assert a.hausdorff_distance(b) <= HAUSDORFF_LIMIT  # the silhouette has no slivers


@settings(deadline=None, max_examples=80)
@given(view=st.sampled_from(VIEWS), pick=st.floats(0, 1, exclude_max=True))
def test_regions_stay_within_tolerance_of_the_authored_ones(exact, simplified, view, pick):
    regions = exact.view(view).regions
    region = regions[int(pick * len(regions))]
    twin = next(r for r in simplified.view(view).regions if (r.id, r.side) == (region.id, region.side))
    assert_close(region.geometry, twin.geometry, (view, region.id, region.side))
    assert twin.geometry.is_valid
    assert twin.geometry.area == pytest.approx(region.geometry.area, abs=0.5, rel=0.02)


@settings(deadline=None, max_examples=80)
@given(view=st.sampled_from(VIEWS), pick=st.floats(0, 1, exclude_max=True))
def test_muscles_stay_within_tolerance_of_the_authored_ones(exact, simplified, view, pick):
    shapes = exact.view(view).muscle_shapes
    shape = shapes[int(pick * len(shapes))]
    key = (shape.muscle_id, shape.side, shape.layer)
    twin = next(s for s in simplified.view(view).muscle_shapes if (s.muscle_id, s.side, s.layer) == key)
    assert_close(shape.geometry, twin.geometry, (view, key))
    assert twin.geometry.is_valid and twin.geometry.covers(shapely.Point(twin.anchor))
    assert len(twin.fibre_parts) == len(shape.fibre_parts)
    for (a, angle_a), (b, angle_b) in zip(shape.fibre_parts, twin.fibre_parts, strict=True):
        assert angle_a == angle_b
        assert_close(a, b, (view, key, "fibre part"))


@pytest.mark.parametrize("view", VIEWS)
def test_regions_still_tile_the_silhouette(exact, simplified, view):
    # The side views keep the exact build's unassigned specks (< 0.5 square units each), simplified.
    assert partition_error(simplified.view(view)) <= max(1.5 * partition_error(exact.view(view)), 1e-9)


def test_every_shape_stays_inside_the_figure(simplified):
    for view in simplified.views.values():
        for shape in view.muscle_shapes:
            assert shape.geometry.difference(view.silhouette).area < 1e-6, (view.name, shape.muscle_id)


@pytest.mark.parametrize("view", ["anterior", "posterior"])
def test_left_and_right_are_exact_mirror_images(simplified, view):
    vd = simplified.view(view)
    for items, key in ((vd.regions, lambda r: (r.id,)), (vd.muscle_shapes, lambda s: (s.muscle_id, s.layer))):
        right = {key(i): i.geometry for i in items if i.side is Side.RIGHT}
        left = {key(i): i.geometry for i in items if i.side is Side.LEFT}
        for k, geom in right.items():
            assert mirror(geom).symmetric_difference(left[k]).area < 1e-6, (view, k)


def test_the_side_views_are_mirror_images(simplified):
    right, left = simplified.view("lateral_right"), simplified.view("lateral_left")
    assert mirror(right.silhouette).equals_exact(left.silhouette.normalize(), 1e-9)


def test_the_simplified_atlas_passes_its_checks(simplified):
    assert check_atlas(simplified) == []
