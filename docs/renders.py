"""Regenerate the atlas renders shown in the README and docs.

python docs/renders.py
"""

from __future__ import annotations

import os
from pathlib import Path

DOCS = Path(__file__).resolve().parent


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.render.export import ensure_gui_app, image_size, render_to_file
    from dn_bodymap.render.layers import parse_layers
    from dn_bodymap.render.view_painter import RenderOptions, paint_view

    ensure_gui_app()
    atlas = default_atlas()
    chart = RenderOptions(parse_layers("superficial,details,sides"))
    for view, name in (("anterior", "anterior"), ("posterior", "posterior"), ("lateral_right", "lateral")):
        # the side view carries the chart's key: it is the one with a convention to explain (the arm)
        keyed = view == "lateral_right"
        print("wrote", render_to_file(atlas, view, chart, DOCS / f"atlas-{name}.png", 2000, legend=keyed))
    height = 1600
    views = ("anterior", "posterior", "lateral_right")
    sizes = [image_size(atlas, v, height) for v in views]
    image = QImage(sum(s.width() for s in sizes), height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    x = 0
    labelled = RenderOptions(parse_layers("superficial,details,labels,sides"))
    for view, size in zip(views, sizes, strict=True):
        paint_view(painter, atlas, view, QRectF(x, 0, size.width(), size.height()), labelled)
        x += size.width()
    painter.end()
    image.save(str(DOCS / "atlas-muscles.png"))
    print("wrote", DOCS / "atlas-muscles.png")


if __name__ == "__main__":
    main()
