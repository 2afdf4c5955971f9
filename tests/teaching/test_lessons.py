"""Lesson playlists: the built-in pictures, and a trainer's own saved and reopened."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dn_bodymap.atlas.sources import default_sources
from dn_bodymap.atlas.trigger_points import default_library
from dn_bodymap.teaching.lessons import (
    Lesson,
    LessonError,
    all_lessons,
    builtin_lessons,
    check_lessons,
    load_lessons,
    save_lessons,
)

PICTURES = {"headache", "neck_shoulder", "low_back_buttock", "sciatica_like", "lateral_elbow", "knee", "heel"}


def test_the_common_pictures_are_built_in_and_every_muscle_has_a_pattern():
    lessons = builtin_lessons()
    assert {lesson.id for lesson in lessons} == PICTURES
    with_points = {tp.muscle for tp in default_library().instances.values()}
    assert check_lessons(lessons, with_points) == []
    for lesson in lessons:
        assert lesson.builtin and len(lesson.muscles) >= 3 and lesson.title and lesson.description
        assert lesson.sources and all(key in default_sources() for key in lesson.sources)
    heel = next(lesson for lesson in lessons if lesson.id == "heel")
    assert heel.muscles[0] == "soleus"


def test_check_lessons_names_unknown_muscles_and_repeated_ids():
    lessons = [Lesson("a", "A", ("soleus", "nobody")), Lesson("a", "A again", ("soleus",))]
    problems = check_lessons(lessons, {"soleus"})
    assert any("nobody" in p for p in problems) and any("twice" in p for p in problems)


def test_save_and_reopen_keeps_order_and_text(tmp_path):
    path = tmp_path / "sub" / "lessons.json"
    mine = [
        Lesson("my_neck", "My neck class", ("levator_scapulae", "trapezius", "splenius_cervicis"), "Tuesday"),
        Lesson("calf", "Calf – Wade's «version»", ("soleus", "gastrocnemius")),
    ]
    save_lessons(path, mine)
    assert load_lessons(path) == mine
    assert not list(path.parent.glob(".lessons-*"))  # no temporary file left behind
    ids = [lesson.id for lesson in all_lessons(path)]
    assert ids[: len(PICTURES)] == [lesson.id for lesson in builtin_lessons()]
    assert ids[-2:] == ["my_neck", "calf"]


def test_a_missing_file_is_no_lessons(tmp_path):
    assert load_lessons(tmp_path / "none.json") == []


@pytest.mark.parametrize(
    "content, message",
    [
        ("{", "not valid JSON"),
        ('{"version": 1}', "no 'lessons' list"),
        ('{"version": 9, "lessons": []}', "unsupported version"),
        ('{"version": 1, "lessons": [{"id": "x", "title": "X", "muscles": []}]}', "non-empty list"),
        ('{"version": 1, "lessons": [{"id": "Bad Id", "title": "X", "muscles": ["soleus"]}]}', "lowercase"),
        (
            '{"version": 1, "lessons": [{"id": "a", "title": "A", "muscles": ["soleus"]},'
            '{"id": "a", "title": "B", "muscles": ["soleus"]}]}',
            "repeats",
        ),
    ],
)
def test_a_broken_file_is_refused_with_a_message(tmp_path, content, message):
    path = tmp_path / "lessons.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LessonError, match=message):
        load_lessons(path)


def test_saving_refuses_duplicate_ids_and_leaves_the_old_file(tmp_path):
    path = tmp_path / "lessons.json"
    save_lessons(path, [Lesson("a", "A", ("soleus",))])
    before = path.read_text()
    with pytest.raises(LessonError):
        save_lessons(path, [Lesson("b", "B", ("soleus",)), Lesson("b", "B", ("soleus",))])
    assert path.read_text() == before and json.loads(before)["version"] == 1


@settings(deadline=None, max_examples=40)
@given(
    title=st.text(min_size=1, max_size=60).filter(lambda t: t.strip()),
    description=st.text(max_size=200),
    muscles=st.lists(
        st.sampled_from(["soleus", "trapezius", "piriformis", "masseter"]), min_size=1, unique=True
    ),
)
def test_any_lesson_text_round_trips(tmp_path_factory, title, description, muscles):
    path = tmp_path_factory.mktemp("l") / "lessons.json"
    lesson = Lesson("x", title.strip(), tuple(muscles), description)
    save_lessons(path, [lesson])
    assert load_lessons(path) == [lesson]
