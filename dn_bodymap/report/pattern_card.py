"""A trigger point's pattern card for handouts: the figure with the pattern, legend, text, sources.

One painting function serves PNG and PDF: the card is laid out on a fixed logical page (A4
landscape proportions) and scaled to the device, so the PDF keeps vector text and shapes and the
PNG looks the same at any resolution.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import shapely
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen
from shapely.geometry import Point

from dn_bodymap.atlas.model import Atlas, Side, is_detail_view
from dn_bodymap.atlas.sources import UnknownSourceError, resolve
from dn_bodymap.atlas.trigger_points import Library, TriggerPoint
from dn_bodymap.render.export import ensure_gui_app
from dn_bodymap.render.referral_overlay import ESSENTIAL_ALPHA, SPILLOVER_ALPHA, pattern_overlays
from dn_bodymap.render.style import LIGHT, pattern_colour
from dn_bodymap.render.view_painter import Overlay, RenderOptions, paint_view, view_bounds

PAGE_W, PAGE_H = 1414.0, 1000.0  # logical units, A4 landscape proportions
MAX_VIEWS = 3
MIN_FOCUS = 360.0  # atlas units: the smallest part of the figure a panel shows
FOCUS_MARGIN = 45.0
MUSCLE_FILL = QColor(196, 150, 120, 110)
MUSCLE_LINE = QColor("#6b4b3a")
MAX_CITATIONS = 3
VIEW_TITLES = {
    "anterior": "Front",
    "posterior": "Back",
    "lateral_right": "Right side",
    "lateral_left": "Left side",
    "plantar": "Soles",
    "palmar": "Palms",
    "dorsal_hand": "Backs of the hands",
    "face": "Face",
    "head_lateral_right": "Head, right side",
    "head_lateral_left": "Head, left side",
}
INK = QColor("#111111")
HEADER = QColor("#14213d")
FONT = "DejaVu Sans"
DISCLAIMER = (
    "Referral patterns vary between patients; the card is a teaching aid and supports, "
    "never replaces, clinical examination."
)


class CardError(ValueError):
    """A card that cannot be made (unknown trigger point, unsupported file type)."""


@dataclass(frozen=True, slots=True)
class PatternCard:
    """What the card shows, gathered from the atlas and library before any painting."""

    trigger_point: TriggerPoint
    muscle_name: str
    latin: str
    views: tuple[str, ...]
    essential_regions: tuple[str, ...]
    spillover_regions: tuple[str, ...]
    citations: tuple[str, ...]
    atlas_version: str


def card_views(tp: TriggerPoint) -> tuple[str, ...]:
    """Views worth a panel: most essential zone first, then spillover, then where the point lies."""
    weight: dict[str, float] = {}
    # A detail view only where the point lies: elsewhere it repeats a body-view zone, enlarged.
    located = {loc.view for loc in tp.locations}
    for zone in tp.essential:
        if zone.view in located or not is_detail_view(zone.view):
            weight[zone.view] = weight.get(zone.view, 0.0) + 1e6 + zone.geometry.area
    for zone in tp.spillover:
        if zone.view in located or not is_detail_view(zone.view):
            weight[zone.view] = weight.get(zone.view, 0.0) + 1e3 + zone.geometry.area
    for loc in tp.locations:
        weight[loc.view] = weight.get(loc.view, 0.0) + 1.0
    ranked = sorted(weight, key=lambda v: -weight[v])
    return tuple(ranked[:MAX_VIEWS])


def build_card(
    atlas: Atlas, library: Library, trigger_point: str, side: Side | str = Side.RIGHT
) -> PatternCard:
    try:
        side = Side(side)
    except ValueError:
        raise CardError(f"unknown side {side!r}; use left or right") from None
    tp = library.instances.get((trigger_point, side))
    if tp is None:
        raise CardError(f"no trigger point {trigger_point!r} on the {side} side")
    muscle = atlas.muscles[tp.muscle]
    citations = []
    for key in tp.sources:
        try:
            citations.append(resolve(key).citation)
        except UnknownSourceError:
            citations.append(key)
    return PatternCard(
        trigger_point=tp,
        muscle_name=muscle.name,
        latin=muscle.latin,
        views=card_views(tp),
        essential_regions=_region_labels(atlas, tp, "essential"),
        spillover_regions=_region_labels(atlas, tp, "spillover"),
        citations=tuple(dict.fromkeys(citations)),
        atlas_version=atlas.version,
    )


def _region_labels(atlas: Atlas, tp: TriggerPoint, kind: str) -> tuple[str, ...]:
    """Region names of a zone: its authored region ids, or for a drawn zone the regions it covers
    (by the same rule as a patient's pain drawing, charting.referral.describe)."""
    from dn_bodymap.charting.referral.describe import describe
    from dn_bodymap.charting.referral.drawing import PainDrawing

    labels: dict[str, None] = {}
    drawn = PainDrawing()
    for zone in tp.zones(kind):
        by_id = {r.id: r.label for r in atlas.view(zone.view).regions}
        if zone.regions:
            for rid in zone.regions:
                labels.setdefault(by_id.get(rid, rid.replace("_", " ")), None)
        else:
            drawn.add(zone.view, zone.geometry)
    if not drawn.is_empty():
        covered = sorted(describe(drawn, atlas).regions, key=lambda c: -c.share)
        for region in covered:
            labels.setdefault(region.label, None)
    return tuple(labels)


def pattern_focus(atlas: Atlas, tp: TriggerPoint, view: str, aspect: float) -> QRectF:
    """The part of ``view`` (atlas units) that frames the pattern and the point, at ``aspect`` w/h.

    A whole figure makes a neck pattern a speck; the card enlarges the region that matters, but
    never so much that the body part cannot be recognised (at least MIN_FOCUS units tall).
    """
    parts = [z.geometry for z in (*tp.essential, *tp.spillover) if z.view == view]
    parts += [Point(loc.x, loc.y) for loc in tp.locations if loc.view == view]
    bounds = view_bounds(atlas.view(view))
    if not parts:
        return bounds
    minx, miny, maxx, maxy = shapely.union_all(parts).buffer(FOCUS_MARGIN).bounds
    w, h = maxx - minx, maxy - miny
    h = max(h, MIN_FOCUS, w / aspect)
    w = max(w, h * aspect)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    rect = QRectF(cx - w / 2, cy - h / 2, w, h)
    if rect.height() >= bounds.height():
        return bounds
    return rect


def focus_target(full: QRectF, focus: QRectF, cell: QRectF) -> QRectF:
    """The rect to paint the whole view into (``full``, atlas units) so ``focus`` fills ``cell``.

    paint_view fits a view's bounds into a target; a target larger than the cell, clipped to it,
    is how any part of the figure is enlarged without a second painting path.
    """
    scale = min(cell.width() / focus.width(), cell.height() / focus.height())
    return QRectF(
        cell.center().x() - (focus.center().x() - full.x()) * scale,
        cell.center().y() - (focus.center().y() - full.y()) * scale,
        full.width() * scale,
        full.height() * scale,
    )


def paint_pattern_view(
    painter: QPainter, atlas: Atlas, library: Library, tp: TriggerPoint, view: str, cell: QRectF
) -> None:
    """The skin-coloured figure with the muscle shaded, the pattern over it, enlarged to the pattern.

    Without the other muscles: on a handout the red pattern must not compete with red muscle tones.
    """
    muscle = [
        s.geometry for s in atlas.view(view).muscle_shapes if s.muscle_id == tp.muscle and s.side == tp.side
    ]
    overlays = [Overlay(shapely.union_all(muscle), MUSCLE_FILL, MUSCLE_LINE)] if muscle else []
    overlays += pattern_overlays(library, tp.id, tp.side, view)
    options = RenderOptions(layers=frozenset({"silhouette", "details"}), overlays=tuple(overlays))
    focus = pattern_focus(atlas, tp, view, cell.width() / cell.height())
    target = focus_target(view_bounds(atlas.view(view)), focus, cell)
    painter.save()
    painter.setClipRect(cell)
    paint_view(painter, atlas, view, target, options)
    painter.restore()


def paint_card(painter: QPainter, atlas: Atlas, library: Library, card: PatternCard, target: QRectF) -> None:
    """Draw the card scaled into ``target`` (device coordinates), keeping its proportions."""
    scale = min(target.width() / PAGE_W, target.height() / PAGE_H)
    painter.save()
    painter.translate(
        target.x() + (target.width() - PAGE_W * scale) / 2,
        target.y() + (target.height() - PAGE_H * scale) / 2,
    )
    painter.scale(scale, scale)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(QRectF(0, 0, PAGE_W, PAGE_H), QColor("white"))
    tp = card.trigger_point
    # Header band.
    painter.fillRect(QRectF(0, 0, PAGE_W, 118), HEADER)
    _text(painter, QRectF(40, 14, PAGE_W - 80, 56), card.muscle_name, 40, QColor("white"), bold=True)
    sub = f"{tp.label} · patient's {tp.side} side"
    if card.latin:
        sub = f"{card.latin} — {sub}"
    _text(painter, QRectF(40, 70, PAGE_W - 80, 36), sub, 22, QColor("#dfe6f3"))
    # Figure panels.
    figure_area = QRectF(24, 138, 900, 800)
    n = max(1, len(card.views))
    width = figure_area.width() / n
    for i, view in enumerate(card.views):
        cell = QRectF(figure_area.x() + i * width, figure_area.y(), width, figure_area.height())
        panel = cell.adjusted(8, 0, -8, -44)
        paint_pattern_view(painter, atlas, library, tp, view, panel)
        painter.setPen(QPen(QColor("#c9ced8"), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(panel)
        _text(
            painter,
            QRectF(cell.x(), cell.bottom() - 40, cell.width(), 36),
            VIEW_TITLES.get(view, view),
            22,
            INK,
            bold=True,
            align=Qt.AlignmentFlag.AlignHCenter,
        )
    # Text column.
    x, y, w = 950.0, 146.0, PAGE_W - 950.0 - 40
    y = _legend(painter, x, y, w)
    y += 14
    if card.essential_regions:
        y = _paragraph(painter, x, y, w, "Essential zone", ", ".join(card.essential_regions))
    if card.spillover_regions:
        y = _paragraph(painter, x, y, w, "Spillover", ", ".join(card.spillover_regions))
    if tp.description:
        y = _paragraph(painter, x, y, w, "Notes", tp.description)
    if tp.mimics:
        y = _paragraph(painter, x, y, w, "Can be mistaken for", ", ".join(tp.mimics))
    if card.citations:
        cited = list(card.citations[:MAX_CITATIONS])
        if len(card.citations) > MAX_CITATIONS:
            cited.append(f"and {len(card.citations) - MAX_CITATIONS} more (see the app's source list)")
        _paragraph(painter, x, y, w, "Sources", "\n".join(cited), size=13)
    # Footer.
    painter.fillRect(QRectF(0, PAGE_H - 50, PAGE_W, 50), QColor("#eef1f6"))
    _text(
        painter,
        QRectF(40, PAGE_H - 46, PAGE_W - 80, 42),
        f"{DISCLAIMER}   dn-bodymap · atlas {card.atlas_version} · {tp.id}",
        14,
        QColor("#333333"),
        align=Qt.AlignmentFlag.AlignVCenter,
    )
    painter.restore()


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont(FONT)
    font.setPixelSize(round(size))
    font.setBold(bold)
    return font


def _text(
    painter: QPainter,
    rect: QRectF,
    text: str,
    size: float,
    color: QColor,
    bold: bool = False,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> QRectF:
    painter.setFont(_font(size, bold))
    painter.setPen(QPen(color))
    flags = int(align) | int(Qt.TextFlag.TextWordWrap)
    return painter.drawText(rect, flags, text)


def _paragraph(
    painter: QPainter, x: float, y: float, w: float, title: str, body: str, size: float = 17
) -> float:
    """A bold heading and wrapped text; returns the y below it (text past the footer is cut)."""
    bottom = PAGE_H - 60
    if y > bottom - 30:
        return y
    used = _text(painter, QRectF(x, y, w, 28), title, 19, HEADER, bold=True)
    y += used.height() + 2
    painter.save()
    painter.setClipRect(QRectF(x, y, w, max(0.0, bottom - y)))
    used = _text(painter, QRectF(x, y, w, bottom - y), body, size, INK)
    painter.restore()
    return min(bottom, y + used.height() + 14)


def _legend(painter: QPainter, x: float, y: float, w: float) -> float:
    """Swatches in the colours pattern_overlays uses for a single pattern on a light page."""
    base = pattern_colour(0, LIGHT)
    line = base.darker(135)
    essential_fill, spill_fill = QColor(base), QColor(base)
    essential_fill.setAlpha(ESSENTIAL_ALPHA)
    spill_fill.setAlpha(SPILLOVER_ALPHA)
    rows = (
        ("Essential zone: pain in nearly every patient", "essential"),
        ("Spillover: pain in some patients", "spillover"),
        ("Trigger point", "point"),
    )
    for text, kind in rows:
        swatch = QRectF(x, y + 4, 40, 26)
        if kind == "essential":
            painter.fillRect(swatch, essential_fill)
            painter.setPen(QPen(line, 2))
            painter.drawRect(swatch)
        elif kind == "spillover":
            painter.fillRect(swatch, spill_fill)
            painter.fillRect(swatch, QBrush(line, Qt.BrushStyle.BDiagPattern))
            pen = QPen(line, 2)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawRect(swatch)
        else:
            c = swatch.center()
            painter.setPen(QPen(line, 7))
            painter.setBrush(QColor("white"))
            painter.drawEllipse(c, 9, 9)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        _text(painter, QRectF(x + 54, y, w - 54, 34), text, 17, INK, align=Qt.AlignmentFlag.AlignVCenter)
        y += 38
    return y


def card_image(atlas: Atlas, library: Library, card: PatternCard, width_px: int = 2000) -> QImage:
    ensure_gui_app()
    height = round(width_px * PAGE_H / PAGE_W)
    image = QImage(width_px, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_card(painter, atlas, library, card, QRectF(0, 0, width_px, height))
    painter.end()
    return image


def write_card(atlas: Atlas, library: Library, card: PatternCard, out: Path, width_px: int = 2000) -> Path:
    """PNG or PDF by suffix, written under a temporary name and renamed (never half a file)."""
    suffix = out.suffix.lower()
    if suffix not in (".png", ".pdf"):
        raise CardError(f"cannot write {out.name}: use a .png or .pdf file name")
    ensure_gui_app()
    tmp = out.with_name(f".{out.name}.partial{suffix}")
    try:
        if suffix == ".png":
            if not card_image(atlas, library, card, width_px).save(str(tmp), "PNG"):
                raise OSError(f"could not write {out}")
        else:
            writer = QPdfWriter(str(tmp))
            writer.setPageLayout(
                QPageLayout(
                    QPageSize(QPageSize.PageSizeId.A4),
                    QPageLayout.Orientation.Landscape,
                    QMarginsF(0, 0, 0, 0),
                )
            )
            writer.setResolution(300)
            writer.setTitle(f"Pattern card: {card.muscle_name} ({card.trigger_point.id})")
            writer.setCreator("dn-bodymap")
            painter = QPainter(writer)
            if not painter.isActive():
                raise OSError(f"could not write {out}")
            paint_card(painter, atlas, library, card, QRectF(0, 0, writer.width(), writer.height()))
            painter.end()
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out


__all__ = ["CardError", "PatternCard", "build_card", "card_image", "paint_card", "write_card"]
