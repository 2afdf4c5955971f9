"""The labels layer: only what is visible, one label per muscle, no overlaps, inside the canvas."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.render.layers import parse_layers
from dn_bodymap.render.prepared import prepared_view
from dn_bodymap.render.style import LIGHT
from dn_bodymap.render.view_painter import (
    RenderOptions,
    _label_candidates,
    fit_transform,
    place_labels,
    view_bounds,
)


@pytest.mark.parametrize("view", ["anterior", "posterior"])
@pytest.mark.parametrize("width", [300, 900])
def test_labels_do_not_overlap_and_stay_inside(qapp, view, width):
    atlas = default_atlas()
    options = RenderOptions(layers=parse_layers("silhouette,superficial,labels"), palette=LIGHT)
    bounds = QRectF(0, 0, width, width * 2)
    xf = fit_transform(view_bounds(atlas.view(view)), bounds)
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(8, round(6.4 * xf.m11())))
    candidates = list(_label_candidates(atlas, atlas.view(view), options))
    placed = place_labels(candidates, xf, QFontMetricsF(font), bounds)
    texts = [t for t, _ in placed]
    assert placed and len(texts) == len(set(texts))  # one label per muscle
    for i, (_, rect) in enumerate(placed):
        assert bounds.contains(rect)
        assert not any(rect.intersects(other) for _, other in placed[i + 1 :])


def test_a_muscle_hidden_under_another_gets_no_label(qapp):
    atlas = default_atlas()
    view = atlas.view("anterior")
    options = RenderOptions(layers=parse_layers("superficial,labels"), palette=LIGHT)
    labelled = {c.text for c in _label_candidates(atlas, view, options)}
    shapes = [item.shape for item in prepared_view(atlas, "anterior").muscles]
    for i, shape in enumerate(shapes):
        covered = [s.geometry for s in shapes[i + 1 :] if s.layer == "superficial"]
        if shape.layer == "superficial" and any(c.contains(shape.geometry) for c in covered):
            others = [s for s in shapes if s.muscle_id == shape.muscle_id and s is not shape]
            if not others:
                assert atlas.muscles[shape.muscle_id].name not in labelled


def test_visible_part_moves_the_label_off_a_covering_shape():
    from types import SimpleNamespace

    from shapely.geometry import Point, box

    from dn_bodymap.render.view_painter import _visible_part

    under = SimpleNamespace(geometry=box(0, 0, 10, 10), anchor=(5, 5), layer="superficial")
    hidden = _visible_part(under, [SimpleNamespace(geometry=box(-1, -1, 11, 11), layer="superficial")])
    assert hidden is None
    half = _visible_part(under, [SimpleNamespace(geometry=box(3, -1, 11, 11), layer="superficial")])
    assert half is not None and box(0, 0, 3, 10).contains(Point(half[0])) and half[1] == pytest.approx(30)
    seen_through = _visible_part(under, [SimpleNamespace(geometry=box(-1, -1, 11, 11), layer="deep")])
    assert seen_through == ((5, 5), 100)
