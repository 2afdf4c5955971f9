"""The chart's key: what the colours, lines and conventions of the body diagram mean.

A clinician reading a printed chart or a trainee at a projector should not have to guess why the
face is pale, why a strip of the calf is skin-coloured or where the arm went on a side view; the
key says it once, with swatches painted in the same style the figure uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF

from dn_bodymap.render.style import (
    ARROW_COLOUR,
    LEVEL_COLOURS,
    MARK_ACTIVE,
    NOTE_BORDER,
    NOTE_FILL,
    QUALITY_COLOURS,
    TONES,
    Palette,
    muscle_fill,
    pattern_colour,
)


class Swatch(StrEnum):
    MUSCLE = "muscle"
    DEEP = "deep"
    SKIN = "skin"
    TENDON = "tendon"
    CUT = "cut"
    SIDES = "sides"
    MARK = "mark"
    HAZARD = "hazard"
    PAIN = "pain"
    REFERRAL = "referral"
    ARROW = "arrow"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class LegendEntry:
    swatch: Swatch
    text: str


SIDE_VIEWS = ("lateral_right", "lateral_left")


def legend_entries(view: str | None = None) -> list[LegendEntry]:
    """The key for ``view`` (None: every entry, as the Help dialog shows it)."""
    entries = [
        LegendEntry(
            Swatch.MUSCLE,
            "Muscle: one muscle red throughout; touching muscles differ in shade so they read apart, "
            "also in greyscale.",
        ),
        LegendEntry(
            Swatch.DEEP,
            "Deeper layer (when shown): translucent with a dashed outline, under the muscles above it.",
        ),
        LegendEntry(
            Swatch.SKIN,
            "Skin colour: no charted muscle at the surface. The thin muscles of the face are washed in "
            "lightly so the face still reads as a face.",
        ),
        LegendEntry(
            Swatch.TENDON,
            "Pale strip between two lines: tendon, not muscle (e.g. the Achilles tendon).",
        ),
    ]
    if view is None or view in SIDE_VIEWS:
        entries.append(
            LegendEntry(
                Swatch.CUT,
                "Side views: the arm is cut away below the deltoid (the oval), as anatomy atlases do, "
                "so the chest wall and flank can be charted; arm muscles are on the front and back views.",
            )
        )
    entries.append(LegendEntry(Swatch.SIDES, "R and L: the patient's right and left."))
    if view is None:  # the charting marks: the session screen and reports, not a bare atlas render
        entries += [
            LegendEntry(
                Swatch.MARK,
                "Trigger point marked in this session: blue when active, grey when latent; a yellow ring "
                "around the selected one.",
            ),
            LegendEntry(
                Swatch.HAZARD,
                "Hazard badge on a mark: caution (amber), high (orange), very high (red), no needle "
                "(dark red); the marks list shows \u26a0 for caution or high, \u26a0\u26a0 for very high and "
                "\u26d4 for no needle.",
            ),
            LegendEntry(
                Swatch.PAIN,
                "Pain areas by quality: ache (blue), sharp (red), burning (orange), numbness or tingling "
                "(purple), other (grey).",
            ),
            LegendEntry(
                Swatch.REFERRAL,
                "Referral pattern of a library trigger point: the essential zone solid, the spillover "
                "zone hatched.",
            ),
            LegendEntry(
                Swatch.ARROW,
                "Arrow: drawn by the clinician from a mark to where its pain refers (its tooltip says "
                "which mark).",
            ),
            LegendEntry(
                Swatch.NOTE,
                "Yellow callout on a pin: a note pinned to the map; on the report a lettered tag, with "
                "the note's text under the maps.",
            ),
        ]
    return entries


SWATCH_W = 34.0
ROW_GAP = 6.0


def legend_height(entries: list[LegendEntry], width: float, font: QFont) -> float:
    """Height that :func:`paint_legend` needs for ``entries`` at ``width`` device pixels."""
    metrics = QFontMetricsF(font)
    text_w = max(width - SWATCH_W - 12.0, 40.0)
    total = 0.0
    for entry in entries:
        box = metrics.boundingRect(QRectF(0, 0, text_w, 10_000), Qt.TextFlag.TextWordWrap, entry.text)
        total += max(box.height(), metrics.height() * 1.2) + ROW_GAP
    return total


def paint_legend(
    painter: QPainter, rect: QRectF, entries: list[LegendEntry], palette: Palette, font: QFont
) -> None:
    """Swatch on the left, wrapped text on the right, one row per entry, from the top of ``rect``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    text_w = max(rect.width() - SWATCH_W - 12.0, 40.0)
    y = rect.top()
    for entry in entries:
        box = metrics.boundingRect(QRectF(0, 0, text_w, 10_000), Qt.TextFlag.TextWordWrap, entry.text)
        row_h = max(box.height(), metrics.height() * 1.2)
        swatch = QRectF(rect.left(), y + 1.0, SWATCH_W, min(row_h, metrics.height() * 1.2) - 2.0)
        _paint_swatch(painter, entry.swatch, swatch, palette)
        painter.setPen(palette.label)
        painter.drawText(
            QRectF(rect.left() + SWATCH_W + 12.0, y, text_w, row_h),
            int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            entry.text,
        )
        y += row_h + ROW_GAP
    painter.restore()


