"""Write a view to PNG, SVG or PDF at any size (the `atlas render` command and the reports)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.render.legend import legend_entries, legend_height, paint_legend
from dn_bodymap.render.view_painter import RenderOptions, paint_view, view_bounds

#: Height of the key's text relative to the image height, and its bounds in pixels.
LEGEND_FONT_SHARE = 0.012


def ensure_gui_app() -> QGuiApplication:
    """QtGui painting with fonts needs an application object; headless runs use 'offscreen'."""
    import os

    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([])
    return app  # type: ignore[return-value]


def image_size(atlas: Atlas, view: str, height_px: int, legend: bool = False) -> QSize:
    bounds = view_bounds(atlas.view(view))
    width = max(1, round(height_px * bounds.width() / bounds.height()))
    extra = round(_legend_block(view, width, height_px)[1]) if legend else 0
    return QSize(width, height_px + extra)


def _legend_font(height_px: int) -> QFont:
    font = QFont()
    font.setPixelSize(max(11, min(22, round(height_px * LEGEND_FONT_SHARE))))
    return font


def _legend_block(view: str, width: int, height_px: int) -> tuple[QFont, float]:
    """The key's font and height (with its margins) under a figure ``width`` × ``height_px``."""
    ensure_gui_app()
    font = _legend_font(height_px)
    margin = font.pixelSize() * 1.5
    return font, legend_height(legend_entries(view), width - 2 * margin, font) + 2 * margin


def _paint_page(
    painter: QPainter,
    atlas: Atlas,
    view: str,
    options: RenderOptions,
    rect: QRectF,
    figure_h: float,
    legend: bool,
) -> None:
    """The figure in the top ``figure_h`` of ``rect`` and, when asked, the key below it."""
    paint_view(painter, atlas, view, QRectF(rect.x(), rect.y(), rect.width(), figure_h), options)
    if legend:
        font, _ = _legend_block(view, round(rect.width()), round(figure_h))
        margin = font.pixelSize() * 1.5
        area = QRectF(
            rect.x() + margin,
            rect.y() + figure_h + margin,
            rect.width() - 2 * margin,
            rect.height() - figure_h,
        )
        paint_legend(painter, area, legend_entries(view), options.palette, font)


def render_image(
    atlas: Atlas, view: str, options: RenderOptions, height_px: int, legend: bool = False
) -> QImage:
    ensure_gui_app()
    size = image_size(atlas, view, height_px, legend)
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(options.palette.background)
    painter = QPainter(image)
    _paint_page(painter, atlas, view, options, QRectF(0, 0, size.width(), size.height()), height_px, legend)
    painter.end()
    if options.greyscale:
        image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return image


def render_to_file(
    atlas: Atlas, view: str, options: RenderOptions, out: Path, height_px: int = 2000, legend: bool = False
) -> Path:
    """Write PNG/SVG/PDF by the file's suffix; written to a temporary name, then renamed."""
    import os

    suffix = out.suffix.lower()
    if suffix not in (".png", ".svg", ".pdf"):
        raise ValueError(f"cannot write {out.name}: use a .png, .svg or .pdf file name")
    ensure_gui_app()
    tmp = out.with_name(f".{out.name}.partial{suffix}")
    size = image_size(atlas, view, height_px, legend)
    if suffix == ".png":
        if not render_image(atlas, view, options, height_px, legend).save(str(tmp), "PNG"):
            raise OSError(f"could not write {out}")
    elif suffix == ".svg":
        gen = QSvgGenerator()
        gen.setFileName(str(tmp))
        gen.setSize(size)
        gen.setViewBox(QRectF(0, 0, size.width(), size.height()))
        gen.setTitle(f"dn-bodymap {view} view")
        painter = QPainter(gen)
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), options.palette.background)
        _paint_page(
            painter, atlas, view, options, QRectF(0, 0, size.width(), size.height()), height_px, legend
        )
        painter.end()
    else:
        writer = QPdfWriter(str(tmp))
        writer.setPageSize(QPageSize(QSizeF(size.width() * 0.75, size.height() * 0.75), QPageSize.Unit.Point))
        writer.setPageMargins(QMarginsF(0, 0, 0, 0))
        writer.setResolution(96)
        writer.setTitle(f"dn-bodymap {view} view")
        painter = QPainter(writer)
        rect = QRectF(0, 0, writer.width(), writer.height())
        painter.fillRect(rect, QColor(options.palette.background))
        figure_h = rect.height() * height_px / size.height()
        _paint_page(painter, atlas, view, options, rect, figure_h, legend)
        painter.end()
    os.replace(tmp, out)
    return out
