"""The authored curves as SVG, one file per frame, for a person to open in a vector editor.

Paths keep the exact cubic Béziers the loader flattens (no rounding to a polygon) and carry ids
such as ``muscle:infraspinatus:authored`` and ``region:temple:authored``; the x > 0 half is what
is authored, the other side is its mirror image.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from dn_bodymap.atlas.build import FRAMES, SILHOUETTE_KEYS, frame_landmarks
from dn_bodymap.atlas.shapes import svg_path

STYLE = {
    "silhouette": 'fill="#f6e4d6" stroke="#5b4a42" stroke-width="1.5"',
    "region": 'fill="none" stroke="#3d6f99" stroke-width="0.6" stroke-dasharray="3 2"',
    "muscle": 'fill="#d98b7e" fill-opacity="0.55" stroke="#7a3b30" stroke-width="0.7"',
    "detail": 'fill="none" stroke="#a08476" stroke-width="0.8"',
}


def frame_svg(tables: Mapping[str, Any], frame: str) -> str:
    points = frame_landmarks(tables["landmarks"], frame)
    silhouette_key = SILHOUETTE_KEYS[frame]
    body: list[str] = []

    def add(layer: str, ident: str, spec: Mapping[str, Any]) -> None:
        d = svg_path(spec, points)
        style = STYLE["detail"] if "stroke" in spec and layer != "detail" else STYLE[layer]
        body.append(f'  <path id={quoteattr(ident)} {style} d="{d}"/>')

    for i, spec in enumerate(tables["silhouette"][silhouette_key]):
        if spec.get("only") in (None, frame):
            add("silhouette", f"silhouette:part{i + 1}", spec)
    counts: dict[str, int] = {}
    for spec in tables["shapes"].get(frame, []):
        mid = spec["muscle"]
        counts[mid] = counts.get(mid, 0) + 1
        add("muscle", f"muscle:{mid}:authored:{counts[mid]}", spec)
    for spec in tables["regions"].get(frame, []):
        add("region", f"region:{spec['id']}:authored", spec)
    for i, spec in enumerate(tables["details"].get(frame, [])):
        add("detail", f"detail:{i + 1}", {"stroke": spec["line"], "width": 1})
    # Wide enough for the frame (both hands side by side are wider than the body).
    half = max([260] + [int(abs(x)) + 60 for x, _ in points.values()])
    marks = "\n".join(
        f'  <circle id={quoteattr("landmark:" + name)} cx="{x:.2f}" cy="{y:.2f}" r="1.6" fill="#1d5f8a"/>'
        for name, (x, y) in sorted(points.items())
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-half} -30 {2 * half} 1060" '
        f'width="{2 * half}" height="1060">\n'
        f"  <title>dn-bodymap atlas, {frame} frame (authored half; atlas units)</title>\n"
        + "\n".join(body)
        + "\n"
        + marks
        + "\n</svg>\n"
    )


def export_svgs(tables: Mapping[str, Any], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for frame in FRAMES:
        if not tables["silhouette"].get(SILHOUETTE_KEYS[frame]):
            continue  # a detail frame not authored yet
        path = out_dir / f"atlas-{frame}.svg"
        path.write_text(frame_svg(tables, frame), encoding="utf-8")
        written.append(path)
    return written
