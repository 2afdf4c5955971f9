"""What a clinician may have forgotten before signing. It informs; signing stays possible.

A signed note cannot be changed, only added to, so gaps are cheapest to fill now: marks not
recorded as needled, no pain score after treatment, no consent, no screening.
"""

from __future__ import annotations

from dn_bodymap.charting.summaries import SessionRecord


def presign_findings(record: SessionRecord, mark_label=None) -> list[str]:
    """Plain sentences, one per gap, in the order a clinician would check them."""
    session = record.session
    findings: list[str] = []
    not_needled = [m for m in record.marks if not m.needled]
    if not_needled:
        names = [
            mark_label(m) if mark_label else (m.muscle_id or "unnamed").replace("_", " ") for m in not_needled
        ]
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        findings.append(f"{len(not_needled)} of {len(record.marks)} marks not recorded as needled: {shown}.")
    if session.pain_post is None:
        findings.append("Pain after treatment is not recorded.")
    if session.consent is None:
        findings.append("Consent is not recorded.")
    if not session.screening_answers and not session.screening_result:
        findings.append("The screening checklist is not done.")
    return findings
