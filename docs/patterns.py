"""Render teaching images of referral patterns: the trigger point (ringed), the essential zone
(solid) and the spillover zone (hatched), on every view where the pattern shows.

    python docs/patterns.py          # writes docs/pattern-<trigger point>.png
    python docs/patterns.py ID ...   # only these trigger points
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
PATTERNS = [
    ("trapezius.1", "right", ("posterior", "lateral_right", "anterior")),
    ("infraspinatus.1", "right", ("posterior", "anterior", "lateral_right")),
    ("sternocleidomastoid.2", "right", ("anterior", "lateral_right")),
    ("gluteus_minimus.1", "right", ("lateral_right", "posterior")),
    ("soleus.1", "right", ("posterior", "lateral_right")),
    # the six patterns corrected against the manual (issue #15)
    ("trapezius.4", "right", ("posterior",)),
    ("trapezius.5", "right", ("posterior",)),
    ("sternocleidomastoid.4", "right", ("anterior", "lateral_right")),
    ("temporalis.1", "right", ("lateral_right", "anterior")),
    ("scalenus_anterior.1", "right", ("anterior", "posterior", "lateral_right")),
    ("piriformis.1", "right", ("posterior", "lateral_right")),
    ("soleus.3", "right", ("posterior",)),
]


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.atlas.model import Side
    from dn_bodymap.atlas.trigger_points import default_library
    from dn_bodymap.render.export import ensure_gui_app, image_size
    from dn_bodymap.render.layers import parse_layers
    from dn_bodymap.render.referral_overlay import pattern_overlays
    from dn_bodymap.render.view_painter import RenderOptions, paint_view

    ensure_gui_app()
    atlas, library = default_atlas(), default_library()
    height = 1100
    wanted = set(sys.argv[1:])
    for tid, side_text, views in PATTERNS:
        if wanted and tid not in wanted:
            continue
        side = Side(side_text)
        if (tid, side) not in library.instances:
            print("skipped (not in the library):", tid, file=sys.stderr)
            continue
        tp = library.instances[(tid, side)]
        sizes = [image_size(atlas, v, height) for v in views]
        width = sum(s.width() for s in sizes)
        image = QImage(width, height + 90, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("white"))
        painter = QPainter(image)
        x = 0
        for view, size in zip(views, sizes, strict=True):
            options = RenderOptions(
                parse_layers("superficial,details,sides"),
                overlays=pattern_overlays(library, tid, side, view),
                highlight=frozenset({tp.muscle}),
                greyscale=True,  # grey muscles so that the red zones stand out, as on teaching charts
            )
            paint_view(painter, atlas, view, QRectF(x, 80, size.width(), size.height()), options)
            x += size.width()
        font = QFont("DejaVu Sans")
        font.setPixelSize(26)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#222"))
        painter.drawText(
            QRectF(20, 8, width - 40, 36), Qt.AlignmentFlag.AlignLeft, f"{tp.label} ({side_text})"
        )
        font.setPixelSize(17)
        font.setBold(False)
        painter.setFont(font)
        painter.drawText(
            QRectF(20, 44, width - 40, 30),
            Qt.AlignmentFlag.AlignLeft,
            "ring: trigger point · solid: essential zone · hatched: spillover · sources: "
            + ", ".join(tp.sources),
        )
        painter.end()
        out = DOCS / f"pattern-{tid.replace('.', '-')}.png"
        image.save(str(out))
        print("wrote", out)


if __name__ == "__main__":
    main()
