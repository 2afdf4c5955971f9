"""The text beside a shown pattern: what it is, what it mimics, how it is needled, the hazards the
safety engine finds at its trigger points, and the sources it rests on."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.atlas.trigger_points import TriggerPoint

LEVEL_WORDS = {
    "caution": "Caution",
    "high": "High risk",
    "very_high": "Very high risk",
    "no_needle": "Do not needle",
}


def hazard_lines(tp: TriggerPoint) -> list[str]:
    """One line per hazard the safety engine finds at any of the point's locations (deduplicated)."""
    from dn_bodymap.safety.assess import assess

    seen: set[str] = set()
    lines: list[str] = []
    for loc in tp.locations:
        result = assess(loc.view, (loc.x, loc.y))
        for hit in result.hazards:
            if hit.id in seen:
                continue
            seen.add(hit.id)
            level = LEVEL_WORDS.get(hit.level, hit.level)
            sources = f" [{', '.join(hit.sources)}]" if hit.sources else ""
            message = hit.message
            if not message.lower().startswith(hit.structure.lower()):
                message = f"{hit.structure}: {message}"
            lines.append(f"<b>{escape(level)}</b> — {escape(message)}{sources}")
    return lines


def source_lines(keys: tuple[str, ...]) -> list[str]:
    from dn_bodymap.atlas.sources import UnknownSourceError, resolve

    lines = []
    for key in keys:
        try:
            src = resolve(key)
        except UnknownSourceError:
            lines.append(f"[{escape(key)}] (citation missing)")
            continue
        link = f' <a href="{escape(src.url)}">link</a>' if src.url else ""
        lines.append(f"[{escape(key)}] {escape(src.citation)}{link}")
    return lines


def pattern_html(atlas: Atlas, points: list[TriggerPoint]) -> str:
    if not points:
        return "<p>Choose a muscle to see its trigger points and referral pattern.</p>"
    muscle = atlas.muscles[points[0].muscle]
    parts = [
        f"<h2>{escape(muscle.name)}</h2>",
        f"<p><i>{escape(muscle.latin)}</i> · {escape(muscle.group.replace('_', ' '))}</p>",
        "<p><small>Solid: essential zone (felt by nearly every patient with that trigger point). "
        "Hatched: spillover zone (felt by some). Ringed dot: the trigger point.</small></p>",
    ]
    for tp in points:
        parts.append(f"<h3>{escape(tp.label)}</h3>")
        if tp.description:
            parts.append(f"<p>{escape(tp.description)}</p>")
        if tp.mimics:
            parts.append(f"<p><b>Mimics:</b> {escape('; '.join(tp.mimics))}</p>")
        if tp.needling:
            rows = "".join(
                f"<li>{escape(str(k).replace('_', ' '))}: {escape(str(v))}</li>"
                for k, v in tp.needling.items()
            )
            parts.append(f"<p><b>Needling:</b></p><ul>{rows}</ul>")
        hazards = hazard_lines(tp)
        if hazards or tp.hazard_note:
            parts.append("<p><b>Hazards:</b></p><ul>")
            parts.extend(f"<li>{line}</li>" for line in hazards)
            if tp.hazard_note:
                parts.append(f"<li>{escape(tp.hazard_note)}</li>")
            parts.append("</ul>")
        if tp.sources:
            parts.append("<p><b>Sources:</b></p><ul>")
            parts.extend(f"<li><small>{line}</small></li>" for line in source_lines(tp.sources))
            parts.append("</ul>")
    parts.append(
        "<p><small>Referral patterns are teaching hypotheses; rule out red flags (cardiac, visceral, "
        "neurological) first. Hazard zones support clinical judgement and do not replace it.</small></p>"
    )
    return "".join(parts)


class PatternPanel(QTextBrowser):
    def __init__(self, atlas: Atlas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.atlas = atlas
        self.setOpenExternalLinks(True)
        self.setAccessibleName("Pattern description, needling notes, hazards and sources")
        self.show_points([])

    def show_points(self, points: list[TriggerPoint]) -> None:
        self.setHtml(pattern_html(self.atlas, points))
