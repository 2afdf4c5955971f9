"""The chart's key: what it says, where it is drawn, and that the colours it describes hold."""

from pathlib import Path

import pytest
from PySide6.QtGui import QColor

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.render.export import render_image, render_to_file
from dn_bodymap.render.layers import parse_layers
from dn_bodymap.render.legend import Swatch, legend_entries
from dn_bodymap.render.style import GROUP_HUES, LIGHT, TONES, muscle_fill
from dn_bodymap.render.view_painter import RenderOptions


@pytest.fixture(scope="module")
def atlas():
    return default_atlas()


def test_side_views_explain_the_missing_arm_and_body_views_do_not():
    for view in ("lateral_right", "lateral_left"):
        assert Swatch.CUT in {e.swatch for e in legend_entries(view)}
    for view in ("anterior", "posterior"):
        assert Swatch.CUT not in {e.swatch for e in legend_entries(view)}
    everything = {e.swatch for e in legend_entries()}
    assert everything == set(Swatch)
    cut = next(e.text for e in legend_entries("lateral_left") if e.swatch is Swatch.CUT)
    assert "arm is cut away" in cut


def test_a_png_with_the_key_is_taller_and_keeps_the_figure(atlas, qapp):
    options = RenderOptions(parse_layers("muscles,details,sides"))
    plain = render_image(atlas, "lateral_right", options, 600)
    keyed = render_image(atlas, "lateral_right", options, 600, legend=True)
    assert plain.width() == keyed.width()
    assert keyed.height() > plain.height() + 100
    # the figure part is the same picture
    assert plain.pixelColor(plain.width() // 2, 300) == keyed.pixelColor(plain.width() // 2, 300)
    # something is painted in the key's area
    white = keyed.pixelColor(0, keyed.height() - 1)
    painted = sum(
        keyed.pixelColor(x, y) != white
        for y in range(610, keyed.height(), 4)
        for x in range(0, keyed.width(), 4)
    )
    assert painted > 50


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_the_key_in_every_format(atlas, tmp_path: Path, qapp, suffix):
    out = render_to_file(
        atlas,
        "posterior",
        RenderOptions(parse_layers("muscles,details,sides")),
        tmp_path / f"p{suffix}",
        400,
        legend=True,
    )
    assert out.stat().st_size > 1000


def _hue(colour: QColor) -> float:
    h = colour.hslHueF()
    return h * 360 if h >= 0 else 0.0


def test_one_muscle_red_no_peach_no_mustard(qapp):
    """Every group's muscles stay within a narrow red band, so no region reads as skin or fat."""
    for group in GROUP_HUES:
        for tone in range(len(TONES)):
            for mid in ("a", "trapezius", "rectus_abdominis", "pectoralis_major"):
                c = muscle_fill(mid, group, "superficial", tone=tone)
                hue = _hue(c)
                assert hue >= 345 or hue <= 14, (group, tone, hue)
                skin = LIGHT.skin
                distance = (
                    abs(c.red() - skin.red()) + abs(c.green() - skin.green()) + abs(c.blue() - skin.blue())
                )
                if group != "head":  # the face's thin muscles are washed in lightly on purpose
                    assert distance > 120, (group, tone, c.name())


def test_neighbouring_tones_still_differ_in_greyscale(qapp):
    greys = [
        muscle_fill("m", "thigh", "superficial", greyscale=True, tone=t).red() for t in range(len(TONES))
    ]
    assert len(set(greys)) == len(TONES)
    assert min(abs(a - b) for i, a in enumerate(greys) for b in greys[i + 1 :]) >= 8


def test_the_help_key_explains_the_charting_marks_and_uses_their_colours(qapp):
    """The Help dialog's key covers marks, hazard badges, pain qualities and referral zones, drawn
    from the same colour table the canvas and the report use (one table, not three copies)."""
    from dn_bodymap.gui.canvas import items
    from dn_bodymap.render import style
    from dn_bodymap.report import maps

    swatches = {e.swatch for e in legend_entries()}
    assert {Swatch.MARK, Swatch.HAZARD, Swatch.PAIN, Swatch.REFERRAL} <= swatches
    assert not {Swatch.MARK, Swatch.HAZARD} & {e.swatch for e in legend_entries("anterior")}
    assert items.LEVEL_COLOURS is style.LEVEL_COLOURS is maps.LEVEL_COLOURS
    assert items.QUALITY_COLOURS is style.QUALITY_COLOURS
    hazard = next(e.text for e in legend_entries() if e.swatch is Swatch.HAZARD)
    from dn_bodymap.gui.session.marks_list import LEVEL_MARK

    for symbol in set(LEVEL_MARK.values()):
        assert symbol in hazard


def test_the_help_key_explains_arrows_and_notes_in_their_own_colours(qapp):
    """Arrows and pinned notes are on the chart, so the key says what they are, painted with the one
    colour table the canvas and the report use; each swatch paints those colours."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFont, QImage, QPainter

    from dn_bodymap.render import legend, style
    from dn_bodymap.report import maps

    assert {Swatch.ARROW, Swatch.NOTE} <= {e.swatch for e in legend_entries()}
    assert not {Swatch.ARROW, Swatch.NOTE} & {e.swatch for e in legend_entries("posterior")}
    from dn_bodymap.gui.canvas import items

    assert maps.ARROW is style.ARROW_COLOUR is items.ARROW_COLOUR
    assert items.NOTE_FILL is style.NOTE_FILL
    assert maps.NOTE_FILL is style.NOTE_FILL and maps.NOTE_BORDER is style.NOTE_BORDER
    for swatch, colour in ((Swatch.ARROW, style.ARROW_COLOUR), (Swatch.NOTE, style.NOTE_FILL)):
        image = QImage(60, 24, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        legend.paint_legend(painter, QRectF(0, 0, 300, 24), [legend.LegendEntry(swatch, "x")], LIGHT, QFont())
        painter.end()
        pixels = {image.pixelColor(x, y).name() for x in range(34) for y in range(24)}
        assert colour.name() in pixels, swatch
