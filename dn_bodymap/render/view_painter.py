"""Paint one atlas view with chosen layers onto any QPainter (image, SVG, PDF or a widget)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QTransform,
)

from dn_bodymap.atlas.model import Atlas, ViewData
from dn_bodymap.render.paths import geometry_path
from dn_bodymap.render.style import (
    LIGHT,
    Palette,
    fibre_colour,
    muscle_fill,
    muscle_outline,
    region_fill,
    tendon_fill,
)

if TYPE_CHECKING:  # shapely loads with the first shape painted, not with this module (atlas/lazy.py)
    from shapely.geometry.base import BaseGeometry

    from dn_bodymap.render.prepared import PreparedView

MARGIN = 30.0  # atlas units around the figure


@dataclass(frozen=True, slots=True)
class Overlay:
    """Extra geometry drawn over the figure (hazard zones, referral patterns, pain areas)."""

    geometry: BaseGeometry
    fill: QColor
    outline: QColor
    hatch: bool = False
    label: str = ""
    dashed: bool = False


@dataclass(slots=True)
class RenderOptions:
    layers: frozenset[str]
    palette: Palette = LIGHT
    greyscale: bool = False
    overlays: Sequence[Overlay] = field(default_factory=tuple)
    highlight: frozenset[str] = frozenset()
    #: Fibre hatching on superficial muscles; prints may leave it out (it is most of a PDF's bytes).
    fibres: bool = True


#: Opacity (0–255) of the superficial muscles of the head (see _paint_muscles).
FACE_ALPHA = 105


def view_bounds(view: ViewData) -> QRectF:
    return bounds_rect(view.silhouette.bounds)


def atlas_view_bounds(atlas: Atlas, view: str) -> QRectF:
    """``view_bounds`` of an atlas's view without reading its shapes (atlas/lazy.py)."""
    return bounds_rect(atlas.view_bounds(view))


def bounds_rect(bounds: Sequence[float]) -> QRectF:
    """(min x, min y, max x, max y) of a silhouette → the figure's rectangle, margin included."""
    minx, miny, maxx, maxy = bounds
    return QRectF(minx - MARGIN, miny - MARGIN, maxx - minx + 2 * MARGIN, maxy - miny + 2 * MARGIN)


def fit_transform(source: QRectF, target: QRectF) -> QTransform:
    scale = min(target.width() / source.width(), target.height() / source.height())
    dx = target.x() + (target.width() - source.width() * scale) / 2 - source.x() * scale
    dy = target.y() + (target.height() - source.height() * scale) / 2 - source.y() * scale
    return QTransform(scale, 0, 0, scale, dx, dy)


def paint_view(
    painter: QPainter, atlas: Atlas, view_name: str, target: QRectF, options: RenderOptions
) -> QTransform:
    """Draw the view fitted into ``target`` (device coordinates); returns atlas→device transform."""
    view = atlas.view(view_name)
    from dn_bodymap.render.prepared import prepared_view

    prepared = prepared_view(atlas, view_name)
    pal = options.palette
    layers = options.layers
    xf = fit_transform(view_bounds(view), target)
    scale = xf.m11()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setTransform(xf, True)
    body = prepared.silhouette
    if "silhouette" in layers:
        painter.fillPath(body, QBrush(pal.skin))
    if "regions" in layers:
        _paint_regions(painter, prepared, pal, scale)
    for layer in ("superficial", "intermediate", "deep"):
        if layer in layers:
            _paint_muscles(painter, atlas, prepared, layer, options, scale)
    if "details" in layers:
        painter.strokePath(prepared.details, _pen(pal.detail, 0.9, scale))
    for overlay in options.overlays:
        _paint_overlay(painter, overlay, scale)
    if "silhouette" in layers:
        painter.strokePath(body, _pen(pal.outline, 1.6, scale))
    if "landmarks" in layers:
        _paint_landmarks(painter, view, pal, scale)
    painter.restore()
    if "labels" in layers:
        _paint_labels(painter, atlas, view, options, xf, target)
    if "sides" in layers:
        _paint_side_markers(painter, view, pal, xf)
    return xf


def _pen(color: QColor, width_units: float, scale: float, min_px: float = 0.6) -> QPen:
    pen = QPen(color)
    pen.setWidthF(max(width_units, min_px / max(scale, 1e-6)))
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def _paint_regions(painter: QPainter, prepared: PreparedView, pal: Palette, scale: float) -> None:
    pen = _pen(pal.region_line, 0.7, scale)
    for i, (_, path) in enumerate(prepared.regions):
        painter.fillPath(path, QBrush(region_fill(i)))
        painter.strokePath(path, pen)


