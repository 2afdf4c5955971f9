"""Screening before dry needling: absolute contraindications and precautions as plain questions.

Lists from the McEvoy/ISCP-derived safety guideline and the APTA-adapted table (IJSPT 2014),
with the additions of reference/safety.md §5.2. ``evaluate`` turns answers into clear /
precautions / contraindicated with reasons. An absolute contraindication blocks recording
needling until the clinician records a reason to proceed: ``needling_block`` is that rule, for
the GUI and charting to call.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dn_bodymap.assets import asset_path

ABSOLUTE = "absolute"
PRECAUTION = "precaution"
STATUSES: tuple[str, ...] = ("clear", "precautions", "contraindicated")
#: The answer key where the clinician's reason to proceed is stored.
OVERRIDE_KEY = "override_reason"


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    category: str
    #: What a "yes" means, in one line (shown in the result).
    meaning: str
    sources: tuple[str, ...]

    @property
    def absolute(self) -> bool:
        return self.category == ABSOLUTE


def questions_file() -> Path:
    return asset_path("safety", "screening.toml")


def read_questions(path: Path | None = None) -> tuple[Question, ...]:
    with (path or questions_file()).open("rb") as fh:
        table = tomllib.load(fh)
    out = []
    for entry in table.get("question", []):
        if entry.get("category") not in (ABSOLUTE, PRECAUTION):
            raise ValueError(f"screening question {entry.get('id')!r}: unknown category")
        out.append(
            Question(
                entry["id"],
                entry["text"],
                entry["category"],
                entry["meaning"],
                tuple(entry.get("sources", ())),
            )
        )
    return tuple(out)


#: The checklist, absolute contraindications first.
QUESTIONS: tuple[Question, ...] = read_questions()

_BY_ID = {q.id: q for q in QUESTIONS}


def question(qid: str) -> Question:
    return _BY_ID[qid]


def is_yes(answer: object) -> bool:
    """True, "yes"/"y"/"true" and the number 1 count as yes; anything else as no."""
    if answer is True:
        return True
    if isinstance(answer, str):
        return answer.strip().lower() in ("yes", "y", "true")
    return type(answer) is int and answer == 1


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    status: str
    reasons: tuple[str, ...]
    absolute: tuple[str, ...]
    precautions: tuple[str, ...]
    override_reason: str
    unanswered: tuple[str, ...]

    @property
    def blocked(self) -> bool:
        """Needling may not be recorded: an absolute contraindication without a recorded reason."""
        return self.status == "contraindicated" and not self.override_reason

    def to_document(self) -> dict[str, object]:
        return {
            "status": self.status,
            "reasons": list(self.reasons),
            "absolute": list(self.absolute),
            "precautions": list(self.precautions),
            "override_reason": self.override_reason or None,
            "blocked": self.blocked,
            "unanswered": list(self.unanswered),
        }


def evaluate(answers: Mapping[str, object] | None) -> ScreeningResult:
    """clear / precautions / contraindicated, with a plain-language reason per "yes"."""
    answers = answers or {}
    absolute = tuple(q.id for q in QUESTIONS if q.absolute and is_yes(answers.get(q.id)))
    precautions = tuple(q.id for q in QUESTIONS if not q.absolute and is_yes(answers.get(q.id)))
    unanswered = tuple(q.id for q in QUESTIONS if q.id not in answers)
    raw_reason = answers.get(OVERRIDE_KEY)
    override = raw_reason.strip() if isinstance(raw_reason, str) else ""
    reasons: list[str] = []
    for qid in absolute:
        reasons.append(f"Absolute contraindication: {_BY_ID[qid].meaning}")
    for qid in precautions:
        reasons.append(f"Precaution: {_BY_ID[qid].meaning}")
    if absolute:
        status = "contraindicated"
        if override:
            reasons.append(f"Reason recorded by the clinician to proceed: {override}")
        else:
            reasons.append("Needling cannot be recorded until you record a reason to proceed.")
    elif precautions:
        status = "precautions"
    else:
        status = "clear"
        reasons.append("No contraindication or precaution ticked.")
    return ScreeningResult(status, tuple(reasons), absolute, precautions, override, unanswered)


def needling_block(answers: Mapping[str, object] | None) -> str | None:
    """Why needling may not be recorded yet, or None when it may.

    The rule for the GUI and charting: with an absolute contraindication ticked, a needling mark is
    refused until the clinician has recorded a reason to proceed (``override_reason``).
    """
    result = evaluate(answers)
    if not result.blocked:
        return None
    items = ", ".join(_BY_ID[qid].text.rstrip("?") for qid in result.absolute)
    return (
        f"Screening found an absolute contraindication ({items}). Record a reason to proceed "
        "before recording needling."
    )


def may_record_needling(answers: Mapping[str, object] | None) -> bool:
    return needling_block(answers) is None
