"""The figure's first image of a view, kept on disk between runs (issue #14).

Painting a view of the figure (render/view_painter.py, ~30 ms each) was half of the session
screen's first paint, and a start paints the same views at the same size as the last one (the
window's geometry and splitters are restored). So the first image each figure item renders is
looked up here before it is painted, and written here after. Only an image fully named by its key
is kept: the atlas read from its cache file (its identity names the exact shapes), the view, the
image's size and scale, every option that changes the drawing, the fonts, Qt's version and a hash
of the drawing code; a figure with overlays or highlights (a teaching view, a pattern shown) is
always painted. The images are raw pixels behind the cache files' CRC (``atlas.loader``): a torn or
foreign file is painted afresh. Only the first image of an item comes from here (a zoom paints),
and only the newest ``KEEP`` images stay.
"""

from __future__ import annotations

import contextlib
import hashlib
from functools import cache
from pathlib import Path

from PySide6.QtCore import qVersion
from PySide6.QtGui import QColor, QGuiApplication, QImage

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.render.view_painter import RenderOptions

FORMAT = QImage.Format.Format_ARGB32_Premultiplied
#: Images kept (each ~0.5–2 MiB): a few window sizes, light and dark, every view.
KEEP = 24
_PREFIX = "figure-"


def image_key(
    atlas: Atlas, view: str, options: RenderOptions, width: int, height: int, scale: float
) -> str | None:
    """What names the image exactly, or None when it is not to be kept."""
    from dn_bodymap.atlas.loader import atlas_identity

    identity = atlas_identity(atlas)
    if identity is None or options.overlays or options.highlight:
        return None
    palette = [
        (name, value.getRgbF() if isinstance(value, QColor) else repr(value))
        for name, value in sorted(vars_of(options.palette).items())
    ]
    parts = (
        identity,
        view,
        width,
        height,
        scale.hex(),
        sorted(options.layers),
        palette,
        options.greyscale,
        options.fibres,
        QGuiApplication.font().toString(),
        qVersion(),
        _code(),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def vars_of(value: object) -> dict[str, object]:
    """A dataclass's fields by name (slots or not)."""
    import dataclasses

    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}  # type: ignore[arg-type]


@cache
def _code() -> str:
    """The drawing code: render/ and this folder."""
    from dn_bodymap.atlas.loader import code_fingerprint

    here = Path(__file__).resolve().parent
    return code_fingerprint(here.parent.parent / "render") + code_fingerprint(here)


def _file(key: str) -> Path:
    from dn_bodymap.atlas.loader import cache_file

    return cache_file(_PREFIX + key)


def load(key: str, width: int, height: int) -> QImage | None:
    from dn_bodymap.atlas.loader import read_cached

    found = read_cached(_file(key), bytes)
    if found is None or len(found) != width * height * 4:
        return None
    return QImage(found, width, height, width * 4, FORMAT).copy()  # owns its pixels


def store(key: str, image: QImage) -> None:
    from dn_bodymap.atlas.loader import write_cached

    if image.format() != FORMAT or image.bytesPerLine() != image.width() * 4:
        return
    write_cached(_file(key), bytes(image.constBits()))
    _keep_newest(_file(key).parent)


def _keep_newest(folder: Path) -> None:
    images = sorted(folder.glob(f"atlas-{_PREFIX}*.pickle"), key=_mtime, reverse=True)
    for old in images[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
