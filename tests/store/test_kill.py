"""SIGKILL at random moments never loses a saved action nor leaves half of one.

A child process charts in a loop (marks with hazard acknowledgements, pain areas, edits, deletes,
restores) and prints a line after each commit. The parent kills it at random moments, at least
100 times, and after every kill checks that each reported action is in the file exactly once,
that no action is half-applied and that SQLite's checks pass.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_builders import make_patient

from dn_bodymap.charting.records import Session
from dn_bodymap.store import open_read_only, open_store

CHILD = Path(__file__).with_name("kill_child.py")
KILLS = 100
pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")


def run_child(db: Path, session_id: str, seed: int, rng: random.Random, tmp: Path) -> list[str]:
    """Start the child and SIGKILL it: a quarter of the time at a random moment of its start
    (imports, open, checks, backup), otherwise 5-60 ms after it is ready. Returns every complete
    line it wrote: the rest of the pipe is read through the same buffered reader as the first line,
    so nothing buffered is dropped."""
    err_path = tmp / "child.err"
    with err_path.open("w") as err:
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(db), session_id, str(seed)],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    assert child.stdout is not None
    with child.stdout:
        if rng.random() < 0.25:
            time.sleep(rng.uniform(0.05, 0.8))
            first = ""
        else:
            first = child.stdout.readline()
            if first != "ready\n":
                child.kill()
                child.wait()
                pytest.fail(f"child did not start: {first!r} {err_path.read_text()}")
            time.sleep(rng.uniform(0.005, 0.060))
        child.send_signal(signal.SIGKILL)
        out = first + child.stdout.read()
    child.wait()
    assert child.returncode == -signal.SIGKILL, err_path.read_text()
    # A line cut by the kill (no newline) was not fully reported: ignore it.
    return [line for line in out.splitlines(keepends=True) if line.endswith("\n") and line != "ready\n"]


class Expected:
    def __init__(self) -> None:
        self.marks: dict[str, str] = {}  # mark id -> acknowledgement id
        self.areas: set[str] = set()
        self.passes: dict[str, int] = {}
        self.deleted: dict[str, bool] = {}
        self.actions = 0
        self.in_flight: tuple[str, str] | None = None  # ("delete" | "restore" | "update", mark id)

    def run(self, lines: list[str]) -> None:
        self.in_flight = None
        for line in lines:
            self.apply(line)

    def apply(self, line: str) -> None:
        kind, *args = line.split()
        if kind == "try":
            self.in_flight = (args[0], args[1])
            return
        self.in_flight = None
        self.actions += 1
        if kind == "mark":
            self.marks[args[0]] = args[1]
            self.deleted[args[0]] = False
        elif kind == "area":
            self.areas.add(args[0])
        elif kind == "update":
            self.passes[args[0]] = int(args[1])
        elif kind == "delete":
            self.deleted[args[0]] = True
        elif kind == "restore":
            self.deleted[args[0]] = False
        else:
            raise AssertionError(f"unexpected child output {line!r}")


def check(db: Path, expected: Expected) -> None:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        q = lambda sql, *a: conn.execute(sql, a).fetchall()  # noqa: E731
        assert q("PRAGMA integrity_check") == [("ok",)]
        assert q("PRAGMA foreign_key_check") == []
        marks = {r[0]: r[1:] for r in q("SELECT id, passes, deleted_at, notes FROM marks")}
        acks = q("SELECT mark_id, id FROM hazard_acknowledgements")
        ack_by_mark: dict[str, list[str]] = {}
        for mark_id, ack_id in acks:
            ack_by_mark.setdefault(mark_id, []).append(ack_id)
        creates: dict[str, int] = {}
        for (entity_id,) in q("SELECT entity_id FROM audit_log WHERE action = 'create'"):
            creates[entity_id] = creates.get(entity_id, 0) + 1
        areas = {r[0] for r in q("SELECT id FROM pain_areas")}

        # every mark in the file, reported or not, came with its acknowledgement and audit entry
        for mark_id, (_passes, _deleted, notes) in marks.items():
            assert notes == "with-ack"
            assert len(ack_by_mark.get(mark_id, [])) == 1, f"half-saved mark {mark_id}"
            assert creates.get(mark_id) == 1
            assert creates.get(ack_by_mark[mark_id][0]) == 1
        for area_id in areas:
            assert creates.get(area_id) == 1
        # everything reported as saved is there, once
        for mark_id, ack_id in expected.marks.items():
            assert mark_id in marks, f"lost saved mark {mark_id}"
            assert ack_by_mark[mark_id] == [ack_id]
        assert expected.areas <= areas, "lost a saved pain area"
        # Every reported update and delete/restore is in the file exactly; only the one action
        # named by the last "try" line may be unreported, and then it is all there or not at all.
        flight_kind, flight_id = expected.in_flight or ("", "")
        for mark_id, rev in expected.passes.items():
            found = marks[mark_id][0] or 0
            if (flight_kind, flight_id) == ("update", mark_id) and found == rev + 1:
                expected.passes[mark_id] = found
            else:
                assert found == rev, f"update of {mark_id}: file has {found}, reported {rev}"
        for mark_id in marks.keys() - expected.passes.keys():
            if (flight_kind, flight_id) == ("update", mark_id) and (marks[mark_id][0] or 0) == 1:
                expected.passes[mark_id] = 1
            else:
                assert not marks[mark_id][0], f"unreported update of {mark_id}"
        for mark_id, deleted in expected.deleted.items():
            in_file = marks[mark_id][1] is not None
            if in_file != deleted:
                assert flight_kind in ("delete", "restore") and flight_id == mark_id, (
                    f"{mark_id}: deleted={in_file} in the file, {deleted} as reported"
                )
                expected.deleted[mark_id] = in_file
    finally:
        conn.close()
    with open_read_only(db) as repo:
        assert repo.verify_audit() == []


def test_sigkill_loses_nothing_saved(tmp_path: Path) -> None:
    db = tmp_path / "records.db"
    with open_store(db, backups=False) as repo:
        patient = repo.add_patient(make_patient())
        session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Kill"))
    rng = random.Random(20260301)
    expected = Expected()
    runs_with_actions = 0
    for _ in range(KILLS):
        lines = run_child(db, session.id, rng.randrange(1 << 30), rng, tmp_path)
        expected.run(lines)
        runs_with_actions += bool(lines)
        check(db, expected)
    assert expected.actions > KILLS, "the child barely wrote anything between kills"
    assert runs_with_actions > KILLS // 2
    assert len(expected.marks) > 10 and len(expected.areas) > 5


def test_the_check_catches_a_lying_child(tmp_path: Path) -> None:
    """A child that reports one delete/restore or update it did not save (or the opposite) fails
    the check, unless it is the action in flight: the exact comparison can fail."""
    db = tmp_path / "records.db"
    with open_store(db, backups=False) as repo:
        patient = repo.add_patient(make_patient())
        session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Kill"))
    rng = random.Random(7)
    expected = Expected()
    while len(expected.deleted) < 3 or not expected.passes:
        expected.run(run_child(db, session.id, rng.randrange(1 << 30), rng, tmp_path))
        check(db, expected)
    expected.in_flight = None
    victim = next(iter(expected.deleted))
    expected.deleted[victim] = not expected.deleted[victim]
    with pytest.raises(AssertionError, match="as reported"):
        check(db, expected)
    expected.deleted[victim] = not expected.deleted[victim]
    updated = next(iter(expected.passes))
    expected.passes[updated] += 1
    with pytest.raises(AssertionError, match=f"update of {updated}"):
        check(db, expected)
