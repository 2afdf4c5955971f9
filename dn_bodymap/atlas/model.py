"""Immutable values of the atlas: views, landmarks, surface regions, muscles and their shapes.

Coordinates are atlas units (figure 1000 tall, y down, x = 0 on the midline); see DESIGN.md.
Sides are always the patient's side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model is read before any shape is (atlas/lazy.py): shapely loads later
    from shapely.geometry.base import BaseGeometry

#: The four views of the whole body.
VIEWS: tuple[str, ...] = ("anterior", "posterior", "lateral_right", "lateral_left")
BODY_VIEWS = VIEWS
#: Enlarged views of one part (docs/atlas-detail-views.md), each its own 1000-unit plane. A view
#: whose assets are not authored yet is simply absent from the built atlas.
DETAIL_VIEWS: tuple[str, ...] = (
    "plantar",
    "palmar",
    "dorsal_hand",
    "face",
    "head_lateral_right",
    "head_lateral_left",
)
ALL_VIEWS: tuple[str, ...] = VIEWS + DETAIL_VIEWS
LAYERS: tuple[str, ...] = ("superficial", "intermediate", "deep")

#: Which body view each view takes its side convention from: the soles and the backs of the hands
#: are seen like the posterior view (patient's right at x > 0), the palms and the face like the
#: anterior view, a side view of the head like the lateral view of that side.
SIDE_CONVENTION: dict[str, str] = {
    "anterior": "anterior",
    "posterior": "posterior",
    "lateral_right": "lateral_right",
    "lateral_left": "lateral_left",
    "plantar": "posterior",
    "palmar": "anterior",
    "dorsal_hand": "posterior",
    "face": "anterior",
    "head_lateral_right": "lateral_right",
    "head_lateral_left": "lateral_left",
}


def side_convention(view: str) -> str:
    """The body view whose side convention ``view`` follows (unknown names: frontal, anterior)."""
    return SIDE_CONVENTION.get(view, "anterior")


def is_one_sided(view: str) -> bool:
    """A side view (lateral_*, head_lateral_*): shows one patient side, no mirrored twin in it."""
    return side_convention(view).startswith("lateral")


def is_mirror_view(view: str) -> bool:
    """A left side view, built as the mirror image of the authored right side view."""
    return side_convention(view) == "lateral_left"


def is_detail_view(view: str) -> bool:
    return view in DETAIL_VIEWS


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    MIDLINE = "midline"


def side_of_x(view: str, x: float, midline_band: float = 0.0) -> Side:
    """The patient's side at ``x``: anterior mirrors (x < 0 is the patient's right).

    Detail views follow the body view named in ``SIDE_CONVENTION``."""
    convention = side_convention(view) if view in SIDE_CONVENTION else view
    if convention == "lateral_right":
        return Side.RIGHT
    if convention == "lateral_left":
        return Side.LEFT
    if abs(x) <= midline_band:
        return Side.MIDLINE
    right_is_negative = convention == "anterior"
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
    #: On a detail view: the body-view region ids this region enlarges (``body_regions``).
    body_regions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ViewMeta:
    """How a detail view is offered (assets/atlas/views/<frame>.toml)."""

    name: str
    label: str
    #: (body view, region ids): a click on one of these regions of that view opens this view.
    opens_from: tuple[tuple[str, tuple[str, ...]], ...] = ()


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
    #: Pieces authored with ``tendon = true``: part of the muscle for hit-testing (a mark on the
    #: Achilles tendon still names its muscle) but painted as tendon, not as muscle.
    tendon_parts: tuple[BaseGeometry, ...] = ()


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
    #: Detail views present in this atlas → how they are offered (label, where they open from).
    view_meta: dict[str, ViewMeta] = field(default_factory=dict)

    def detail_views(self) -> tuple[str, ...]:
        """The detail views built (their assets exist), in DETAIL_VIEWS order."""
        names = self.view_names()
        return tuple(v for v in DETAIL_VIEWS if v in names)

    def view_names(self) -> tuple[str, ...]:
        """The views built, without reading a shape (atlas/lazy.py)."""
        return tuple(self.views)

    def view_bounds(self, name: str) -> tuple[float, float, float, float]:
        """(min x, min y, max x, max y) of a view's silhouette, without reading a shape (atlas/lazy.py)."""
        return tuple(self.view(name).silhouette.bounds)

    def detail_view_at(self, body_view: str, region_id: str) -> str | None:
        """The detail view a click on ``region_id`` of ``body_view`` opens, if any."""
        for name in self.detail_views():
            meta = self.view_meta.get(name)
            if meta and any(v == body_view and region_id in r for v, r in meta.opens_from):
                return name
        return None

    def view(self, name: str) -> ViewData:
        try:
            return self.views[name]
        except KeyError:
            raise KeyError(f"unknown view {name!r}; expected one of {', '.join(self.views)}") from None
