"""The patient's treatment history: the pain trend across sessions, then one block per session.

For a referrer or a review: what was needled when, how pain moved before and after each session,
adverse events and plans, oldest first. Drafts are shown as drafts; voided sessions are left out.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.charting.summaries import PatientChart, SessionRecord
from dn_bodymap.report.blocks import ACCENT, INK, MUTED, RULE, KeyValues, TextBlock, esc, heading
from dn_bodymap.report.content import ReportContext, calendar_date, local_time, muscle_name
from dn_bodymap.report.document import ReportDocument
from dn_bodymap.report.flow import A4, UNITS_PER_PT, Block
from dn_bodymap.report.fonts import report_font

PT = UNITS_PER_PT
TITLE = "Dry-needling treatment history"
PRE = QColor("#c62828")
POST = QColor("#1565c0")


class PainTrendBlock(Block):
    """Pain before (filled) and after (open) each session on a 0–10 scale, as vector lines."""

    def __init__(self, points: list[tuple[str, int | None, int | None]], width: float) -> None:
        self.points = points
        self.width = width
        self.space_before = 6 * PT
        self._h = 150 * PT

    def height(self) -> float:
        return self._h

    def paint(self, painter: QPainter, x: float, y: float, top: float, bottom: float) -> None:
        left, right = x + 24 * PT, x + self.width - 8 * PT
        plot_top, plot_bottom = y + 8 * PT, y + self._h - 34 * PT
        painter.save()
        painter.setFont(report_font(7))
        for level in range(0, 11, 2):
            ly = plot_bottom - (plot_bottom - plot_top) * level / 10
            pen = QPen(RULE)
            pen.setWidthF(0.4 * PT)
            painter.setPen(pen)
            painter.drawLine(QPointF(left, ly), QPointF(right, ly))
            painter.setPen(QPen(MUTED))
            painter.drawText(
                QRectF(x, ly - 5 * PT, 20 * PT, 10 * PT), Qt.AlignmentFlag.AlignRight, str(level)
            )
        n = len(self.points)
        step = (right - left) / max(1, n - 1) if n > 1 else 0.0
        xs = [left + step * i if n > 1 else (left + right) / 2 for i in range(n)]

        def yv(value: int) -> float:
            return plot_bottom - (plot_bottom - plot_top) * value / 10

        for series, colour, filled in ((1, PRE, True), (2, POST, False)):
            path = QPainterPath()
            started = False
            for px, point in zip(xs, self.points, strict=True):
                value = point[series]
                if value is None:
                    started = False
                    continue
                if started:
                    path.lineTo(px, yv(value))
                else:
                    path.moveTo(px, yv(value))
                    started = True
            pen = QPen(colour)
            pen.setWidthF(1.2 * PT)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            painter.setBrush(QBrush(colour if filled else QColor("white")))
            for px, point in zip(xs, self.points, strict=True):
                if point[series] is not None:
                    painter.drawEllipse(QPointF(px, yv(point[series])), 2.6 * PT, 2.6 * PT)
        painter.setPen(QPen(INK))
        label_every = max(1, n // 10)
        for i, (px, point) in enumerate(zip(xs, self.points, strict=True)):
            if i % label_every == 0 or i == n - 1:
                box = QRectF(px - 30 * PT, plot_bottom + 4 * PT, 60 * PT, 10 * PT)
                painter.drawText(box, Qt.AlignmentFlag.AlignHCenter, point[0])
        legend_y = y + self._h - 14 * PT
        painter.setFont(report_font(7.4))
        for i, (colour, filled, text) in enumerate(
            ((PRE, True, "Pain before the session"), (POST, False, "Pain after the session"))
        ):
            lx = left + i * 150 * PT
            painter.setPen(QPen(colour, 1.2 * PT))
            painter.setBrush(QBrush(colour if filled else QColor("white")))
            painter.drawEllipse(QPointF(lx + 4 * PT, legend_y + 5 * PT), 2.6 * PT, 2.6 * PT)
            painter.setPen(QPen(MUTED))
            painter.drawText(
                QRectF(lx + 12 * PT, legend_y, 140 * PT, 10 * PT), Qt.AlignmentFlag.AlignLeft, text
            )
        painter.restore()


def _session_block(n: int, record: SessionRecord, atlas: Atlas, width: float) -> list[Block]:
    s = record.session
    status = "signed" if s.is_signed else "draft, not signed"
    title = f"{n}. {local_time(s.started_at)} — {s.clinician} ({status})"
    lines: list[str] = []
    pre = "—" if s.pain_pre is None else f"{s.pain_pre}/10"
    post = "—" if s.pain_post is None else f"{s.pain_post}/10"
    lines.append(f"<p><b>Pain:</b> before {pre} → after {post}</p>")
    if record.marks:
        items = []
        for m in record.marks:
            bits = [f"{esc(muscle_name(atlas, m.muscle_id))} ({esc(m.side)})"]
            if m.needled and m.needle_gauge_mm and m.needle_length_mm:
                bits.append(f"{m.needle_gauge_mm:g}×{m.needle_length_mm:g} mm")
            if m.depth_mm is not None:
                bits.append(f"depth {m.depth_mm:g} mm")
            if m.local_twitch_response:
                bits.append("twitch")
            items.append(", ".join(bits))
        lines.append(f"<p><b>Trigger points ({len(record.marks)}):</b> {'; '.join(items)}</p>")
    else:
        lines.append("<p><b>Trigger points:</b> none marked</p>")
    if record.adverse_events:
        events = "; ".join(f"{esc(e.type)} ({esc(e.severity)})" for e in record.adverse_events)
        lines.append(f'<p><span class="warn">Adverse events:</span> {events}</p>')
    if s.plan.strip():
        lines.append(f"<p><b>Plan:</b> {esc(s.plan.strip())}</p>")
    if record.addenda:
        lines.append(f'<p class="muted">{len(record.addenda)} addendum(s) on this session.</p>')
    return [heading(title, width, level=2), TextBlock("".join(lines), width)]


def history_report(chart: PatientChart, atlas: Atlas, context: ReportContext) -> ReportDocument:
    from dn_bodymap.render.export import ensure_gui_app

    ensure_gui_app()
    width = A4.content.width()
    patient = chart.patient
    sessions = sorted(
        (r for r in chart.sessions if not getattr(r.session, "voided_at", None)),
        key=lambda r: r.session.started_at,
    )
    span = (
        f"{local_time(sessions[0].session.started_at, with_zone=False)} – "
        f"{local_time(sessions[-1].session.started_at, with_zone=False)}"
        if sessions
        else "—"
    )
    blocks: list[Block] = [
        TextBlock(
            f'<p style="font-size:{round(17 * PT)}px; font-weight:700; color:{ACCENT.name()}">'
            f"{esc(TITLE)}</p>",
            width,
            breakable=False,
        ),
        KeyValues(
            [
                ("Patient", esc(patient.display_name)),
                ("Date of birth", esc(calendar_date(patient.date_of_birth))),
                ("Record number", esc(patient.record_number or "—")),
                ("Sessions", str(len(sessions))),
                ("Period", esc(span)),
            ],
            width,
        ),
        heading("Pain across sessions", width),
    ]
    points = [
        (
            local_time(r.session.started_at, with_zone=False)[:6].strip(),
            r.session.pain_pre,
            r.session.pain_post,
        )
        for r in sessions
    ]
    if points:
        blocks.append(PainTrendBlock(points, width))
    else:
        blocks.append(TextBlock('<p class="muted">No session yet.</p>', width))
    blocks.append(heading("Sessions", width))
    for n, record in enumerate(sessions, start=1):
        blocks.extend(_session_block(n, record, atlas, width))
    line = " · ".join(
        p
        for p in (
            patient.display_name,
            f"DOB {calendar_date(patient.date_of_birth)}" if patient.date_of_birth else "",
            f"Rec. {patient.record_number}" if patient.record_number else "",
        )
        if p
    )
    return ReportDocument(
        blocks=blocks,
        title=f"{TITLE} — {patient.display_name}",
        author=context.clinic or "dn-bodymap",
        subject=f"Dry-needling sessions {span}"
        + (f", record {patient.record_number}" if patient.record_number else ""),
        running_title=TITLE,
        patient_line=line,
        context=context,
    )
