"""Regenerate the hazard-layer renders named in docs/safety.md.

python docs/hazard_renders.py
"""

from __future__ import annotations

import os
from pathlib import Path

DOCS = Path(__file__).resolve().parent
VIEWS = ("anterior", "posterior", "lateral_right", "lateral_left")


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.render.export import ensure_gui_app, image_size, render_to_file
    from dn_bodymap.render.hazard_overlay import hazard_overlays
    from dn_bodymap.render.layers import parse_layers
    from dn_bodymap.render.view_painter import RenderOptions, paint_view

    ensure_gui_app()
    atlas = default_atlas()

    def options(layers: str, view: str) -> RenderOptions:
        return RenderOptions(parse_layers(layers), overlays=tuple(hazard_overlays(view)))

    for view in VIEWS:  # muscles with the hazard layer
        chart = options("superficial,details,hazards,sides", view)
        print("wrote", render_to_file(atlas, view, chart, DOCS / f"hazards-{view}.png", 2000))
    height = 1200  # the zones alone on the front, back and right side views
    views = ("anterior", "posterior", "lateral_right")
    sizes = [image_size(atlas, v, height) for v in views]
    image = QImage(sum(s.width() for s in sizes), height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    x = 0
    for view, size in zip(views, sizes, strict=True):
        zones = options("silhouette,details,hazards,sides", view)
        paint_view(painter, atlas, view, QRectF(x, 0, size.width(), size.height()), zones)
        x += size.width()
    painter.end()
    image.save(str(DOCS / "hazards-zones.png"))
    print("wrote", DOCS / "hazards-zones.png")


if __name__ == "__main__":
    main()
