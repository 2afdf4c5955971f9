"""Hazard acknowledgement: the warning, why, what lowers the risk, and what the clinician chose."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.gui.session.controller import AcknowledgementAnswer
from dn_bodymap.gui.session.hazard_check import Assessment

TECHNIQUES = [
    "Pincer grip, needle directed away from the pleura",
    "Rib bracketing / intercostal blocking",
    "Tangential (oblique) needle direction",
    "Needle onto bone (scapula / lamina as backstop)",
    "Ultrasound-guided depth",
    "Side-lying position",
    "Site not needled",
    "Other (see notes)",
]
LEVEL_TEXT = {"high": "HIGH RISK", "very_high": "VERY HIGH RISK", "no_needle": "DO NOT NEEDLE"}


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class HazardAcknowledgementDialog(QDialog):
    def __init__(self, assessment: Assessment, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hazard at this needling site")
        self.setObjectName("hazardAcknowledgementDialog")
        self.setMinimumWidth(560)
        level = assessment.level
        head = QLabel(
            f"<h2 style='color:#c62828'>{LEVEL_TEXT.get(level, level.upper())}: {escape(what)}</h2>"
        )
        head.setTextFormat(Qt.TextFormat.RichText)
        body = QTextBrowser()
        body.setOpenExternalLinks(False)
        parts = []
        for h in assessment.hazards:
            sources = ", ".join(h.sources)
            parts.append(
                f"<p><b>{escape(h.structure)}</b> — {escape(h.level.replace('_', ' '))}<br>"
                f"{escape(h.message)}<br><i>What lowers the risk:</i> {escape(h.guidance)}"
                f"<br><small>Sources: {escape(sources)}</small></p>"
            )
        for line in assessment.advice:
            parts.append(f"<p>{escape(line)}</p>")
        parts.append(_citations({k for h in assessment.hazards for k in h.sources}))
        parts.append(
            "<p><small>This warning supports your clinical judgement; it never means a site is free "
            "of risk.</small></p>"
        )
        body.setHtml("".join(parts))
        self.technique = QComboBox()
        self.technique.addItems(TECHNIQUES)
        self.technique.setAccessibleName("Technique chosen")
        self.disclosed = QLineEdit("Risk of pneumothorax and of the listed structures discussed")
        self.disclosed.setAccessibleName("What was disclosed to the patient")
        self.confirm = QCheckBox("I have read this warning and take responsibility for the technique")
        self.confirm.setAccessibleName("Confirm acknowledgement")
        form = QFormLayout()
        form.addRow("Technique chosen", self.technique)
        form.addRow("Disclosed to the patient", self.disclosed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Acknowledge and keep the mark")
        self.ok_button.setEnabled(False)
        self.confirm.toggled.connect(self.ok_button.setEnabled)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(body, 1)
        layout.addLayout(form)
        layout.addWidget(self.confirm)
        layout.addWidget(buttons)

    def answer(self) -> AcknowledgementAnswer:
        return AcknowledgementAnswer(self.technique.currentText(), self.disclosed.text().strip())


def _citations(keys: set[str]) -> str:
    """The full references behind the source keys, so the clinician can check each statement."""
    from dn_bodymap.atlas.sources import default_sources

    sources = default_sources()
    rows = [
        f"<li><b>{escape(k)}</b>: {escape(sources[k].citation)}</li>" for k in sorted(keys) if k in sources
    ]
    return f"<p><small>References:</small></p><ul><small>{''.join(rows)}</small></ul>" if rows else ""


def ask_acknowledgement(parent: QWidget | None):
    """The controller's ack provider backed by the real dialog."""

    def provider(assessment: Assessment, what: str) -> AcknowledgementAnswer | None:
        dialog = HazardAcknowledgementDialog(assessment, what, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.answer()
        return None

    return provider
