"""The figure's painter paths and muscle tones come from the disk cache in a new process (issue #14),
exactly as built: same elements, same coordinates, the same pixels."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QPainterPath

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.render import prepared
from dn_bodymap.render.export import render_image
from dn_bodymap.render.view_painter import RenderOptions

VIEWS = ("anterior", "posterior")


@pytest.fixture(scope="module")
def atlas():
    return default_atlas()


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache folder, and nothing remembered in this process."""
    monkeypatch.setenv("DN_BODYMAP_CACHE", str(tmp_path))
    monkeypatch.setattr(prepared, "_cache", {})
    monkeypatch.setattr(prepared, "_tones", {})
    return tmp_path


def _elements(path: QPainterPath | None) -> tuple | None:
    if path is None:
        return None
    points = tuple((e.type, e.x, e.y) for e in (path.elementAt(i) for i in range(path.elementCount())))
    return path.fillRule(), points


def _all_paths(view: prepared.PreparedView) -> list:
    paths = [view.silhouette, view.details, *(p for _, p in view.regions)]
    for m in view.muscles:
        paths += [m.outline, m.fibres, m.tendons]
    return [_elements(p) for p in paths]


def _forget(monkeypatch) -> None:
    """As in a new process: nothing remembered in memory, only what is on disk."""
    monkeypatch.setattr(prepared, "_cache", {})
    monkeypatch.setattr(prepared, "_tones", {})


def _no_building(*_: object) -> None:
    raise AssertionError("built again instead of read from the disk cache")


@pytest.mark.parametrize("name", VIEWS)
def test_paths_come_from_the_disk_cache_exactly(atlas, cache, monkeypatch, qapp, name) -> None:
    built = prepared.prepared_view(atlas, name)
    assert len(list(cache.glob("*paths-*.pickle"))) == 1
    _forget(monkeypatch)
    monkeypatch.setattr(prepared, "_build_paths", _no_building)
    read = prepared.prepared_view(atlas, name)
    assert read is not built
    assert _all_paths(read) == _all_paths(built)
    assert [r for r, _ in read.regions] == [r for r, _ in built.regions]
    assert [m.shape for m in read.muscles] == [m.shape for m in built.muscles]


def test_the_cached_figure_paints_the_same_pixels(atlas, cache, monkeypatch, qapp) -> None:
    options = RenderOptions(frozenset({"silhouette", "regions", "superficial", "deep", "details"}))
    first = render_image(atlas, "anterior", options, 500)
    _forget(monkeypatch)
    monkeypatch.setattr(prepared, "_build_paths", _no_building)
    monkeypatch.setattr(prepared, "_colour_muscles", _no_building)
    assert render_image(atlas, "anterior", options, 500) == first


def test_tones_come_from_the_disk_cache(atlas, cache, monkeypatch) -> None:
    tones = prepared.muscle_tones(atlas)
    assert len(list(cache.glob("*tones-*.pickle"))) == 1
    _forget(monkeypatch)
    monkeypatch.setattr(prepared, "_colour_muscles", _no_building)
    assert prepared.muscle_tones(atlas) == tones


def test_a_changed_shape_changes_the_key_and_the_paths(atlas, cache, monkeypatch, qapp) -> None:
    view = atlas.view("anterior")
    prepared.prepared_view(atlas, "anterior")
    moved = dataclasses.replace(view, silhouette=shapely.affinity.translate(view.silhouette, 2.0, 0.0))
    assert prepared.paths_fingerprint(moved) != prepared.paths_fingerprint(view)
    key = prepared.paths_fingerprint(moved)
    file = next(iter(cache.glob("*paths-*.pickle")))
    assert key not in file.name
    silhouette = prepared._build_paths(moved).silhouette
    assert silhouette.boundingRect().left() == pytest.approx(
        prepared.prepared_view(atlas, "anterior").silhouette.boundingRect().left() + 2.0
    )


@settings(max_examples=15)
@given(data=st.binary(max_size=64), cut=st.integers(0, 400_000))
def test_a_torn_or_foreign_cache_file_is_built_again(atlas, tmp_path_factory, qapp, data, cut) -> None:
    """Any bytes at the cache's name: never a wrong figure, never a crash; the file is rewritten."""
    folder = tmp_path_factory.mktemp("paths")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DN_BODYMAP_CACHE", str(folder))
        mp.setattr(prepared, "_cache", {})
        expected = _all_paths(prepared.prepared_view(atlas, "anterior"))
        file = next(iter(folder.glob("*paths-*.pickle")))
        whole = file.read_bytes()
        file.write_bytes(whole[: min(cut, len(whole) - 1)] + data)
        mp.setattr(prepared, "_cache", {})
        assert _all_paths(prepared.prepared_view(atlas, "anterior")) == expected
        assert file.read_bytes() == whole


def test_detail_views_are_prepared_only_when_first_shown(atlas, cache, monkeypatch, qtbot) -> None:
    """The session screen has scenes for every view, but paths are prepared for the ones painted."""
    from PySide6.QtWidgets import QLayout

    from dn_bodymap.gui.session.canvas_panel import CanvasPanel
    from dn_bodymap.render.style import LIGHT

    asked: list[str] = []
    real = prepared.prepared_view
    # view_painter looks it up in render.prepared at each paint (imported there when first painted).
    monkeypatch.setattr(prepared, "prepared_view", lambda a, v: asked.append(v) or real(a, v))
    panel = CanvasPanel(atlas, lambda layers: RenderOptions(layers=layers, palette=LIGHT))
    qtbot.addWidget(panel)
    panel.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    panel.show()
    panel.resize(1000, 800)
    qtbot.waitUntil(lambda: panel.width() == 1000)
    qtbot.waitUntil(lambda: "anterior" in asked)
    detail = panel.detail_views[0]
    assert not set(asked) & set(panel.detail_views)
    panel.show_view(detail)
    qtbot.waitUntil(lambda: detail in asked)
    assert not set(asked) & (set(panel.detail_views) - {detail})
