"""File → Export PDF… (with a preview) and File → Print… for a session.

The preview shows the pages exactly as they will print: they are painted by report/'s one painting
path, the same that writes the PDF and drives the printer. Every export and every print is written
in the audit log.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPageLayout, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.charting.repository import Repository
from dn_bodymap.gui.screen_fit import resize_within_screen

if TYPE_CHECKING:  # annotations only: the menu is built before the atlas (and shapely) loads
    from dn_bodymap.atlas.model import Atlas

# The menu entries are built by the light gui/report_menu.py (the first screen does not load this
# module, QtPrintSupport or PySide's ``Qt`` namespace: issue #14); these names stay importable here.
from dn_bodymap.gui.report_menu import current_patient, current_session, install_report_actions  # noqa: F401

PREVIEW_DPI = 96  # about actual size on a desktop screen


def suggested_file_name(repo: Repository, session_id: str) -> str:
    """'Rivera_Alex_2026-11-29.pdf': the patient and the session day, safe on every file system."""
    import re

    session = repo.get_session(session_id)  # type: ignore[arg-type]
    patient = repo.get_patient(session.patient_id)
    name = re.sub(r"[^\w-]+", "_", patient.display_name, flags=re.UNICODE).strip("_") or "session"
    return f"{name}_{session.started_at[:10]}.pdf"


def print_session(
    repo: Repository,
    atlas: Atlas,
    session_id: str,
    printer: QPrinter,
    *,
    handout: bool = False,
    consent: bool = False,
) -> int:
    """Send the report to an already chosen printer; returns the page count. Audited."""
    from dn_bodymap.report import build_session_document
    from dn_bodymap.report.document import paint_document

    doc = build_session_document(repo, atlas, session_id, handout=handout, consent=consent)
    printer.setFullPage(True)  # the report has its own margins; on Letter paper it is fitted whole
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setDocName(doc.title)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be opened")
    try:
        paper = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
        pages = paint_document(doc, painter, printer, paper)
    finally:
        painter.end()
    repo.record_export("session", session_id)
    return pages


class ReportPreviewDialog(QDialog):
    """The pages of the report, with the handout and consent form to add, then Save PDF or Print."""

    def __init__(
        self,
        repo: Repository,
        atlas: Atlas,
        session_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.atlas = atlas
        self.session_id = session_id
        self.saved_path: Path | None = None
        self.setWindowTitle("Session report — preview")
        resize_within_screen(self, 900, 1000)
        self.handout = QCheckBox("Add the patient's after-care handout")
        self.consent = QCheckBox("Add a consent form to sign")
        self.pages_label = QLabel("")
        self.pages_label.setAccessibleName("Number of pages")
        options = QHBoxLayout()
        options.addWidget(self.handout)
        options.addWidget(self.consent)
        options.addStretch(1)
        options.addWidget(self.pages_label)
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_layout.setSpacing(14)
        scroll = QScrollArea()
        scroll.setWidget(self.pages)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Report pages")
        scroll.setStyleSheet("QScrollArea { background: #8a939b; }")
        self.pages.setStyleSheet("background: #8a939b;")
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("Save PDF…")
        self.save_button.setDefault(True)
        self.print_button = QPushButton("Print…")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_)
        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.handout.toggled.connect(lambda _: self.refresh())
        self.consent.toggled.connect(lambda _: self.refresh())
        self.page_labels: list[QLabel] = []
        self.refresh()

    def _document(self):
        from dn_bodymap.report import build_session_document

        return build_session_document(
            self.repo,
            self.atlas,
            self.session_id,
            handout=self.handout.isChecked(),
            consent=self.consent.isChecked(),
        )

    def refresh(self) -> None:
        from dn_bodymap.report.document import page_images

        for label in self.page_labels:
            label.deleteLater()
        self.page_labels = []
        images = page_images(self._document(), dpi=PREVIEW_DPI * self.devicePixelRatioF())
        for n, image in enumerate(images, start=1):
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(self.devicePixelRatioF())
            label = QLabel()
            label.setPixmap(pixmap)
            label.setAccessibleName(f"Page {n} of {len(images)}")
            label.setStyleSheet("border: 1px solid #5f6b76;")
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)
        self.pages_label.setText(f"{len(images)} page{'s' if len(images) != 1 else ''}")

    def save(self) -> None:
        from dn_bodymap.report import export_session_pdf

        start = str(Path.home() / suggested_file_name(self.repo, self.session_id))
        path, _ = QFileDialog.getSaveFileName(self, "Export session report", start, "PDF files (*.pdf)")
        if not path:
            return
        out = Path(path)
        if out.suffix.lower() != ".pdf":
            out = out.with_name(out.name + ".pdf")
        try:
            export_session_pdf(
                self.repo,
                self.atlas,
                self.session_id,
                out,
                handout=self.handout.isChecked(),
                consent=self.consent.isChecked(),
            )
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Not exported", f"The PDF could not be written: {exc}")
            return
        self.saved_path = out
        self.accept()

    def print_(self) -> None:
        if ask_and_print(
            self, self.repo, self.atlas, self.session_id, self.handout.isChecked(), self.consent.isChecked()
        ):
            self.accept()


def ask_and_print(
    parent: QWidget | None,
    repo: Repository,
    atlas: Atlas,
    session_id: str,
    handout: bool = False,
    consent: bool = False,
) -> bool:
    """The system print dialog, then the report on the chosen printer; False when cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print session report")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    try:
        print_session(repo, atlas, session_id, printer, handout=handout, consent=consent)
    except OSError as exc:
        QMessageBox.warning(parent, "Not printed", str(exc))
        return False
    return True


def export_history(parent: QWidget, repo: Repository, atlas: Atlas, patient_id: str) -> Path | None:
    """Ask where, then write the patient's treatment history PDF (audited); None when cancelled."""
    import re

    from dn_bodymap.report import export_history_pdf

    name = re.sub(r"[^\w-]+", "_", repo.get_patient(patient_id).display_name).strip("_") or "patient"
    start = str(Path.home() / f"{name}_history.pdf")
    path, _ = QFileDialog.getSaveFileName(parent, "Export treatment history", start, "PDF files (*.pdf)")
    if not path:
        return None
    out = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
    try:
        export_history_pdf(repo, atlas, patient_id, out)
    except (OSError, ValueError) as exc:
        QMessageBox.warning(parent, "Not exported", f"The PDF could not be written: {exc}")
        return None
    return out
