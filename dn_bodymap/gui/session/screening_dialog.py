"""Contraindication and precaution screening as plain-language questions, with the result."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.gui.screen_fit import resize_within_screen


def _questions():
    from dn_bodymap.safety.screening import QUESTIONS

    return QUESTIONS


class ScreeningDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Screening before dry needling")
        self.session = session
        answers = dict(session.screening_answers or {})
        self.boxes: dict[str, QCheckBox] = {}
        inner = QWidget()
        il = QVBoxLayout(inner)
        for q in _questions():
            box = QCheckBox(q.text)
            box.setChecked(answers.get(q.id) in (True, "yes"))
            box.setToolTip(
                ("Absolute contraindication" if q.absolute else "Precaution") + f" · {', '.join(q.sources)}"
            )
            box.toggled.connect(self._update)
            self.boxes[q.id] = box
            il.addWidget(box)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        self.scroll = scroll
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.reason = QLineEdit(str(answers.get("override_reason", "") or ""))
        self.reason.setPlaceholderText("Reason to proceed despite an absolute contraindication (required)")
        self.reason.setAccessibleName("Reason to proceed")
        self.reason.textChanged.connect(self._update)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick every item that applies to this patient today:"))
        layout.addWidget(scroll, 1)
        layout.addWidget(self.result)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self._update()
        # Wide enough for the longest question (a check box does not wrap): at 620 px the bleeding
        # and immune questions were cut off behind a sideways scroll bar.
        bar = scroll.verticalScrollBar().sizeHint().width()
        margins = layout.contentsMargins().left() + layout.contentsMargins().right()
        resize_within_screen(
            self, max(620, inner.sizeHint().width() + bar + 2 * scroll.frameWidth() + margins), 640
        )

    def answers(self) -> dict[str, object]:
        out: dict[str, object] = {qid: box.isChecked() for qid, box in self.boxes.items()}
        if self.reason.text().strip():
            out["override_reason"] = self.reason.text().strip()
        return out

    def _update(self) -> None:
        from dn_bodymap.safety.screening import evaluate

        result = evaluate(self.answers())
        self.result.setText(f"<b>Result: {result.status}</b><br>" + "<br>".join(result.reasons))
        self.reason.setVisible(result.status == "contraindicated" or bool(self.reason.text()))

    def result_values(self) -> tuple[dict[str, object], str]:
        from dn_bodymap.safety.screening import evaluate

        return self.answers(), evaluate(self.answers()).status
