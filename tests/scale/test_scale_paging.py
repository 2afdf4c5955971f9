"""`patients` and `sessions` page with --limit/--offset: disjoint pages that add up to the whole."""

from __future__ import annotations

import json

import pytest

from dn_bodymap.cli import main
from dn_bodymap.cli.records_cmd import SESSIONS_PAGE


def _listing(capsys, db, *args: str) -> list[dict]:
    assert main(["--db", str(db), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("command", "page"), [("patients", 7), ("sessions", 40)])
def test_pages_are_disjoint_and_complete(clinic, capsys, command: str, page: int) -> None:
    db = clinic[0]
    everything = _listing(capsys, db, command, "--limit", "1000000")
    pages = []
    offset = 0
    while True:
        rows = _listing(capsys, db, command, "--limit", str(page), "--offset", str(offset))
        if not rows:
            break
        assert len(rows) <= page
        pages.append(rows)
        offset += page
    ids = [row["id"] for rows in pages for row in rows]
    assert len(ids) == len(set(ids))  # disjoint
    assert ids == [row["id"] for row in everything]  # complete, same order
    assert all(len(rows) == page for rows in pages[:-1])


def test_sessions_show_one_page_by_default_and_patients_all(clinic, capsys) -> None:
    db, counts = clinic
    assert counts["sessions"] > SESSIONS_PAGE
    assert len(_listing(capsys, db, "sessions")) == SESSIONS_PAGE
    assert len(_listing(capsys, db, "patients")) == counts["patients"]


def test_a_full_text_page_says_how_to_get_the_next(clinic, capsys) -> None:
    assert main(["--db", str(clinic[0]), "sessions", "--limit", "5", "--offset", "10"]) == 0
    assert "next page: --offset 15" in capsys.readouterr().out


@pytest.mark.parametrize("bad", [["--limit", "-1"], ["--offset", "x"], ["--limit", "1.5"]])
def test_bad_paging_is_one_line_and_exit_2(clinic, capsys, bad: list[str]) -> None:
    assert main_exit(["--db", str(clinic[0]), "sessions", *bad]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def main_exit(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse errors end the process with code 2
        return int(exc.code or 0)
