"""`session show`, `session csv`, `export-json` and `import-json`, driven as a user would."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from dn_bodymap.cli import main
from dn_bodymap.store import open_store

SCHEMA = Draft202012Validator(
    json.loads((Path(__file__).resolve().parents[2] / "docs" / "exchange-schema.json").read_text("utf-8"))
)


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path)]) == 0
    capsys.readouterr()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def fail(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dn-bodymap: "), captured.err
    return lines[0]


def db_digest(path: Path) -> str:
    with open_store(path, backups=False) as repo:
        return hashlib.sha256("\n".join(repo.db.conn.iterdump()).encode()).hexdigest()


def test_export_then_import_into_an_empty_database_shows_identical_sessions(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "other" / "records.db"
    patients = json.loads(run(capsys, "--db", str(demo_db), "patients", "--json"))
    for i, patient in enumerate(patients):
        out = tmp_path / f"patient-{i}.json"
        exported = json.loads(
            run(
                capsys,
                "--db",
                str(demo_db),
                "export-json",
                "--patient",
                patient["id"],
                "--out",
                str(out),
                "--json",
            )
        )
        # the export keeps voided drafts (they are part of the record); the list counts live sessions
        assert exported["patient_id"] == patient["id"] and exported["sessions"] >= patient["sessions"]
        assert stat.S_IMODE(out.stat().st_mode) == 0o600  # health data: owner only
        assert list(SCHEMA.iter_errors(json.loads(out.read_text(encoding="utf-8")))) == []
        summary = json.loads(run(capsys, "--db", str(target), "import-json", str(out), "--json"))
        assert summary["skipped"] == {} and summary["created"]["patient"] == 1
    sessions = json.loads(run(capsys, "--db", str(demo_db), "sessions", "--json"))
    assert sessions == json.loads(run(capsys, "--db", str(target), "sessions", "--json"))
    for s in sessions:
        original = run(capsys, "--db", str(demo_db), "session", "show", s["id"], "--json")
        assert run(capsys, "--db", str(target), "session", "show", s["id"], "--json") == original
        document = json.loads(original)
        assert {
            "patient",
            "session",
            "marks",
            "pain_areas",
            "annotations",
            "acknowledgements",
            "adverse_events",
            "addenda",
        } <= document.keys()
        assert document["session"]["status"] == s["status"]
    check = json.loads(run(capsys, "--db", str(target), "db", "check", "--json"))
    assert check["ok"], check["problems"]


def test_export_is_audited_and_a_second_import_skips_everything(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = json.loads(run(capsys, "--db", str(demo_db), "patients", "--json"))[0]["id"]
    out = tmp_path / "p.json"
    run(capsys, "--db", str(demo_db), "export-json", "--patient", pid, "--out", str(out))
    with open_store(demo_db, backups=False) as repo:
        assert repo.list_audit(pid, limit=1)[0].action.value == "export"
    target = tmp_path / "t.db"
    run(capsys, "--db", str(target), "import-json", str(out))
    before = db_digest(target)
    text = run(capsys, "--db", str(target), "import-json", str(out))
    assert "0 records added" in text and db_digest(target) == before
    assert "already exists" in fail(
        capsys, "--db", str(demo_db), "export-json", "--patient", pid, "--out", str(out)
    )
    run(capsys, "--db", str(demo_db), "export-json", "--patient", pid, "--out", str(out), "--force")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b'{"format": "dn-bodymap.patient-records", "format_version": 99}',
            "format_version 99 is not supported",
        ),
        (b"\xff\xfe not utf-8", "is not UTF-8 text"),
        (b"[" * 100_000, "nested too deeply"),
        (b'{"format_version": NaN}', "NaN"),
        (b"", "not valid JSON"),
    ],
)
def test_a_bad_file_gets_one_line_and_changes_nothing(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    before = demo_db.read_bytes()
    line = fail(capsys, "--db", str(demo_db), "import-json", str(bad))
    assert "not imported" in line and expected in line
    assert demo_db.read_bytes() == before


def test_a_conflicting_file_is_refused_whole(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = json.loads(run(capsys, "--db", str(demo_db), "patients", "--json"))[0]["id"]
    out = tmp_path / "p.json"
    run(capsys, "--db", str(demo_db), "export-json", "--patient", pid, "--out", str(out))
    document = json.loads(out.read_text(encoding="utf-8"))
    document["patient"]["notes"] = "edited elsewhere"
    out.write_text(json.dumps(document), encoding="utf-8")
    before = db_digest(demo_db)
    line = fail(capsys, "--db", str(demo_db), "import-json", str(out))
    assert "different notes" in line and "nothing was imported" in line
    assert db_digest(demo_db) == before


def test_session_csv_and_errors(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sessions = json.loads(run(capsys, "--db", str(demo_db), "sessions", "--json"))
    with_marks = next(s for s in sessions if s["marks"])
    text = run(capsys, "--db", str(demo_db), "session", "csv", with_marks["id"])
    assert text.startswith("id,session_id,") and len(text.strip().splitlines()) == with_marks["marks"] + 1
    out = tmp_path / "marks.csv"
    run(capsys, "--db", str(demo_db), "session", "csv", with_marks["id"], "--out", str(out))
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,session_id,")  # BOM: spreadsheets read UTF-8
    human = run(capsys, "--db", str(demo_db), "session", "show", with_marks["id"])
    assert with_marks["id"] in human and "marks" in human
    missing = "00000000-0000-4000-8000-000000000000"
    assert "no session" in fail(capsys, "--db", str(demo_db), "session", "show", missing, "--json")
    assert "no patient" in fail(
        capsys, "--db", str(demo_db), "export-json", "--patient", missing, "--out", str(tmp_path / "x.json")
    )
    assert not (tmp_path / "x.json").exists()
    assert "cannot read" in fail(capsys, "--db", str(demo_db), "import-json", str(tmp_path / "absent.json"))