def _paint_muscles(
    painter: QPainter,
    atlas: Atlas,
    prepared: PreparedView,
    layer: str,
    options: RenderOptions,
    scale: float,
) -> None:
    deep = layer != "superficial"
    from dn_bodymap.render.prepared import muscle_tones

    tones = muscle_tones(atlas)
    for item in prepared.muscles:
        shape = item.shape
        if shape.layer != layer:
            continue
        muscle = atlas.muscles[shape.muscle_id]
        fill = muscle_fill(muscle.id, muscle.group, layer, options.greyscale, tones.get(muscle.id))
        if deep:
            fill.setAlpha(150 if layer == "intermediate" else 120)
        elif muscle.group == "head":
            # The thin muscles of the face and scalp are washed over the skin, so eyes, nose and
            # mouth still read as a face rather than a mask of coloured plates.
            fill.setAlpha(FACE_ALPHA)
        painter.fillPath(item.outline, QBrush(fill))
        if options.fibres and item.fibres is not None and not deep:
            painter.strokePath(item.fibres, _pen(fibre_colour(fill), 0.35, scale, min_px=0.4))
        if item.tendons is not None:
            painter.fillPath(item.tendons, QBrush(tendon_fill(options.palette, deep)))
            painter.strokePath(item.tendons, _pen(options.palette.detail, 0.6, scale))
        pen = _pen(muscle_outline(fill), 0.9, scale)
        if muscle.group == "head" and not deep:
            outline = muscle_outline(fill)
            outline.setAlpha(FACE_ALPHA)
            pen = _pen(outline, 0.6, scale)
        if deep:
            pen.setStyle(Qt.PenStyle.DashLine)
        if shape.muscle_id in options.highlight:
            pen = _pen(QColor("#c0392b"), 2.2, scale)
        painter.strokePath(item.outline, pen)


def _paint_overlay(painter: QPainter, overlay: Overlay, scale: float) -> None:
    path = geometry_path(overlay.geometry)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(overlay.fill))
    painter.drawPath(path)
    if overlay.hatch:
        brush = QBrush(overlay.outline, Qt.BrushStyle.BDiagPattern)
        brush.setTransform(QTransform().scale(1 / max(scale, 1e-6) * 1.6, 1 / max(scale, 1e-6) * 1.6))
        painter.setBrush(brush)
        painter.drawPath(path)
    pen = _pen(overlay.outline, 1.1, scale)
    if overlay.dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(pen)
    painter.drawPath(path)


def _paint_landmarks(painter: QPainter, view: ViewData, pal: Palette, scale: float) -> None:
    painter.setPen(_pen(pal.background, 0.6, scale))
    painter.setBrush(QBrush(pal.landmark))
    r = max(2.2, 3.5 / max(scale, 1e-6))
    for lm in view.landmarks.values():
        painter.drawEllipse(QPointF(lm.x, lm.y), r, r)


@dataclass(slots=True)
class _Label:
    text: str
    anchor: QPointF
    weight: float


#: A muscle whose visible part is smaller than this share of its label's box is left unlabelled.
MIN_VISIBLE_SHARE = 0.5


def _label_candidates(atlas: Atlas, view: ViewData, options: RenderOptions) -> Iterable[_Label]:
    """One candidate per muscle and side, anchored on the part that is actually visible: an
    opaque (superficial) shape painted later covers what is under it, so a muscle hidden under
    another gets no label, and a partly covered one is labelled on its uncovered part."""
    layers = options.layers
    muscle_layers = [lay for lay in ("superficial", "intermediate", "deep") if lay in layers]
    if muscle_layers:
        # One label per muscle and view, on the side where more of it shows: the figure is
        # symmetric, and two identical labels per muscle were half the clutter.
        best: dict[str, _Label] = {}
        from dn_bodymap.render.prepared import prepared_view

        shapes = [item.shape for item in prepared_view(atlas, view.name).muscles]
        for i, shape in enumerate(shapes):
            if shape.layer not in muscle_layers:
                continue
            visible = _visible_part(shape, shapes[i + 1 :])
            if visible is None:
                continue
            known = best.get(shape.muscle_id)
            if known is None or visible[1] > known.weight + 1e-6:
                name = atlas.muscles[shape.muscle_id].name
                best[shape.muscle_id] = _Label(name, QPointF(*visible[0]), visible[1])
        yield from best.values()
    elif "regions" in layers:
        for region in view.regions:
            yield _Label(region.label, QPointF(*region.anchor), region.geometry.area)
    if "landmarks" in layers:
        for lm in view.landmarks.values():
            yield _Label(lm.label, QPointF(lm.x + 4, lm.y), 1.0)


