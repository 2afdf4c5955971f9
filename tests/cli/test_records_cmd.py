"""The record sub-commands, driven through ``dn_bodymap.cli.main`` as a user would."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from dn_bodymap.cli import main
from dn_bodymap.store import open_store
from dn_bodymap.store.backup import backups_of


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path)]) == 0
    assert "demo patients" in capsys.readouterr().out
    return path


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_demo_content(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    patients = run_json(capsys, "--db", str(demo_db), "patients", "--json")
    assert isinstance(patients, list) and len(patients) >= 3
    for p in patients:
        assert {"id", "name", "record_number", "sessions"} <= p.keys()
        assert p["name"].startswith("Demo Patient ")
        assert p["sessions"] >= 2
    sessions = run_json(capsys, "--db", str(demo_db), "sessions", "--json")
    assert {"signed", "draft"} <= {s["status"] for s in sessions}
    for s in sessions:
        assert {"id", "patient_id", "started_at", "status", "marks"} <= s.keys()
    assert sum(s["marks"] for s in sessions) > 10
    with open_store(demo_db, backups=False) as repo:
        records = [repo.load_session(s["id"]) for s in sessions]
        assert any(r.adverse_events for r in records)
        assert any(r.acknowledgements for r in records)
        assert any(r.pain_areas for r in records)
        pains = [r.session.pain_pre for r in records if r.session.pain_pre is not None]
        assert len(set(pains)) > 1
        assert repo.verify_audit() == []


def test_demo_refuses_a_database_with_patients(demo_db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", str(demo_db), "demo"]) == 2
    assert "already holds patients" in capsys.readouterr().err


def test_patients_search_and_sessions_filter(demo_db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    found = run_json(capsys, "--db", str(demo_db), "patients", "--search", "RIVERA", "--json")
    assert [p["name"] for p in found] == ["Demo Patient Alex Rivera"]
    pid = found[0]["id"]
    sessions = run_json(capsys, "--db", str(demo_db), "sessions", "--patient", pid, "--json")
    assert sessions and all(s["patient_id"] == pid for s in sessions)
    assert [s["started_at"] for s in sessions] == sorted((s["started_at"] for s in sessions), reverse=True)
    assert run_json(capsys, "--db", str(demo_db), "patients", "--search", "nobody", "--json") == []


def test_readable_tables(demo_db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", str(demo_db), "patients"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:2] == ["ID", "Name"]
    assert "Demo Patient Alex Rivera" in out
    assert main(["--db", str(demo_db), "sessions"]) == 0
    assert "signed" in capsys.readouterr().out


def test_listing_works_while_the_app_holds_the_database(demo_db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with open_store(demo_db, backups=False):
        assert len(run_json(capsys, "--db", str(demo_db), "patients", "--json")) >= 3


def test_env_var_selects_database(demo_db: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DN_BODYMAP_DB", str(demo_db))
    assert len(run_json(capsys, "patients", "--json")) >= 3


def test_missing_database_is_a_one_line_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nope.db"
    assert main(["--db", str(missing), "patients", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no record database" in err
    assert not missing.exists()


def test_non_database_file(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"hello" * 1000)
    assert main(["--db", str(junk), "patients"]) == 2
    assert "not a dn-bodymap database" in capsys.readouterr().err
    assert main(["--db", str(junk), "db", "check"]) == 1
    assert "problem" in capsys.readouterr().out
    assert junk.read_bytes() == b"hello" * 1000


def test_db_check(demo_db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", str(demo_db), "db", "check"]) == 0
    assert capsys.readouterr().out.strip().endswith(": ok")
    report = run_json(capsys, "--db", str(demo_db), "db", "check", "--json")
    assert report["ok"] is True and report["problems"] == []

    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'Mallory' WHERE seq = 2")
    conn.execute(
        "INSERT INTO marks (id, session_id, view, x, y, atlas_version, side, created_at,"
        " updated_at) VALUES ('m', 'no-such-session', 'anterior', 0, 0, '1', 'left', '', '')"
    )
    conn.commit()
    conn.close()
    assert main(["--db", str(demo_db), "db", "check"]) == 1
    out = capsys.readouterr().out
    assert "marks row" in out and "missing sessions row" in out


def test_db_backup_and_restore(demo_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "manual.db"
    assert main(["--db", str(demo_db), "db", "backup", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert main(["--db", str(demo_db), "db", "backup", "--out", str(out)]) == 2  # no overwrite
    capsys.readouterr()
    assert main(["--db", str(demo_db), "db", "backup"]) == 0
    default = Path(capsys.readouterr().out.strip())
    assert default.parent == demo_db.parent / "demo-backups" and default.exists()

    before = run_json(capsys, "--db", str(demo_db), "patients", "--json")
    with open_store(demo_db, backups=False) as repo:
        repo.erase_patient(before[0]["id"])
    assert len(run_json(capsys, "--db", str(demo_db), "patients", "--json")) == len(before) - 1

    assert main(["--db", str(demo_db), "db", "restore", str(out)]) == 0
    assert "previous database was kept" in capsys.readouterr().out
    assert run_json(capsys, "--db", str(demo_db), "patients", "--json") == before
    assert any(p.name.endswith("-before-restore.db") for p in backups_of(demo_db))


def test_restore_refuses_damaged_backup(demo_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x01" * 8000)
    before = demo_db.read_bytes()
    assert main(["--db", str(demo_db), "db", "restore", str(bad)]) == 2
    assert "integrity check" in capsys.readouterr().err
    assert demo_db.read_bytes() == before
