"""Export with preview and printing from the GUI: same pages as the PDF, audited, reachable from
both the session screen and the patients screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox
from report_sessions import build_session, pdf_text

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.store import open_store


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, fail)


@pytest.fixture
def store(tmp_path):
    db = tmp_path / "records.db"
    _, sid = build_session(db, marks=4)
    repo = open_store(db, actor="tests")
    yield repo, sid
    repo.close()


def _exports(repo, sid: str) -> int:
    return sum(1 for e in repo.list_audit(sid) if str(e.action) == "export")


def test_preview_shows_every_page_and_saves_the_pdf(qtbot, store, tmp_path, monkeypatch):
    from dn_bodymap.gui.report_actions import ReportPreviewDialog
    from dn_bodymap.report import build_session_document

    repo, sid = store
    dialog = ReportPreviewDialog(repo, default_atlas(), sid)
    qtbot.addWidget(dialog)
    expected = build_session_document(repo, default_atlas(), sid).page_count
    assert len(dialog.page_labels) == expected
    assert dialog.pages_label.text() == f"{expected} pages"
    dialog.handout.setChecked(True)
    assert len(dialog.page_labels) > expected

    out = tmp_path / "chosen"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF files (*.pdf)"))
    before = _exports(repo, sid)
    with qtbot.waitSignal(dialog.accepted):
        dialog.save_button.click()
    assert dialog.saved_path == tmp_path / "chosen.pdf"
    text = " ".join(pdf_text(dialog.saved_path))
    assert "After your dry-needling treatment" in text
    assert _exports(repo, sid) == before + 1


def test_printing_paints_the_same_report_and_is_audited(qtbot, store, tmp_path):
    from dn_bodymap.gui.report_actions import print_session
    from dn_bodymap.report import build_session_document

    repo, sid = store
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    before = _exports(repo, sid)
    pages = print_session(repo, default_atlas(), sid, printer)
    assert pages == build_session_document(repo, default_atlas(), sid).page_count
    printed = pdf_text(out)
    assert len(printed) == pages
    assert "Demo Patient Alex Rivera" in printed[0]
    assert f"Page {pages} of {pages}" in printed[-1]
    assert _exports(repo, sid) == before + 1


def test_file_menu_and_patients_screen_open_the_preview(qtbot, store, tmp_path, monkeypatch):
    from dn_bodymap.atlas.trigger_points import default_library
    from dn_bodymap.gui import report_actions
    from dn_bodymap.gui.main_window import MainWindow

    repo, sid = store
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(repo, default_atlas(), default_library(), None, settings, "Dr Test")
    qtbot.addWidget(window)
    window.show_patients()
    opened: list[str] = []

    def fake_exec(self) -> int:
        opened.append(self.session_id)
        return 0

    monkeypatch.setattr(report_actions.ReportPreviewDialog, "exec", fake_exec)
    titles = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Export PDF…" in titles and "Print…" in titles
    assert window.patients.selected_session() == sid
    window.export_pdf_action.trigger()
    window.patients.export_button.click()
    assert opened == [sid, sid]


def test_no_session_means_a_message_not_a_dialog(qtbot, tmp_path, monkeypatch):
    from dn_bodymap.gui import report_actions
    from dn_bodymap.gui.main_window import MainWindow

    repo = open_store(tmp_path / "empty.db", actor="tests")
    try:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(repo, default_atlas(), None, None, settings, "Dr Test")
        qtbot.addWidget(window)
        window.show_patients()
        monkeypatch.setattr(
            report_actions.ReportPreviewDialog, "exec", lambda self: pytest.fail("no session to preview")
        )
        window.export_pdf_action.trigger()
        assert "select a session" in window.statusBar().currentMessage()
    finally:
        repo.close()


def test_suggested_file_name_is_safe(store):
    from dn_bodymap.gui.report_actions import suggested_file_name

    repo, sid = store
    name = suggested_file_name(repo, sid)
    assert name == f"Demo_Patient_Alex_Rivera_{repo.get_session(sid).started_at[:10]}.pdf"
    assert Path(name).name == name


def test_letter_paper_gets_the_whole_page_scaled_to_fit(qtbot, store, tmp_path):
    import re
    import shutil
    import subprocess

    from PySide6.QtGui import QPageSize

    from dn_bodymap.gui.report_actions import print_session

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    repo, sid = store
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    out = tmp_path / "letter.pdf"
    printer.setOutputFileName(str(out))
    print_session(repo, default_atlas(), sid, printer)
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(out), "-"], capture_output=True, text=True
    ).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    assert page is not None and abs(float(page.group(1)) - 612) < 1 and abs(float(page.group(2)) - 792) < 1
    footer = re.findall(r'yMax="([\d.]+)">Page</word>', html)
    assert footer and float(footer[-1]) < 792  # the footer is on the sheet, not cut off


def test_patient_history_is_exported_from_the_file_menu(qtbot, store, tmp_path, monkeypatch):
    from dn_bodymap.gui.main_window import MainWindow

    repo, sid = store
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(repo, default_atlas(), None, None, settings, "Dr Test")
    qtbot.addWidget(window)
    window.show_patients()
    out = tmp_path / "history"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF files (*.pdf)"))
    window.history_pdf_action.trigger()
    text = " ".join(pdf_text(tmp_path / "history.pdf"))
    assert "Dry-needling treatment history" in text and "Demo Patient Alex Rivera" in text
    patient = repo.get_session(sid).patient_id
    assert any(str(e.action) == "export" for e in repo.list_audit(patient))
    assert "Treatment history saved" in window.statusBar().currentMessage()
