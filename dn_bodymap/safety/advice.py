"""Post-needling advice for the patient: what to expect, and which symptoms mean "seek help now".

For the session report, the handout and the GUI. Pneumothorax symptoms can be immediate or
delayed (hours, or the next day), so the thoracic part names them plainly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AdviceItem:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PostNeedlingAdvice:
    expected: tuple[AdviceItem, ...]
    seek_help_now: tuple[AdviceItem, ...]
    contact_us: tuple[AdviceItem, ...]

    def items(self) -> tuple[AdviceItem, ...]:
        return self.expected + self.seek_help_now + self.contact_us

    def to_document(self) -> dict[str, list[dict[str, object]]]:
        def section(items: tuple[AdviceItem, ...]) -> list[dict[str, object]]:
            return [{"text": i.text, "sources": list(i.sources)} for i in items]

        return {
            "expected": section(self.expected),
            "seek_help_now": section(self.seek_help_now),
            "contact_us": section(self.contact_us),
        }


EXPECTED = (
    AdviceItem(
        "Soreness where you were needled is common and usually settles within a day or two; "
        "heat or ice can ease it.",
        ("SAAHPC-adverse", "APTA-IJSPT-2014"),
    ),
    AdviceItem(
        "A small bruise, a drop of bleeding, tiredness or feeling light-headed soon after "
        "treatment can happen and usually pass quickly.",
        ("APTA-IJSPT-2014",),
    ),
)
THORACIC = (
    AdviceItem(
        "Needles were used over or near your chest, upper back, shoulders or neck. Rarely this can "
        "puncture the lung (pneumothorax). Get urgent medical help (emergency department or "
        "emergency number) and say you had dry needling if you notice: new or worsening chest "
        "pain, shortness of breath, pain when you breathe in, a dry cough, or feeling generally "
        "unwell. These can start during treatment, hours later, or the next day.",
        ("SAAHPC-thorax", "Ghent-2024", "Patel-2019", "HDC-15HDC00947", "Singapore-IJEM-2022"),
    ),
)
GENERAL_URGENT = (
    AdviceItem(
        "Seek help at once for new weakness, numbness or loss of control in an arm or leg, a "
        "severe headache, or severe neck or back pain after needling.",
        ("Lee-2011", "Berrigan-2018", "Ji-2015"),
    ),
)
CONTACT_US = (
    AdviceItem(
        "Contact us, or your doctor, if soreness lasts more than a few days, or the skin becomes "
        "red, hot, swollen or weeping, or you develop a fever (signs of infection).",
        ("APTA-IJSPT-2014", "SAAHPC-adverse"),
    ),
)


def post_needling_advice(thoracic: bool = True) -> PostNeedlingAdvice:
    """The advice, with the pneumothorax part when any site was over the thorax (the default)."""
    urgent = (THORACIC if thoracic else ()) + GENERAL_URGENT
    return PostNeedlingAdvice(EXPECTED, urgent, CONTACT_US)


def advice_text(thoracic: bool = True) -> str:
    """Plain text for a report or handout."""
    advice = post_needling_advice(thoracic)
    lines = ["After dry needling", ""]
    lines += [f"- {i.text}" for i in advice.expected]
    lines += ["", "Seek help now"]
    lines += [f"- {i.text}" for i in advice.seek_help_now]
    lines += ["", "Contact us"]
    lines += [f"- {i.text}" for i in advice.contact_us]
    return "\n".join(lines)
