"""Quiz rounds without Qt: seeded questions, same-group distractors, answers, scores, the summary."""

from __future__ import annotations

import random

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import affinity
from shapely.geometry import Polygon, box

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.model import Side
from dn_bodymap.atlas.trigger_points import default_library
from dn_bodymap.teaching.quiz import (
    PASS_SCORE,
    QuizError,
    distractors,
    make_round,
    quiz_muscles,
)

SHOULDER = ["infraspinatus", "supraspinatus", "levator_scapulae", "teres_minor", "trapezius"]


@pytest.fixture(scope="module")
def atlas():
    return default_atlas()


@pytest.fixture(scope="module")
def library():
    return default_library()


def _zones(library, q):
    tp = library.instances[(q.trigger_point, q.side)]
    ess = tp.zone_geometry("essential", q.view)
    spill = tp.zone_geometry("spillover", q.view).difference(ess)
    return ess, spill


def test_same_seed_same_round(atlas, library):
    a = make_round("name_the_muscle", atlas, library, random.Random(7), count=6)
    b = make_round("name_the_muscle", atlas, library, random.Random(7), count=6)
    c = make_round("name_the_muscle", atlas, library, random.Random(8), count=6)
    assert a.questions == b.questions
    assert a.questions != c.questions


def test_round_asks_each_muscle_once_and_only_given_ones(atlas, library):
    rnd = make_round("draw_the_zone", atlas, library, random.Random(1), SHOULDER, count=50)
    assert sorted(q.muscle for q in rnd.questions) == sorted(SHOULDER)
    assert [q.number for q in rnd.questions] == list(range(1, len(SHOULDER) + 1))
    for q in rnd.questions:
        tp = library.instances[(q.trigger_point, q.side)]
        assert tp.muscle == q.muscle and q.choices == ()
        assert any(z.view == q.view for z in tp.essential)


def test_distractors_come_from_the_same_body_group_first(atlas, library):
    available = quiz_muscles(library)
    rng = random.Random(3)
    for muscle in ("infraspinatus", "gluteus_minimus", "masseter"):
        group = atlas.muscles[muscle].group
        same = [m for m in available if m != muscle and atlas.muscles[m].group == group]
        picked = distractors(muscle, atlas, available, rng, 3)
        assert muscle not in picked and len(set(picked)) == 3
        expected_same = min(3, len(same))
        assert sum(atlas.muscles[m].group == group for m in picked) == expected_same


@settings(deadline=None, max_examples=25)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 6))
def test_choices_always_hold_the_answer_once(seed, n):
    atlas, library = default_atlas(), default_library()
    rnd = make_round("name_the_muscle", atlas, library, random.Random(seed), count=5, choices=n)
    for q in rnd.questions:
        assert len(q.choices) == n and len(set(q.choices)) == n
        assert q.choices.count(q.muscle) == 1
        assert all(m in atlas.muscles for m in q.choices)


def test_choice_round_scores_and_summary(atlas, library):
    rnd = make_round("name_the_muscle", atlas, library, random.Random(11), SHOULDER, count=4)
    first = rnd.current
    wrong = next(m for m in first.choices if m != first.muscle)
    result = rnd.answer_choice(wrong)
    assert not result.correct and result.score == 0 and result.given == wrong
    assert first.muscle_name in result.explanation
    with pytest.raises(QuizError):
        rnd.answer_choice(first.muscle)  # one answer per question
    rnd.advance()
    assert rnd.answer_choice(rnd.current.muscle).correct
    rnd.advance()
    rnd.skip()
    assert rnd.answer_choice(rnd.current.muscle).score == 1.0
    rnd.advance()
    assert rnd.finished and rnd.current is None
    summary = rnd.summary()
    assert (summary.asked, summary.answered, summary.correct) == (4, 3, 2)
    assert summary.score == pytest.approx(0.5) and summary.percent == 50
    assert summary.to_review == (first.muscle, rnd.questions[2].muscle)
    assert [q.number for q in summary.skipped] == [3]


