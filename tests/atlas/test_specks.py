"""Specks: fragments a shape is left with when cut against its neighbours or the figure's outline
(atlas/shapes.py ``split_specks``). Drawn, each one's outline is a stray dot off its shape: muscles,
tendons and referral zones drop them. Regions keep theirs (they tile the figure exactly, so a click
anywhere finds one; their outlines are drawn only on the regions layer)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, box

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.shapes import SPECK_AREA, split_specks
from dn_bodymap.atlas.trigger_points import default_library

# Boxes on a grid of 10 units, apart from each other, of sides 0.1 to 9 units.
boxes = st.lists(
    st.tuples(st.integers(0, 20), st.integers(0, 20), st.floats(0.1, 9.0), st.floats(0.1, 9.0)),
    min_size=1,
    max_size=8,
    unique_by=lambda b: (b[0], b[1]),
)


@settings(max_examples=150)
@given(boxes)
def test_the_specks_are_the_small_parts_beside_a_bigger_one(spec) -> None:
    parts = [box(10 * i, 10 * j, 10 * i + w, 10 * j + h) for i, j, w, h in spec]
    geom = parts[0] if len(parts) == 1 else MultiPolygon(parts)
    kept, specks = split_specks(geom)
    biggest = max(p.area for p in parts)
    assert sorted(round(p.area, 9) for p in specks) == sorted(
        round(p.area, 9) for p in parts if p.area < SPECK_AREA and p.area < biggest
    )
    assert abs(kept.area + sum(p.area for p in specks) - geom.area) < 1e-9
    assert kept.area > 0 and split_specks(kept)[1] == []  # what is kept has none left


def test_no_muscle_tendon_or_referral_zone_of_the_atlas_has_a_speck() -> None:
    atlas = default_atlas()
    found = []
    for name in atlas.view_names():
        view = atlas.view(name)
        for shape in view.muscle_shapes:
            for geom in (shape.geometry, *shape.tendon_parts):
                if split_specks(geom)[1]:
                    found.append(("muscle", name, shape.muscle_id, shape.side))
    for tp in default_library().instances.values():
        for zone in (*tp.essential, *tp.spillover):
            if split_specks(zone.geometry)[1]:
                found.append(("zone", zone.view, tp.id, tp.side))
    assert found == []
