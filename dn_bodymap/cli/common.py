"""Helpers shared by the sub-commands: errors, JSON output, value parsing."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any, NoReturn

MAX_MESSAGE = 300  # characters of one error line; a 100,000-character argument is not echoed


class CliError(Exception):
    """An expected failure: printed as one line on stderr, never as a traceback."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` on one line, shortened: error messages may quote hostile input."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line (with a pointer to ``--help``)."""

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        # ``--x=--`` reaches here as ["--"]; argparse drops the "--" and stores [] as the value.
        if action.nargs is None and action.option_strings and arg_strings == ["--"]:
            self.error(f"argument {action.option_strings[0]}: expected a value, not '--'")
        return super()._get_values(action, arg_strings)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {one_line(message)} (see {self.prog} --help)\n")


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
