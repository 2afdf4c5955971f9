"""Rules over a whole session: thoracic sites on both sides, and the count of high-level sites.

A guideline says never to needle both sides of the thorax in one session (bilateral
pneumothorax); a bilateral case has been published. ``review_session`` raises that as a warning of
its own and reports how many sites were high level or above.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dn_bodymap.safety.assess import Assessment, assess
from dn_bodymap.safety.hazards import HazardSet
from dn_bodymap.safety.levels import highest, rank
from dn_bodymap.safety.patient import Patient


@dataclass(frozen=True, slots=True)
class SessionWarning:
    id: str
    level: str
    message: str
    sources: tuple[str, ...]

    def to_document(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "message": self.message,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class SessionReview:
    assessments: tuple[Assessment, ...]
    high_level_sites: int
    thoracic_sides: frozenset[str]
    warnings: tuple[SessionWarning, ...]

    @property
    def level(self) -> str:
        return highest([a.level for a in self.assessments] + [w.level for w in self.warnings])

    def to_document(self) -> dict[str, Any]:
        return {
            "sites": len(self.assessments),
            "high_level_sites": self.high_level_sites,
            "thoracic_sides": sorted(self.thoracic_sides),
            "level": self.level,
            "warnings": [w.to_document() for w in self.warnings],
        }


BILATERAL_THORAX = "bilateral_thorax"


def bilateral_thorax_warning(sides: Iterable[str]) -> SessionWarning | None:
    found = set(sides) & {"left", "right"}
    if found != {"left", "right"}:
        return None
    return SessionWarning(
        BILATERAL_THORAX,
        "very_high",
        "Thoracic hazard zones on both the left and the right in one session: a pneumothorax on "
        "both sides at once is a medical emergency. Guidance is never to needle both sides of the "
        "thorax in one session; keep the other side for another day.",
        ("SAAHPC-thorax", "IrMedJ-2022"),
    )


def is_high_level_site(assessment: Assessment) -> bool:
    """A site counted among the session's high-level sites."""
    return assessment.inside and rank(assessment.level) >= rank("high")


def review_assessments(assessments: Iterable[Assessment]) -> SessionReview:
    done = tuple(assessments)
    sides: set[str] = set()
    for a in done:
        sides |= a.thoracic_sides()
    high = sum(1 for a in done if is_high_level_site(a))
    warning = bilateral_thorax_warning(sides)
    return SessionReview(done, high, frozenset(sides), (warning,) if warning else ())


def review_adding(review: SessionReview, site: Assessment) -> SessionReview:
    """``review_assessments([*review.assessments, site])`` from the review's own counts, without
    going over every site again (the check of one new mark in a large session)."""
    sides = review.thoracic_sides | site.thoracic_sides()
    warning = bilateral_thorax_warning(sides)
    high = review.high_level_sites + (1 if is_high_level_site(site) else 0)
    return SessionReview((*review.assessments, site), high, frozenset(sides), (warning,) if warning else ())


class SessionTally:
    """The session rules kept up to date site by site, so a change to one mark costs that mark.

    Holds each mark's assessment by key (a mark id), the count of high-level sites and of marks per
    thoracic side; ``review()`` equals ``review_assessments`` over the held assessments in their
    order (the order a key was first put, unless ``reorder`` says otherwise). The rules themselves
    stay in ``is_high_level_site`` and ``bilateral_thorax_warning``.
    """

    def __init__(self) -> None:
        self._sites: dict[str, Assessment] = {}
        self._high = 0
        self._sides: dict[str, int] = {}
        self._review: SessionReview | None = None

    def __len__(self) -> int:
        return len(self._sites)

    def __contains__(self, key: object) -> bool:
        return key in self._sites

    def keys(self) -> list[str]:
        return list(self._sites)

    def put(self, key: str, assessment: Assessment) -> None:
        old = self._sites.get(key)
        if old is assessment:
            return
        if old is not None:
            self._count(old, -1)
        self._sites[key] = assessment
        self._count(assessment, +1)
        self._review = None

    def drop(self, key: str) -> None:
        old = self._sites.pop(key, None)
        if old is not None:
            self._count(old, -1)
            self._review = None

    def reorder(self, keys: Iterable[str]) -> None:
        """Hold the sites in this order (keys not held are skipped; held keys not named go last)."""
        order = {k: self._sites[k] for k in keys if k in self._sites}
        order.update(self._sites)
        self._sites = order
        self._review = None

    def _count(self, assessment: Assessment, step: int) -> None:
        self._high += step if is_high_level_site(assessment) else 0
        for side in assessment.thoracic_sides():
            self._sides[side] = self._sides.get(side, 0) + step

    def review(self) -> SessionReview:
        if self._review is None:
            sides = frozenset(side for side, n in self._sides.items() if n > 0)
            warning = bilateral_thorax_warning(sides)
            self._review = SessionReview(
                tuple(self._sites.values()), self._high, sides, (warning,) if warning else ()
            )
        return self._review


def review_session(
    sites: Iterable[tuple[str, float, float]],
    patient: Patient | None = None,
    hazards: HazardSet | None = None,
) -> SessionReview:
    """Assess each (view, x, y) site of a session and apply the session rules."""
    return review_assessments(assess(v, (x, y), patient, hazards) for v, x, y in sites)
