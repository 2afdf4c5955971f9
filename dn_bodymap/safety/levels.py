"""Hazard levels, ordered from none to no_needle."""

from __future__ import annotations

from collections.abc import Iterable

LEVELS: tuple[str, ...] = ("none", "caution", "high", "very_high", "no_needle")
#: Levels a hazard zone may have (a zone is never "none").
ZONE_LEVELS: tuple[str, ...] = LEVELS[1:]
LABELS: dict[str, str] = {
    "none": "no mapped hazard",
    "caution": "caution",
    "high": "high risk",
    "very_high": "very high risk",
    "no_needle": "do not needle",
}


def rank(level: str) -> int:
    try:
        return LEVELS.index(level)
    except ValueError:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}") from None


def highest(levels: Iterable[str]) -> str:
    return max(levels, key=rank, default="none")


def raised(level: str, steps: int = 1) -> str:
    """One step up, but a modifier never turns a hazard into a no-needle zone by itself."""
    if level == "no_needle":
        return level
    return LEVELS[min(rank(level) + steps, rank("very_high"))]


def at_least(level: str, floor: str) -> bool:
    return rank(level) >= rank(floor)


#: The level from which a site needs the clinician's acknowledgement in the session where it is marked.
ACKNOWLEDGE_FROM = "high"


def needs_acknowledgement(level: str) -> bool:
    """A mark at ``high`` or above is placed, moved, copied or needled only with an acknowledgement."""
    return rank(level) >= rank(ACKNOWLEDGE_FROM)


def label(level: str) -> str:
    """The plain words for a level, as every screen and report shows it."""
    return LABELS.get(level, level.replace("_", " "))
