"""A session's marks as CSV: every field, exact numbers, formulas never executable."""

from __future__ import annotations

import csv
import dataclasses
import io

from exchange_builders import AWKWARD_X, AWKWARD_Y

from dn_bodymap.charting.exchange.marks_csv import columns, marks_csv
from dn_bodymap.charting.records import Mark, Patient
from dn_bodymap.store.repository import SqliteRepository


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_live_mark_with_every_field(source: SqliteRepository, rich_patient: Patient) -> None:
    signed = next(s.session for s in source.list_sessions(rich_patient.id) if s.session.is_signed)
    marks = source.load_session(signed.id).marks
    table = rows(marks_csv(marks))
    assert len(table) == len(marks) == 1  # the deleted mark is not in the live record
    assert list(table[0]) == list(columns())
    assert set(columns()) == {f.name for f in dataclasses.fields(Mark)}
    assert columns()[:2] == ("id", "session_id")
    row = table[0]
    assert float(row["x"]) == AWKWARD_X and float(row["y"]) == AWKWARD_Y
    assert row["needled"] == "true" and row["activity"] == "" and row["depth_mm"] == "12.5"


def test_text_that_looks_like_a_formula_is_quoted() -> None:
    mark = Mark(
        session_id="00000000-0000-4000-8000-000000000001",
        view="anterior",
        x=-12.5,
        y=300.0,
        atlas_version="t",
        side="right",
        notes='=HYPERLINK("http://x")',
        technique='+fast, in "and" out',
        response="@SUM(A1)",
    )
    row = rows(marks_csv([mark]))[0]
    assert row["notes"] == '\'=HYPERLINK("http://x")'
    assert row["technique"] == '\'+fast, in "and" out'
    assert row["response"] == "'@SUM(A1)"
    assert row["x"] == "-12.5"  # numbers are numbers, never prefixed


def test_no_marks_gives_the_header_only() -> None:
    assert marks_csv([]) == ",".join(columns()) + "\r\n"
