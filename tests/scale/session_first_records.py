"""Comparing what the session screen read from the read-only store with the writer's records."""

from __future__ import annotations

import dataclasses
from typing import Any


def identical(a: Any, b: Any, where: str = "") -> None:
    """Equal values of the same types, all the way down (a ``str`` is not its ``StrEnum``)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if dataclasses.is_dataclass(a):
        for field in dataclasses.fields(a):
            identical(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            identical(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            identical(a[key], b[key], f"{where}[{key!r}]")
    else:
        assert a == b, where


def outcome(read: Any, *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """What a read gave: its value, or the error it raised (its type and sentence)."""
    try:
        return "value", read(*args, **kwargs)
    except Exception as exc:  # compared, not handled
        return "error", (type(exc), str(exc))
