"""Trigger-point history: each muscle and side treated, visit by visit, so progress shows at a
glance (active → latent → not found, tenderness, referral reproduced)."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.gui.local_time import local_text

STATE_COLOURS = {
    "active": QColor("#f8c9c4"),
    "latent": QColor("#fde9b8"),
    "resolved": QColor("#cdebd0"),
}


def history_rows(chart, atlas) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Column headers (visit dates) and rows (muscle + side → cell text per visit)."""
    sessions = list(chart.sessions)
    dates = [local_text(s.session.started_at)[:10] for s in sessions]
    keys: dict[tuple[str, str], list[str]] = {}
    for col, record in enumerate(sessions):
        for mark in record.marks:
            if not mark.muscle_id:
                continue
            key = (mark.muscle_id, str(mark.side))
            cells = keys.setdefault(key, [""] * len(sessions))
            bits = [str(mark.activity or "active")]
            if mark.tenderness is not None:
                bits.append(f"T{mark.tenderness}")
            if mark.referral_reproduced:
                bits.append("ref+")
            cells[col] = " ".join(bits)
    rows = []
    for (mid, side), cells in sorted(keys.items()):
        first = next((i for i, c in enumerate(cells) if c), 0)
        for i in range(first + 1, len(cells)):
            if not cells[i]:
                cells[i] = "resolved"
        name = atlas.muscles[mid].name if mid in atlas.muscles else mid
        rows.append((f"{name} ({side})", cells))
    return dates, rows


class TriggerPointHistoryDialog(QDialog):
    def __init__(self, repo, atlas, patient_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        chart = repo.load_patient_chart(patient_id)
        self.setWindowTitle(f"Trigger-point history — {chart.patient.display_name}")
        self.resize(900, 480)
        dates, rows = history_rows(chart, atlas)
        table = QTableWidget(len(rows), len(dates))
        table.setHorizontalHeaderLabels(dates)
        table.setVerticalHeaderLabels([r[0] for r in rows])
        table.setAccessibleName("Trigger points per visit")
        for r, (_, cells) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                state = text.split(" ")[0] if text else ""
                if state in STATE_COLOURS:
                    item.setBackground(STATE_COLOURS[state])
                    item.setForeground(QColor("#222"))
                table.setItem(r, c, item)
        self.table = table
        legend = QLabel(
            "active / latent as charted; T = tenderness 0–10; ref+ = referral reproduced; "
            "resolved = not found at a later visit"
        )
        legend.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(legend)
        layout.addWidget(buttons)
