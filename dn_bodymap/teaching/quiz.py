"""Quiz rounds without Qt: questions drawn with a seeded ``random.Random``, answers, the summary.

Two kinds of question. ``name_the_muscle``: a referral pattern is shown and the trainee picks the
muscle among choices; the wrong choices come from the same body group, because telling neighbours
apart is what trainees find hard (and a choice from across the body is a give-away). ``draw_the_zone``:
a muscle is named and the trainee draws where it refers pain; the drawing is scored by
``teaching.score`` against the essential and spillover zones on the question's view.

The round never reads a clock or global random state, so a seed reproduces a round exactly.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.model import Atlas, Side
from dn_bodymap.atlas.trigger_points import Library
from dn_bodymap.teaching.score import PatternScore, main_view, score_drawing

QuizKind = Literal["name_the_muscle", "draw_the_zone"]
KINDS: tuple[QuizKind, ...] = ("name_the_muscle", "draw_the_zone")
KIND_TITLES: dict[str, str] = {
    "name_the_muscle": "Pick the muscle",
    "draw_the_zone": "Draw the referral zone",
}
DEFAULT_QUESTIONS = 8
DEFAULT_CHOICES = 4
#: A drawing that scores at least this counts as right in the summary (the score is still shown).
PASS_SCORE = 0.6


class QuizError(ValueError):
    """A round that cannot be built or an answer that does not fit the question."""


@dataclass(frozen=True, slots=True)
class Question:
    number: int
    kind: QuizKind
    muscle: str
    muscle_name: str
    trigger_point: str
    trigger_point_label: str
    side: Side
    #: The view the pattern is shown on (or drawn on): the one where its essential zone is largest.
    view: str
    #: Muscle ids to choose from (the answer among them); empty for a drawing question.
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Result:
    question: Question
    score: float
    correct: bool
    #: The muscle picked, for a choice question.
    given: str | None
    explanation: str
    #: The drawing as given, for a drawing question (the window draws the answer over it).
    drawing: BaseGeometry | None = None


@dataclass(frozen=True, slots=True)
class RoundSummary:
    kind: QuizKind
    asked: int
    answered: int
    correct: int
    #: Mean score over the questions asked (an unanswered question counts 0).
    score: float
    results: tuple[Result, ...]
    #: Muscles worth reviewing: answered wrongly or left unanswered, in question order.
    to_review: tuple[str, ...]
    skipped: tuple[Question, ...] = ()

    @property
    def percent(self) -> int:
        return round(100 * self.score)


#: (trigger point id, side, drawing, view) → score; the default is ``teaching.score.score_drawing``.
Scorer = Callable[[str, str, BaseGeometry, str], PatternScore]


def quiz_muscles(library: Library) -> list[str]:
    """Muscles that can be asked about: those with a trigger point and an essential zone."""
    return sorted({tp.muscle for tp in library.instances.values() if tp.essential})


def make_round(
    kind: QuizKind,
    atlas: Atlas,
    library: Library,
    rng: random.Random,
    muscles: Iterable[str] | None = None,
    count: int = DEFAULT_QUESTIONS,
    choices: int = DEFAULT_CHOICES,
    scorer: Scorer | None = None,
) -> QuizRound:
    """A round of up to ``count`` questions on ``muscles`` (default: every muscle with a pattern)."""
    if kind not in KINDS:
        raise QuizError(f"unknown quiz kind {kind!r}; expected one of {', '.join(KINDS)}")
    if count < 1:
        raise QuizError("a round needs at least one question")
    if choices < 2:
        raise QuizError("a choice question needs at least two choices")
    available = quiz_muscles(library)
    if muscles is None:
        pool = available
    else:
        wanted = list(dict.fromkeys(muscles))
        unknown = [m for m in wanted if m not in atlas.muscles]
        if unknown:
            raise QuizError(f"unknown muscle {unknown[0]!r}")
        pool = [m for m in wanted if m in available]
        if not pool:
            raise QuizError("none of these muscles has a referral pattern in the library")
    picked = rng.sample(pool, min(count, len(pool)))
    questions = [
        _question(i + 1, kind, muscle, atlas, library, rng, available, choices)
        for i, muscle in enumerate(picked)
    ]
    if scorer is None:

        def scorer(tid: str, side: str, drawing: BaseGeometry, view: str) -> PatternScore:
            return score_drawing(tid, side, drawing, view=view, library=library)

    return QuizRound(kind, questions, scorer)


def _question(
    number: int,
    kind: QuizKind,
    muscle: str,
    atlas: Atlas,
    library: Library,
    rng: random.Random,
    available: Sequence[str],
    n_choices: int,
) -> Question:
    ids = sorted({tp.id for tp in library.for_muscle(muscle) if tp.essential})
    tid = rng.choice(ids)
    side = rng.choice((Side.RIGHT, Side.LEFT))
    tp = library.instances[(tid, side)]
    view = main_view(tp)
    options: tuple[str, ...] = ()
    if kind == "name_the_muscle":
        options = (*distractors(muscle, atlas, available, rng, n_choices - 1), muscle)
        options = tuple(rng.sample(options, len(options)))
    return Question(
        number=number,
        kind=kind,
        muscle=muscle,
        muscle_name=atlas.muscles[muscle].name,
        trigger_point=tid,
        trigger_point_label=tp.label,
        side=side,
        view=view,
        choices=options,
    )


def distractors(muscle: str, atlas: Atlas, available: Sequence[str], rng: random.Random, n: int) -> list[str]:
    """``n`` other muscles, from the same body group first, then from the rest of the body."""
    group = atlas.muscles[muscle].group
    same = sorted(m for m in available if m != muscle and atlas.muscles[m].group == group)
    other = sorted(m for m in available if m != muscle and atlas.muscles[m].group != group)
    chosen = rng.sample(same, min(n, len(same)))
    if len(chosen) < n:
        chosen += rng.sample(other, min(n - len(chosen), len(other)))
    return chosen


class QuizRound:
    """The questions of one round in order, and the answers given so far."""

    def __init__(self, kind: QuizKind, questions: Sequence[Question], scorer: Scorer | None = None) -> None:
        if not questions:
            raise QuizError("a round needs at least one question")
        self.kind = kind
        self.questions = tuple(questions)
        self._scorer = scorer
        self._results: list[Result | None] = [None] * len(questions)
        self._index = 0

    @property
    def index(self) -> int:
        return self._index

    @property
    def finished(self) -> bool:
        return self._index >= len(self.questions)

    @property
    def current(self) -> Question | None:
        return None if self.finished else self.questions[self._index]

    def result(self, number: int) -> Result | None:
        return self._results[number - 1]

    def answer_choice(self, muscle: str) -> Result:
        q = self._open("name_the_muscle")
        if muscle not in q.choices:
            raise QuizError(f"{muscle!r} is not one of the choices")
        right = muscle == q.muscle
        text = (
            f"Right: {q.muscle_name} ({q.trigger_point_label})."
            if right
            else f"Not quite: this is {q.muscle_name} ({q.trigger_point_label})."
        )
        return self._record(Result(q, 1.0 if right else 0.0, right, muscle, text))

    def answer_drawing(self, drawing: BaseGeometry) -> Result:
        """Score a drawing on the question's view; an empty drawing scores 0 and is kept."""
        q = self._open("draw_the_zone")
        if drawing.is_empty or drawing.area <= 0:
            return self._record(Result(q, 0.0, False, None, "Nothing was drawn.", drawing))
        scored = self._score(q, drawing)
        score = float(scored.score)
        return self._record(Result(q, score, score >= PASS_SCORE, None, scored.explanation, drawing))

    def skip(self) -> None:
        """Move on without an answer (the question counts 0 and goes on the review list)."""
        if self.finished:
            raise QuizError("the round is over")
        self._index += 1

    def advance(self) -> None:
        """Go to the next question after an answer was shown."""
        if self.finished:
            raise QuizError("the round is over")
        if self._results[self._index] is None:
            raise QuizError("answer or skip the question first")
        self._index += 1

    def summary(self) -> RoundSummary:
        done = tuple(r for r in self._results if r is not None)
        asked = len(self.questions)
        review = tuple(
            q.muscle for q, r in zip(self.questions, self._results, strict=True) if r is None or not r.correct
        )
        return RoundSummary(
            kind=self.kind,
            asked=asked,
            answered=len(done),
            correct=sum(r.correct for r in done),
            score=sum(r.score for r in done) / asked,
            results=done,
            to_review=review,
            skipped=tuple(q for q, r in zip(self.questions, self._results, strict=True) if r is None),
        )

    def _open(self, kind: str) -> Question:
        q = self.current
        if q is None:
            raise QuizError("the round is over")
        if q.kind != kind:
            raise QuizError(f"this question is a {q.kind} question")
        if self._results[self._index] is not None:
            raise QuizError("this question has been answered")
        return q

    def _record(self, result: Result) -> Result:
        self._results[self._index] = result
        return result

    def _score(self, q: Question, drawing: BaseGeometry) -> PatternScore:
        if self._scorer is not None:
            return self._scorer(q.trigger_point, str(q.side), drawing, q.view)
        return score_drawing(q.trigger_point, str(q.side), drawing, view=q.view)
