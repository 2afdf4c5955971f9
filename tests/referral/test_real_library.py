"""The packaged trigger-point library meets its contract (issue: library validation)."""

from collections import Counter

import pytest

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.trigger_points import default_library, location_on_muscle


@pytest.fixture(scope="module")
def atlas_and_library():
    return default_atlas(), default_library()


def test_every_zone_is_valid_and_inside_the_figure(atlas_and_library):
    atlas, library = atlas_and_library
    for tp in library.instances.values():
        for zone in (*tp.essential, *tp.spillover):
            assert zone.geometry.is_valid and not zone.geometry.is_empty, (tp.id, zone.view)
            outside = zone.geometry.difference(atlas.view(zone.view).silhouette).area
            assert outside < 1.0, (tp.id, zone.view, outside)


def test_every_location_lies_on_its_muscle(atlas_and_library):
    atlas, library = atlas_and_library
    off = sorted(
        {
            (tp.id, loc.view)
            for tp in library.instances.values()
            for loc in tp.locations
            if not location_on_muscle(atlas, tp, loc)
        }
    )
    assert off == []


def test_coverage_of_muscles_and_groups(atlas_and_library):
    atlas, library = atlas_and_library
    muscles = {tp.muscle for tp in library.instances.values()}
    assert len(muscles) >= 90
    groups = Counter(atlas.muscles[m].group for m in muscles)
    assert set(groups) == {m.group for m in atlas.muscles.values()}  # every body group


def test_every_point_is_complete(atlas_and_library):
    _, library = atlas_and_library
    for tid, instances in library.trigger_points.items():
        tp = instances[0]
        assert tp.essential and tp.locations and tp.sources and tp.description, tid
        assert tid.startswith(tp.muscle + ".")
        assert {i.side for i in instances} == {"left", "right"}
        assert "safe" not in (tp.description + " " + tp.hazard_note).lower().replace("safety", "")
