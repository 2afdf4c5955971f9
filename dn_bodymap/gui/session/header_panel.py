"""Session header: consent, screening, pain before/after, position, notes, advice, plan, events."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSignalBlocker, Qt
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

from dn_bodymap.gui.local_time import local_text
from dn_bodymap.gui.session.controller import SessionController


class SessionHeader(QWidget):
    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.title.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)  # "Signed by <name, profession, reg.> at …" is long
        self.clinician = QLabel()
        self.clinician.setWordWrap(True)
        self.clinician.setAccessibleName("Clinician of this session")
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
        # After signing: addenda and adverse events (a delayed one comes later) are dated entries
        # under the note, shown in order with who wrote them and when.
        self.entries_box = QGroupBox("Adverse events and addenda")
        entries_layout = QVBoxLayout(self.entries_box)
        self.entries = QLabel()
        self.entries.setWordWrap(True)
        self.entries.setTextFormat(Qt.TextFormat.RichText)
        self.entries.setAccessibleName("Adverse events and addenda")
        self.adverse_button = QPushButton("Record adverse event…")
        self.adverse_button.setToolTip(
            "Also after signing: the event is a dated entry; the note stays signed"
        )
        self.addendum_button = QPushButton("Add addendum…")
        self.addendum_button.setToolTip("A later note under the signed session")
        entries_layout.addWidget(self.entries)
        entries_layout.addWidget(self.adverse_button)
        entries_layout.addWidget(self.addendum_button)
        form = QFormLayout()
        form.addRow("Pain before", self.pain_pre)
        form.addRow("Pain after", self.pain_post)
        form.addRow("Position", self.position)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.clinician)
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
        layout.addWidget(self.entries_box)
        layout.addStretch(1)
        self._connect()
        self.refresh()

    def _inputs(self) -> tuple[QWidget, ...]:
        return (
            self.pain_pre,
            self.pain_post,
            self.position,
            self.notes,
            self.advice,
            self.plan,
            self.consent_type,
            self.pneumothorax,
            self.copy_given,
        )

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
        c.editableChanged.connect(lambda _: self.refresh())  # a lease taken, taken over or released

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
        self.title.setText(f"{patient.display_name} — {local_text(s.started_at)}")
        signed = str(s.status) == "signed"
        # Read-only whenever the core would refuse an edit: signed, or held by another room's lease.
        refusal = None if signed else self.controller.edit_refusal()
        read_only = signed or refusal is not None
        self.status.setText(
            f"Signed by {s.signed_by} at {local_text(s.signed_at)}"
            if signed
            else (f"Draft. {refusal}" if refusal else "Draft")
        )
        self.clinician.setText(f"Clinician: {s.clinician}")
        if not signed and self.controller.clinician and self.controller.clinician != s.clinician:
            self.clinician.setText(
                f"Clinician: {s.clinician}<br><i>New entries: {self.controller.clinician}</i>"
            )
        # The inputs whose signals edit the session (``_connect``), named: listing every child widget
        # meets Qt's own inner ones, which PySide must type by loading every widget class (issue #14).
        blockers = [QSignalBlocker(w) for w in self._inputs()]
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
        keep = (self.title, self.status, self.clinician, self.screening_label, self.entries_box)
        # A disabled widget disables what it holds: its own children need no call of their own.
        for w in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if w not in keep:
                w.setEnabled(not read_only)
        # After signing, a delayed event is a dated entry; on a draft it is an edit like any other.
        self.adverse_button.setEnabled(signed or not read_only)
        self.sign_button.setVisible(not signed)
        self.addendum_button.setVisible(signed)
        self.refresh_entries()

    def refresh_entries(self) -> None:
        """Adverse events and addenda of this session, in time order, with author and time."""
        repo = self.controller.repo
        session_id = self.controller.session_id
        signed_at = self.controller.session.signed_at
        rows: list[tuple[str, str]] = []
        for event in repo.list_adverse_events(session_id):  # type: ignore[arg-type]
            when = event.recorded_at or event.occurred_at
            late = " · after signing" if signed_at and when > signed_at else ""
            by = f" · recorded by {escape(event.recorded_by)}" if event.recorded_by else ""
            notes = f"<br>{_text(event.notes)}" if event.notes.strip() else ""
            rows.append(
                (
                    event.occurred_at,
                    f"<b>Adverse event ({event.severity}): {escape(event.type)}</b><br>"
                    f"occurred {local_text(event.occurred_at)}{by}{late}{notes}",
                )
            )
        for addendum in repo.list_addenda(session_id):  # type: ignore[arg-type]
            rows.append(
                (
                    addendum.written_at,
                    f"<b>Addendum</b> · {local_text(addendum.written_at)} · {escape(addendum.author)}"
                    f"<br>{_text(addendum.text)}",
                )
            )
        rows.sort()
        self.entries.setText("<hr>".join(html for _, html in rows) or "<i>None recorded.</i>")
        self.entries_box.setTitle(
            f"Adverse events and addenda ({len(rows)})" if rows else "Adverse events and addenda"
        )


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br>")
