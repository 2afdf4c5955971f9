"""How often a referral pattern is the cause of the pain it explains: a sourced prior per pattern.

Geometry alone lets a small exact pattern beat a common cause that fits a little less well (soleus
TrP3 for sacroiliac pain; coracobrachialis for anterior shoulder pain). A prior per library trigger
point corrects for that. It is authored next to the pattern, in ``assets/trigger_points/*.toml``::

    prevalence = { rate = 0.40, source = "Monclus2025", basis = "active TrPs in 34–45% of low back pain" }

``rate`` is the share of patients with the pattern's typical complaint in whom the muscle had active
trigger points, as published by ``source`` (a key of a ``sources.toml``); ``basis`` says which
figure and population. A pattern without a published figure gets :data:`DEFAULT_PRIOR`, stated as
such in every explanation. Priors are read from the packaged tables by trigger-point id, so a
library built from other tables (the tests' synthetic one) gets the default throughout and ranks by
geometry alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: Share given to a pattern with no published figure. It lies below every figure cited in the
#: library (30–98 %, from studies of the muscles found most often), so that a published frequency
#: wins a close call; an unstudied muscle is treated as less common, not as rare.
DEFAULT_RATE = 0.2


@dataclass(frozen=True, slots=True)
class Prior:
    rate: float
    source: str | None
    basis: str

    @property
    def published(self) -> bool:
        return self.source is not None

    @property
    def weight(self) -> float:
        """The factor the geometric fit is multiplied by, as in Bayes' rule (posterior ∝ fit × prior).
        The plain product, untempered: a square-root prior still left gluteus medius eighth for low
        back and buttock pain behind muscles with no published figure."""
        return self.rate


DEFAULT_PRIOR = Prior(DEFAULT_RATE, None, "no published prevalence figure: default")


class PriorError(ValueError):
    """A prevalence entry that cannot be used; the message names the trigger point."""


def read_priors(entries: Iterable[Mapping[str, Any]]) -> dict[str, Prior]:
    """The authored priors by trigger-point id (entries as read from the library tables)."""
    priors: dict[str, Prior] = {}
    for entry in entries:
        spec = entry.get("prevalence")
        if spec is None:
            continue
        tid = entry.get("id", "?")
        if not isinstance(spec, Mapping):
            raise PriorError(f"trigger point {tid!r}: prevalence must be a table")
        rate, source, basis = spec.get("rate"), spec.get("source"), spec.get("basis")
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate <= 1:
            raise PriorError(f"trigger point {tid!r}: prevalence rate must be a number in (0, 1]")
        if not isinstance(source, str) or not source:
            raise PriorError(f"trigger point {tid!r}: prevalence needs a source key")
        if not isinstance(basis, str) or not basis:
            raise PriorError(f"trigger point {tid!r}: prevalence needs a basis (figure and patients)")
        priors[tid] = Prior(float(rate), source, basis)
    return priors


def packaged_priors() -> dict[str, Prior]:
    from dn_bodymap.atlas.trigger_points import read_library_tables

    return read_priors(read_library_tables())
