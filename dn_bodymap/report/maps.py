"""The body maps of a report: each used view drawn by render/'s painter, then the session on top.

Everything is painted as vector paths and text (the PDF stays crisp at any zoom): pain areas in
their quality's colour and hatch, numbered marks with a hazard badge, referral arrows, map notes,
and the patient's R/L beside every figure. A legend under the figures names what is shown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.charting.editing.sketch import from_record
from dn_bodymap.charting.records import Annotation, PainArea
from dn_bodymap.render.paths import polygon_path
from dn_bodymap.render.style import ARROW_COLOUR, LEVEL_COLOURS, MARK_ACTIVE, NOTE_BORDER, NOTE_FILL
from dn_bodymap.render.view_painter import RenderOptions, paint_view, view_bounds
from dn_bodymap.report.blocks import INK, MUTED
from dn_bodymap.report.content import QUALITY_TITLES, VIEW_TITLES, ReportMark
from dn_bodymap.report.flow import UNITS_PER_PT, Block
from dn_bodymap.report.fonts import report_font

PT = UNITS_PER_PT
FIGURE_LAYERS = frozenset({"silhouette", "details", "superficial"})

#: Pain qualities as on the canvas: a hue each, and a hatch so they differ on a greyscale print.
QUALITY_FILL = {
    "ache": QColor(52, 120, 200, 105),
    "sharp": QColor(210, 40, 40, 105),
    "burning": QColor(235, 130, 20, 115),
    "numbness_tingling": QColor(130, 70, 190, 105),
    "other": QColor(90, 90, 90, 95),
}
QUALITY_HATCH = {"sharp": (45.0,), "burning": (45.0, -45.0), "numbness_tingling": (0.0,)}
ACTIVE = MARK_ACTIVE
LATENT = QColor("#6b7d88")
ARROW = ARROW_COLOUR
MARK_RADIUS = 5.4 * PT
CAPTION_H = 13 * PT
LEGEND_ROW_H = 12 * PT
GAP = 10 * PT


class BodyMapsBlock(Block):
    """The used views side by side in one unbreakable block, with captions and a legend."""

    def __init__(
        self,
        atlas: Atlas,
        views: Sequence[str],
        marks: Sequence[ReportMark],
        areas: Sequence[PainArea],
        annotations: Sequence[Annotation],
        width: float,
        max_height: float = 330 * PT,
    ) -> None:
        self.atlas = atlas
        self.views = list(views)
        self.marks = list(marks)
        self.areas = list(areas)
        self.annotations = list(annotations)
        self.width = width
        self.space_before = 6 * PT
        bounds = [view_bounds(atlas.view(v)) for v in self.views]
        aspects = [b.width() / b.height() for b in bounds]
        free = width - GAP * max(0, len(self.views) - 1)
        self.figure_h = min(max_height, free / sum(aspects)) if aspects else 0.0
        self.figure_ws = [a * self.figure_h for a in aspects]
        self.notes = [a for a in self.annotations if str(a.kind) == "note"]
        self._legend = self._legend_items()
        self._legend_rows = self._layout_legend()
        #: Views whose marks crowd each other at this size, and the atlas region to enlarge.
        self.details: dict[str, QRectF] = {}
        for view, bound in zip(self.views, bounds, strict=True):
            points = [(m.mark.x, m.mark.y) for m in self.marks if str(m.mark.view) == view]
            region = crowded_region(points, self.figure_h / bound.height())
            if region is not None:
                self.details[view] = region

    # -- layout --------------------------------------------------------------------------------
    def _legend_items(self) -> list[tuple[str, str, str]]:
        """(kind, key, text) of every legend entry this session needs."""
        items: list[tuple[str, str, str]] = []
        activities = {str(m.mark.activity) for m in self.marks}
        if self.marks:
            items.append(("mark", "active", "Active trigger point (number = table row)"))
        if "latent" in activities:
            items.append(("mark", "latent", "Latent trigger point"))
        levels = [m.level for m in self.marks if m.level != "none"]
        for level in ("caution", "high", "very_high", "no_needle"):
            if level in levels:
                label = {"caution": "caution", "high": "high", "very_high": "very high"}.get(
                    level, "no needle"
                )
                items.append(("badge", level, f"Hazard at the site: {label}"))
        for quality in QUALITY_TITLES:
            if any(str(a.quality) == quality for a in self.areas):
                items.append(("area", quality, f"Pain: {QUALITY_TITLES[quality].lower()}"))
        if any(str(a.kind) == "arrow" for a in self.annotations):
            items.append(("arrow", "", "Referral arrow"))
        if self.notes:
            items.append(("note", "", "Note on the map (text below)"))
        return items

    def _layout_legend(self) -> list[list[tuple[tuple[str, str, str], float]]]:
        metrics = QFontMetricsF(report_font(7.4))
        rows: list[list[tuple[tuple[str, str, str], float]]] = [[]]
        x = 0.0
        for item in self._legend:
            w = 16 * PT + metrics.horizontalAdvance(item[2]) + 12 * PT
            if x + w > self.width and rows[-1]:
                rows.append([])
                x = 0.0
            rows[-1].append((item, x))
            x += w
        return [r for r in rows if r]

    def height(self) -> float:
        return self.figure_h + CAPTION_H + len(self._legend_rows) * LEGEND_ROW_H + 4 * PT

    # -- painting ------------------------------------------------------------------------------
    def paint(self, painter: QPainter, x: float, y: float, top: float, bottom: float) -> None:
        total = sum(self.figure_ws) + GAP * max(0, len(self.views) - 1)
        fx = x + (self.width - total) / 2
        note_letters = {a.id: note_letter(i) for i, a in enumerate(self.notes)}
        caption_font = report_font(8, bold=True)
        for view, w in zip(self.views, self.figure_ws, strict=True):
            target = QRectF(fx, y, w, self.figure_h)
            xf = paint_figure(self, painter, view, target, None, note_letters)
            if view in self.details:
                painter.save()
                pen = QPen(MUTED)
                pen.setWidthF(0.6 * PT)
                pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(xf.mapRect(self.details[view]))
                painter.restore()
            painter.setFont(caption_font)
            painter.setPen(QPen(INK))
            painter.drawText(
                QRectF(fx, y + self.figure_h, w, CAPTION_H), Qt.AlignmentFlag.AlignCenter, VIEW_TITLES[view]
            )
            self._paint_sides(painter, view, target)
            fx += w + GAP
        self._paint_legend(painter, x, y + self.figure_h + CAPTION_H + 2 * PT)

    def paint_session(self, painter: QPainter, view: str, xf: QTransform, letters: dict[str, str]) -> None:
        """The session over a figure: areas, then arrows, then marks on top, then note tags."""
        for area in self.areas:
            if str(area.view) == view:
                path = xf.map(polygon_path(from_record(area.geometry)))
                paint_area(painter, path, str(area.quality))
        for ann in self.annotations:
            if str(ann.view) == view and str(ann.kind) == "arrow":
                paint_arrow(painter, [xf.map(QPointF(px, py)) for px, py in ann.points])
        for rm in self.marks:
            if str(rm.mark.view) == view:
                p = xf.map(QPointF(rm.mark.x, rm.mark.y))
                paint_mark(painter, p, str(rm.number), str(rm.mark.activity) != "latent", rm.level)
        for ann in self.notes:
            if str(ann.view) == view:
                px, py = ann.points[0]
                paint_note_pin(painter, xf.map(QPointF(px, py)), letters[ann.id])

    def _paint_sides(self, painter: QPainter, view: str, target: QRectF) -> None:
        """The patient's R and L either side of the caption (anteriorly the viewer's left is R)."""
        from dn_bodymap.atlas.model import is_one_sided, side_of_x

        minx, _, maxx, _ = self.atlas.view(view).silhouette.bounds
        painter.save()
        painter.setFont(report_font(8.5, bold=True))
        painter.setPen(QPen(MUTED))
        caption = QFontMetricsF(report_font(8, bold=True)).horizontalAdvance(VIEW_TITLES[view])
        half = caption / 2 + 12 * PT
        cx = target.center().x()
        if is_one_sided(view):
            return painter.restore()
        for x_atlas, dx in ((minx, -half), (maxx, half)):
            letter = "R" if side_of_x(view, x_atlas) == "right" else "L"
            box = QRectF(cx + dx - 6 * PT, target.bottom(), 12 * PT, CAPTION_H)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, letter)
        painter.restore()

    def _paint_legend(self, painter: QPainter, x: float, y: float) -> None:
        font = report_font(7.4)
        painter.setFont(font)
        for row in self._legend_rows:
            for (kind, key, text), ox in row:
                sx = x + ox
                cy = y + LEGEND_ROW_H / 2
                if kind == "mark":
                    paint_mark(
                        painter, QPointF(sx + 5 * PT, cy), "1", key == "active", "none", radius=4.2 * PT
                    )
                elif kind == "badge":
                    paint_badge(painter, QPointF(sx + 2 * PT, cy + 4 * PT), key)
                elif kind == "area":
                    path = QPainterPath()
                    path.addRoundedRect(QRectF(sx, cy - 4 * PT, 11 * PT, 8 * PT), 1.5 * PT, 1.5 * PT)
                    paint_area(painter, path, key)
                elif kind == "arrow":
                    paint_arrow(painter, [QPointF(sx, cy), QPointF(sx + 12 * PT, cy)])
                else:
                    paint_note_pin(painter, QPointF(sx + 5 * PT, cy), "a")
                painter.setFont(font)
                painter.setPen(QPen(MUTED))
                painter.drawText(
                    QRectF(sx + 15 * PT, y, self.width, LEGEND_ROW_H),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    text,
                )
            y += LEGEND_ROW_H


def paint_figure(
    maps: BodyMapsBlock,
    painter: QPainter,
    view: str,
    box: QRectF,
    region: QRectF | None,
    letters: dict[str, str],
) -> QTransform:
    """One figure in ``box``: the whole view, or only the atlas ``region`` of it enlarged."""
    bound = view_bounds(maps.atlas.view(view))
    target = box
    if region is not None:
        scale = box.height() / region.height()
        target = QRectF(
            box.x() - (region.x() - bound.x()) * scale,
            box.y() - (region.y() - bound.y()) * scale,
            bound.width() * scale,
            bound.height() * scale,
        )
    painter.save()
    painter.setClipRect(box.adjusted(-2 * PT, -2 * PT, 2 * PT, 2 * PT) if region is None else box)
    # Greyscale muscles: the figure orients, the session's colours carry the findings. No fibre
    # hatching: on paper it is noise under the marks, and most of a figure's bytes.
    options = RenderOptions(layers=FIGURE_LAYERS, greyscale=True, fibres=False)
    xf = paint_view(painter, maps.atlas, view, target, options)
    painter.fillRect(box, QColor(255, 255, 255, 90))
    maps.paint_session(painter, view, xf, letters)
    painter.restore()
    return xf


def crowded_region(points: Sequence[tuple[float, float]], scale: float) -> QRectF | None:
    """The atlas region around marks that touch at ``scale`` (page units per atlas unit), or None."""
    reach = 2.3 * MARK_RADIUS / scale  # closer than this, two numbered discs overlap
    crowded = [
        p
        for i, p in enumerate(points)
        if any(math.dist(p, q) < reach for j, q in enumerate(points) if i != j)
    ]
    if len(crowded) < 2:
        return None
    xs, ys = [p[0] for p in crowded], [p[1] for p in crowded]
    pad = 45.0
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    w = max(max(xs) - min(xs) + 2 * pad, 240.0)  # enough of the body around to recognise it
    h = max(max(ys) - min(ys) + 2 * pad, 170.0)
    return QRectF(cx - w / 2, cy - h / 2, w, h)


class DetailMapsBlock(Block):
    """Enlargements of the crowded parts of the overview, so every number stays legible."""

    def __init__(self, maps: BodyMapsBlock, max_height: float = 210 * PT) -> None:
        self.maps = maps
        self.width = maps.width
        self.space_before = 8 * PT
        self.views = list(maps.details)
        aspects = [maps.details[v].width() / maps.details[v].height() for v in self.views]
        free = self.width - GAP * max(0, len(self.views) - 1)
        # At most about three times the overview's scale: enough to part the discs, still legible.
        zoom = 3.2 * maps.figure_h / max(view_bounds(maps.atlas.view(v)).height() for v in maps.views)
        tallest = max((maps.details[v].height() for v in self.views), default=0.0)
        self.box_h = min(max_height, free / sum(aspects), tallest * zoom) if aspects else 0.0
        self.box_ws = [a * self.box_h for a in aspects]

    def height(self) -> float:
        return self.box_h + CAPTION_H

    def paint(self, painter: QPainter, x: float, y: float, top: float, bottom: float) -> None:
        letters = {a.id: note_letter(i) for i, a in enumerate(self.maps.notes)}
        total = sum(self.box_ws) + GAP * max(0, len(self.views) - 1)
        fx = x + (self.width - total) / 2
        for view, w in zip(self.views, self.box_ws, strict=True):
            box = QRectF(fx, y, w, self.box_h)
            region = self.maps.details[view]
            paint_figure(self.maps, painter, view, box, region, letters)
            pen = QPen(MUTED)
            pen.setWidthF(0.6 * PT)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(box)
            painter.setFont(report_font(8, bold=True))
            painter.setPen(QPen(INK))
            painter.drawText(
                QRectF(fx, y + self.box_h, w, CAPTION_H),
                Qt.AlignmentFlag.AlignCenter,
                f"{VIEW_TITLES[view]}, enlarged",
            )
            fx += w + GAP


def paint_area(painter: QPainter, path: QPainterPath, quality: str) -> None:
    """Fill in the quality's colour; sharp, burning and tingling also get a vector hatch."""
    fill = QUALITY_FILL.get(quality, QUALITY_FILL["other"])
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(fill))
    painter.drawPath(path)
    angles = QUALITY_HATCH.get(quality, ())
    if angles:
        line = QColor(fill)
        line.setAlpha(200)
        pen = QPen(line.darker(140))
        pen.setWidthF(0.5 * PT)
        painter.setClipPath(path, Qt.ClipOperation.IntersectClip)
        painter.setPen(pen)
        box = path.boundingRect()
        spacing = 3.2 * PT
        reach = math.hypot(box.width(), box.height())
        c = box.center()
        for angle in angles:
            dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            n = int(reach / spacing) + 1
            for k in range(-n, n + 1):
                ox, oy = -dy * k * spacing, dx * k * spacing
                painter.drawLine(
                    QPointF(c.x() + ox - dx * reach, c.y() + oy - dy * reach),
                    QPointF(c.x() + ox + dx * reach, c.y() + oy + dy * reach),
                )
    painter.restore()
    painter.save()
    outline = QPen(fill.darker(170))
    outline.setWidthF(0.7 * PT)
    c = outline.color()
    c.setAlpha(230)
    outline.setColor(c)
    painter.setPen(outline)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.restore()


