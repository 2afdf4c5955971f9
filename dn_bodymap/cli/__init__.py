"""The `dn-bodymap` command: opens the GUI with no sub-command, else runs one headless task.

Each sub-command lives in its own module with a ``register(subparsers)`` function; this module only
wires them together and turns expected failures into a one-line message and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dn_bodymap import __version__
from dn_bodymap.cli.common import CliError

_COMMAND_MODULES = (
    "dn_bodymap.cli.atlas_cmd",
    "dn_bodymap.cli.safety_cmd",
    "dn_bodymap.cli.referral_cmd",
    "dn_bodymap.cli.records_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="dn-bodymap",
        description="Trigger-point charting and teaching for dry-needling clinicians. "
        "With no sub-command, opens the application window.",
    )
    parser.add_argument("--version", action="version", version=f"dn-bodymap {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="record database (default: DN_BODYMAP_DB, else the user data folder)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="open the GUI on a database of fictitious patients"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
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
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            return _open_gui(args)
        return int(handler(args) or 0)
    except CliError as exc:
        print(f"dn-bodymap: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def _open_gui(args: argparse.Namespace) -> int:
    try:
        from dn_bodymap.gui.app import run_app
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("dn_bodymap.gui"):
            raise CliError("the application window is not part of this build yet") from exc
        raise
    return run_app(db=args.db, demo=args.demo)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
