"""A needle depth (or length) entered against the published skin-to-structure depths at a site.

The warning compares the entered depth with the shallowest published skin-to-structure depth among
the hazards of an assessment (its range minimum, or its mean when only a mean is published). It
never says that a shorter depth is free of risk: the published figures are group figures and an
individual can be much closer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from dn_bodymap.safety.assess import Assessment
from dn_bodymap.safety.hazards import DepthFigure


@dataclass(frozen=True, slots=True)
class DepthWarning:
    """An entered depth beyond the shallowest published depth to a hazard at the site."""

    depth_mm: float
    limit_mm: float
    hazard_id: str
    structure: str
    message: str
    sources: tuple[str, ...]
    measure: str = ""
    population: str = ""

    def to_document(self) -> dict[str, Any]:
        return {
            "depth_mm": self.depth_mm,
            "limit_mm": self.limit_mm,
            "hazard_id": self.hazard_id,
            "structure": self.structure,
            "measure": self.measure,
            "population": self.population,
            "message": self.message,
            "sources": list(self.sources),
        }


def check_depth(depth_mm: object) -> float:
    """The entered depth as a number of millimetres; a ValueError says what is wrong."""
    try:
        value = float(depth_mm)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"depth {depth_mm!r} is not a number of millimetres") from None
    if not math.isfinite(value) or value <= 0 or value > 300:
        raise ValueError(f"depth {depth_mm!r} must be between 0 and 300 mm")
    return value


def shallowest(assessment: Assessment) -> tuple[str, str, DepthFigure] | None:
    """(hazard id, structure, figure) of the shallowest numeric depth among the site's hazards."""
    best: tuple[str, str, DepthFigure] | None = None
    for hit in assessment.hazards:
        for fig in hit.depth:
            if fig.min_mm is None:
                continue
            if best is None or fig.min_mm < (best[2].min_mm or 0.0):
                best = (hit.id, hit.structure, fig)
    return best


def depth_warning(assessment: Assessment, depth_mm: float) -> DepthWarning | None:
    """A warning when ``depth_mm`` is beyond the shallowest published depth at the site, else None.

    None only means that no published figure at this site is shallower than the entered depth; it
    does not make the depth free of risk.
    """
    value = check_depth(depth_mm)
    found = shallowest(assessment)
    if found is None:
        return None
    hazard_id, structure, fig = found
    limit = fig.min_mm or 0.0
    if value <= limit:
        return None
    ranged = fig.max_mm is not None and fig.max_mm > limit
    span = f"{limit:g}-{fig.max_mm:g} mm" if ranged else f"{limit:g} mm"
    message = (
        f"{value:g} mm is deeper than the shallowest published depth at this site: {fig.measure}, "
        f"{span} ({fig.population}; {', '.join(fig.sources)}). At this depth the needle can reach "
        f"the {structure[:1].lower() + structure[1:]}: choose a shorter needle or a direction away "
        "from it, and measure with ultrasound where available."
    )
    return DepthWarning(
        depth_mm=value,
        limit_mm=limit,
        hazard_id=hazard_id,
        structure=structure,
        message=message,
        sources=fig.sources,
        measure=fig.measure,
        population=fig.population,
    )
