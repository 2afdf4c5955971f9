"""Hazard acknowledgement: what the core found at each site, why, what lowers the risk, and what the
clinician chose. One dialog lists every mark that needs it (a copy can bring several at once).

The dialog only shows what ``charting``'s hazard rule decided (``AcknowledgementNeed``); the levels
and their words are ``safety``'s. A session rule that the marks set off (both sides of the thorax)
is the headline, not text below the fold. The technique starts empty: the clinician chooses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

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
from dn_bodymap.safety.levels import highest, label

if TYPE_CHECKING:
    from dn_bodymap.charting.editing import AcknowledgementNeed

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
RED = "#c62828"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def headline(needs: Sequence[AcknowledgementNeed]) -> tuple[str, str]:
    """(title, sentence) at the top of the dialog: a session rule first, else the site(s)."""
    level = highest(n.level for n in needs)
    warnings = {w.id: w for n in needs for w in n.warnings}
    if warnings:
        first = next(iter(warnings.values()))
        return (
            f"{label(first.level).upper()}: both sides of the thorax in one session",
            f"{first.message} [{', '.join(first.sources)}]",
        )
    if len(needs) == 1:
        return f"{label(level).upper()}: {needs[0].label}", ""
    return (
        f"{label(level).upper()}: {len(needs)} marks need your acknowledgement",
        "Acknowledgements are never carried over from another session; each mark is asked again.",
    )


class HazardAcknowledgementDialog(QDialog):
    def __init__(self, needs: Sequence[AcknowledgementNeed], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.needs = list(needs)
        self.setWindowTitle("Hazard at this needling site" if len(needs) == 1 else "Hazards at copied marks")
        self.setObjectName("hazardAcknowledgementDialog")
        self.setMinimumWidth(600)
        title, sentence = headline(self.needs)
        head_html = f"<h2 style='color:{RED}'>{escape(title)}</h2>"
        if sentence:
            head_html += f"<p style='color:{RED}'><b>{escape(sentence)}</b></p>"
        if len(self.needs) == 1 and self.needs[0].warnings:
            only = self.needs[0]
            head_html += f"<p><b>{escape(only.label)}</b> — {escape(label(only.level))}</p>"
        self.headline = QLabel(head_html)
        self.headline.setObjectName("hazardHeadline")
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setWordWrap(True)
        self.body = QTextBrowser()
        self.body.setOpenExternalLinks(False)
        self.body.setHtml(self._body_html())
        self.techniques: list[QComboBox] = []
        form = QFormLayout()
        for need in self.needs:
            box = QComboBox()
            box.addItems(TECHNIQUES)
            box.setCurrentIndex(-1)  # the clinician chooses: no technique suits every site
            box.setPlaceholderText("Choose the technique…")
            box.setAccessibleName(f"Technique chosen for {need.label}")
            form.addRow(f"Technique, {need.label}" if len(self.needs) > 1 else "Technique chosen", box)
            self.techniques.append(box)
        thoracic = any(n.assessment.thoracic for n in self.needs)
        self.disclosed = QLineEdit(
            "Risk of pneumothorax and of the listed structures discussed"
            if thoracic
            else "Risks of the listed structures discussed"
        )
        self.disclosed.setAccessibleName("What was disclosed to the patient")
        form.addRow("Disclosed to the patient", self.disclosed)
        self.confirm = QCheckBox("I have read this warning and take responsibility for the technique")
        self.confirm.setAccessibleName("Confirm acknowledgement")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Acknowledge and keep the mark" + ("s" if len(self.needs) > 1 else ""))
        self.ok_button.setEnabled(False)
        self.confirm.toggled.connect(self._update_ok)
        for box in self.techniques:
            box.currentIndexChanged.connect(self._update_ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.body, 1)
        layout.addLayout(form)
        layout.addWidget(self.confirm)
        layout.addWidget(buttons)

    @property
    def technique(self) -> QComboBox:
        """The (first) technique box; a dialog for one mark has only this one."""
        return self.techniques[0]

    def _body_html(self) -> str:
        parts: list[str] = []
        for need in self.needs:
            if len(self.needs) > 1:
                parts.append(f"<h3>{escape(need.label)} — {escape(label(need.level))}</h3>")
            for h in need.assessment.hazards:
                parts.append(
                    f"<p><b>{escape(h.structure)}</b> — {escape(label(h.level))}<br>"
                    f"{escape(h.message.removeprefix(f'{h.structure}: '))}<br>"
                    f"<i>What lowers the risk:</i> {escape(h.guidance)}"
                    f"<br><small>Sources: {escape(', '.join(h.sources))}</small></p>"
                )
                if h.depth:
                    rows = "".join(
                        f"<li>{escape(d.text)} [{escape(', '.join(d.sources))}]</li>" for d in h.depth
                    )
                    parts.append(f"<p><i>Published depths:</i></p><ul><small>{rows}</small></ul>")
            for m in need.assessment.modifiers:
                parts.append(f"<p><i>Patient factor:</i> {escape(m.text)}</p>")
        advice = dict.fromkeys(line for n in self.needs for line in n.assessment.advice)
        parts += [f"<p>{escape(line)}</p>" for line in advice]
        keys = {k for n in self.needs for h in n.assessment.hazards for k in h.sources}
        keys |= {k for n in self.needs for w in n.warnings for k in w.sources}
        parts.append(_citations(keys))
        parts.append(
            "<p><small>This warning supports your clinical judgement; it never means a site is free "
            "of risk.</small></p>"
        )
        return "".join(parts)

    def _update_ok(self, *_: object) -> None:
        chosen = all(box.currentIndex() >= 0 and box.currentText().strip() for box in self.techniques)
        self.ok_button.setEnabled(self.confirm.isChecked() and chosen)

    def answers(self) -> list[AcknowledgementAnswer]:
        disclosed = self.disclosed.text().strip()
        return [AcknowledgementAnswer(box.currentText(), disclosed) for box in self.techniques]


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

    def provider(needs: Sequence[AcknowledgementNeed]) -> list[AcknowledgementAnswer] | None:
        dialog = HazardAcknowledgementDialog(needs, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.answers()
        return None

    return provider
