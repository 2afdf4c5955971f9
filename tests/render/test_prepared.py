"""Prepared view geometry: fibre hatching cut once, kept on disk under a key made from the shapes,
and a print option that leaves the hatching out."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import shapely
from pypdf import PdfReader

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.render import prepared
from dn_bodymap.render.export import render_image, render_to_file
from dn_bodymap.render.view_painter import RenderOptions


@pytest.fixture(scope="module")
def atlas():
    return default_atlas()


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("DN_BODYMAP_CACHE", str(tmp_path))
    return tmp_path


def _same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.equals_exact(b, 0))


def test_fibre_lines_come_from_the_disk_cache_the_second_time(atlas, cache, monkeypatch):
    view = atlas.view("anterior")
    first = prepared.fibre_lines(view)
    assert len(list(cache.glob("*fibres-*.pickle"))) == 1

    def no_cutting(shape):
        raise AssertionError("hatching was cut again")

    monkeypatch.setattr(prepared, "_fibres", no_cutting)
    second = prepared.fibre_lines(view)
    assert len(second) == len(first) == len(view.muscle_shapes)
    assert all(_same(a, b) for a, b in zip(first, second, strict=True))
    assert sum(line is not None for line in second) > 20


def test_changed_shapes_change_the_key_and_are_cut_again(atlas, cache):
    view = atlas.view("anterior")
    prepared.fibre_lines(view)
    i, shape = next((i, s) for i, s in enumerate(view.muscle_shapes) if s.fibre_parts)
    moved = tuple((shapely.affinity.translate(g, 3.0, 0.0), a) for g, a in shape.fibre_parts)
    shapes = list(view.muscle_shapes)
    shapes[i] = dataclasses.replace(shape, fibre_parts=moved)
    changed = dataclasses.replace(view, muscle_shapes=shapes)
    assert prepared.fibres_fingerprint(changed) != prepared.fibres_fingerprint(view)
    lines = prepared.fibre_lines(changed)
    assert not _same(lines[i], prepared.fibre_lines(view)[i])
    assert len(list(cache.glob("*fibres-*.pickle"))) == 2


def test_hatching_stays_inside_its_muscle(atlas, cache):
    view = atlas.view("posterior")
    for shape, lines in zip(view.muscle_shapes, prepared.fibre_lines(view), strict=True):
        if lines is not None:
            assert lines.difference(shape.geometry.buffer(0.01)).length < 1e-6, shape.muscle_id


def test_prepared_view_is_built_once_per_atlas_and_view(atlas, qapp):
    assert prepared.prepared_view(atlas, "anterior") is prepared.prepared_view(atlas, "anterior")


def test_print_option_leaves_the_fibres_out(atlas, qapp, tmp_path):
    layers = frozenset({"silhouette", "superficial"})
    with_fibres = render_image(atlas, "anterior", RenderOptions(layers), 600)
    without = render_image(atlas, "anterior", RenderOptions(layers, fibres=False), 600)
    assert with_fibres != without
    # Nothing else changes: without the superficial layer the option makes no difference.
    deep = frozenset({"silhouette", "deep"})
    assert render_image(atlas, "anterior", RenderOptions(deep), 600) == render_image(
        atlas, "anterior", RenderOptions(deep, fibres=False), 600
    )
    sizes = {}
    for fibres in (True, False):
        out = render_to_file(
            atlas, "anterior", RenderOptions(layers, fibres=fibres), tmp_path / f"{fibres}.pdf"
        )
        assert len(PdfReader(str(out)).pages) == 1
        sizes[fibres] = out.stat().st_size
    assert sizes[False] < 0.7 * sizes[True]
