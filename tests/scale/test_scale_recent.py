"""The "recent" patient list reads the kept last visit and orders exactly like a scan would."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

from clinic_builders import build_clinic
from sqlite_utils import Database

from dn_bodymap.charting.records import Patient, Session
from dn_bodymap.store import open_store
from dn_bodymap.store.migrations import migrate

LATER = "2027-01-01T09:00:00.000000Z"
EARLIER = "2020-01-01T09:00:00.000000Z"


def reference_order(path: Path, include_archived: bool = False) -> list[tuple[str, str | None, int]]:
    """The definition: newest live session first, never-seen patients last, then name and id."""
    with sqlite3.connect(path) as conn:
        sessions = conn.execute("SELECT patient_id, started_at FROM sessions WHERE deleted_at IS NULL")
        last: dict[str, str] = {}
        count: dict[str, int] = {}
        for patient_id, started in sessions:
            last[patient_id] = max(started, last.get(patient_id, started))
            count[patient_id] = count.get(patient_id, 0) + 1
        patients = conn.execute("SELECT id, name_key, archived FROM patients WHERE deleted_at IS NULL")
        rows = [(pid, key) for pid, key, archived in patients if include_archived or not archived]
    rows.sort(key=lambda row: (row[1], row[0]))
    rows.sort(key=lambda row: last.get(row[0], ""), reverse=True)  # stable: ties keep name order
    return [(pid, last.get(pid), count.get(pid, 0)) for pid, _ in rows]


def _recent(repo, **kw) -> list[tuple[str, str | None, int]]:
    found = repo.search_patients(order="recent", **kw)
    return [(s.patient.id, s.last_session_at, s.session_count) for s in found]


def test_recent_order_matches_the_reference_after_changes(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    build_clinic(path, patients=12, seed=3)
    with open_store(path, actor="t", backups=False) as repo:
        assert _recent(repo) == reference_order(path)
        summaries = repo.search_patients(order="recent")
        # A new patient (never seen) goes last; a new session moves its patient to the top.
        newcomer = repo.add_patient(Patient(display_name="Demo Patient Zed New"))
        moved = summaries[-1].patient
        session = repo.create_session(Session(patient_id=moved.id, clinician="c", started_at=LATER))
        order = _recent(repo)
        assert order[0][:2] == (moved.id, session.started_at)
        assert order[-1] == (newcomer.id, None, 0)
        assert order == reference_order(path)
        # Deleting that draft session gives the patient back its previous last visit.
        repo.delete_session(session.id)
        assert _recent(repo) == reference_order(path)
        # Moving a draft's start time is followed too.
        draft = repo.create_session(Session(patient_id=newcomer.id, clinician="c", started_at=EARLIER))
        repo.update_session(dataclasses.replace(draft, started_at="2026-05-31T20:00:00Z"))
        assert _recent(repo) == reference_order(path)
        repo.archive_patient(summaries[0].patient.id)
        assert _recent(repo) == reference_order(path)
        assert _recent(repo, include_archived=True) == reference_order(path, include_archived=True)
        assert _recent(repo, limit=4, offset=3) == reference_order(path)[3:7]
        repo.erase_patient(moved.id)
        assert _recent(repo) == reference_order(path)


def test_migration_fills_the_last_visit_of_existing_patients(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrate(db, target=6)
    rows = [
        ("a", "2026-01-02T00:00:00Z", None),
        ("a", "2026-03-02T00:00:00Z", None),
        ("a", "2026-04-01T00:00:00Z", "2026-04-02T00:00:00Z"),
        ("b", "2025-01-01T00:00:00Z", None),
    ]
    for pid in ("a", "b", "c"):
        db.execute(
            "INSERT INTO patients (id, display_name, created_at, updated_at) VALUES (?, ?, 'x', 'x')",
            (pid, pid),
        )
    for n, (pid, started, deleted) in enumerate(rows):
        db.execute(
            "INSERT INTO sessions (id, patient_id, started_at, clinician, status, created_at, updated_at,"
            " deleted_at) VALUES (?, ?, ?, 'c', 'draft', 'x', 'x', ?)",
            (f"s{n}", pid, started, deleted),
        )
    db.conn.commit()
    migrate(db)
    rows = db.execute("SELECT patient_id, last_session_at, session_count FROM patient_last_visit")
    kept = {pid: (last, count) for pid, last, count in rows}
    db.close()
    assert kept == {"a": ("2026-03-02T00:00:00Z", 2), "b": ("2025-01-01T00:00:00Z", 1), "c": (None, 0)}
