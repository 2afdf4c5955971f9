"""Referral patterns as overlays: essential zone solid, spillover hatched, the trigger point itself
as a ringed dot (the teaching-chart convention of referral.md §0).

Each pattern gets a colour of its own from render.style (cool hues that stand out on the warm
muscles, in the light, dark and greyscale looks), so two to four patterns can be compared on one
figure. The figure underneath can be faded (a veil of skin colour over the muscles) so the pattern
reads on its own; hiding the muscles is done by leaving their layers out.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor
from shapely.geometry import Point

from dn_bodymap.atlas.model import Atlas, Side
from dn_bodymap.atlas.trigger_points import Library
from dn_bodymap.render.style import LIGHT, Palette, pattern_colour
from dn_bodymap.render.view_painter import Overlay

MUSCLE_MODES = ("normal", "faded", "hidden")
ESSENTIAL_ALPHA = 175
SPILLOVER_ALPHA = 55
VEIL_ALPHA = 190
EDGE_WIDTH = 2.4  # atlas units


def pattern_overlays(
    library: Library,
    trigger_point: str,
    side: Side,
    view: str,
    palette: Palette = LIGHT,
    colour_index: int = 0,
) -> list[Overlay]:
    tp = library.instances.get((trigger_point, Side(side)))
    if tp is None:
        raise KeyError(f"no trigger point {trigger_point!r} on the {side} side")
    base = pattern_colour(colour_index, palette)
    dark_bg = palette.background.lightness() < 128
    line = base.lighter(120) if dark_bg else base.darker(135)
    overlays: list[Overlay] = []
    essential = tp.zone_geometry("essential", view)
    spill = tp.zone_geometry("spillover", view).difference(essential)
    if not spill.is_empty:
        fill = QColor(base)
        fill.setAlpha(SPILLOVER_ALPHA)
        overlays.append(Overlay(spill, fill, line, hatch=True, label="spillover", dashed=True))
    if not essential.is_empty:
        fill = QColor(base)
        fill.setAlpha(ESSENTIAL_ALPHA)
        overlays.append(Overlay(essential, fill, line, label="essential zone"))
        # A bold edge in the pattern's dark tone: the zone's border reads even where its fill
        # meets a muscle of similar lightness (greyscale prints).
        edge = essential.boundary.buffer(EDGE_WIDTH / 2)
        overlays.append(Overlay(edge, line, line, label="essential edge"))
    halo = QColor("#111111") if dark_bg else QColor("white")
    for loc in tp.locations:
        if loc.view == view:
            centre = Point(loc.x, loc.y)
            overlays.append(Overlay(centre.buffer(6.5), halo, halo, label="trigger point"))
            ring = centre.buffer(5.5).difference(centre.buffer(2.2))
            overlays.append(Overlay(ring, line, line, label="trigger point"))
    return overlays


def comparison_overlays(
    library: Library,
    patterns: Iterable[tuple[str, Side | str, int]],
    view: str,
    palette: Palette = LIGHT,
) -> list[Overlay]:
    """Several patterns on one view: all spillover zones first, then the essential zones and the
    trigger points on top, so no pattern's hatching hides another's solid zone."""
    per = [pattern_overlays(library, tid, Side(side), view, palette, idx) for tid, side, idx in patterns]
    spill = [o for group in per for o in group if o.label == "spillover"]
    rest = [o for group in per for o in group if o.label != "spillover"]
    return spill + rest


def veil_overlay(atlas: Atlas, view: str, palette: Palette = LIGHT) -> Overlay:
    """Skin colour over the whole figure: the muscles fade so that a pattern reads on its own."""
    fill = QColor(palette.skin)
    fill.setAlpha(VEIL_ALPHA)
    return Overlay(atlas.view(view).silhouette, fill, QColor(0, 0, 0, 0), label="veil")


def muscle_layers(layers: frozenset[str], mode: str) -> frozenset[str]:
    """The layer set for a muscles mode: 'hidden' drops the muscle layers."""
    if mode not in MUSCLE_MODES:
        raise ValueError(f"unknown muscles mode {mode!r}; choose from {', '.join(MUSCLE_MODES)}")
    if mode == "hidden":
        return layers - {"superficial", "intermediate", "deep"}
    return layers
