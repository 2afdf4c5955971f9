"""Where the packaged data lives, whether installed from a wheel or run from a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "assets"
_CHECKOUT = Path(__file__).resolve().parent.parent / "assets"


def assets_dir() -> Path:
    """The wheel puts assets inside the package; a checkout keeps them at the top level."""
    return _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT


def asset_path(*parts: str) -> Path:
    return assets_dir().joinpath(*parts)
