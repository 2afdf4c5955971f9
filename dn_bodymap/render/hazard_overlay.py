"""The hazard layer: every hazard zone of a view as translucent overlays coloured by level.

Colours go from amber (caution) through orange (high) to red (very high) and dark red (no needle),
translucent so the muscles stay visible. Levels also differ without colour, for greyscale prints:
caution has a dashed outline, high a solid one, very high and no-needle zones are hatched and the
no-needle fill is much darker.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor

from dn_bodymap.render.view_painter import Overlay
from dn_bodymap.safety.levels import rank


@dataclass(frozen=True, slots=True)
class LevelStyle:
    fill: QColor
    outline: QColor
    hatch: bool
    dashed: bool


LEVEL_STYLES: dict[str, LevelStyle] = {
    "caution": LevelStyle(QColor(255, 196, 0, 80), QColor(176, 120, 0), False, True),
    "high": LevelStyle(QColor(255, 120, 0, 95), QColor(196, 78, 0), False, False),
    "very_high": LevelStyle(QColor(226, 20, 20, 100), QColor(150, 0, 0), True, False),
    "no_needle": LevelStyle(QColor(70, 0, 0, 170), QColor(0, 0, 0), True, False),
}


def hazard_overlays(view: str) -> list[Overlay]:
    """Overlays of the packaged hazard zones on ``view``, lowest level first (drawn underneath)."""
    from dn_bodymap.safety.hazards import default_hazards

    hazards = default_hazards()
    overlays: list[tuple[int, Overlay]] = []
    for zone in hazards.zones.values():
        style = LEVEL_STYLES[zone.level]
        for piece in zone.pieces:
            if piece.view != view:
                continue
            overlay = Overlay(
                geometry=piece.geometry,
                fill=QColor(style.fill),
                outline=QColor(style.outline),
                hatch=style.hatch,
                label=zone.structure,
                dashed=style.dashed,
            )
            overlays.append((rank(zone.level), overlay))
    overlays.sort(key=lambda pair: pair[0])
    return [overlay for _, overlay in overlays]
