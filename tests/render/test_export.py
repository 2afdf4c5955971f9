"""Rendering views to PNG, SVG and PDF (QtGui only, no widgets)."""

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QImage

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.render.export import render_image, render_to_file
from dn_bodymap.render.layers import LAYER_NAMES, parse_layers
from dn_bodymap.render.view_painter import RenderOptions


@pytest.fixture(scope="module")
def atlas():
    return default_atlas()


def test_layer_names_parse_and_refuse_unknown():
    assert parse_layers("muscles") >= {"superficial", "intermediate", "deep", "silhouette"}
    assert parse_layers("all") == frozenset(LAYER_NAMES)
    with pytest.raises(ValueError, match="unknown layer 'bones'"):
        parse_layers("muscles,bones")


@pytest.mark.parametrize("view", ["anterior", "posterior", "lateral_right", "lateral_left"])
def test_png_shows_the_figure(atlas, view, qapp):
    image = render_image(atlas, view, RenderOptions(parse_layers("muscles,labels")), 400)
    assert image.height() == 400
    # the figure is drawn: a good share of pixels differ from the white background
    white = image.pixelColor(0, 0)
    painted = sum(
        1 for y in range(0, 400, 8) for x in range(0, image.width(), 8) if image.pixelColor(x, y) != white
    )
    assert painted > 0.1 * (400 // 8) * (image.width() // 8)


def test_files_in_three_formats(atlas, tmp_path: Path, qapp):
    options = RenderOptions(parse_layers("all"))
    png = render_to_file(atlas, "anterior", options, tmp_path / "a.png", 600)
    assert not QImage(str(png)).isNull()
    svg = render_to_file(atlas, "posterior", options, tmp_path / "p.svg", 600)
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    pdf = render_to_file(atlas, "lateral_right", options, tmp_path / "l.pdf", 600)
    assert len(PdfReader(str(pdf)).pages) == 1
    assert not list(tmp_path.glob(".*partial*"))


def test_unknown_format_is_refused(atlas, tmp_path: Path, qapp):
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
        render_to_file(atlas, "anterior", RenderOptions(parse_layers(None)), tmp_path / "a.bmp")


def test_greyscale_has_no_colour(atlas, qapp):
    image = render_image(atlas, "anterior", RenderOptions(parse_layers("muscles"), greyscale=True), 300)
    assert image.isGrayscale()
