"""Write a view to PNG, SVG or PDF at any size (the `atlas render` command and the reports)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.render.view_painter import RenderOptions, paint_view, view_bounds


def ensure_gui_app() -> QGuiApplication:
    """QtGui painting with fonts needs an application object; headless runs use 'offscreen'."""
    import os

    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([])
    return app  # type: ignore[return-value]


def image_size(atlas: Atlas, view: str, height_px: int) -> QSize:
    bounds = view_bounds(atlas.view(view))
    return QSize(max(1, round(height_px * bounds.width() / bounds.height())), height_px)


def render_image(atlas: Atlas, view: str, options: RenderOptions, height_px: int) -> QImage:
    ensure_gui_app()
    size = image_size(atlas, view, height_px)
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(options.palette.background)
    painter = QPainter(image)
    paint_view(painter, atlas, view, QRectF(0, 0, size.width(), size.height()), options)
    painter.end()
    if options.greyscale:
        image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return image


def render_to_file(atlas: Atlas, view: str, options: RenderOptions, out: Path, height_px: int = 2000) -> Path:
    """Write PNG/SVG/PDF by the file's suffix; written to a temporary name, then renamed."""
    import os

    suffix = out.suffix.lower()
    if suffix not in (".png", ".svg", ".pdf"):
        raise ValueError(f"cannot write {out.name}: use a .png, .svg or .pdf file name")
    ensure_gui_app()
    tmp = out.with_name(f".{out.name}.partial{suffix}")
    size = image_size(atlas, view, height_px)
    if suffix == ".png":
        if not render_image(atlas, view, options, height_px).save(str(tmp), "PNG"):
            raise OSError(f"could not write {out}")
    elif suffix == ".svg":
        gen = QSvgGenerator()
        gen.setFileName(str(tmp))
        gen.setSize(size)
        gen.setViewBox(QRectF(0, 0, size.width(), size.height()))
        gen.setTitle(f"dn-bodymap {view} view")
        painter = QPainter(gen)
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), options.palette.background)
        paint_view(painter, atlas, view, QRectF(0, 0, size.width(), size.height()), options)
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
        paint_view(painter, atlas, view, rect, options)
        painter.end()
    os.replace(tmp, out)
    return out
