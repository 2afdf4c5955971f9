"""Session header: consent, screening, pain before/after, position, notes, advice, plan, events."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.gui.session.controller import SessionController


class SessionHeader(QWidget):
    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.title.setWordWrap(True)
        self.status = QLabel()
        self.pain_pre = self._pain_box("Pain before treatment (0–10)")
        self.pain_post = self._pain_box("Pain after treatment (0–10)")
        self.position = QComboBox()
        self.position.setEditable(True)
        self.position.addItems(["", "Prone", "Prone with bolster", "Supine", "Side-lying", "Sitting"])
        self.position.setAccessibleName("Patient position")
        self.consent_box = QGroupBox("Consent")
        cform = QFormLayout(self.consent_box)
        self.consent_type = QComboBox()
        self.consent_type.addItem("Not recorded", None)
        self.consent_type.addItem("Written", "written")
        self.consent_type.addItem("Verbal", "verbal")
        self.consent_type.setAccessibleName("Consent type")
        self.pneumothorax = QCheckBox("Risk of pneumothorax discussed")
        self.copy_given = QCheckBox("Patient given a copy")
        cform.addRow("Type", self.consent_type)
        cform.addRow(self.pneumothorax)
        cform.addRow(self.copy_given)
        self.screening_label = QLabel("Screening: not done")
        self.screening_label.setWordWrap(True)
        self.screening_button = QPushButton("Screening checklist…")
        self.screening_button.setToolTip("Contraindications and precautions before needling")
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Clinical notes, indication and reasoning")
        self.notes.setAccessibleName("Session notes")
        self.advice = QPlainTextEdit()
        self.advice.setPlaceholderText("Advice given (post-needling soreness, when to seek help)")
        self.advice.setAccessibleName("Advice given")
        self.plan = QPlainTextEdit()
        self.plan.setPlaceholderText("Plan")
        self.plan.setAccessibleName("Plan")
        for box in (self.notes, self.advice, self.plan):
            box.setMaximumHeight(70)
        self.sign_button = QPushButton("Sign session…")
        self.sign_button.setToolTip("Sign the note; it becomes read-only and later changes are addenda")
        form = QFormLayout()
        form.addRow("Pain before", self.pain_pre)
        form.addRow("Pain after", self.pain_post)
        form.addRow("Position", self.position)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addLayout(form)
        layout.addWidget(self.consent_box)
        layout.addWidget(self.screening_label)
        layout.addWidget(self.screening_button)
        layout.addWidget(QLabel("Notes"))
        layout.addWidget(self.notes)
        layout.addWidget(QLabel("Advice given"))
        layout.addWidget(self.advice)
        layout.addWidget(QLabel("Plan"))
        layout.addWidget(self.plan)
        layout.addWidget(self.sign_button)
        layout.addStretch(1)
        self._connect()
        self.refresh()

    def _pain_box(self, name: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(-1, 10)
        box.setSpecialValueText("—")
        box.setAccessibleName(name)
        box.setToolTip(name)
        return box

    def _connect(self) -> None:
        c = self.controller
        self.pain_pre.valueChanged.connect(
            lambda v: c.edit_session(self, "Pain before", pain_pre=None if v < 0 else v)
        )
        self.pain_post.valueChanged.connect(
            lambda v: c.edit_session(self, "Pain after", pain_post=None if v < 0 else v)
        )
        self.position.currentTextChanged.connect(
            lambda t: c.edit_session(self, "Position", patient_position=t.strip() or None)
        )
        self.notes.textChanged.connect(lambda: c.edit_session(self, "Notes", notes=self.notes.toPlainText()))
        self.advice.textChanged.connect(
            lambda: c.edit_session(self, "Advice", advice_given=self.advice.toPlainText())
        )
        self.plan.textChanged.connect(lambda: c.edit_session(self, "Plan", plan=self.plan.toPlainText()))
        self.consent_type.activated.connect(lambda _: self._save_consent())
        self.pneumothorax.toggled.connect(lambda _: self._save_consent())
        self.copy_given.toggled.connect(lambda _: self._save_consent())
        c.changed.connect(
            lambda changes, initiator: self.refresh() if changes.session and initiator is not self else None
        )

    def _save_consent(self) -> None:
        from dn_bodymap.charting.records import Consent
        from dn_bodymap.charting.timestamps import utc_now

        kind = self.consent_type.currentData()
        if kind is None:
            self.controller.edit_session(self, "Consent", consent=None)
            return
        previous = self.controller.session.consent
        consent = Consent(
            type=kind,
            date=previous.date if previous else utc_now()[:10],
            risks_discussed=("pneumothorax",) if self.pneumothorax.isChecked() else (),
            pneumothorax_discussed=self.pneumothorax.isChecked(),
            patient_copy_given=self.copy_given.isChecked(),
        )
        self.controller.edit_session(self, "Consent", consent=consent)

    def refresh(self) -> None:
        s = self.controller.session
        patient = self.controller.repo.get_patient(s.patient_id)
        self.title.setText(f"{patient.display_name} — {s.started_at[:16].replace('T', ' ')} UTC")
        signed = str(s.status) == "signed"
        self.status.setText(
            f"Signed by {s.signed_by} at {str(s.signed_at)[:16].replace('T', ' ')}"
            if signed
            else f"Draft · {s.clinician}"
        )
        blockers = [QSignalBlocker(w) for w in self.findChildren(QWidget)]
        self.pain_pre.setValue(-1 if s.pain_pre is None else s.pain_pre)
        self.pain_post.setValue(-1 if s.pain_post is None else s.pain_post)
        self.position.setCurrentText(s.patient_position or "")
        if self.notes.toPlainText() != s.notes:
            self.notes.setPlainText(s.notes)
        if self.advice.toPlainText() != s.advice_given:
            self.advice.setPlainText(s.advice_given)
        if self.plan.toPlainText() != s.plan:
            self.plan.setPlainText(s.plan)
        consent = s.consent
        self.consent_type.setCurrentIndex(
            max(0, self.consent_type.findData(str(consent.type) if consent else None))
        )
        self.pneumothorax.setChecked(bool(consent and consent.pneumothorax_discussed))
        self.copy_given.setChecked(bool(consent and consent.patient_copy_given))
        self.screening_label.setText(f"Screening: {s.screening_result or 'not done'}")
        del blockers
        for w in self.findChildren(QWidget):
            if w not in (self.title, self.status, self.screening_label):
                w.setEnabled(not signed)
