"""Gesture geometry for the arrow and note tools, without Qt (CONVENTIONS §6).

The canvas turns a drag into plain atlas-unit points; here the drag becomes an arrow: its start
snaps onto the mark it was pressed on (or near), its tip finds the pain area it points into, and
a drag too short to read as an arrow is refused with a sentence the clinician can act on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the session screen paints before it needs shapely
    from shapely.geometry.base import BaseGeometry

XY = tuple[float, float]
MIN_ARROW_LENGTH = 4.0  # atlas units (about a fingertip at the default zoom): shorter is a slip
SNAP_TOLERANCE = 10.0  # atlas units, used when the canvas does not pass its zoom-aware value
DECIMALS = 2  # the precision marks are stored at; a redo rebuilds exactly the same values


class AnnotationGestureError(ValueError):
    """A gesture that gives no usable arrow or note; the message is shown to the clinician."""


@dataclass(frozen=True, slots=True)
class ArrowDraft:
    start: XY
    tip: XY
    mark_id: str | None
    pain_area_id: str | None

    @property
    def points(self) -> tuple[XY, XY]:
        return (self.start, self.tip)


def _round(point: XY) -> XY:
    return (round(float(point[0]), DECIMALS), round(float(point[1]), DECIMALS))


def snap_to_mark(
    point: XY, marks: Iterable[tuple[str, float, float]], tolerance: float
) -> tuple[str | None, XY]:
    """The nearest mark within ``tolerance`` of ``point`` (id, its position), else (None, point)."""
    best: tuple[float, str, XY] | None = None
    for mark_id, x, y in marks:
        distance = math.dist(point, (x, y))
        if distance <= tolerance and (best is None or distance < best[0]):
            best = (distance, mark_id, (x, y))
    if best is None:
        return None, point
    return best[1], best[2]


def area_at(point: XY, areas: Iterable[tuple[str, BaseGeometry]], tolerance: float = 0.0) -> str | None:
    """The pain area under ``point`` (or within ``tolerance`` of it); the smallest wins, so an
    arrow into a small patch inside a large one refers to the small one."""
    from shapely.geometry import Point

    here = Point(point)
    best: tuple[float, float, str] | None = None
    for area_id, geometry in areas:
        distance = geometry.distance(here)
        if distance <= tolerance:
            key = (distance, geometry.area, area_id)
            if best is None or key < best:
                best = key
    return None if best is None else best[2]


def arrow_from_drag(
    points: Sequence[XY],
    marks: Iterable[tuple[str, float, float]] = (),
    areas: Iterable[tuple[str, BaseGeometry]] = (),
    tolerance: float = SNAP_TOLERANCE,
) -> ArrowDraft:
    """A straight arrow from where the drag started (snapped to a mark) to where it ended."""
    finite = [(float(x), float(y)) for x, y in points if math.isfinite(x) and math.isfinite(y)]
    if not finite:
        raise AnnotationGestureError("nothing was drawn")
    mark_id, start = snap_to_mark(finite[0], marks, tolerance)
    start, tip = _round(start), _round(finite[-1])
    if math.dist(start, tip) < MIN_ARROW_LENGTH:
        raise AnnotationGestureError("No arrow drawn: press on a mark and drag to where its pain refers.")
    return ArrowDraft(start, tip, mark_id, area_at(tip, areas, tolerance / 2))


def note_anchor(x: float, y: float) -> XY:
    """Where a note is pinned, at the stored precision."""
    if not (math.isfinite(x) and math.isfinite(y)):
        raise AnnotationGestureError("a note needs a point on the map")
    return _round((x, y))


def note_text(text: str) -> str:
    """The text as it will be stored: surrounding blanks dropped; empty means no note."""
    cleaned = text.strip()
    if not cleaned:
        raise AnnotationGestureError("No note added: it has no text.")
    return cleaned
