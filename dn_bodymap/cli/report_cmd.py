"""``export-pdf``: the session report as a PDF, optionally with the patient handout and consent form;
``history-pdf``: a patient's treatment history (pain trend and one block per session).

The export is written in the audit log (``record_export``), so the database is opened for writing
(with the writer lock, like the app); close the app or export from its File menu instead.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dn_bodymap.cli.common import CliError, print_json
from dn_bodymap.store import StoreError, open_store, resolve_db_path


def register(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser("export-pdf", help="write a session report as PDF (audited)")
    cmd.add_argument("--session", metavar="ID", required=True, help="the session to report")
    cmd.add_argument("--out", metavar="FILE", required=True, help="PDF file to write")
    cmd.add_argument("--handout", action="store_true", help="add the patient's after-care handout")
    cmd.add_argument("--consent", action="store_true", help="add a printable consent form")
    cmd.add_argument("--clinic", metavar="NAME", help="clinic name in the page header (default: settings)")
    cmd.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="record database")
    cmd.add_argument("--json", action="store_true", help="print one JSON document")
    cmd.set_defaults(handler=_export_pdf)

    hist = subparsers.add_parser("history-pdf", help="write a patient's treatment history as PDF (audited)")
    hist.add_argument("--patient", metavar="ID", required=True, help="the patient")
    hist.add_argument("--out", metavar="FILE", required=True, help="PDF file to write")
    hist.add_argument("--clinic", metavar="NAME", help="clinic name in the page header (default: settings)")
    hist.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="record database")
    hist.add_argument("--json", action="store_true", help="print one JSON document")
    hist.set_defaults(handler=_history_pdf)


def _checked_paths(args: argparse.Namespace) -> tuple[Path, Path]:
    """(database, output file) after the checks that need no database: a bad name changes nothing."""
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".pdf":
        raise CliError(f"cannot write {out.name}: use a .pdf file name")
    if not out.parent.is_dir():
        raise CliError(f"there is no folder {out.parent}")
    path = resolve_db_path(getattr(args, "db", None))
    if not path.is_file():
        raise CliError(f"there is no record database at {path}")
    return path, out


def _report(args: argparse.Namespace, out: Path, key: str, value: str, pages: int, size: int) -> None:
    if args.json:
        print_json({key: value, "out": str(out), "pages": pages, "bytes": size})
    else:
        print(f"wrote {out} ({pages} page{'s' if pages != 1 else ''})")


def _export_pdf(args: argparse.Namespace) -> int:
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.charting.errors import RecordError
    from dn_bodymap.report import export_session_pdf

    path, out = _checked_paths(args)
    try:
        with open_store(path, backups=False) as repo:
            result = export_session_pdf(
                repo,
                default_atlas(),
                args.session,
                out,
                clinic=args.clinic,
                handout=args.handout,
                consent=args.consent,
            )
    except (StoreError, RecordError, OSError) as exc:
        raise CliError(str(exc)) from exc
    _report(args, out, "session", args.session, result.pages, result.bytes)
    return 0


def _history_pdf(args: argparse.Namespace) -> int:
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.charting.errors import RecordError
    from dn_bodymap.report import export_history_pdf

    path, out = _checked_paths(args)
    try:
        with open_store(path, backups=False) as repo:
            result = export_history_pdf(repo, default_atlas(), args.patient, out, clinic=args.clinic)
    except (StoreError, RecordError, OSError) as exc:
        raise CliError(str(exc)) from exc
    _report(args, out, "patient", args.patient, result.pages, result.bytes)
    return 0
