"""The session report: identification, body maps, the treatment table, findings, signature.

Built as a list of flow blocks (``flow.py``) from a ``SessionRecord``; ``document.py`` pages it and
paints it onto a PDF writer or a printer, so paper and PDF come from the same code.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.charting.records import Patient
from dn_bodymap.charting.summaries import SessionRecord
from dn_bodymap.report.blocks import (
    Boxed,
    Column,
    KeyValues,
    Table,
    TextBlock,
    esc,
    heading,
    paragraphs,
)
from dn_bodymap.report.content import (
    LEVEL_TITLES,
    QUALITY_TITLES,
    VIEW_TITLES,
    ReportContext,
    ReportMark,
    calendar_date,
    local_time,
    numbered_marks,
    patient_age,
    views_in_use,
)
from dn_bodymap.report.document import ReportDocument
from dn_bodymap.report.flow import A4, UNITS_PER_PT, Block, PageGeometry
from dn_bodymap.report.maps import BodyMapsBlock, DetailMapsBlock, note_letter

PT = UNITS_PER_PT
TITLE = "Dry-needling session report"


def _fmt_number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}{unit}"


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def identification(patient: Patient, record: SessionRecord, width: float) -> list[Block]:
    s = record.session
    age = patient_age(patient, s.started_at)
    dob = calendar_date(patient.date_of_birth) + (f" (age {age})" if age is not None else "")
    status = (
        f"Signed {esc(local_time(s.signed_at))}"
        if s.is_signed
        else '<span class="warn">DRAFT — not signed</span>'
    )
    pairs = [
        ("Patient", esc(patient.display_name)),
        ("Date of birth", esc(dob)),
        ("Record number", esc(patient.record_number or "—")),
        ("Session", esc(local_time(s.started_at))),
        ("Clinician", esc(s.clinician)),
        ("Status", status),
    ]
    if s.patient_position:
        pairs.append(("Patient position", esc(s.patient_position)))
    title = TextBlock(
        f'<p style="font-size:{round(17 * PT)}px; font-weight:700; color:#1d4f73">{esc(TITLE)}</p>',
        width,
        breakable=False,
    )
    return [title, KeyValues(pairs, width, columns=3)]


def mark_table(marks: Sequence[ReportMark], width: float, max_row: float) -> list[Block]:
    """The numbered table; a row whose notes run longer than ``max_row`` lets them flow below it."""
    table = Table(
        [
            Column("#", 0.32),
            Column("Muscle / trigger point", 2.0),
            Column("Side", 0.55),
            Column("Type", 0.6),
            Column("Tender (0–10)", 0.62),
            Column("Referral reprod.", 0.7),
            Column("Twitch", 0.55),
            Column("Needle (mm)", 0.95),
            Column("Depth", 0.55),
            Column("Technique", 1.15),
            Column("Passes", 0.52),
        ],
        width,
    )
    rows: list[Block] = []
    for rm in marks:
        m = rm.mark
        tp = f'<br><span class="muted">{esc(rm.trigger_point)}</span>' if rm.trigger_point else ""
        if m.needled or m.needle_gauge_mm or m.needle_length_mm:
            needle = f"{_fmt_number(m.needle_gauge_mm)} × {_fmt_number(m.needle_length_mm)}"
        else:
            needle = '<span class="muted">not needled</span>'
        cells = [
            f"<b>{rm.number}</b>",
            f"<b>{esc(rm.muscle)}</b>{tp}",
            esc(m.side),
            esc(m.activity or "—"),
            esc("—" if m.tenderness is None else m.tenderness),
            _yes_no(m.referral_reproduced),
            _yes_no(m.local_twitch_response),
            needle,
            esc(_fmt_number(m.depth_mm, " mm")),
            esc(m.technique or "—"),
            esc("—" if m.passes is None else m.passes),
        ]
        rows.extend(table.rows(cells, _mark_detail(rm), max_row))
    return rows


def _mark_detail(rm: ReportMark) -> str:
    """Hazards at the site and what the clinician acknowledged, then response and notes."""
    m = rm.mark
    lines: list[str] = []
    if rm.hazards:
        names = "; ".join(
            f"{esc(h.structure)} ({esc(LEVEL_TITLES.get(h.level, h.level))})" for h in rm.hazards
        )
        cls = "warn" if rm.level in ("high", "very_high", "no_needle") else "label"
        lines.append(f'<span class="{cls}">Hazard:</span> {names}')
    for ack in rm.acknowledgements:
        bits = [f"Acknowledged by {esc(ack.acknowledged_by)}, {esc(local_time(ack.acknowledged_at))}"]
        if ack.technique_chosen:
            bits.append(f"technique chosen: {esc(ack.technique_chosen)}")
        if ack.disclosed_text:
            bits.append(f"disclosed to the patient: {esc(ack.disclosed_text)}")
        lines.append("; ".join(bits).rstrip(".") + ".")
    extra = []
    if m.duration_s is not None:
        extra.append(f"duration {_fmt_number(m.duration_s)} s")
    if m.patient_position:
        extra.append(f"position {esc(m.patient_position)}")
    if m.response:
        extra.append(f"response: {esc(m.response)}")
    if extra:
        lines.append("; ".join(extra).capitalize())
    if m.notes:
        lines.append(f'<span class="label">Note:</span> {esc(m.notes)}')
    return "<br>".join(lines)


def pain_drawing(record: SessionRecord, atlas: Atlas, width: float) -> list[Block]:
    from dn_bodymap.charting.editing.sketch import from_record
    from dn_bodymap.charting.referral.describe import BODY_SURFACE_VIEWS, describe, extent_phrase
    from dn_bodymap.charting.referral.drawing import DrawingError, PainDrawing

    if not record.pain_areas:
        return [TextBlock('<p class="muted">No pain drawing in this session.</p>', width)]
    drawing = PainDrawing()
    for area in record.pain_areas:
        drawing.add(str(area.view), from_record(area.geometry))
    parts: list[str] = []
    try:
        drawing = drawing.clipped(atlas)
        d = describe(drawing, atlas)
    except DrawingError as exc:
        return [TextBlock(f"<p>{esc(exc)}</p>", width)]
    flags = [f for f, on in (("bilateral", d.bilateral), ("widespread", d.widespread)) if on]
    parts.append(
        f"<p><b>Description:</b> {esc(d.summary)}" + (f" ({', '.join(flags)})" if flags else "") + "</p>"
    )
    views = ", ".join(
        f"{VIEW_TITLES.get(v, v).lower()} {pct:.1f}%" for v, pct in d.extent.items() if v != "body"
    )
    phrase = extent_phrase(d, atlas)
    detail = f" ({esc(views)})" if any(v in d.extent for v in BODY_SURFACE_VIEWS) else ""
    parts.append(f"<p><b>Extent:</b> {esc(phrase)}{detail}</p>")
    areas = []
    for area in record.pain_areas:
        quality = QUALITY_TITLES.get(str(area.quality), str(area.quality))
        bit = f"{quality} on the {VIEW_TITLES[str(area.view)].lower()} view"
        if area.intensity is not None:
            bit += f", intensity {area.intensity}/10"
        if area.notes:
            bit += f": {area.notes}"
        areas.append(f"<li>{esc(bit)}</li>")
    parts.append(f"<p><b>Areas drawn:</b></p><ul>{''.join(areas)}</ul>")
    blocks: list[Block] = [TextBlock("".join(parts), width)]
    suggestions = _suggestions(drawing)
    if suggestions:
        rows = "".join(
            f"<li>{esc(s.muscle_name)} ({esc(s.side)}) — fit {s.score:.2f}</li>" for s in suggestions
        )
        blocks.append(
            TextBlock(
                "<p><b>Muscles whose referral patterns fit the drawing</b> (as suggested in the app):</p>"
                f"<ul>{rows}</ul><p class='muted'>Referral patterns are hypotheses to test by examination, "
                "not a diagnosis.</p>",
                width,
                space_before=4 * PT,
            )
        )
    return blocks


def _suggestions(drawing: object) -> list:
    from dn_bodymap.charting.referral.index_cache import default_referral_index
    from dn_bodymap.charting.referral.suggest import suggest

    try:
        return list(suggest(drawing, default_referral_index(), top=5))  # type: ignore[arg-type]
    except Exception:  # suggestions are a courtesy: a report never fails because of them
        return []


def screening_and_consent(record: SessionRecord, width: float) -> list[Block]:
    from dn_bodymap.safety.screening import evaluate

    s = record.session
    lines: list[str] = []
    if s.screening_answers or s.screening_result:
        result = evaluate(s.screening_answers)
        status = {"clear": "clear", "precautions": "precautions", "contraindicated": "contraindicated"}
        lines.append(f"<p><b>Screening:</b> {esc(status.get(result.status, s.screening_result or ''))}</p>")
        reasons = [r for r in result.reasons if result.status != "clear"]
        if reasons:
            lines.append("<ul>" + "".join(f"<li>{esc(r)}</li>" for r in reasons) + "</ul>")
    else:
        lines.append('<p><b>Screening:</b> <span class="warn">not recorded</span></p>')
    c = s.consent
    if c is None:
        lines.append('<p><b>Consent:</b> <span class="warn">not recorded</span></p>')
    else:
        risks = ", ".join(c.risks_discussed) or "none listed"
        lines.append(
            f"<p><b>Consent:</b> {esc(c.type)} consent on {esc(calendar_date(c.date))}. "
            f"Risks discussed: {esc(risks)}. "
            f"Pneumothorax risk discussed: {_yes_no(c.pneumothorax_discussed)}. "
            f"Copy given to the patient: {_yes_no(c.patient_copy_given)}.</p>"
        )
    pre = "—" if s.pain_pre is None else f"{s.pain_pre}/10"
    post = "—" if s.pain_post is None else f"{s.pain_post}/10"
    lines.append(f"<p><b>Pain (0–10):</b> before {pre} → after {post}</p>")
    return [TextBlock("".join(lines), width)]


def adverse_events(record: SessionRecord, width: float) -> list[Block]:
    if not record.adverse_events:
        return [TextBlock("<p>None recorded.</p>", width)]
    items = []
    for e in sorted(record.adverse_events, key=lambda e: e.occurred_at):
        text = f"<b>{esc(e.type)}</b> ({esc(e.severity)}), {esc(local_time(e.occurred_at))}"
        if e.notes:
            text += f": {esc(e.notes)}"
        items.append(f"<li>{text}</li>")
    return [TextBlock(f"<ul>{''.join(items)}</ul>", width)]


def prose(title: str, text: str, width: float) -> list[Block]:
    body = paragraphs(text) if text.strip() else '<p class="muted">—</p>'
    return [heading(title, width, level=2), TextBlock(body, width)]


def signature(record: SessionRecord, width: float) -> list[Block]:
    s = record.session
    if s.is_signed:
        inner = TextBlock(
            f"<p><b>Signed by</b> {esc(s.signed_by)}<br><b>Signed at</b> {esc(local_time(s.signed_at))}</p>"
            '<p class="muted">Electronically signed in dn-bodymap; the signed note cannot be changed, '
            "later remarks appear as addenda.</p>",
            width - 12 * PT,
            breakable=False,
        )
        return [Boxed(inner, width, QColor("#eef5ee"), QColor("#7aa77a"), space_before=12 * PT)]
    inner = TextBlock(
        '<p><span class="warn">Not signed.</span> This is a draft of the session note and may still '
        "change.</p>",
        width - 12 * PT,
        breakable=False,
    )
    return [Boxed(inner, width, QColor("#fdf0ef"), QColor("#d28b85"), space_before=12 * PT)]


def addenda(record: SessionRecord, width: float) -> list[Block]:
    out: list[Block] = []
    for a in sorted(record.addenda, key=lambda a: a.written_at):
        out.append(
            TextBlock(
                f"<p><b>{esc(local_time(a.written_at))}</b> — {esc(a.author)}</p>{paragraphs(a.text)}",
                width,
                space_before=4 * PT,
            )
        )
    return out


def session_blocks(
    patient: Patient, record: SessionRecord, atlas: Atlas, page: PageGeometry = A4
) -> list[Block]:
    width = page.content.width()
    marks = numbered_marks(record, atlas)
    blocks: list[Block] = [*identification(patient, record, width)]
    views = views_in_use(record)
    blocks.append(heading("Body map", width))
    if views:
        max_h = min(page.content.height() * 0.5, 300 * PT)
        maps = BodyMapsBlock(atlas, views, marks, record.pain_areas, record.annotations, width, max_h)
        blocks.append(maps)
        if maps.details:
            blocks.append(DetailMapsBlock(maps))
        notes = [a for a in record.annotations if str(a.kind) == "note"]
        if notes:
            items = "".join(
                f"<li><b>{note_letter(i)}</b> ({esc(VIEW_TITLES[str(a.view)].lower())}): {esc(a.text)}</li>"
                for i, a in enumerate(notes)
            )
            blocks.append(
                TextBlock(f"<p><b>Notes on the map</b></p><ul>{items}</ul>", width, space_before=4 * PT)
            )
    else:
        blocks.append(TextBlock('<p class="muted">Nothing was charted on the body map.</p>', width))
    blocks.append(heading(f"Trigger points ({len(marks)})", width))
    if marks:
        blocks.extend(mark_table(marks, width, page.content.height() * 0.5))
    else:
        blocks.append(TextBlock('<p class="muted">No trigger point was marked.</p>', width))
    blocks.append(heading("Pain drawing", width))
    blocks.extend(pain_drawing(record, atlas, width))
    blocks.append(heading("Screening, consent and pain", width))
    blocks.extend(screening_and_consent(record, width))
    blocks.append(heading("Adverse events", width))
    blocks.extend(adverse_events(record, width))
    blocks.append(heading("Advice, notes and plan", width))
    blocks.extend(prose("Advice given", record.session.advice_given, width))
    blocks.extend(prose("Clinical notes", record.session.notes, width))
    blocks.extend(prose("Plan", record.session.plan, width))
    blocks.extend(signature(record, width))
    if record.addenda:
        blocks.append(heading("Addenda", width))
        blocks.extend(addenda(record, width))
    return blocks


def _watermark_text(record: SessionRecord) -> str:
    return "" if record.session.is_signed else "DRAFT"


def session_report(
    patient: Patient,
    record: SessionRecord,
    atlas: Atlas,
    context: ReportContext,
    *,
    handout: bool = False,
    consent: bool = False,
) -> ReportDocument:
    """The whole document: the report, then the patient handout and consent form when asked."""
    from dn_bodymap.render.export import ensure_gui_app

    ensure_gui_app()  # text layout needs the font database
    blocks = session_blocks(patient, record, atlas)
    if handout:
        from dn_bodymap.report.handout import handout_blocks

        blocks.extend(handout_blocks(patient, record, atlas, context))
    if consent:
        from dn_bodymap.report.consent_form import consent_blocks

        blocks.extend(consent_blocks(patient, record, context))
    when = local_time(record.session.started_at)
    return ReportDocument(
        blocks=blocks,
        title=f"{TITLE} — {patient.display_name} — {when}",
        author=record.session.signed_by or record.session.clinician,
        subject=f"Dry-needling session of {when}"
        + (f", record {patient.record_number}" if patient.record_number else ""),
        running_title=TITLE,
        patient_line=" · ".join(
            p
            for p in (
                patient.display_name,
                f"DOB {calendar_date(patient.date_of_birth)}" if patient.date_of_birth else "",
                f"Rec. {patient.record_number}" if patient.record_number else "",
            )
            if p
        ),
        context=context,
        watermark=_watermark_text(record),
    )
