"""Sessions exported once per module: PDFs are slow enough to share between the checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_sessions import build_session, export


@pytest.fixture(scope="session", autouse=True)
def _qt_application(qapp):
    """pytest-qt's QApplication first: a bare QGuiApplication made by a report would clash with
    the widget tests that run later in the same process."""
    return qapp


@pytest.fixture(scope="module")
def signed_pdf(tmp_path_factory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("signed")
    db = folder / "records.db"
    _, sid = build_session(db, marks=8)
    out = export(db, sid, folder / "report.pdf", clinic="Riverside Physiotherapy")
    return db, out, sid


@pytest.fixture(scope="module")
def draft_pdf(tmp_path_factory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("draft")
    db = folder / "records.db"
    _, sid = build_session(db, marks=3, sign=False)
    out = export(db, sid, folder / "report.pdf")
    return db, out, sid