def _paint_swatch(painter: QPainter, swatch: Swatch, r: QRectF, palette: Palette) -> None:
    outline = QPen(palette.outline, 1.0)
    if swatch is Swatch.MUSCLE:
        third = r.width() / 3
        for i, tone in enumerate((0, 1, 2)):
            fill = muscle_fill("legend", "shoulder_girdle", "superficial", palette.greyscale, tone)
            painter.fillRect(QRectF(r.left() + i * third, r.top(), third, r.height()), fill)
        painter.setPen(outline)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(r)
    elif swatch is Swatch.DEEP:
        painter.fillRect(r, QBrush(palette.skin))
        fill = muscle_fill("legend", "trunk_posterior", "deep", palette.greyscale)
        fill.setAlpha(120)
        pen = QPen(fill.darker(165), 1.0)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(r.adjusted(2, 2, -2, -2), 3, 3)
    elif swatch is Swatch.SKIN:
        painter.setPen(outline)
        painter.setBrush(QBrush(palette.skin))
        painter.drawRect(r)
    elif swatch is Swatch.TENDON:
        muscle = muscle_fill("legend", "leg_foot", "superficial", palette.greyscale, len(TONES) - 3)
        painter.fillRect(r, muscle)
        strip = QRectF(r.center().x() - r.width() / 6, r.top(), r.width() / 3, r.height())
        painter.fillRect(strip, palette.skin)
        painter.setPen(QPen(palette.detail, 1.0))
        painter.drawLine(strip.topLeft(), strip.bottomLeft())
        painter.drawLine(strip.topRight(), strip.bottomRight())
    elif swatch is Swatch.CUT:
        painter.fillRect(r, muscle_fill("legend", "shoulder_girdle", "superficial", palette.greyscale, 0))
        painter.setPen(QPen(palette.detail, 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(r.center(), r.width() * 0.36, r.height() * 0.28)
        painter.drawEllipse(r.center() + QPointF(2, 0), r.width() * 0.08, r.height() * 0.1)
    elif swatch is Swatch.MARK:
        radius = min(r.height(), r.width()) * 0.36
        for i, fill in enumerate((MARK_ACTIVE, QColor("#78909c"))):
            centre = QPointF(r.left() + r.width() * (0.27 + 0.46 * i), r.center().y())
            painter.setPen(QPen(QColor("white"), 1.5))
            painter.setBrush(QBrush(fill))
            painter.drawEllipse(centre, radius, radius)
            painter.drawLine(centre + QPointF(-radius * 0.5, 0), centre + QPointF(radius * 0.5, 0))
            painter.drawLine(centre + QPointF(0, -radius * 0.5), centre + QPointF(0, radius * 0.5))
    elif swatch is Swatch.HAZARD:
        levels = ("caution", "high", "very_high", "no_needle")
        step = r.width() / len(levels)
        for i, level in enumerate(levels):
            left = r.left() + i * step
            top, right = QPointF(left + step / 2, r.top()), QPointF(left + step, r.bottom())
            tri = QPolygonF([top, right, QPointF(left, r.bottom())])
            painter.setPen(QPen(QColor("white"), 0.8))
            painter.setBrush(QBrush(LEVEL_COLOURS[level]))
            painter.drawPolygon(tri)
    elif swatch is Swatch.PAIN:
        qualities = ("ache", "sharp", "burning", "numbness_tingling", "other")
        step = r.width() / len(qualities)
        painter.fillRect(r, palette.skin)
        for i, quality in enumerate(qualities):
            painter.fillRect(QRectF(r.left() + i * step, r.top(), step, r.height()), QUALITY_COLOURS[quality])
    elif swatch is Swatch.REFERRAL:
        colour = pattern_colour(0, palette)
        half = QRectF(r.left(), r.top(), r.width() / 2, r.height())
        fill = QColor(colour)
        fill.setAlpha(150)
        painter.fillRect(half, fill)
        other = half.translated(r.width() / 2, 0)
        painter.fillRect(other, QBrush(colour, Qt.BrushStyle.BDiagPattern))
        painter.setPen(QPen(colour, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(r)
    elif swatch is Swatch.ARROW:
        y = r.center().y()
        start, tip = QPointF(r.left() + 3.0, y), QPointF(r.right() - 2.0, y)
        head = min(9.0, r.width() * 0.3)
        half = min(4.5, r.height() * 0.4)
        for colour, width in ((QColor(255, 255, 255, 210), 4.0), (ARROW_COLOUR, 2.0)):
            pen = QPen(colour, width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawLine(start, QPointF(tip.x() - head, y))
            painter.setBrush(QBrush(colour))
            painter.drawPolygon(
                QPolygonF([tip, QPointF(tip.x() - head, y - half), QPointF(tip.x() - head, y + half)])
            )
    elif swatch is Swatch.NOTE:
        pin = QPointF(r.left() + 4.0, r.bottom() - 3.0)
        box = QRectF(r.left() + 9.0, r.top() + 1.0, r.width() - 10.0, r.height() - 6.0)
        painter.setPen(QPen(NOTE_BORDER, 1.0))
        painter.drawLine(pin, box.bottomLeft())
        painter.setBrush(QBrush(NOTE_FILL))
        painter.drawRoundedRect(box, 2.0, 2.0)
        painter.setBrush(QBrush(NOTE_BORDER))
        painter.drawEllipse(pin, 2.2, 2.2)
        painter.setPen(QPen(NOTE_BORDER.darker(150), 0.8))
        for i in (1, 2):
            line_y = box.top() + box.height() * i / 3
            painter.drawLine(QPointF(box.left() + 3.0, line_y), QPointF(box.right() - 3.0 * i, line_y))
    elif swatch is Swatch.SIDES:
        painter.save()
        painter.setFont(sides_font(painter.font(), r.width()))
        painter.setPen(QColor(palette.outline))
        painter.drawText(r, int(Qt.AlignmentFlag.AlignCenter), SIDES_TEXT)
        painter.restore()


SIDES_TEXT = "R   L"


def sides_font(font: QFont, width: float) -> QFont:
    """Bold ``font``, made smaller when "R   L" would be wider than the swatch: at the large key
    font of ``atlas render --legend`` the letters were clipped to half an R and an L."""
    bold = QFont(font)
    bold.setBold(True)
    for _ in range(8):
        wide = QFontMetricsF(bold).horizontalAdvance(SIDES_TEXT)
        if wide <= width - 2.0:
            break
        share = (width - 2.0) / wide
        if bold.pixelSize() > 0:
            bold.setPixelSize(max(6, int(bold.pixelSize() * share)))
        else:
            bold.setPointSizeF(max(5.0, bold.pointSizeF() * share))
        if (bold.pixelSize() > 0 and bold.pixelSize() <= 6) or (0 < bold.pointSizeF() <= 5.0):
            break
    return bold
