"""Clinic-server benchmark: one sync round sending 1,000 sessions up, and one bringing them down to a
new workstation, each as a ratio to a bare psycopg COPY of the same rows in the same run.

    python bench/bench_sync.py [--repeat 5] [--url postgresql://postgres@127.0.0.1:5432/postgres]

Without ``--url`` it starts a private PostgreSQL cluster (tests/sync/pg_cluster.py: initdb into a
temporary folder, stopped at the end). Each run gets a new clinic database and fresh workstation
copies (made outside the timing). "Up" is ``sync_once`` on the workstation that wrote the records
(read the audit log, COPY to the server, its own rows coming back unchanged); "down" is
``sync_once`` on an empty workstation (fetch, then apply every row with its audit entry in one
transaction). The baselines COPY the same rows (the same columns, the same JSON text) into a bare
table, and out of it, in one transaction. Medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "sync"))

from pg_cluster import private_cluster  # noqa: E402

from dn_bodymap.charting.records import Patient, Session  # noqa: E402
from dn_bodymap.store import open_store  # noqa: E402
from dn_bodymap.sync.engine import _COLUMNS, _params, sync_once  # noqa: E402
from dn_bodymap.sync.server_schema import init_server  # noqa: E402

SESSIONS = 1_000
PER_PATIENT = 10
BARE = (
    "CREATE TABLE bare (origin uuid, origin_seq bigint, audit_hash text, kind text, entity_id text,"
    " action text, actor text, at text, row_json text, patient_id text)"
)


def build_source(path: Path) -> int:
    """A workstation with 1,000 draft sessions over 100 fictitious patients; returns its rows."""
    with open_store(path, actor="Dr Bench", backups=False) as repo:
        for p in range(SESSIONS // PER_PATIENT):
            patient = repo.add_patient(
                Patient(display_name=f"Bench Fictional {p:03d}", record_number=f"B-{p}")
            )
            for s in range(PER_PATIENT):
                repo.create_session(
                    Session(patient_id=patient.id, clinician="Dr Bench", notes=f"visit {s}", plan="review")
                )
        return len(repo.changes_to_push()[0])


@contextmanager
def new_database(admin_url: str) -> Iterator[str]:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            init_server(conn)
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def measure(admin_url: str, source: Path, work: Path, repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"up": [], "down": [], "copy_in": [], "copy_out": []}
    for run in range(repeat):
        with new_database(admin_url) as url:
            up_path = work / f"up{run}" / "records.db"
            up_path.parent.mkdir()
            shutil.copy(source, up_path)
            with open_store(up_path, actor="Dr Bench", backups=False) as repo:
                rows = [_params(repo.sync_workstation_id(), c) for c in repo.changes_to_push()[0]]
                start = time.perf_counter()
                sync_once(repo, url, name="Bench up")
                times["up"].append(time.perf_counter() - start)
            with open_store(work / f"down{run}" / "records.db", actor="Dr Other", backups=False) as repo:
                start = time.perf_counter()
                report = sync_once(repo, url, name="Bench down")
                times["down"].append(time.perf_counter() - start)
                assert report.applied == len(rows), report
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(BARE)
                start = time.perf_counter()
                with (
                    conn.transaction(),
                    conn.cursor() as cur,
                    cur.copy(f"COPY bare ({_COLUMNS}) FROM STDIN") as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
                times["copy_in"].append(time.perf_counter() - start)
                start = time.perf_counter()
                with (
                    conn.transaction(),
                    conn.cursor() as cur,
                    cur.copy(f"COPY bare ({_COLUMNS}) TO STDOUT") as copy,
                ):
                    got = sum(1 for _ in copy.rows())
                times["copy_out"].append(time.perf_counter() - start)
                assert got == len(rows)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", help="an existing server where the benchmark may create databases")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dn-bench-sync-") as tmp:
        work = Path(tmp)
        source = work / "source" / "records.db"
        rows = build_source(source)
        if args.url:
            times = measure(args.url, source, work, args.repeat)
        else:
            with private_cluster() as cluster:
                if cluster is None:
                    print("PostgreSQL server binaries not found", file=sys.stderr)
                    return 1
                times = measure(cluster.url(), source, work, args.repeat)
    med = {name: statistics.median(values) for name, values in times.items()}
    patients = SESSIONS // PER_PATIENT
    print(f"{SESSIONS} sessions over {patients} patients: {rows} rows; median of {args.repeat} runs")
    print(f"| up: sync_once on the writing workstation | {med['up'] * 1000:.0f} ms |")
    print(f"| bare COPY of the same rows in | {med['copy_in'] * 1000:.1f} ms |")
    print(f"| down: sync_once on a new workstation | {med['down'] * 1000:.0f} ms |")
    print(f"| bare COPY of the same rows out | {med['copy_out'] * 1000:.1f} ms |")
    print(f"ratio up {med['up'] / med['copy_in']:.1f}x, down {med['down'] / med['copy_out']:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