def test_drawing_scores_follow_the_known_zones(atlas, library):
    rnd = make_round("draw_the_zone", atlas, library, random.Random(5), SHOULDER, count=5)
    q = rnd.current
    ess, spill = _zones(library, q)
    exact = rnd.answer_drawing(ess)
    assert exact.score == pytest.approx(1.0, abs=1e-3) and exact.correct
    rnd.advance()

    # Essential zone plus spillover: the spillover counts half, so precision and the score drop.
    q = rnd.current
    ess, spill = _zones(library, q)
    result = rnd.answer_drawing(shapely.union(ess, spill))
    e, s = ess.area, spill.area
    precision = (e + 0.5 * s) / (e + s)
    assert result.score == pytest.approx(2 * precision / (1 + precision), abs=2e-3)
    assert result.drawing is not None
    rnd.advance()

    # A drawing far from the pattern (a box at the feet) scores nothing.
    q = rnd.current
    ess, _ = _zones(library, q)
    miss = rnd.answer_drawing(box(-5000, 5000, -4900, 5100))
    assert miss.score == 0 and not miss.correct
    rnd.advance()

    # Half of the essential zone, nothing else: recall 0.5, precision 1 → F1 = 2/3.
    q = rnd.current
    ess, _ = _zones(library, q)
    minx, miny, maxx, maxy = ess.bounds
    cut = (miny + maxy) / 2
    lo, hi = miny, maxy
    for _ in range(60):  # the horizontal line that splits the zone's area in half
        top = ess.intersection(box(minx - 1, miny - 1, maxx + 1, cut))
        if top.area < ess.area / 2:
            lo = cut
        else:
            hi = cut
        cut = (lo + hi) / 2
    half = ess.intersection(box(minx - 1, miny - 1, maxx + 1, cut))
    result = rnd.answer_drawing(half)
    assert result.score == pytest.approx(2 / 3, abs=5e-3)
    assert result.correct == (result.score >= PASS_SCORE)
    rnd.advance()

    empty = rnd.answer_drawing(Polygon())
    assert empty.score == 0 and "Nothing" in empty.explanation
    rnd.advance()
    summary = rnd.summary()
    assert summary.asked == summary.answered == 5
    assert summary.correct == 3  # exact, essential + spillover, half
    assert summary.to_review == (rnd.questions[2].muscle, rnd.questions[4].muscle)


def test_shifted_drawing_scores_less_than_exact(atlas, library):
    rnd = make_round("draw_the_zone", atlas, library, random.Random(2), ["infraspinatus"], count=1)
    q = rnd.current
    ess, _ = _zones(library, q)
    shifted = rnd.answer_drawing(affinity.translate(ess, 15, 0))
    assert 0 < shifted.score < 1


def test_bad_requests_are_refused(atlas, library):
    rng = random.Random(0)
    with pytest.raises(QuizError, match="unknown quiz kind"):
        make_round("guess", atlas, library, rng)  # type: ignore[arg-type]
    with pytest.raises(QuizError, match="unknown muscle"):
        make_round("name_the_muscle", atlas, library, rng, ["not_a_muscle"])
    with pytest.raises(QuizError, match="at least one"):
        make_round("name_the_muscle", atlas, library, rng, count=0)
    rnd = make_round("name_the_muscle", atlas, library, rng, SHOULDER, count=1)
    with pytest.raises(QuizError, match="is a name_the_muscle question"):
        rnd.answer_drawing(box(0, 0, 1, 1))
    with pytest.raises(QuizError, match="not one of the choices"):
        rnd.answer_choice("gluteus_maximus")
    with pytest.raises(QuizError, match="answer or skip"):
        rnd.advance()


def test_sides_vary_and_are_real_instances(atlas, library):
    rnd = make_round("name_the_muscle", atlas, library, random.Random(4), count=20)
    assert {q.side for q in rnd.questions} == {Side.LEFT, Side.RIGHT}
