"""Patient factors that change the assessment of a needling site.

Conditions are plain ids. The site modifiers understand the ids in ``SITE_CONDITIONS``; every
screening question id (``screening.QUESTIONS``) is also accepted, because the charting layer passes
the screening answers that were "yes" straight through. Anything else is kept as "unrecognised"
and reported, never an error: an assessment must always come back.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

#: BMI below which a patient counts as underweight (WHO adult cut-off).
LOW_BMI = 18.5
SEXES: tuple[str, ...] = ("female", "male", "other", "unspecified")

#: Conditions with a site-level effect → plain-language label.
SITE_CONDITIONS: dict[str, str] = {
    "low_bmi": "very thin build (BMI under 18.5)",
    "lung_disease": "lung disease (emphysema/COPD, lung cancer, tuberculosis, chronic bronchitis)",
    "thoracic_surgery": "previous chest (thoracic) surgery",
    "anticoagulants": "anticoagulant or antiplatelet medicine, or a bleeding disorder",
    "pregnancy": "pregnancy",
    "lymphoedema_left_arm": "lymphoedema of the left arm",
    "lymphoedema_right_arm": "lymphoedema of the right arm",
    "lymphoedema_left_leg": "lymphoedema of the left leg",
    "lymphoedema_right_leg": "lymphoedema of the right leg",
    "lymphoedema": "lymphoedema (limb not stated)",
    "breast_implants": "breast or pectoral implants",
    "implants": "other implants (buttock implant, joint replacement)",
    "pacemaker": "pacemaker or other implanted electrical device",
}
#: Other names accepted for a condition.
ALIASES: dict[str, str] = {
    "bleeding_disorder": "anticoagulants",
    "copd": "lung_disease",
    "emphysema": "lung_disease",
    "pregnant": "pregnancy",
}


def known_conditions() -> tuple[str, ...]:
    from dn_bodymap.safety.screening import QUESTIONS

    ids = list(SITE_CONDITIONS) + [q.id for q in QUESTIONS] + list(ALIASES)
    return tuple(dict.fromkeys(ids))


def normalise_condition(text: str) -> str:
    cid = text.strip().lower().replace("-", "_").replace(" ", "_")
    return ALIASES.get(cid, cid)


@dataclass(frozen=True, slots=True)
class Patient:
    """What the assessment knows about the patient; every field is optional."""

    sex: str | None = None
    bmi: float | None = None
    conditions: frozenset[str] = frozenset()
    #: Conditions given that no rule knows (reported back, never an error).
    unrecognised: tuple[str, ...] = ()
    #: Problems with the given values (e.g. a BMI that is not a finite number).
    notes: tuple[str, ...] = field(default=())

    @classmethod
    def from_values(
        cls,
        sex: object = None,
        bmi: object = None,
        conditions: Iterable[object] | str | None = None,
    ) -> Patient:
        """Tolerant construction from loose input (CLI, GUI, JSON): bad values become notes."""
        notes: list[str] = []
        clean_sex: str | None = None
        if sex is not None:
            text = str(sex).strip().lower()
            if text in SEXES:
                clean_sex = text
            elif text:
                notes.append(f"sex {sex!r} not understood; ignored")
        clean_bmi: float | None = None
        if bmi is not None:
            try:
                value = float(bmi)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                value = math.nan
            if math.isfinite(value) and 8.0 <= value <= 100.0:
                clean_bmi = value
            else:
                notes.append(f"BMI {bmi!r} is not a plausible number; ignored")
        if isinstance(conditions, str):
            conditions = conditions.split(",")
        known = set(known_conditions())
        found: set[str] = set()
        unknown: list[str] = []
        for raw in conditions or ():
            cid = normalise_condition(str(raw))
            if not cid:
                continue
            if cid in known:
                found.add(cid)
            elif cid not in unknown:
                unknown.append(cid)
        if clean_bmi is not None and clean_bmi < LOW_BMI:
            found.add("low_bmi")
        return cls(clean_sex, clean_bmi, frozenset(found), tuple(unknown), tuple(notes))

    def has(self, condition: str) -> bool:
        return condition in self.conditions
