"""Helpers shared by the sub-commands: errors, JSON output, value parsing."""

from __future__ import annotations

import json
import math
import sys
from typing import Any


class CliError(Exception):
    """An expected failure: printed as one line on stderr, never as a traceback."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def print_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def finite_float(text: str) -> float:
    """argparse type: a finite number (NaN and infinities are refused, they poison geometry)."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value


finite_float.__name__ = "number"
