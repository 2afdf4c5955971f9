"""`demo --patients N`: a deterministic, valid, audited clinic-sized database."""

from __future__ import annotations

import hashlib
import random
import sqlite3
import uuid
from pathlib import Path

from clinic_builders import SMALL_CLINIC, build_clinic

from dn_bodymap.charting import records as r
from dn_bodymap.cli import main
from dn_bodymap.store import codec, open_read_only
from dn_bodymap.store.audit import verify_chain
from dn_bodymap.store.demo_clinic import _uuid

RECORD_TABLES = ("patients", "sessions", "marks")


def content_digest(path: Path) -> str:
    """Every record row, in id order; the audit log is left out (its entries may be keyed)."""
    digest = hashlib.sha256()
    with sqlite3.connect(path) as conn:
        for table in RECORD_TABLES:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY id"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def test_same_seed_gives_the_same_records(clinic, tmp_path: Path) -> None:
    path, counts = clinic
    again = tmp_path / "again.db"
    assert build_clinic(again) == counts
    assert content_digest(again) == content_digest(path)


def test_another_seed_gives_other_records(clinic, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    build_clinic(other, seed=15)
    assert content_digest(other) != content_digest(clinic[0])


def test_counts_match_the_file_and_the_clinic_shape(clinic) -> None:
    path, counts = clinic
    with sqlite3.connect(path) as conn:
        for table in RECORD_TABLES:
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == counts[table]
        drafts = conn.execute("SELECT count(*) FROM sessions WHERE status = 'draft'").fetchone()[0]
    assert counts["patients"] == SMALL_CLINIC
    assert 1 <= counts["sessions"] / counts["patients"] <= 19
    assert 1 <= counts["marks"] / counts["sessions"] <= 19
    assert drafts < counts["patients"]  # at most each patient's last note is open


def test_every_row_is_a_valid_record(clinic) -> None:
    """The rows decode through the validating constructors: substituted fields stay in range."""
    with open_read_only(clinic[0]) as repo:
        for cls in (r.Patient, r.Session, r.Mark):
            cursor = repo.db.execute(f"SELECT {codec.select_columns(cls)} FROM {codec.TABLES[cls]}")
            names = [d[0] for d in cursor.description]
            for values in cursor:
                record = codec.from_row(cls, dict(zip(names, values, strict=True)))
                if cls is r.Patient:
                    assert record.display_name.startswith("Demo Patient ")


def test_audit_chain_verifies_and_covers_every_record(clinic) -> None:
    path, counts = clinic
    with open_read_only(path) as repo:
        assert verify_chain(repo.db) == []
        created = repo.db.execute("SELECT count(*) FROM audit_log WHERE action = 'create'").fetchone()[0]
        signed = repo.db.execute("SELECT count(*) FROM audit_log WHERE action = 'sign'").fetchone()[0]
        status = repo.db.execute("SELECT count(*) FROM sessions WHERE status = 'signed'").fetchone()[0]
    assert created == counts["patients"] + counts["sessions"] + counts["marks"]
    assert signed == status
    assert main(["--db", str(path), "db", "check"]) == 0


def test_cli_builds_the_clinic_and_refuses_a_filled_database(tmp_path: Path, capsys) -> None:
    path = tmp_path / "cli.db"
    assert main(["demo", "--db", str(path), "--patients", "3", "--seed", "2"]) == 0
    assert "wrote 3 demo patients" in capsys.readouterr().out
    assert main(["demo", "--db", str(path), "--patients", "3"]) != 0
    assert "already holds patients" in capsys.readouterr().err


def test_fast_ids_are_canonical_uuid4() -> None:
    fast, slow = random.Random(5), random.Random(5)
    for _ in range(200):
        assert _uuid(fast) == str(uuid.UUID(int=slow.getrandbits(128), version=4))
