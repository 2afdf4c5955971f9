"""The visual style of the body diagram: calm medical-illustration colours that survive greyscale.

Muscles of one group share a hue; neighbours differ in lightness (derived from the id, so a muscle
keeps its colour everywhere), which is what still separates them on a greyscale print.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from PySide6.QtGui import QColor

#: Hue (degrees) per muscle group. One consistent muscle red for the whole figure: groups differ by a
#: few degrees only, so no region reads as skin (peach) or as fat (mustard); neighbours are told
#: apart by lightness (``TONES``), which also survives a greyscale print.
GROUP_HUES: dict[str, int] = {
    "head": 6,
    "neck": 8,
    "shoulder_girdle": 0,
    "arm": 356,
    "forearm_hand": 6,
    "trunk_anterior": 2,
    "trunk_posterior": 358,
    "abdomen": 8,
    "pelvis_hip": 350,
    "thigh": 4,
    "leg_foot": 8,
}


@dataclass(frozen=True, slots=True)
class Palette:
    background: QColor
    skin: QColor
    outline: QColor
    detail: QColor
    region_line: QColor
    label: QColor
    label_halo: QColor
    landmark: QColor
    greyscale: bool = False


LIGHT = Palette(
    background=QColor("#ffffff"),
    skin=QColor("#f6e4d6"),
    outline=QColor("#5b4a42"),
    detail=QColor("#a08476"),
    region_line=QColor("#3d6f99"),
    label=QColor("#222222"),
    label_halo=QColor(255, 255, 255, 215),
    landmark=QColor("#1d5f8a"),
)

DARK = Palette(
    background=QColor("#1e2126"),
    # A mid tan, not near-black: face, hands and feet (skin not covered by muscle) stay readable.
    skin=QColor("#b39583"),
    outline=QColor("#d8c8bd"),
    detail=QColor("#9c8a80"),
    region_line=QColor("#8cc4f0"),
    label=QColor("#f0f0f0"),
    label_halo=QColor(20, 22, 26, 210),
    landmark=QColor("#8cc4f0"),
)


def _jitter(key: str) -> float:
    return int(hashlib.sha1(key.encode()).hexdigest()[:4], 16) / 0xFFFF


#: Lightness steps given to touching muscles so that neighbours always read apart, in colour and
#: in greyscale (see render.prepared.muscle_tones).
TONES: tuple[float, ...] = (0.60, 0.45, 0.71, 0.52, 0.66, 0.39)


def muscle_fill(
    muscle_id: str, group: str, layer: str, greyscale: bool = False, tone: int | None = None
) -> QColor:
    hue = GROUP_HUES.get(group, 10)
    j = _jitter(muscle_id)
    if tone is not None and layer == "superficial" and group != "head":
        light = TONES[tone % len(TONES)]
        colour = QColor.fromHslF(((hue + 8 * (j - 0.5)) % 360) / 360.0, 0.46 + 0.1 * j, light)
        if greyscale:
            grey = round(255 * (0.35 + 0.6 * (light - 0.39) / 0.32))
            return QColor(grey, grey, grey)
        return colour
    if group == "head":
        # Thin facial and scalp muscles: drawn light so the face still reads as a face.
        sat, light = 0.30 + 0.08 * j, 0.76 + 0.08 * j
    elif layer == "superficial":
        sat, light = 0.44 + 0.12 * j, 0.56 + 0.14 * j
    elif layer == "intermediate":
        sat, light = 0.35, 0.62 + 0.12 * j
    else:
        sat, light = 0.30, 0.68 + 0.1 * j
    color = QColor.fromHslF(((hue + 10 * (j - 0.5)) % 360) / 360.0, sat, light)
    if greyscale:
        grey = round(255 * (0.55 + 0.35 * j))
        color = QColor(grey, grey, grey)
    return color


#: Hazard levels as every chart shows them: the badge on a mark (canvas and report) and the key.
LEVEL_COLOURS: dict[str, QColor] = {
    "caution": QColor("#d99a00"),
    "high": QColor("#e0661b"),
    "very_high": QColor("#c62828"),
    "no_needle": QColor("#5d0b0b"),
}
#: Pain-area qualities: a translucent hue each (the canvas and the report add hatching by quality).
QUALITY_COLOURS: dict[str, QColor] = {
    "ache": QColor(52, 120, 200, 110),
    "sharp": QColor(210, 40, 40, 110),
    "burning": QColor(235, 130, 20, 120),
    "numbness_tingling": QColor(130, 70, 190, 110),
    "other": QColor(90, 90, 90, 100),
}
#: A trigger-point mark: active, latent (inactive) and the ring of the selected one.
MARK_ACTIVE = QColor("#1565c0")
MARK_SELECTED_RING = QColor("#ffca28")
#: Annotations: a referral arrow from a mark, and a note pinned to the map (canvas, report, key).
ARROW_COLOUR = QColor("#ad1457")
NOTE_FILL = QColor("#fff8c5")
NOTE_BORDER = QColor("#b08800")


def tendon_fill(palette: Palette, deep: bool = False) -> QColor:
    """Tendons and aponeuroses: a pale, slightly cool white between skin and bone, never muscle red."""
    c = QColor("#f1ece6") if palette.background.lightness() >= 128 else QColor("#cfc6bd")
    if palette.greyscale:
        c = QColor(238, 238, 238)
    if deep:
        c.setAlpha(150)
    return c


def muscle_outline(fill: QColor) -> QColor:
    return fill.darker(165)


def fibre_colour(fill: QColor) -> QColor:
    c = fill.darker(125)
    c.setAlpha(120)
    return c


def region_fill(index: int) -> QColor:
    """Soft alternating tints so adjacent regions read apart."""
    tints = ["#dbe9f6", "#e6f2e2", "#f6eedb", "#efe2f3", "#e0f1f1", "#f5e1e1"]
    c = QColor(tints[index % len(tints)])
    c.setAlpha(150)
    return c


#: Referral-pattern colours, one per compared pattern (Okabe–Ito / Tol colour-blind-safe hues). All
#: are cool or saturated against the warm muscle tones, and dark enough to stay apart from the light
#: grey muscles of a greyscale print; the dark palette gets lighter variants of the same hues.
PATTERN_COLOURS_LIGHT: tuple[str, ...] = ("#0a5fc2", "#008a5e", "#7b2fa8", "#c45a00")
PATTERN_COLOURS_DARK: tuple[str, ...] = ("#5fb4ff", "#3fdca4", "#d08cff", "#ffb347")
PATTERN_NAMES: tuple[str, ...] = ("blue", "green", "purple", "orange")


def pattern_colour(index: int, palette: Palette) -> QColor:
    """The colour of the ``index``-th pattern (0 for a pattern shown alone) on ``palette``."""
    colours = PATTERN_COLOURS_DARK if palette.background.lightness() < 128 else PATTERN_COLOURS_LIGHT
    return QColor(colours[index % len(colours)])


def pattern_colour_name(index: int) -> str:
    return PATTERN_NAMES[index % len(PATTERN_NAMES)]
