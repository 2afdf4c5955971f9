"""Record-store benchmark: prints medians and ratios against bare sqlite3 on the same disk.

    /opt/venv/bin/python bench/bench_store.py

Figures: saving one mark (mark row + audit entry, one transaction, WAL + synchronous=FULL) vs a
bare sqlite3 INSERT + COMMIT with the same pragmas; loading a patient with 100 sessions of 30 marks;
patient search over 10,000 patients; opening that database (checks + backup).
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dn_bodymap.charting.enums import Side, View
from dn_bodymap.charting.records import Mark, Patient, Session
from dn_bodymap.store import open_store
from dn_bodymap.store.repository import SqliteRepository

REPEATS = 200


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def mark_for(session: Session, rng: random.Random) -> Mark:
    return Mark(
        session_id=session.id,
        view=View.POSTERIOR,
        x=rng.uniform(-300, 300),
        y=rng.uniform(0, 1000),
        atlas_version="bench-1",
        side=Side.RIGHT,
        muscle_id="trapezius",
        trigger_point_id="trapezius.1",
        tenderness=6,
        needled=True,
        needle_gauge_mm=0.25,
        needle_length_mm=30.0,
        depth_mm=12.0,
        technique="fast-in fast-out",
        passes=5,
        notes="bench",
    )


def bench_save_mark(folder: Path) -> tuple[float, float]:
    rng = random.Random(1)
    with open_store(folder / "save.db", actor="bench", backups=False) as repo:
        patient = repo.add_patient(Patient(display_name="Bench Patient"))
        session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Bench"))
        store_ms = median_ms(lambda: repo.add_mark(mark_for(session, rng)), REPEATS)

    conn = sqlite3.connect(folder / "bare.db", isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "secure_delete=ON"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE marks (id TEXT PRIMARY KEY, session_id TEXT, x REAL, y REAL)")
    counter = iter(range(10**9))

    def bare() -> None:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO marks VALUES (?, 's', ?, ?)", (str(next(counter)), rng.random(), 1.0))
        conn.execute("COMMIT")

    bare_ms = median_ms(bare, REPEATS)
    conn.close()
    return store_ms, bare_ms


def bench_load_chart(folder: Path) -> float:
    rng = random.Random(2)
    with open_store(folder / "chart.db", actor="bench", backups=False) as repo:
        patient = repo.add_patient(Patient(display_name="Long History"))
        with repo.db.atomic():  # nested calls become savepoints: one commit for the fixture
            for day in range(100):
                session = repo.create_session(
                    Session(
                        patient_id=patient.id,
                        clinician="Dr Bench",
                        started_at=f"2025-{1 + day // 28:02d}-{1 + day % 28:02d}T09:00:00Z",
                    )
                )
                for _ in range(30):
                    repo.add_mark(mark_for(session, rng))
        chart = repo.load_patient_chart(patient.id)
        assert len(chart.sessions) == 100 and sum(len(s.marks) for s in chart.sessions) == 3000
        return median_ms(lambda: repo.load_patient_chart(patient.id), 15)


FIRST = ["Alex", "Sam", "Jordan", "Morgan", "Casey", "Robin", "Taylor", "José", "Zoë", "Ana"]
LAST = ["Rivera", "Okafor", "Lee", "Ito", "Smith", "Müller", "Nguyen", "García", "Kowalski"]


def fill_patients(repo: SqliteRepository, count: int) -> None:
    rng = random.Random(3)
    with repo.db.atomic():
        for i in range(count):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}-{i:05d}"
            repo.add_patient(Patient(display_name=name, record_number=f"MRN{i:06d}"))


def bench_search(folder: Path) -> dict[str, float]:
    path = folder / "search.db"
    with open_store(path, actor="bench", backups=False) as repo:
        fill_patients(repo, 10_000)
        results = {
            "search 'rivera-0421' (1 hit)": median_ms(lambda: repo.search_patients("rivera-0421"), 50),
            "search 'MRN004242' (1 hit)": median_ms(lambda: repo.search_patients("MRN004242"), 50),
            "search 'garcia' first 50": median_ms(lambda: repo.search_patients("garcia", limit=50), 50),
            "list all 10,000": median_ms(lambda: repo.search_patients(""), 5),
        }
    results["open 10,000-patient db (checks + backup)"] = median_ms(
        lambda: open_store(path, actor="bench").close(), 5
    )
    return results


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="dn-bench-") as tmp:
        folder = Path(tmp)
        store_ms, bare_ms = bench_save_mark(folder)
        print(f"save one mark + audit entry (median of {REPEATS}): {store_ms:.3f} ms")
        print(f"bare sqlite3 INSERT + COMMIT, same pragmas:        {bare_ms:.3f} ms")
        print(f"ratio store / bare:                                {store_ms / bare_ms:.2f}x")
        print(f"load patient chart, 100 sessions x 30 marks:       {bench_load_chart(folder):.1f} ms")
        for label, ms in bench_search(folder).items():
            print(f"{label + ':':51s}{ms:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
