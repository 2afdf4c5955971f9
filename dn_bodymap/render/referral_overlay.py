"""A trigger point's referral pattern as overlays: essential zone solid, spillover hatched, the
trigger point itself as a marked ring (the teaching-chart convention of referral.md §0)."""

from __future__ import annotations

from PySide6.QtGui import QColor
from shapely.geometry import Point

from dn_bodymap.atlas.model import Side
from dn_bodymap.atlas.trigger_points import Library
from dn_bodymap.render.view_painter import Overlay

ESSENTIAL_FILL = QColor(200, 30, 30, 150)
ESSENTIAL_LINE = QColor(150, 20, 20)
SPILLOVER_FILL = QColor(230, 80, 60, 45)
SPILLOVER_LINE = QColor(190, 40, 30)


def pattern_overlays(library: Library, trigger_point: str, side: Side, view: str) -> list[Overlay]:
    tp = library.instances.get((trigger_point, side))
    if tp is None:
        raise KeyError(f"no trigger point {trigger_point!r} on the {side} side")
    overlays: list[Overlay] = []
    spill = tp.zone_geometry("spillover", view).difference(tp.zone_geometry("essential", view))
    if not spill.is_empty:
        overlays.append(
            Overlay(spill, SPILLOVER_FILL, SPILLOVER_LINE, hatch=True, label="spillover", dashed=True)
        )
    essential = tp.zone_geometry("essential", view)
    if not essential.is_empty:
        overlays.append(Overlay(essential, ESSENTIAL_FILL, ESSENTIAL_LINE, label="essential zone"))
    for loc in tp.locations:
        if loc.view == view:
            ring = Point(loc.x, loc.y).buffer(5.5).difference(Point(loc.x, loc.y).buffer(2.5))
            overlays.append(Overlay(ring, QColor(20, 20, 20, 230), QColor("white"), label="trigger point"))
    return overlays
