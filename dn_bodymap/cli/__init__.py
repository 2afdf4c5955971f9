"""The `dn-bodymap` command: opens the GUI with no sub-command, else runs one headless task.

Each sub-command lives in its own module with a ``register(subparsers)`` function; this module only
wires them together and turns expected failures into a one-line message and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence

from dn_bodymap.charting.errors import RecordError
from dn_bodymap.cli.common import CliError, OneLineParser, one_line

_COMMAND_MODULES = (
    "dn_bodymap.cli.atlas_cmd",
    "dn_bodymap.cli.safety_cmd",
    "dn_bodymap.cli.referral_cmd",
    "dn_bodymap.cli.records_cmd",
    "dn_bodymap.cli.exchange_cmd",
    "dn_bodymap.cli.teaching_cmd",
    "dn_bodymap.cli.card_cmd",
    "dn_bodymap.cli.report_cmd",
    "dn_bodymap.cli.sync_cmd",
)
# The module that registers each command, so that running one imports only its own module (their
# top-level imports differ a lot: `patients` must not pay for the exchange or report modules).
# A command missing here still works through the full parser; tests/scale/test_scale_lean_cli.py
# checks this map against what the modules register.
_COMMAND_HOMES = {
    "patients": "dn_bodymap.cli.records_cmd",
    "sessions": "dn_bodymap.cli.records_cmd",
    "db": "dn_bodymap.cli.records_cmd",
    "demo": "dn_bodymap.cli.records_cmd",
}


class _VersionAction(argparse.Action):
    """``--version``: the version is looked up only when asked (the lookup costs ~50 ms)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **_: object) -> None:
        super().__init__(
            option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, help="print the version and exit"
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from dn_bodymap import __version__

        print(f"dn-bodymap {__version__}")
        parser.exit()


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser; with ``command`` (one of ``_COMMAND_HOMES``), only that one's."""
    import importlib

    parser = OneLineParser(
        prog="dn-bodymap",
        description="Trigger-point charting and teaching for dry-needling clinicians. "
        "With no sub-command, opens the application window.",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="record database (default: DN_BODYMAP_DB, else the user data folder)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="open the GUI on a database of fictitious patients"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if command in _COMMAND_HOMES:  # that command's parser alone: its module registers it by name
        importlib.import_module(_COMMAND_HOMES[command]).register(sub, only=command)
        return parser
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command family not built yet is absent, never fake
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every expected failure ends as one line on stderr and a non-zero exit
    (2 for bad input, 1 for a failure of the records or the file system)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_in(argv))
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        try:
            if handler is None:
                return _open_gui(args)
            code = int(handler(args) or 0)
            sys.stdout.flush()  # a closed pipe shows here, not as a traceback at exit
            return code
        except RecursionError as exc:  # e.g. absurdly nested JSON
            raise CliError("the input is nested too deeply to read") from exc
    except CliError as exc:
        return _fail(str(exc), exc.exit_code)
    except BrokenPipeError:
        # The reader (e.g. `head`) stopped reading: not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 141
    except KeyboardInterrupt:
        return 130
    except (RecordError, sqlite3.Error) as exc:
        return _fail(str(exc), 1)
    except OSError as exc:
        return _fail(_os_error(exc), 1)
    except (ValueError, OverflowError) as exc:
        return _fail(f"invalid input: {exc}", 2)


def _command_in(argv: Sequence[str]) -> str | None:
    """The sub-command named in ``argv`` after the global options; None when a global option asks
    for help or the version, or anything unusual comes first (then the full parser decides)."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif word.startswith("--db=") or word == "--demo":
            continue
        else:
            return None if word.startswith("-") else word
    return None


def _fail(message: str, code: int) -> int:
    print(f"dn-bodymap: {one_line(message)}", file=sys.stderr)
    return code or 1


def _os_error(exc: OSError) -> str:
    where = f" ({one_line(str(exc.filename), 120)})" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


def _open_gui(args: argparse.Namespace) -> int:
    try:
        from dn_bodymap.gui.app import run_app
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("dn_bodymap.gui"):
            raise CliError("the application window is not part of this build yet") from exc
        raise
    # Everything the window writes (settings with the clinician's name and last session, exports)
    # is for this user only: Qt creates its settings file 0644 otherwise.
    os.umask(0o077)
    return run_app(db=args.db, demo=args.demo)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
