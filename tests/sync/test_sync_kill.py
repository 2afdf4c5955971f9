"""A workstation killed in the middle of a sync: after restarting and syncing again nothing
acknowledged is lost or duplicated, and the audit chain verifies."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import psycopg
from workstations import count, open_workstation, records_hash

from dn_bodymap.charting.records import Patient, Session
from dn_bodymap.sync.engine import sync_once

CHILD = Path(__file__).with_name("kill_sync_child.py")


def _run_child(db: Path, url: str, mode: str, n: int) -> None:
    done = subprocess.run(
        [sys.executable, str(CHILD), str(db), url, mode, str(n)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr


def _changes(url: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT count(*) FROM dn_changes").fetchone()[0])


def test_killed_while_applying_a_pulled_batch(tmp_path: Path, server_url: str) -> None:
    with open_workstation(tmp_path, "Room1") as a:
        for n in range(20):
            patient = a.add_patient(Patient(display_name=f"Fictional {n}"))
            a.create_session(Session(patient_id=patient.id, clinician="Dr Room1"))
        sync_once(a, server_url)
    with open_workstation(tmp_path, "Room2") as b:
        b.add_patient(Patient(display_name="Own patient of room 2"))
        db = b.path
    _run_child(db, server_url, "pull", 25)
    with open_workstation(tmp_path, "Room2") as b:
        assert count(b, "patients") == 1  # none of the half-applied batch
        assert b.verify_audit() == []
        assert b.sync_state()[2] == 0
        report = sync_once(b, server_url)
        assert report.applied == 40
        assert b.verify_audit() == []
        with open_workstation(tmp_path, "Room1") as a:
            sync_once(a, server_url)
            assert records_hash(a) == records_hash(b)


def test_killed_after_the_server_acknowledged_a_push(tmp_path: Path, server_url: str) -> None:
    with open_workstation(tmp_path, "Room2") as b:
        for n in range(5):
            b.add_patient(Patient(display_name=f"Fictional {n}"))
        db = b.path
    _run_child(db, server_url, "push", 0)
    assert _changes(server_url) == 5
    with open_workstation(tmp_path, "Room2") as b:
        assert b.sync_state()[1] == 0  # the acknowledgement was lost with the process
        sync_once(b, server_url)
        assert _changes(server_url) == 5  # sent again, stored once
        with open_workstation(tmp_path, "Room1") as a:
            sync_once(a, server_url)
            assert records_hash(a) == records_hash(b)
            assert a.verify_audit() == b.verify_audit() == []
