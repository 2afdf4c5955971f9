"""Pattern cards: content gathered from the library, PNG and PDF written whole, the CLI command."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.trigger_points import default_library
from dn_bodymap.cli import main
from dn_bodymap.render.style import LIGHT, pattern_colour
from dn_bodymap.report.pattern_card import (
    PAGE_H,
    PAGE_W,
    CardError,
    build_card,
    card_image,
    focus_target,
    pattern_focus,
    write_card,
)


@pytest.fixture(autouse=True)
def _application(qapp):
    """pytest-qt's QApplication, so a QGuiApplication made here never clashes with widget tests."""


@pytest.fixture(scope="module")
def atlas():
    return default_atlas()


@pytest.fixture(scope="module")
def library():
    return default_library()


def test_card_content_comes_from_the_library(atlas, library):
    card = build_card(atlas, library, "infraspinatus.1", "left")
    tp = card.trigger_point
    assert tp.side == "left" and card.muscle_name == atlas.muscles["infraspinatus"].name
    # The view with the largest essential zone leads; every panel shows something of the point.
    assert card.views[0] == max(
        {z.view for z in tp.essential}, key=lambda v: tp.zone_geometry("essential", v).area
    )
    for view in card.views:
        assert any(z.view == view for z in (*tp.essential, *tp.spillover)) or any(
            loc.view == view for loc in tp.locations
        )
    assert card.citations and all(card.citations)
    labels = {r.label for v in atlas.views.values() for r in v.regions}
    assert card.essential_regions and set(card.essential_regions) <= labels


def test_unknown_point_or_side_is_a_card_error(atlas, library):
    with pytest.raises(CardError, match="no trigger point"):
        build_card(atlas, library, "nope.1")
    with pytest.raises(CardError, match="unknown side"):
        build_card(atlas, library, "infraspinatus.1", "middle")


def test_focus_encloses_the_pattern_and_fills_the_cell(atlas, library):
    tp = library.instances[("trapezius.1", "right")]
    focus = pattern_focus(atlas, tp, "posterior", 0.5)
    minx, miny, maxx, maxy = tp.zone_geometry("essential", "posterior").bounds
    assert focus.contains(QRectF(minx, miny, maxx - minx, maxy - miny))
    assert focus.width() / focus.height() == pytest.approx(0.5, rel=1e-6)
    cell = QRectF(10, 20, 300, 600)
    full = QRectF(-300, -30, 600, 1060)
    target = focus_target(full, focus, cell)
    scale = target.width() / full.width()
    # The focus rect's centre lands on the cell's centre, and it fills the cell.
    cx = target.x() + (focus.center().x() - full.x()) * scale
    cy = target.y() + (focus.center().y() - full.y()) * scale
    assert (cx, cy) == pytest.approx((cell.center().x(), cell.center().y()))
    assert focus.width() * scale == pytest.approx(cell.width())


def test_png_shows_the_pattern_colour(atlas, library, tmp_path):
    card = build_card(atlas, library, "infraspinatus.1", "right")
    out = write_card(atlas, library, card, tmp_path / "card.png", width_px=1200)
    image = QImage(str(out))
    assert image.width() == 1200 and image.height() == round(1200 * PAGE_H / PAGE_W)
    base = pattern_colour(0, LIGHT)
    # Some pixels carry the pattern's hue (essential zone), and the header band is dark.
    small = image.scaled(300, 212)
    hues = [QColor(small.pixel(x, y)).hue() for x in range(0, 200) for y in range(40, 200)]
    assert sum(abs(h - base.hue()) < 12 for h in hues if h >= 0) > 50
    assert QColor(image.pixel(5, 5)).lightness() < 60
    assert not list(tmp_path.glob(".*partial*"))


def test_pdf_is_one_a4_landscape_page_with_text(atlas, library, tmp_path):
    card = build_card(atlas, library, "gluteus_minimus.1", "left")
    out = write_card(atlas, library, card, tmp_path / "card.pdf")
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(842, abs=2) and float(box.height) == pytest.approx(595, abs=2)
    text = " ".join(reader.pages[0].extract_text().split())  # pypdf separates words with tabs
    assert card.muscle_name in text and "Essential zone" in text and "left side" in text


def test_card_image_is_the_same_painting_at_any_size(atlas, library):
    card = build_card(
        atlas,
        library,
        "masseter.1" if ("masseter.1", "right") in library.instances else next(iter(library.trigger_points)),
        "right",
    )
    small = card_image(atlas, library, card, 600)
    large = card_image(atlas, library, card, 1200)
    assert large.width() == 2 * small.width()
    a = small.scaled(150, 106).convertToFormat(QImage.Format.Format_RGB32)
    b = large.scaled(150, 106).convertToFormat(QImage.Format.Format_RGB32)
    diffs = [
        abs(QColor(a.pixel(x, y)).lightness() - QColor(b.pixel(x, y)).lightness())
        for x in range(150)
        for y in range(106)
    ]
    assert sum(diffs) / len(diffs) < 12


def test_cli_writes_png_and_reports_json(tmp_path, capsys):
    out = tmp_path / "c.png"
    code = main(
        ["pattern-card", "--trigger-point", "infraspinatus.1", "--out", str(out), "--json", "--width", "800"]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and out.exists()
    assert doc["trigger_point"] == "infraspinatus.1" and doc["side"] == "right" and doc["views"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--trigger-point", "nope.1", "--out", "{tmp}/x.png"], "no trigger point"),
        (["--trigger-point", "infraspinatus.1", "--out", "{tmp}/x.txt"], "use a .png or .pdf"),
        (["--trigger-point", "infraspinatus.1", "--out", "{tmp}/missing/x.png"], "no folder"),
        (["--trigger-point", "infraspinatus.1", "--out", "{tmp}/x.png", "--width", "5"], "--width"),
    ],
)
def test_cli_refusals_are_one_line_and_write_nothing(tmp_path, capsys, args, message):
    argv = ["pattern-card", *[a.replace("{tmp}", str(tmp_path)) for a in args]]
    code = main(argv)
    err = capsys.readouterr().err
    assert code != 0 and message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
