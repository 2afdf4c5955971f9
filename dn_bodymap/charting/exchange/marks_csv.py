"""A session's marks as CSV for a spreadsheet: one row per mark, one column per field."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable

from dn_bodymap.charting.exchange.encode import json_value
from dn_bodymap.charting.records import Mark

# A cell starting with one of these is run as a formula by spreadsheet programs ("CSV injection");
# free text from a record is prefixed with an apostrophe so it is shown, never executed.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def columns() -> tuple[str, ...]:
    """Every field of a mark (new fields appear by themselves), ids first for lookups."""
    rest = [f.name for f in dataclasses.fields(Mark) if f.name not in ("id", "session_id")]
    return ("id", "session_id", *rest)


def marks_csv(marks: Iterable[Mark]) -> str:
    """CSV text (RFC 4180, CRLF line ends); numbers unrounded, true/false for flags."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = columns()
    writer.writerow(names)
    for mark in marks:
        writer.writerow([_cell(json_value(getattr(mark, name))) for name in names])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
