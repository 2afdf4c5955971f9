"""Edit the selected mark: muscle (deeper ones one click away), trigger point, needling details.

Widget values are range-limited, so impossible values cannot be typed; writes go through the
controller as one mergeable edit per field, and incoming changes are written with signals blocked
so the two-way binding never loops (CONVENTIONS §5).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.charting.records import Mark
from dn_bodymap.gui.session.controller import SessionController

TECHNIQUES = [
    "",
    "Fast-in fast-out (pistoning)",
    "Static",
    "Rotation",
    "Pincer grip",
    "Flat palpation",
    "Rib bracketing",
    "Intercostal blocking",
    "Ultrasound-guided",
    "Electrical stimulation",
]
POSITIONS = ["", "Prone", "Prone with bolster", "Supine", "Side-lying", "Sitting"]


class MarkInspector(QWidget):
    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.mark_id: str | None = None
        self.title = QLabel("No trigger point selected")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600; font-size: 13px;")
        self.where = QLabel("")
        self.where.setWordWrap(True)
        self.hazard = QLabel("")
        self.hazard.setWordWrap(True)
        self.hazard.setStyleSheet("color: #c62828;")

        self.muscle = QComboBox()
        self.muscle.setAccessibleName("Muscle")
        self.muscle.setToolTip("Muscles under the mark, superficial first; pick a deeper one here")
        # Muscles drawn under the mark that cannot be reached through it: not offered, and why.
        self.unreachable = QLabel("")
        self.unreachable.setWordWrap(True)
        self.unreachable.setAccessibleName("Muscles not reachable here")
        self.unreachable.setStyleSheet("font-style: italic; font-size: 11px;")
        self.unreachable.setVisible(False)
        self.trigger_point = QComboBox()
        self.trigger_point.setAccessibleName("Library trigger point")
        self.activity = QComboBox()
        self.activity.addItem("Active", "active")
        self.activity.addItem("Latent", "latent")
        self.activity.setAccessibleName("Active or latent")
        self.tenderness = QSpinBox()
        self.tenderness.setRange(-1, 10)
        self.tenderness.setSpecialValueText("—")
        self.tenderness.setAccessibleName("Tenderness 0 to 10")
        self.referral = QCheckBox("Referral reproduced")
        self.twitch = QCheckBox("Local twitch response")
        self.needled = QCheckBox("Needled")
        self.gauge = QDoubleSpinBox()
        self.gauge.setRange(0.0, 0.5)
        self.gauge.setDecimals(2)
        self.gauge.setSingleStep(0.02)
        self.gauge.setSpecialValueText("—")
        self.gauge.setSuffix(" mm")
        self.gauge.setAccessibleName("Needle gauge in millimetres")
        self.length = QDoubleSpinBox()
        self.length.setRange(0, 150)
        self.length.setDecimals(0)
        self.length.setSpecialValueText("—")
        self.length.setSuffix(" mm")
        self.length.setAccessibleName("Needle length in millimetres")
        self.depth = QDoubleSpinBox()
        self.depth.setRange(0, 150)
        self.depth.setDecimals(0)
        self.depth.setSpecialValueText("—")
        self.depth.setSuffix(" mm")
        self.depth.setAccessibleName("Depth in millimetres")
        self.technique = QComboBox()
        self.technique.setEditable(True)
        self.technique.addItems(TECHNIQUES)
        self.technique.setAccessibleName("Technique")
        self.passes = QSpinBox()
        self.passes.setRange(-1, 200)
        self.passes.setSpecialValueText("—")
        self.passes.setAccessibleName("Number of passes")
        self.duration = QSpinBox()
        self.duration.setRange(-1, 3600)
        self.duration.setSpecialValueText("—")
        self.duration.setSuffix(" s")
        self.duration.setAccessibleName("Duration in seconds")
        self.position = QComboBox()
        self.position.setEditable(True)
        self.position.addItems(POSITIONS)
        self.position.setAccessibleName("Patient position")
        self.response = QLineEdit()
        self.response.setAccessibleName("Response")
        self.response.setPlaceholderText("e.g. LTR ×3, referral to temple reproduced")
        self.notes = QLineEdit()
        self.notes.setAccessibleName("Notes")
        self.delete_button = QPushButton("Delete mark")
        self.delete_button.setToolTip("Delete this trigger point (Delete); undo brings it back")

        form = QFormLayout()
        form.addRow("Muscle", self.muscle)
        form.addRow("", self.unreachable)
        form.addRow("Trigger point", self.trigger_point)
        form.addRow("Status", self.activity)
        form.addRow("Tenderness", self.tenderness)
        checks = QHBoxLayout()
        checks.addWidget(self.referral)
        checks.addWidget(self.twitch)
        form.addRow(checks)
        needling = QGroupBox("Needling")
        nform = QFormLayout(needling)
        nform.addRow(self.needled)
        nform.addRow("Gauge", self.gauge)
        nform.addRow("Length", self.length)
        nform.addRow("Depth", self.depth)
        nform.addRow("Technique", self.technique)
        nform.addRow("Passes", self.passes)
        nform.addRow("Duration", self.duration)
        nform.addRow("Position", self.position)
        nform.addRow("Response", self.response)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.where)
        layout.addWidget(self.hazard)
        layout.addLayout(form)
        layout.addWidget(needling)
        layout.addWidget(QLabel("Notes"))
        layout.addWidget(self.notes)
        layout.addWidget(self.delete_button)
        layout.addStretch(1)
        self._connect()
        self.show_mark(None)

    def _connect(self) -> None:
        c = self.controller
        self.muscle.activated.connect(lambda _: self._change_muscle())
        self.trigger_point.activated.connect(
            lambda _: self._edit(trigger_point_id=self.trigger_point.currentData())
        )
        self.activity.activated.connect(lambda _: self._edit(activity=self.activity.currentData()))
        self.tenderness.valueChanged.connect(lambda v: self._edit(tenderness=None if v < 0 else v))
        self.referral.toggled.connect(lambda on: self._edit(referral_reproduced=on))
        self.twitch.toggled.connect(lambda on: self._edit(local_twitch_response=on))
        self.needled.toggled.connect(lambda on: self._edit(needled=on))
        self.gauge.valueChanged.connect(lambda v: self._edit(needle_gauge_mm=v if v >= 0.1 else None))
        self.length.valueChanged.connect(lambda v: self._edit(needle_length_mm=v if v >= 5 else None))
        self.depth.valueChanged.connect(self._on_depth)
        self.technique.currentTextChanged.connect(lambda t: self._edit(technique=t.strip() or None))
        self.passes.valueChanged.connect(lambda v: self._edit(passes=None if v < 0 else v))
        self.duration.valueChanged.connect(lambda v: self._edit(duration_s=None if v < 0 else float(v)))
        self.position.currentTextChanged.connect(lambda t: self._edit(patient_position=t.strip() or None))
        self.response.editingFinished.connect(
            lambda: self._edit(response=self.response.text().strip() or None)
        )
        self.notes.editingFinished.connect(lambda: self._edit(notes=self.notes.text()))
        self.delete_button.clicked.connect(self._delete)
        c.changed.connect(self._on_changed)

    def _on_depth(self, value: float) -> None:
        length = self.length.value()
        if value > 0 and length >= 5 and value > length:
            self.controller.refused.emit("Depth cannot be more than the needle length.")
            with QSignalBlocker(self.depth):
                self.depth.setValue(length)
            return
        self._edit(depth_mm=value if value > 0 else None)

    def _edit(self, **fields) -> None:
        if self.mark_id is not None:
            self.controller.edit_mark(self.mark_id, initiator=self, **fields)

    def _show_unreachable(self, unreachable: tuple[tuple[str, str], ...]) -> None:
        """The locator's word on muscles under the site that are not offered (e.g. subscapularis
        under the chest wall is reached through the axilla)."""
        text = "\n".join(f"Not offered here: {reason}." for _, reason in unreachable)
        self.unreachable.setText(text)
        self.unreachable.setToolTip(text)
        self.unreachable.setVisible(bool(text))

    def _change_muscle(self) -> None:
        """A new muscle renames the mark and changes its trigger points: show both at once (the
        inspector skips its own edits otherwise, to keep typing undisturbed)."""
        muscle = self.muscle.currentData()
        self._edit(muscle_id=muscle, trigger_point_id=self._nearest_tp(muscle))
        self.show_mark(self.mark_id)

    def _delete(self) -> None:
        if self.mark_id is not None:
            self.controller.delete_mark(self.mark_id)

    def _nearest_tp(self, muscle_id: str | None) -> str | None:
        if not muscle_id or self.mark_id is None or self.controller.library is None:
            return None
        mark = self.controller.repo.get_mark(self.mark_id)
        from dn_bodymap.atlas.model import Side

        tp = self.controller.library.nearest(
            str(mark.view), Side(str(mark.side)), mark.x, mark.y, [muscle_id]
        )
        return tp.id if tp else None

    def _on_changed(self, changes, initiator) -> None:
        if (
            self.mark_id
            and (self.mark_id in changes.marks or changes.acknowledgements)
            and initiator is not self
        ):
            self.show_mark(self.mark_id)

    def show_mark(self, mark_id: str | None) -> None:
        mark: Mark | None = None
        if mark_id is not None:
            try:
                mark = self.controller.mark(mark_id)  # the session model's copy: no store read
            except Exception:
                mark = None
        self.mark_id = mark.id if mark else None
        editable = mark is not None and not self.controller.is_signed
        for w in self.findChildren(QWidget):
            if w not in (self.title, self.where, self.hazard, self.unreachable):
                w.setEnabled(editable)
        if mark is None:
            self.title.setText("No trigger point selected")
            self.where.setText("Click on the figure with the trigger-point tool (T) to mark one.")
            self.hazard.setText("")
            self._show_unreachable(())
            return
        self.title.setText(self.controller.mark_label(mark))
        ident = self.controller.identify(str(mark.view), mark.x, mark.y)
        self.where.setText(f"{ident.region_label} · {str(mark.view).replace('_', ' ')} view" if ident else "")
        acks = [a for a in self.controller.acknowledgements() if a.mark_id == mark.id]
        self.hazard.setText(
            f"Hazard acknowledged ({str(acks[-1].level).replace('_', ' ')}): "
            f"{acks[-1].technique_chosen or ''}"
            if acks
            else ""
        )
        blockers = [QSignalBlocker(w) for w in self.findChildren(QWidget)]
        self.muscle.clear()
        seen = set()
        if ident:
            for mid, name, layer in ident.muscles:
                self.muscle.addItem(f"{name} ({layer})", mid)
                seen.add(mid)
        if mark.muscle_id and mark.muscle_id not in seen:
            self.muscle.addItem(
                self.controller.atlas.muscles.get(mark.muscle_id).name
                if mark.muscle_id in self.controller.atlas.muscles
                else mark.muscle_id,
                mark.muscle_id,
            )
        self.muscle.setCurrentIndex(max(0, self.muscle.findData(mark.muscle_id)))
        self._show_unreachable(self.controller.index.locate(str(mark.view), mark.x, mark.y).unreachable)
        self.trigger_point.clear()
        self.trigger_point.addItem("—", None)
        if self.controller.library is not None and mark.muscle_id:
            ids = sorted(
                {tp.id: tp.label for tp in self.controller.library.for_muscle(mark.muscle_id)}.items()
            )
            for tid, label in ids:
                self.trigger_point.addItem(label, tid)
        self.trigger_point.setCurrentIndex(max(0, self.trigger_point.findData(mark.trigger_point_id)))
        self.activity.setCurrentIndex(
            max(0, self.activity.findData(str(mark.activity) if mark.activity else "active"))
        )
        self.tenderness.setValue(-1 if mark.tenderness is None else mark.tenderness)
        self.referral.setChecked(mark.referral_reproduced)
        self.twitch.setChecked(mark.local_twitch_response)
        self.needled.setChecked(mark.needled)
        self.gauge.setValue(mark.needle_gauge_mm or 0.0)
        self.length.setValue(mark.needle_length_mm or 0.0)
        self.depth.setValue(mark.depth_mm or 0.0)
        self.technique.setCurrentText(mark.technique or "")
        self.passes.setValue(-1 if mark.passes is None else mark.passes)
        self.duration.setValue(-1 if mark.duration_s is None else int(mark.duration_s))
        self.position.setCurrentText(mark.patient_position or "")
        self.response.setText(mark.response or "")
        self.notes.setText(mark.notes or "")
        del blockers
        self.delete_button.setEnabled(editable)
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft)
