"""Regenerate the renders of the plantar detail view (issue #15) shown in docs/atlas-detail-views.md.

python docs/detail_renders.py

atlas-plantar.png: the chart look (superficial muscles). atlas-plantar-layers.png: the four layers
side by side (first layer, second layer, third and fourth layers, surface regions with labels).
hazards-plantar.png: the plantar nerves and vessels zone over the muscles.
"""

from __future__ import annotations

import os
from pathlib import Path

DOCS = Path(__file__).resolve().parent


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.render.export import ensure_gui_app, image_size, render_to_file
    from dn_bodymap.render.hazard_overlay import hazard_overlays
    from dn_bodymap.render.layers import parse_layers
    from dn_bodymap.render.view_painter import RenderOptions, paint_view

    ensure_gui_app()
    atlas = default_atlas()
    chart = RenderOptions(parse_layers("superficial,details,sides"))
    print("wrote", render_to_file(atlas, "plantar", chart, DOCS / "atlas-plantar.png", 2000))
    hazards = RenderOptions(parse_layers("superficial,intermediate,deep,details,sides"))
    hazards.overlays = tuple(hazard_overlays("plantar"))
    print("wrote", render_to_file(atlas, "plantar", hazards, DOCS / "hazards-plantar.png", 2000))

    panels = (
        ("First layer", "superficial,details,labels,sides"),
        ("Second layer", "intermediate,details,labels,sides"),
        ("Third and fourth layers", "deep,details,labels,sides"),
        ("Surface regions", "regions,details,labels,sides"),
    )
    height = 1500
    size = image_size(atlas, "plantar", height)
    title_h = 50
    image = QImage(size.width() * len(panels), height + title_h, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    font = QFont("DejaVu Sans")
    font.setPixelSize(30)
    font.setBold(True)
    for i, (title, layers) in enumerate(panels):
        x = i * size.width()
        painter.setFont(font)
        painter.setPen(QColor("#3b2f2a"))
        painter.drawText(QRectF(x, 0, size.width(), title_h), 0x0084, title)  # AlignHCenter|AlignVCenter
        paint_view(
            painter,
            atlas,
            "plantar",
            QRectF(x, title_h, size.width(), height),
            RenderOptions(parse_layers(layers)),
        )
    painter.end()
    image.save(str(DOCS / "atlas-plantar-layers.png"))
    print("wrote", DOCS / "atlas-plantar-layers.png")


if __name__ == "__main__":
    main()
