"""The patient's after-care handout: what was done, what to expect, when to get help at once.

The advice comes from the safety engine (``safety.advice``): the pneumothorax warning is printed
when any site of the session lies over a pleural hazard, as the engine decides.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.charting.records import Patient
from dn_bodymap.charting.summaries import SessionRecord
from dn_bodymap.report.blocks import Boxed, KeyValues, TextBlock, document_title, esc, heading, paragraphs
from dn_bodymap.report.content import ReportContext, calendar_date, local_time, numbered_marks
from dn_bodymap.report.flow import A4, UNITS_PER_PT, Block

PT = UNITS_PER_PT
TITLE = "After your dry-needling treatment"


def _treated(record: SessionRecord, atlas: Atlas) -> tuple[list[str], bool]:
    """Plain names of the muscles treated ('Trapezius (right)') and whether any site was thoracic."""
    marks = numbered_marks(record, atlas)
    names: list[str] = []
    for rm in marks:
        if rm.mark.needled or rm.mark.needle_length_mm is not None:
            label = f"{rm.muscle} ({rm.mark.side})" if str(rm.mark.side) != "midline" else rm.muscle
            if label not in names:
                names.append(label)
    return names, any(rm.thoracic for rm in marks)


def handout_blocks(
    patient: Patient, record: SessionRecord, atlas: Atlas, context: ReportContext
) -> list[Block]:
    from dn_bodymap.safety.advice import post_needling_advice

    width = A4.content.width()
    names, thoracic = _treated(record, atlas)
    advice = post_needling_advice(thoracic=thoracic)
    title = document_title(TITLE, width)
    blocks: list[Block] = [
        title,
        KeyValues(
            [
                ("For", esc(patient.display_name)),
                ("Treatment on", esc(local_time(record.session.started_at))),
                ("Your clinician", esc(record.session.clinician)),
            ],
            width,
        ),
        heading("What was done today", width),
    ]
    if names:
        blocks.append(
            TextBlock(
                "<p>Fine, single-use sterile needles were placed into tight, tender spots (trigger points) "
                f"in these muscles: {esc(', '.join(names))}.</p>",
                width,
            )
        )
    else:
        blocks.append(TextBlock("<p>No needling was recorded in this session.</p>", width))
    blocks.append(heading("What to expect", width))
    blocks.append(
        TextBlock("<ul>" + "".join(f"<li>{esc(i.text)}</li>" for i in advice.expected) + "</ul>", width)
    )
    if record.session.advice_given.strip():
        blocks.append(heading("Advice from your clinician", width, level=2))
        blocks.append(TextBlock(paragraphs(record.session.advice_given), width))
    urgent = TextBlock(
        '<p style="font-weight:700; color:#b3261e">Get help at once if you notice</p><ul>'
        + "".join(f"<li>{esc(i.text)}</li>" for i in advice.seek_help_now)
        + "</ul>",
        width - 12 * PT,
        breakable=False,
    )
    blocks.append(Boxed(urgent, width, QColor("#fdf0ef"), QColor("#c62828"), space_before=12 * PT))
    blocks.append(heading("When to contact us", width))
    contact = "".join(f"<li>{esc(i.text)}</li>" for i in advice.contact_us)
    who = f" ({esc(context.clinic)})" if context.clinic else ""
    blocks.append(
        TextBlock(f"<ul>{contact}</ul><p>Your clinician{who}: {esc(record.session.clinician)}.</p>", width)
    )
    sources = sorted({s for item in advice.items() for s in item.sources})
    blocks.append(
        TextBlock(
            '<p class="muted">Keep this sheet for a few days. Based on published dry-needling '
            f"safety guidance (sources: {esc(', '.join(sources))}). Printed for the patient born "
            f"{esc(calendar_date(patient.date_of_birth))}.</p>",
            width,
            7.4,
            space_before=10 * PT,
        )
    )
    return blocks
