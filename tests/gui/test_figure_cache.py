"""The figure's first image of a view comes from the last run's when every input is the same
(gui/canvas/figure_cache.py, issue #14): the same pixels as painting it, never for a figure with
overlays or highlights, never for a zoom, a torn file painted afresh, and only the newest kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QColor

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.gui.canvas import background, figure_cache
from dn_bodymap.render.style import DARK, LIGHT
from dn_bodymap.render.view_painter import Overlay, RenderOptions

LAYERS = ("silhouette", "superficial", "intermediate", "deep", "regions", "labels", "hazards")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    default_atlas()  # read from the shared cache first: its identity keys the images
    monkeypatch.setenv("DN_BODYMAP_CACHE", str(tmp_path))
    return tmp_path


@pytest.fixture
def painted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The views painted with paint_view (not taken from the disk)."""
    views: list[str] = []
    real = background.paint_view

    def paint_view(painter, atlas, view, target, options):
        views.append(view)
        return real(painter, atlas, view, target, options)

    monkeypatch.setattr(background, "paint_view", paint_view)
    return views


def _images(folder: Path) -> list[Path]:
    return sorted(folder.glob("atlas-figure-*.pickle"))


def test_the_next_start_shows_the_same_pixels_without_painting(make_canvas, cache: Path, painted) -> None:
    before = make_canvas(900, 700).grab().toImage()
    shown = set(painted)
    assert shown and len(_images(cache)) == len(shown)
    painted.clear()
    again = make_canvas(900, 700).grab().toImage()
    assert painted == []  # every first image came from the disk
    assert again == before


def test_a_torn_image_is_painted_afresh(make_canvas, cache: Path, painted) -> None:
    before = make_canvas(900, 700).grab().toImage()
    for image in _images(cache):
        image.write_bytes(image.read_bytes()[:-100])
    painted.clear()
    assert make_canvas(900, 700).grab().toImage() == before
    assert painted  # painted, not read


def test_a_zoom_paints_and_keeps_nothing(make_canvas, cache: Path, painted) -> None:
    panel = make_canvas(900, 700)
    panel.grab()
    kept = _images(cache)
    assert kept
    figure = next(v.body_scene.figure for v in panel.views.values() if v.body_scene.figure._image_scale)
    painted.clear()
    figure._render(figure._image_scale * 2)
    assert painted == [figure.view_name] and _images(cache) == kept


def test_overlays_and_highlights_are_always_painted() -> None:
    atlas = default_atlas()
    plain = RenderOptions(layers=frozenset({"silhouette"}))
    assert figure_cache.image_key(atlas, "anterior", plain, 100, 200, 0.5) is not None
    from shapely.geometry import Point

    overlay = Overlay(Point(0, 500).buffer(20), QColor("red"), QColor("red"))
    with_overlay = RenderOptions(layers=frozenset({"silhouette"}), overlays=(overlay,))
    highlighted = RenderOptions(layers=frozenset({"silhouette"}), highlight=frozenset({"trapezius"}))
    assert figure_cache.image_key(atlas, "anterior", with_overlay, 100, 200, 0.5) is None
    assert figure_cache.image_key(atlas, "anterior", highlighted, 100, 200, 0.5) is None


options = st.builds(
    RenderOptions,
    layers=st.frozensets(st.sampled_from(LAYERS)),
    palette=st.sampled_from([LIGHT, DARK]),
    greyscale=st.booleans(),
    fibres=st.booleans(),
)
images = st.tuples(
    st.sampled_from(["anterior", "posterior"]), st.integers(1, 3000), st.integers(1, 3000), st.floats(0.05, 8)
)


@settings(max_examples=200)
@given(a=options, b=options, image_a=images, image_b=images)
def test_two_keys_are_equal_only_when_every_input_is(a, b, image_a, image_b) -> None:
    atlas = default_atlas()
    key_a = figure_cache.image_key(atlas, image_a[0], a, *image_a[1:])
    key_b = figure_cache.image_key(atlas, image_b[0], b, *image_b[1:])
    same = (a, image_a) == (b, image_b)
    assert (key_a == key_b) == same


def test_only_the_newest_images_stay(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import time

    from PySide6.QtGui import QImage

    monkeypatch.setattr(figure_cache, "KEEP", 3)
    image = QImage(4, 4, figure_cache.FORMAT)
    image.fill(0)
    for n in range(5):
        figure_cache.store(f"{n:032x}", image)
        path = _images(cache)[-1] if n == 0 else figure_cache._file(f"{n:032x}")
        then = time.time() - 100 + n
        os.utime(path, (then, then))
    figure_cache.store("f" * 32, image)
    kept = {p.name for p in _images(cache)}
    assert len(kept) == 3 and figure_cache._file("f" * 32).name in kept
    assert figure_cache._file(f"{0:032x}").name not in kept
