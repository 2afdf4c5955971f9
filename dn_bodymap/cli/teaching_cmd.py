"""`pattern-score` and `lessons`: the trainer's headless pieces."""

from __future__ import annotations

import argparse
from pathlib import Path

from dn_bodymap.cli.common import CliError, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pattern-score", help="the quiz score of a drawn referral zone")
    p.add_argument("--trigger-point", required=True, metavar="ID", help="library trigger point id")
    p.add_argument("--side", required=True, choices=("left", "right"), help="the patient's side")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--regions", help="region ids, comma-separated (e.g. temple:right,posterior_neck:right)")
    src.add_argument("--geojson", type=Path, help="GeoJSON file of the drawn zone (properties.view)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_pattern_score)

    p = sub.add_parser("lessons", help="the teaching lessons and their muscles")
    p.add_argument("--file", type=Path, help="a lesson file to read instead of the user's own lessons")
    p.add_argument("--builtin", action="store_true", help="only the built-in lessons")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_lessons)


def _pattern_score(args: argparse.Namespace) -> int:
    from dn_bodymap.cli.referral_cmd import _drawing, _library
    from dn_bodymap.teaching.score import ScoreError, score_drawing

    library = _library()
    _, drawing = _drawing(args)
    try:
        result = score_drawing(args.trigger_point, args.side, drawing, library=library)
    except ScoreError as exc:
        raise CliError(str(exc)) from None
    doc = {
        "trigger_point": result.trigger_point,
        "side": str(result.side),
        "score": result.score,
        "essential_overlap": result.essential_overlap,
        "spillover_overlap": result.spillover_overlap,
        "outside": result.outside,
        "precision": result.precision,
        "views": list(result.views),
        "explanation": result.explanation,
    }
    if args.json:
        print_json(doc)
    else:
        print(result.explanation)
    return 0


def _lessons(args: argparse.Namespace) -> int:
    from dn_bodymap.teaching.lessons import (
        LessonError,
        builtin_lessons,
        default_lessons_path,
        load_lessons,
    )

    lessons = builtin_lessons()
    if not args.builtin:
        path = args.file or default_lessons_path()
        if args.file is not None and not args.file.exists():
            raise CliError(f"no lesson file at {args.file}")
        try:
            own = load_lessons(path)
        except LessonError as exc:
            raise CliError(str(exc)) from None
        taken = {lesson.id for lesson in lessons}
        lessons += [lesson for lesson in own if lesson.id not in taken]
    if args.json:
        print_json([{**lesson.to_json(), "builtin": lesson.builtin} for lesson in lessons])
    else:
        for lesson in lessons:
            print(f"{lesson.id:<20} {lesson.title}: {', '.join(lesson.muscles)}")
    return 0