def _visible_part(shape, later) -> tuple[tuple[float, float], float] | None:
    """(label point, visible area) of a shape under the opaque shapes painted after it."""
    from shapely.geometry import Point
    from shapely.ops import unary_union

    geometry = shape.geometry
    covers = [s.geometry for s in later if s.layer == "superficial" and s.geometry.intersects(geometry)]
    if not covers:
        return shape.anchor, geometry.area
    if not any(c.contains(Point(shape.anchor)) for c in covers):
        return shape.anchor, geometry.area
    rest = geometry.difference(unary_union(covers))
    if rest.is_empty or rest.area < 0.25 * geometry.area:
        return None
    point = rest.representative_point()
    return (point.x, point.y), rest.area


def place_labels(
    candidates: Iterable[_Label], xf: QTransform, metrics: QFontMetricsF, bounds: QRectF
) -> list[tuple[str, QRectF]]:
    """Greedy placement, biggest visible shapes first: a label too big for its shape, one that
    would collide, or one that cannot stay inside ``bounds`` is moved or left out."""
    scale2 = xf.m11() * xf.m11()
    placed: list[tuple[str, QRectF]] = []
    for cand in sorted(candidates, key=lambda c: -c.weight):
        p = xf.map(cand.anchor)
        w = metrics.horizontalAdvance(cand.text)
        h = metrics.height()
        if cand.weight > 1.0 and cand.weight * scale2 < MIN_VISIBLE_SHARE * w * h:
            continue  # the muscle shows as a sliver at this size: its label would cover neighbours
        for dy in (0, -h, h, -2 * h, 2 * h):
            rect = QRectF(p.x() - w / 2, p.y() - h / 2 + dy, w, h)
            rect = _inside(rect, bounds)
            if rect is None:
                break
            if not any(rect.adjusted(-2, -1, 2, 1).intersects(r) for _, r in placed):
                placed.append((cand.text, rect))
                break
    return placed


def _inside(rect: QRectF, bounds: QRectF) -> QRectF | None:
    """``rect`` shifted to lie within ``bounds`` (halo included), or None when it cannot fit."""
    margin = 3.0
    if rect.width() + 2 * margin > bounds.width() or rect.height() + 2 * margin > bounds.height():
        return None
    dx = max(0.0, bounds.left() + margin - rect.left()) - max(0.0, rect.right() + margin - bounds.right())
    dy = max(0.0, bounds.top() + margin - rect.top()) - max(0.0, rect.bottom() + margin - bounds.bottom())
    return rect.translated(dx, dy)


def _paint_labels(
    painter: QPainter,
    atlas: Atlas,
    view: ViewData,
    options: RenderOptions,
    xf: QTransform,
    bounds: QRectF,
) -> None:
    scale = xf.m11()
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(8, round(6.4 * scale)))
    metrics = QFontMetricsF(font)
    painter.save()
    painter.setFont(font)
    for text, rect in place_labels(_label_candidates(atlas, view, options), xf, metrics, bounds):
        _halo_text(painter, rect, text, options.palette)
    painter.restore()


def _halo_text(painter: QPainter, rect: QRectF, text: str, pal: Palette) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(pal.label_halo))
    painter.drawRoundedRect(rect.adjusted(-2, 0, 2, 0), 3, 3)
    painter.setPen(QPen(pal.label))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def _paint_side_markers(painter: QPainter, view: ViewData, pal: Palette, xf: QTransform) -> None:
    """'R' and 'L' beside the figure, always the patient's side."""
    from dn_bodymap.atlas.model import is_one_sided, side_of_x

    minx, _, maxx, _ = view.silhouette.bounds
    font = QFont("DejaVu Sans")
    font.setBold(True)
    font.setPixelSize(max(12, round(22 * xf.m11())))
    painter.save()
    painter.setFont(font)
    painter.setPen(QPen(pal.outline))
    top = 40.0
    if is_one_sided(view.name):
        right = side_of_x(view.name, 0.0) == "right"
        text = "R" if right else "L"
        p = xf.map(QPointF(maxx - 10 if right else minx + 10, top))
        painter.drawText(QRectF(p.x() - 40, p.y() - 20, 80, 40), Qt.AlignmentFlag.AlignCenter, text)
    else:
        for x in (minx + 18, maxx - 18):
            letter = "R" if side_of_x(view.name, x) == "right" else "L"
            p = xf.map(QPointF(x, top))
            painter.drawText(QRectF(p.x() - 40, p.y() - 20, 80, 40), Qt.AlignmentFlag.AlignCenter, letter)
    painter.restore()
