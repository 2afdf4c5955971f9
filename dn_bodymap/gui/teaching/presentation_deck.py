"""What a presentation shows at each moment, without Qt: the slides and the trainer's toggles.

A slide is one trigger point of one muscle of the lesson, in lesson order. Each slide opens with the
muscle alone, then reveals its trigger point, then its referral pattern, so the class can guess
before seeing the answer. Muscles start faded: on a projector the pattern must read first.
Keeping this state out of the widget lets tests drive it directly and keeps the key handling a thin
translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from dn_bodymap.atlas.model import Side
from dn_bodymap.atlas.trigger_points import Library
from dn_bodymap.render.referral_overlay import MUSCLE_MODES

STAGES: tuple[str, ...] = ("muscle", "trigger_point", "pattern")


class DeckError(ValueError):
    """A lesson that gives nothing to present."""


@dataclass(frozen=True, slots=True)
class Slide:
    muscle: str
    trigger_point: str


def _natural(tid: str) -> list[object]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", tid)]


class Deck:
    def __init__(self, library: Library, muscles: Iterable[str], side: Side = Side.RIGHT) -> None:
        self.library = library
        self.muscles = list(dict.fromkeys(muscles))
        self.skipped: list[str] = []
        slides: list[Slide] = []
        for muscle in self.muscles:
            ids = sorted({tp.id for tp in library.for_muscle(muscle)}, key=_natural)
            if not ids:
                self.skipped.append(muscle)
            slides.extend(Slide(muscle, tid) for tid in ids)
        if not slides:
            raise DeckError("none of these muscles has a trigger point in the library")
        self.slides = tuple(slides)
        self.index = 0
        self.stage = 0
        self.side = side
        self.show_spillover = True
        self.muscles_mode = "faded"
        self.zoomed = False
        self.view_offset = 0

    @property
    def slide(self) -> Slide:
        return self.slides[self.index]

    @property
    def stage_name(self) -> str:
        return STAGES[self.stage]

    @property
    def fully_revealed(self) -> bool:
        return self.stage == len(STAGES) - 1

    def go_to(self, index: int) -> bool:
        index = max(0, min(index, len(self.slides) - 1))
        if index == self.index:
            return False
        self.index, self.stage, self.view_offset = index, 0, 0
        return True

    def next(self) -> bool:
        return self.go_to(self.index + 1)

    def previous(self) -> bool:
        return self.go_to(self.index - 1)

    def reveal(self) -> bool:
        if self.fully_revealed:
            return False
        self.stage += 1
        return True

    def advance(self) -> bool:
        """The space bar: reveal the next step, or move on when everything is shown."""
        return self.reveal() or self.next()

    def reveal_all(self) -> None:
        self.stage = len(STAGES) - 1

    def toggle_spillover(self) -> None:
        self.show_spillover = not self.show_spillover

    def cycle_muscles(self) -> str:
        self.muscles_mode = MUSCLE_MODES[(MUSCLE_MODES.index(self.muscles_mode) + 1) % len(MUSCLE_MODES)]
        return self.muscles_mode

    def toggle_zoom(self) -> None:
        self.zoomed = not self.zoomed

    def toggle_side(self) -> None:
        self.side = Side.LEFT if self.side is Side.RIGHT else Side.RIGHT

    def next_view(self) -> None:
        self.view_offset += 1
