"""Immutable values of the atlas: views, landmarks, surface regions, muscles and their shapes.

Coordinates are atlas units (figure 1000 tall, y down, x = 0 on the midline); see DESIGN.md.
Sides are always the patient's side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from shapely.geometry.base import BaseGeometry

VIEWS: tuple[str, ...] = ("anterior", "posterior", "lateral_right", "lateral_left")
LAYERS: tuple[str, ...] = ("superficial", "intermediate", "deep")


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    MIDLINE = "midline"


def side_of_x(view: str, x: float, midline_band: float = 0.0) -> Side:
    """The patient's side at ``x``: anterior mirrors (x < 0 is the patient's right)."""
    if view == "lateral_right":
        return Side.RIGHT
    if view == "lateral_left":
        return Side.LEFT
    if abs(x) <= midline_band:
        return Side.MIDLINE
    right_is_negative = view == "anterior"
    return Side.RIGHT if (x < 0) == right_is_negative else Side.LEFT


@dataclass(frozen=True, slots=True)
class Landmark:
    id: str
    label: str
    view: str
    side: Side
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    label: str
    view: str
    side: Side
    geometry: BaseGeometry
    anchor: tuple[float, float]


@dataclass(frozen=True, slots=True)
class Muscle:
    id: str
    name: str
    latin: str
    group: str
    layer: str
    #: Main fibre direction in degrees (0 = along +x, 90 = along +y), for the fibre hatching.
    fibre_angle: float | None = None


@dataclass(frozen=True, slots=True)
class MuscleShape:
    muscle_id: str
    view: str
    side: Side
    layer: str
    geometry: BaseGeometry
    anchor: tuple[float, float]
    fibre_angle: float | None = None
    #: (piece, fibre angle) per authored shape, so one muscle can show several fibre directions
    #: (upper and lower trapezius, a fan such as latissimus).
    fibre_parts: tuple[tuple[BaseGeometry, float], ...] = ()


@dataclass(slots=True)
class ViewData:
    name: str
    silhouette: BaseGeometry
    landmarks: dict[tuple[str, Side], Landmark] = field(default_factory=dict)
    regions: list[Region] = field(default_factory=list)
    muscle_shapes: list[MuscleShape] = field(default_factory=list)
    #: Outline pieces drawn as detail lines (face, navel, fingers): no clinical meaning.
    details: list[BaseGeometry] = field(default_factory=list)

    def landmark(self, landmark_id: str, side: Side | str | None = None) -> Landmark:
        """A landmark by id; ``side`` may be omitted for midline landmarks."""
        if side is None:
            for candidate in (Side.MIDLINE, Side.RIGHT):
                if (landmark_id, candidate) in self.landmarks:
                    return self.landmarks[(landmark_id, candidate)]
            raise KeyError(f"no landmark {landmark_id!r} on the {self.name} view")
        key = (landmark_id, Side(side))
        if key not in self.landmarks:
            raise KeyError(f"no landmark {landmark_id!r} ({side}) on the {self.name} view")
        return self.landmarks[key]


@dataclass(slots=True)
class Atlas:
    version: str
    views: dict[str, ViewData]
    muscles: dict[str, Muscle]

    def view(self, name: str) -> ViewData:
        try:
            return self.views[name]
        except KeyError:
            raise KeyError(f"unknown view {name!r}; expected one of {', '.join(self.views)}") from None
