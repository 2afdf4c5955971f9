"""A printable dry-needling consent form, filled with the patient's details, with signature lines.

It follows the elements of informed consent (what the treatment is, benefits, risks, alternatives,
the result of no treatment, the right to ask and to stop). The risk wording is the safety engine's
advice (``safety.advice``), so the form and the after-care handout never disagree.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from dn_bodymap.charting.records import Patient
from dn_bodymap.charting.summaries import SessionRecord
from dn_bodymap.report.blocks import INK, MUTED, KeyValues, TextBlock, document_title, esc, heading
from dn_bodymap.report.content import ReportContext, calendar_date, local_time
from dn_bodymap.report.flow import A4, UNITS_PER_PT, Block
from dn_bodymap.report.fonts import report_font

PT = UNITS_PER_PT
TITLE = "Consent to dry needling"


class SignatureLines(Block):
    """Lines to sign on, each with its caption underneath (name, signature, date)."""

    ROW_H = 46 * PT

    def __init__(self, rows: list[tuple[str, str, str]], width: float) -> None:
        self.rows = rows
        self.width = width
        self.space_before = 14 * PT

    def height(self) -> float:
        return self.ROW_H * len(self.rows)

    def paint(self, painter: QPainter, x: float, y: float, top: float, bottom: float) -> None:
        widths = (0.38, 0.40, 0.22)
        gap = 12 * PT
        pen = QPen(INK)
        pen.setWidthF(0.6 * PT)
        for row in self.rows:
            cx = x
            line_y = y + self.ROW_H - 16 * PT
            for caption, share in zip(row, widths, strict=True):
                w = self.width * share - gap
                painter.setPen(pen)
                painter.drawLine(QPointF(cx, line_y), QPointF(cx + w, line_y))
                painter.setPen(QPen(MUTED))
                painter.setFont(report_font(7.4))
                painter.drawText(QRectF(cx, line_y + 2 * PT, w, 10 * PT), Qt.AlignmentFlag.AlignLeft, caption)
                cx += w + gap
            y += self.ROW_H


def consent_blocks(patient: Patient, record: SessionRecord, context: ReportContext) -> list[Block]:
    from dn_bodymap.safety.advice import post_needling_advice

    width = A4.content.width()
    advice = post_needling_advice(thoracic=True)
    title = document_title(TITLE, width)
    clinic = esc(context.clinic) if context.clinic else "this clinic"
    risks_common = "".join(f"<li>{esc(i.text)}</li>" for i in advice.expected)
    others = advice.seek_help_now[1:]  # [0] is the thoracic item, reworded here; its sources stay listed
    # The handout's wording speaks after the fact ("needles were used…"); the form asks before.
    lung = (
        "Needling over or near the chest, upper back, shoulders or neck can rarely puncture the lung "
        "(pneumothorax). New or worsening chest pain, shortness of breath, pain when breathing in, a dry "
        "cough or feeling generally unwell can start during treatment, hours later or the next day, and "
        "need urgent medical help."
    )
    risks_serious = f"<li>{esc(lung)}</li>" + "".join(f"<li>{esc(i.text)}</li>" for i in others)
    contact = "".join(f"<li>{esc(i.text)}</li>" for i in advice.contact_us)
    sources = sorted({s for item in advice.items() for s in item.sources})
    return [
        title,
        KeyValues(
            [
                ("Patient", esc(patient.display_name)),
                ("Date of birth", esc(calendar_date(patient.date_of_birth))),
                ("Record number", esc(patient.record_number or "—")),
                ("Clinician", esc(record.session.clinician)),
                ("Session", esc(local_time(record.session.started_at))),
                ("Clinic", clinic),
            ],
            width,
        ),
        heading("What dry needling is", width, level=2),
        TextBlock(
            "<p>A fine, sterile, single-use needle is put through the skin into a tight, tender spot in a "
            "muscle (a trigger point), sometimes moved in and out a few times, then removed. It is used "
            "together with exercise and other care. No medicine is injected.</p>",
            width,
        ),
        heading("Possible benefits", width, level=2),
        TextBlock(
            "<p>Less pain and muscle tightness and easier movement, which can help you with your exercise "
            "programme. Benefit is not guaranteed and varies between people.</p>",
            width,
        ),
        heading("Risks", width, level=2),
        TextBlock(
            f"<p><b>Common and usually short-lived:</b></p><ul>{risks_common}</ul>"
            f"<p><b>Rare but serious:</b></p><ul>{risks_serious}</ul>"
            f"<p><b>Infection is uncommon:</b></p><ul>{contact}</ul>",
            width,
        ),
        heading("Alternatives", width, level=2),
        TextBlock(
            "<p>Exercise, manual therapy, heat, advice and education, other treatments your clinician or "
            "doctor can discuss with you, or no treatment. Without treatment, muscle pain often settles "
            "with time but may last longer.</p>",
            width,
        ),
        heading("Your rights", width, level=2),
        TextBlock(
            "<p>You may ask questions at any time. You may decline dry needling, or ask us to stop at any "
            "moment during treatment, without it affecting the rest of your care. Tell us before treatment "
            "if you take blood thinners, are or may be pregnant, have a lung condition, a pacemaker or "
            "implant, a fear of needles or a bleeding disorder.</p>",
            width,
        ),
        TextBlock(
            "<p><b>I have read this form, my questions have been answered, and I agree to dry needling. "
            "I understand that I can stop the treatment at any time.</b></p>",
            width,
            space_before=10 * PT,
            breakable=False,
        ),
        SignatureLines(
            [
                ("Patient (print name)", "Patient's signature", "Date"),
                ("Clinician (print name)", "Clinician's signature", "Date"),
                ("Interpreter or guardian, if any", "Signature", "Date"),
            ],
            width,
        ),
        TextBlock(
            f'<p class="muted">Risk wording from published dry-needling safety guidance (sources: '
            f"{esc(', '.join(sources))}). Give the patient a copy of this form.</p>",
            width,
            7.4,
            space_before=8 * PT,
        ),
    ]
