"""``dn-bodymap export-pdf``: the PDF written and audited, bad input refused in one line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))

from report_sessions import build_session

from dn_bodymap.cli import main
from dn_bodymap.store import open_read_only


@pytest.fixture(autouse=True)
def _application(qapp):
    """pytest-qt's QApplication, so the report never makes a clashing QGuiApplication."""


@pytest.fixture(scope="module")
def session_db(tmp_path_factory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("cli") / "records.db"
    _, sid = build_session(db, marks=3, extras=False)
    return db, sid


def test_export_pdf_writes_the_report_and_prints_json(session_db, tmp_path, capsys):
    db, sid = session_db
    out = tmp_path / "report.pdf"
    code = main(["--db", str(db), "export-pdf", "--session", sid, "--out", str(out), "--json"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["pages"] >= 1 and doc["bytes"] == out.stat().st_size
    assert out.read_bytes().startswith(b"%PDF")
    with open_read_only(db) as repo:
        assert any(str(e.action) == "export" for e in repo.list_audit(sid))


def test_handout_and_consent_pages_are_added(session_db, tmp_path, capsys):
    from pypdf import PdfReader

    db, sid = session_db
    plain, full = tmp_path / "plain.pdf", tmp_path / "full.pdf"
    assert main(["export-pdf", "--db", str(db), "--session", sid, "--out", str(plain)]) == 0
    args = ["export-pdf", "--db", str(db), "--session", sid, "--out", str(full), "--handout", "--consent"]
    assert main(args) == 0
    plain_pages = len(PdfReader(str(plain)).pages)
    reader = PdfReader(str(full))
    assert len(reader.pages) >= plain_pages + 2
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "After your dry-needling treatment" in text
    assert "Consent to dry needling" in text
    assert "pneumothorax" in text.lower()
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--session", "00000000-0000-4000-8000-000000000000"], "no session"),
        (["--session", "SESSION", "--out-suffix", ".txt"], "use a .pdf file name"),
        (["--session", "SESSION", "--out-dir", "missing"], "there is no folder"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(session_db, tmp_path, capsys, args, message):
    db, sid = session_db
    out = tmp_path / "report.pdf"
    if "--out-suffix" in args:
        args = [a for a in args if a not in ("--out-suffix", ".txt")]
        out = tmp_path / "report.txt"
    if "--out-dir" in args:
        args = [a for a in args if a not in ("--out-dir", "missing")]
        out = tmp_path / "missing" / "report.pdf"
    args = [sid if a == "SESSION" else a for a in args]
    code = main(["--db", str(db), "export-pdf", *args, "--out", str(out)])
    err = capsys.readouterr().err
    assert code != 0
    assert message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
    assert not list(tmp_path.glob(".*partial*"))


def test_a_missing_database_is_refused(tmp_path, capsys):
    code = main(
        ["--db", str(tmp_path / "none.db"), "export-pdf", "--session", "x", "--out", str(tmp_path / "a.pdf")]
    )
    assert code != 0
    assert "there is no record database" in capsys.readouterr().err


def test_history_pdf_has_the_trend_and_every_session(tmp_path, capsys):
    from pypdf import PdfReader

    from dn_bodymap.store import open_store
    from dn_bodymap.store.demo import fill_demo

    db = tmp_path / "demo.db"
    with open_store(db, actor="tests") as repo:
        fill_demo(repo)
        summary = repo.search_patients("Alex")[0]
    pid = summary.patient.id
    out = tmp_path / "history.pdf"
    assert main(["--db", str(db), "history-pdf", "--patient", pid, "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["patient"] == pid and doc["pages"] >= 1
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(out)).pages)
    assert "Dry-needling treatment history" in text and "Demo Patient Alex Rivera" in text
    assert "Pain across sessions" in text
    for n in range(1, summary.session_count + 1):
        assert f"{n}. " in text
    assert "draft, not signed" in text
    if shutil.which("qpdf"):
        assert subprocess.run(["qpdf", "--check", str(out)], capture_output=True).returncode == 0
    with open_read_only(db) as repo:
        assert any(str(e.action) == "export" for e in repo.list_audit(pid))
    assert (
        main(["--db", str(db), "history-pdf", "--patient", "nobody", "--out", str(tmp_path / "x.pdf")]) != 0
    )
    assert "no patient" in capsys.readouterr().err


def test_the_clinic_name_comes_from_the_database_settings(tmp_path, capsys):
    from pypdf import PdfReader

    from dn_bodymap.store import open_store

    db = tmp_path / "records.db"
    _, sid = build_session(db, marks=1, extras=False)
    with open_store(db, actor="tests") as repo:
        repo.set_setting("clinic_name", "Harbourside Physio Ltd")
    out = tmp_path / "report.pdf"
    assert main(["--db", str(db), "export-pdf", "--session", sid, "--out", str(out)]) == 0
    first = " ".join(PdfReader(str(out)).pages[0].extract_text().split())
    assert "Harbourside Physio Ltd" in first
    assert (
        main(["--db", str(db), "export-pdf", "--session", sid, "--out", str(out), "--clinic", "Other"]) == 0
    )
    first = " ".join(PdfReader(str(out)).pages[0].extract_text().split())
    assert "Other" in first and "Harbourside" not in first
