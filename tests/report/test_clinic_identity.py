"""The clinic's logo and the record fingerprint on every page of a report."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from report_sessions import build_session, export, pdf_text

from dn_bodymap.charting.validation import ValidationError
from dn_bodymap.store import open_store


def _png(tmp_path: Path, size: tuple[int, int] = (120, 60)) -> bytes:
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor("#1f5f8b"))
    path = tmp_path / "logo.png"
    assert image.save(str(path), "PNG")
    return path.read_bytes()


def _image_count(path: Path) -> int:
    from pypdf import PdfReader

    count = 0
    for page in PdfReader(str(path)).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        count += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")
    return count


def test_the_logo_is_kept_in_the_database_and_a_bad_one_is_refused(tmp_path: Path) -> None:
    logo = _png(tmp_path)
    with open_store(tmp_path / "records.db", actor="tests") as repo:
        assert repo.get_clinic_logo() is None
        repo.set_clinic_logo(logo)
        assert repo.get_clinic_logo() == logo
        with pytest.raises(ValidationError, match="PNG or JPEG"):
            repo.set_clinic_logo(b"GIF89a not ours")
        with pytest.raises(ValidationError, match="at most 256 KB"):
            repo.set_clinic_logo(b"\x89PNG\r\n\x1a\n" + bytes(300 * 1024))
        assert repo.get_clinic_logo() == logo  # refused: nothing changed
        repo.set_clinic_logo(None)
        assert repo.get_clinic_logo() is None


def test_every_page_carries_the_logo_and_the_fingerprint_of_the_audit_log(tmp_path: Path) -> None:
    db = tmp_path / "records.db"
    _, sid = build_session(db, marks=40)
    with open_store(db, actor="tests") as repo:
        repo.set_clinic_logo(_png(tmp_path))
        newest = repo.list_audit(limit=1)[0]
    out = export(db, sid, tmp_path / "report.pdf", clinic="Riverside Physiotherapy")
    pages = pdf_text(out)
    assert len(pages) > 1
    expected = f"Record fingerprint #{newest.seq} {newest.hash[:16]}"
    assert all(expected in text for text in pages)
    assert _image_count(out) >= len(pages)  # one logo per page header (the maps stay vector paths)


def test_without_a_logo_the_report_has_no_image(tmp_path: Path) -> None:
    db = tmp_path / "records.db"
    _, sid = build_session(db, marks=2)
    out = export(db, sid, tmp_path / "report.pdf")
    assert _image_count(out) == 0


def test_the_clinic_dialog_loads_a_logo_and_refuses_a_file_that_is_not_one(qtbot, tmp_path: Path) -> None:
    from dn_bodymap.gui.clinic_dialog import ClinicDialog

    dialog = ClinicDialog("Old name", None)
    qtbot.addWidget(dialog)
    assert not dialog.remove_button.isEnabled()
    bad = tmp_path / "notes.txt"
    bad.write_text("not an image")
    assert not dialog.set_logo_file(bad)
    assert "not a PNG or JPEG" in dialog.error.text() and dialog.result_logo is None
    logo = _png(tmp_path)
    assert dialog.set_logo_file(tmp_path / "logo.png")
    assert dialog.result_logo == logo and dialog.remove_button.isEnabled()
    dialog.name.setText("  Riverside Physiotherapy ")
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.result_logo is None
    dialog.accept()
    assert dialog.result_name == "Riverside Physiotherapy"
