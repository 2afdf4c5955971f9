"""Two visits side by side: what changed in pain and in its extent on the body map.

Extent is the drawn pain area as a share of the front and back views' body area (the same
figure ``describe`` reports as ``extent.body``), so visits drawn on either view compare directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.charting.editing.sketch import from_record
from dn_bodymap.charting.referral.describe import describe
from dn_bodymap.charting.referral.drawing import PainDrawing
from dn_bodymap.charting.summaries import SessionRecord


@dataclass(frozen=True, slots=True)
class VisitFigures:
    started_at: str
    pain_pre: int | None
    pain_post: int | None
    extent_body: float  # % of the front and back body area drawn as painful
    muscles: tuple[str, ...]  # muscle ids of the marks, in charting order, once each


@dataclass(frozen=True, slots=True)
class VisitComparison:
    earlier: VisitFigures
    later: VisitFigures
    pain_change: int | None  # later pain before treatment minus earlier; negative is better
    extent_change: float  # percentage points, later minus earlier
    muscles_added: tuple[str, ...]
    muscles_gone: tuple[str, ...]

    def summary(self) -> str:
        parts = []
        if self.pain_change is not None:
            word = "lower" if self.pain_change < 0 else "higher" if self.pain_change > 0 else "the same"
            amount = f" by {abs(self.pain_change)}" if self.pain_change else ""
            parts.append(
                f"Pain before treatment {word}{amount} ({self.earlier.pain_pre} → {self.later.pain_pre})."
            )
        else:
            parts.append("Pain before treatment not recorded at both visits.")
        word = "smaller" if self.extent_change < 0 else "larger" if self.extent_change > 0 else "unchanged"
        parts.append(
            f"Pain area {word}: {self.earlier.extent_body:.1f}% → {self.later.extent_body:.1f}% of the body."
        )
        return " ".join(parts)


def figures(record: SessionRecord, atlas: Atlas) -> VisitFigures:
    drawing = PainDrawing()
    for area in record.pain_areas:
        drawing.add(str(area.view), from_record(area.geometry))
    extent = 0.0 if drawing.is_empty() else describe(drawing, atlas).extent.get("body", 0.0)
    muscles = tuple(dict.fromkeys(m.muscle_id for m in record.marks if m.muscle_id))
    s = record.session
    return VisitFigures(s.started_at, s.pain_pre, s.pain_post, extent, muscles)


def compare_visits(first: SessionRecord, second: SessionRecord, atlas: Atlas) -> VisitComparison:
    """Ordered by date whatever the argument order: the change is always later minus earlier."""
    a, b = sorted((first, second), key=lambda r: r.session.started_at)
    earlier, later = figures(a, atlas), figures(b, atlas)
    pain = (
        later.pain_pre - earlier.pain_pre
        if later.pain_pre is not None and earlier.pain_pre is not None
        else None
    )
    return VisitComparison(
        earlier,
        later,
        pain,
        round(later.extent_body - earlier.extent_body, 2),
        tuple(m for m in later.muscles if m not in earlier.muscles),
        tuple(m for m in earlier.muscles if m not in later.muscles),
    )
