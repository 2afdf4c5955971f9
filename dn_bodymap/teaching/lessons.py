"""Lesson playlists: ordered muscle lists a trainer steps through.

Built-in lessons ship in ``assets/teaching/lessons.toml``; a trainer's own lessons are saved as JSON
(one document, ``{"version": 1, "lessons": [...]}``) in the user data folder, so they survive
upgrades and are never mixed with the packaged ones.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import platformdirs

from dn_bodymap.assets import asset_path

APP_NAME = "dn-bodymap"
LESSONS_FILENAME = "lessons.json"
FORMAT_VERSION = 1
MAX_LESSONS_BYTES = 2_000_000
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]{0,63}$")


class LessonError(ValueError):
    """A lesson file or lesson that cannot be used; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str
    title: str
    muscles: tuple[str, ...]
    description: str = ""
    sources: tuple[str, ...] = ()
    builtin: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "muscles": list(self.muscles),
            "description": self.description,
            "sources": list(self.sources),
        }


def lesson_from_mapping(data: Any, where: str, builtin: bool = False) -> Lesson:
    if not isinstance(data, Mapping):
        raise LessonError(f"{where}: a lesson must be a table of id, title and muscles")
    lid, title, muscles = data.get("id"), data.get("title"), data.get("muscles")
    if not isinstance(lid, str) or not _ID_RE.match(lid):
        raise LessonError(f"{where}: the id must be lowercase letters, digits and underscores")
    if not isinstance(title, str) or not title.strip():
        raise LessonError(f"{where}: lesson {lid!r} has no title")
    if not isinstance(muscles, list) or not muscles or not all(isinstance(m, str) for m in muscles):
        raise LessonError(f"{where}: lesson {lid!r} needs a non-empty list of muscle ids")
    if len(set(muscles)) != len(muscles):
        raise LessonError(f"{where}: lesson {lid!r} lists a muscle twice")
    description = data.get("description", "")
    sources = data.get("sources", [])
    if not isinstance(description, str) or not isinstance(sources, list):
        raise LessonError(f"{where}: lesson {lid!r} has a malformed description or sources")
    return Lesson(lid, title.strip(), tuple(muscles), description, tuple(map(str, sources)), builtin)


def check_lessons(lessons: Iterable[Lesson], muscles_with_points: Iterable[str]) -> list[str]:
    """Problems with the lessons against the library: unknown muscles, repeated ids."""
    known = set(muscles_with_points)
    problems: list[str] = []
    seen: set[str] = set()
    for lesson in lessons:
        if lesson.id in seen:
            problems.append(f"lesson {lesson.id!r} appears twice")
        seen.add(lesson.id)
        problems.extend(
            f"lesson {lesson.id!r}: muscle {m!r} has no trigger points in the library"
            for m in lesson.muscles
            if m not in known
        )
    return problems


@lru_cache(maxsize=1)
def _builtin() -> tuple[Lesson, ...]:
    path = asset_path("teaching", "lessons.toml")
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return tuple(
        lesson_from_mapping(entry, f"lessons.toml lesson {i}", builtin=True)
        for i, entry in enumerate(data.get("lesson", []), 1)
    )


def builtin_lessons() -> list[Lesson]:
    return list(_builtin())


def default_lessons_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / LESSONS_FILENAME


def load_lessons(path: Path) -> list[Lesson]:
    """A trainer's saved lessons; a missing file is an empty list, a broken one a LessonError."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        if path.stat().st_size > MAX_LESSONS_BYTES:
            raise LessonError(f"{path.name} is too large to be a lesson file")
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise LessonError(f"cannot read {path.name}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise LessonError(f"{path.name} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(doc, Mapping) or not isinstance(doc.get("lessons"), list):
        raise LessonError(f"{path.name} is not a lesson file (no 'lessons' list)")
    if doc.get("version") != FORMAT_VERSION:
        raise LessonError(f"{path.name} has an unsupported version {doc.get('version')!r}")
    lessons = [lesson_from_mapping(e, f"{path.name} lesson {i}") for i, e in enumerate(doc["lessons"], 1)]
    ids = [lesson.id for lesson in lessons]
    if len(set(ids)) != len(ids):
        raise LessonError(f"{path.name} repeats a lesson id")
    return lessons


def save_lessons(path: Path, lessons: Iterable[Lesson]) -> None:
    """Write atomically (temporary file, then replace) so a crash never leaves half a file."""
    path = Path(path)
    lessons = list(lessons)
    ids = [lesson.id for lesson in lessons]
    if len(set(ids)) != len(ids):
        raise LessonError("two lessons share an id")
    for lesson in lessons:
        lesson_from_mapping(lesson.to_json(), f"lesson {lesson.id!r}")  # same checks as loading
    doc = {"version": FORMAT_VERSION, "lessons": [lesson.to_json() for lesson in lessons]}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lessons-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def all_lessons(user_path: Path | None = None) -> list[Lesson]:
    """Built-in lessons first, then the trainer's own (a user lesson may not reuse a built-in id)."""
    builtin = builtin_lessons()
    taken = {lesson.id for lesson in builtin}
    user = load_lessons(user_path or default_lessons_path())
    return builtin + [lesson for lesson in user if lesson.id not in taken]