def paint_mark(
    painter: QPainter, p: QPointF, text: str, active: bool, level: str, radius: float = MARK_RADIUS
) -> None:
    """A numbered disc (filled when active, grey when latent) and a hazard badge at its corner."""
    painter.save()
    ring = QPen(QColor("white"))
    ring.setWidthF(0.9 * PT)
    painter.setPen(ring)
    painter.setBrush(QBrush(ACTIVE if active else LATENT))
    r = radius if len(text) < 3 else radius * 1.2
    painter.drawEllipse(p, r, r)
    font = report_font(6.2 if len(text) < 2 else 5.4, bold=True)
    painter.setFont(font)
    painter.setPen(QPen(QColor("white")))
    painter.drawText(QRectF(p.x() - r, p.y() - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
    if level in LEVEL_COLOURS:
        paint_badge(painter, QPointF(p.x() + r * 0.55, p.y() - r * 0.45), level)


def paint_badge(painter: QPainter, corner: QPointF, level: str) -> None:
    """A warning triangle in the level's colour, its lower-left corner at ``corner``."""
    s = 6.4 * PT
    tri = QPolygonF(
        [QPointF(corner.x() + s / 2, corner.y() - s * 0.9), QPointF(corner.x() + s, corner.y()), corner]
    )
    painter.save()
    edge = QPen(QColor("white"))
    edge.setWidthF(0.6 * PT)
    painter.setPen(edge)
    painter.setBrush(QBrush(LEVEL_COLOURS.get(level, LEVEL_COLOURS["very_high"])))
    painter.drawPolygon(tri)
    painter.setFont(report_font(4.6, bold=True))
    painter.setPen(QPen(QColor("white")))
    painter.drawText(
        QRectF(corner.x(), corner.y() - s * 0.8, s, s * 0.8),
        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
        "!",
    )
    painter.restore()


def paint_arrow(painter: QPainter, points: Sequence[QPointF]) -> None:
    if len(points) < 2:
        return
    start, tip = points[-2], points[-1]
    dx, dy = tip.x() - start.x(), tip.y() - start.y()
    length = max(math.hypot(dx, dy), 1e-9)
    ux, uy = dx / length, dy / length
    head = min(5.5 * PT, 0.45 * length)
    half = head * 0.45
    base = QPointF(tip.x() - ux * head, tip.y() - uy * head)
    path = QPainterPath(points[0])
    for p in points[1:-1]:
        path.lineTo(p)
    path.lineTo(base)
    painter.save()
    halo = QPen(QColor(255, 255, 255, 200))
    halo.setWidthF(2.4 * PT)
    halo.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(halo)
    painter.drawPath(path)
    pen = QPen(ARROW)
    pen.setWidthF(1.1 * PT)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawPath(path)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(ARROW))
    painter.drawPolygon(
        QPolygonF(
            [
                tip,
                QPointF(base.x() - uy * half, base.y() + ux * half),
                QPointF(base.x() + uy * half, base.y() - ux * half),
            ]
        )
    )
    painter.restore()


def paint_note_pin(painter: QPainter, p: QPointF, letter: str) -> None:
    """A small lettered tag at the note's anchor; the note's text is listed under the maps."""
    painter.save()
    font = report_font(6.2, bold=True)
    painter.setFont(font)
    w = max(8 * PT, QFontMetricsF(font).horizontalAdvance(letter) + 4 * PT)
    rect = QRectF(p.x() - w / 2, p.y() - 4.5 * PT, w, 9 * PT)
    pen = QPen(NOTE_BORDER)
    pen.setWidthF(0.6 * PT)
    painter.setPen(pen)
    painter.setBrush(QBrush(NOTE_FILL))
    painter.drawRoundedRect(rect, 1.5 * PT, 1.5 * PT)
    painter.setPen(QPen(INK))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, letter)
    painter.restore()


def note_letter(index: int) -> str:
    return chr(ord("a") + index) if index < 26 else str(index + 1)
