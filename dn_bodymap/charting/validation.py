"""Field checks shared by the record types.

Every record validates itself on construction, so an invalid value never reaches the store and
nothing partial is ever saved. A failure names the field, for a message next to the right widget.
"""

from __future__ import annotations

import math
import re
from datetime import date
from enum import StrEnum
from typing import TypeVar

from dn_bodymap.charting.ids import is_record_id
from dn_bodymap.charting.timestamps import format_timestamp, parse_timestamp, today_utc

E = TypeVar("E", bound=StrEnum)

SHORT_TEXT = 200
LONG_TEXT = 20_000
_ANATOMY_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TRIGGER_POINT_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")
_QUESTION_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")


class ValidationError(ValueError):
    """A value is missing, of the wrong type or out of range; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def number(field: str, value: object, low: float, high: float) -> float:
    """A finite real in [low, high]; bools are refused (True is not a depth)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(field, f"must be a number, not {type(value).__name__}")
    result = float(value)
    if not math.isfinite(result):
        raise ValidationError(field, "must be a finite number")
    if not low <= result <= high:
        raise ValidationError(field, f"must be between {low:g} and {high:g}, not {result:g}")
    return result


def optional_number(field: str, value: object, low: float, high: float) -> float | None:
    return None if value is None else number(field, value, low, high)


def integer(field: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"must be a whole number, not {type(value).__name__}")
    if not low <= value <= high:
        raise ValidationError(field, f"must be between {low} and {high}, not {value}")
    return value


def optional_integer(field: str, value: object, low: int, high: int) -> int | None:
    return None if value is None else integer(field, value, low, high)


def boolean(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field, f"must be true or false, not {type(value).__name__}")
    return value


def text(field: str, value: object, max_length: int = SHORT_TEXT, *, required: bool = False) -> str:
    """Text up to ``max_length`` characters; NUL is refused (it truncates text in C libraries)."""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be text, not {type(value).__name__}")
    if "\x00" in value:
        raise ValidationError(field, "must not contain NUL characters")
    if len(value) > max_length:
        raise ValidationError(field, f"must be at most {max_length} characters")
    if required and not value.strip():
        raise ValidationError(field, "must not be empty")
    return value


def optional_text(field: str, value: object, max_length: int = SHORT_TEXT) -> str | None:
    return None if value is None else text(field, value, max_length)


def choice(field: str, value: object, enum: type[E]) -> E:
    """One of the enum's values (the enum member or its string)."""
    if isinstance(value, str):
        try:
            return enum(value)
        except ValueError:
            pass
    allowed = ", ".join(member.value for member in enum)
    raise ValidationError(field, f"must be one of {allowed}, not {value!r}")


def optional_choice(field: str, value: object, enum: type[E]) -> E | None:
    return None if value is None else choice(field, value, enum)


def record_id(field: str, value: object) -> str:
    if not is_record_id(value):
        raise ValidationError(field, f"must be a record id (a lowercase UUID), not {value!r}")
    return str(value)


def optional_record_id(field: str, value: object) -> str | None:
    return None if value is None else record_id(field, value)


def anatomy_id(field: str, value: object) -> str:
    """A snake_case atlas id such as ``trapezius`` (side is never part of the id)."""
    if not isinstance(value, str) or not _ANATOMY_ID.match(value) or len(value) > 100:
        raise ValidationError(field, f"must be a snake_case atlas id, not {value!r}")
    return value


def optional_anatomy_id(field: str, value: object) -> str | None:
    return None if value is None else anatomy_id(field, value)


def optional_trigger_point_id(field: str, value: object) -> str | None:
    """``<muscle_id>.<n>`` or ``<muscle_id>.<descriptive>``, e.g. ``trapezius.1``."""
    if value is None:
        return None
    if not isinstance(value, str) or not _TRIGGER_POINT_ID.match(value) or len(value) > 120:
        raise ValidationError(field, f"must look like muscle_id.1, not {value!r}")
    return value


def timestamp(field: str, value: object) -> str:
    """An ISO 8601 time with a zone, returned in the canonical UTC form."""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be an ISO 8601 timestamp, not {type(value).__name__}")
    try:
        return format_timestamp(parse_timestamp(value))
    except (ValueError, OverflowError) as exc:
        raise ValidationError(field, f"must be an ISO 8601 timestamp with a time zone ({exc})") from None


def optional_timestamp(field: str, value: object) -> str | None:
    return None if value is None else timestamp(field, value)


def calendar_date(field: str, value: object, *, not_after_today: bool = False) -> str:
    """An ISO date ``YYYY-MM-DD`` from 1900 on."""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a date YYYY-MM-DD, not {type(value).__name__}")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ValidationError(field, f"must be a date YYYY-MM-DD, not {value!r}") from None
    if parsed.year < 1900:
        raise ValidationError(field, "must be in 1900 or later")
    if not_after_today and parsed > today_utc():
        raise ValidationError(field, "must not be in the future")
    return parsed.isoformat()


def optional_calendar_date(field: str, value: object, *, not_after_today: bool = False) -> str | None:
    if value is None:
        return None
    return calendar_date(field, value, not_after_today=not_after_today)


def text_tuple(field: str, value: object, max_items: int = 100) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValidationError(field, "must be a list of texts")
    if len(value) > max_items:
        raise ValidationError(field, f"must have at most {max_items} items")
    return tuple(text(f"{field}[{i}]", item) for i, item in enumerate(value))


def id_tuple(field: str, value: object, max_items: int = 100) -> tuple[str, ...]:
    items = text_tuple(field, value, max_items)
    return tuple(anatomy_id(f"{field}[{i}]", item) for i, item in enumerate(items))


ScreeningAnswer = str | bool | int | float | None


def screening_answers(field: str, value: object) -> dict[str, ScreeningAnswer]:
    """Question id → a plain JSON scalar answer (finite numbers only)."""
    if not isinstance(value, dict):
        raise ValidationError(field, "must be a mapping of question id to answer")
    if len(value) > 500:
        raise ValidationError(field, "has too many answers")
    result: dict[str, ScreeningAnswer] = {}
    for key, answer in value.items():
        if not isinstance(key, str) or not _QUESTION_ID.match(key) or len(key) > 100:
            raise ValidationError(field, f"question id {key!r} must be lowercase letters/digits/_")
        where = f"{field}[{key}]"
        if isinstance(answer, float) and not math.isfinite(answer):
            raise ValidationError(where, "must be a finite number")
        if answer is not None and not isinstance(answer, str | bool | int | float):
            raise ValidationError(where, f"must be text, a number or true/false, not {answer!r}")
        if isinstance(answer, str):
            text(where, answer, LONG_TEXT)
        result[key] = answer
    return result
