"""Records that travel: ``session show``, ``session csv``, ``export-json`` and ``import-json``.

``session show`` and ``session csv`` read the database read-only (they work while the app is open);
``export-json`` takes the writer lock because the export is written to the audit log, and
``import-json`` parses and checks the whole file before it opens the database at all.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import Any

from dn_bodymap.charting.errors import RecordError
from dn_bodymap.charting.exchange import ExchangeError, PatientBundle, encode
from dn_bodymap.charting.exchange.marks_csv import marks_csv
from dn_bodymap.charting.summaries import SessionRecord
from dn_bodymap.charting.timestamps import utc_now
from dn_bodymap.cli.common import CliError, print_json
from dn_bodymap.store import open_read_only, open_store, resolve_db_path

_PRIVATE_FILE_MODE = 0o600  # an export holds health data: owner-only, like the database


def register(subparsers: argparse._SubParsersAction) -> None:
    session = subparsers.add_parser("session", help="show one session, or its marks as CSV")
    session_sub = session.add_subparsers(dest="session_command", metavar="ACTION", required=True)
    show = session_sub.add_parser("show", help="the whole session record")
    show.add_argument("session_id", metavar="ID", help="session id (see `dn-bodymap sessions`)")
    show.add_argument("--json", action="store_true", help="print one JSON document")
    show.set_defaults(handler=_session_show)
    csv = session_sub.add_parser("csv", help="the session's marks as CSV, one row per mark")
    csv.add_argument("session_id", metavar="ID", help="session id")
    csv.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    csv.add_argument("--force", action="store_true", help="replace FILE if it exists")
    csv.set_defaults(handler=_session_csv)

    export = subparsers.add_parser(
        "export-json", help="write a patient with all sessions in the documented exchange format"
    )
    export.add_argument("--patient", metavar="ID", required=True, help="patient id")
    export.add_argument("--out", metavar="FILE", required=True, help="the .json file to write")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.add_argument("--json", action="store_true", help="print a JSON summary")
    export.set_defaults(handler=_export_json)

    imp = subparsers.add_parser(
        "import-json", help="add a patient's records from an exchange file (all or nothing)"
    )
    imp.add_argument("file", metavar="FILE", help="a file written by export-json")
    imp.add_argument("--json", action="store_true", help="print a JSON summary")
    imp.set_defaults(handler=_import_json)


# -- session show / csv ------------------------------------------------------------------------
def _load_session(args: argparse.Namespace) -> tuple[SessionRecord, dict[str, Any]]:
    path = resolve_db_path(getattr(args, "db", None))
    try:
        with open_read_only(path) as repo:
            record = repo.load_session(args.session_id)
            patient = repo.get_patient(record.session.patient_id, include_deleted=True)
    except RecordError as exc:  # StoreError, NotFoundError
        raise CliError(str(exc)) from exc
    return record, encode.session_document(record, patient)


def _session_show(args: argparse.Namespace) -> int:
    _, document = _load_session(args)
    if args.json:
        print_json(document)
    else:
        _print_session(document)
    return 0


def _print_session(doc: dict[str, Any]) -> None:
    s, p = doc["session"], doc["patient"]
    print(f"Session {s['id']}  ({s['status']})")
    print(f"  patient    {p['display_name']}  [{p['record_number'] or 'no record number'}]  {p['id']}")
    print(f"  started    {s['started_at']}  by {s['clinician']}")
    if s["status"] == "signed":
        print(f"  signed     {s['signed_at']}  by {s['signed_by']}")
    print(f"  pain       before {_blank(s['pain_pre'])}, after {_blank(s['pain_post'])}")
    for key in ("marks", "pain_areas", "annotations", "acknowledgements", "adverse_events", "addenda"):
        print(f"  {key.replace('_', ' '):<17}{len(doc[key])}")
    for mark in doc["marks"]:
        name = mark["trigger_point_id"] or mark["muscle_id"] or "unlabelled"
        depth = "" if mark["depth_mm"] is None else f", depth {mark['depth_mm']:g} mm"
        needled = "needled" if mark["needled"] else "not needled"
        print(f"    - {name} ({mark['side']}, {mark['view']} {mark['x']:g}, {mark['y']:g}): {needled}{depth}")


def _blank(value: object) -> str:
    return "–" if value is None else str(value)


def _session_csv(args: argparse.Namespace) -> int:
    record, _ = _load_session(args)
    text = marks_csv(record.marks)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    # A byte-order mark so spreadsheet programs read the UTF-8 (accents in notes) correctly.
    _write_private(Path(args.out).expanduser(), "\ufeff" + text, force=args.force)
    print(f"wrote {len(record.marks)} marks to {args.out}")
    return 0


# -- export-json / import-json -----------------------------------------------------------------
def _export_json(args: argparse.Namespace) -> int:
    path = resolve_db_path(getattr(args, "db", None))
    out = Path(args.out).expanduser()
    if out.exists() and not args.force:
        raise CliError(f"{out} already exists; choose another name or add --force")
    if not path.is_file():
        raise CliError(f"there is no record database at {path}")
    try:
        from dn_bodymap import __version__

        with open_store(path) as repo:
            bundle = repo.export_patient_bundle(args.patient)
            document = encode.patient_document(bundle, exported_at=utc_now(), app_version=__version__)
            _write_private(out, encode.dumps(document), force=True)
            repo.record_export("patient", bundle.patient.record.id)
    except RecordError as exc:
        raise CliError(str(exc)) from exc
    summary = {"patient_id": bundle.patient.record.id, "sessions": len(bundle.sessions), "out": str(out)}
    if args.json:
        print_json({**summary, "records": bundle.record_count()})
    else:
        print(f"wrote {bundle.record_count()} records ({len(bundle.sessions)} sessions) to {out}")
    return 0


def _import_json(args: argparse.Namespace) -> int:
    bundle = _read_document(Path(args.file).expanduser())
    path = resolve_db_path(getattr(args, "db", None))
    try:
        with open_store(path) as repo:
            summary = repo.import_patient_bundle(bundle)
    except RecordError as exc:  # a conflict, a full disk, a locked database: nothing was written
        raise CliError(f"not imported: {exc}") from exc
    if args.json:
        print_json(summary.to_document())
    else:
        created = sum(summary.created.values())
        skipped = sum(summary.skipped.values())
        print(
            f"imported patient {summary.patient_id}: {created} records added, "
            f"{skipped} already present and identical"
        )
    return 0


def _read_document(file: Path) -> PatientBundle:
    """The whole file checked before the database is opened: a bad file touches nothing."""
    # Here, not at module level: decoding checks hazards (shapely), which listings never need.
    from dn_bodymap.charting.exchange.decode import MAX_DOCUMENT_CHARS, loads, parse_document

    try:
        if file.stat().st_size > MAX_DOCUMENT_CHARS * 4:  # UTF-8 takes at most 4 bytes a character
            raise CliError(f"not imported: {file} is too large to be an export")
        raw = file.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {file}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CliError(f"not imported: {file} is not UTF-8 text") from None
    try:
        return parse_document(loads(text))
    except ExchangeError as exc:
        raise CliError(f"not imported: {file.name}: {exc}") from exc


def _write_private(out: Path, text: str, *, force: bool) -> None:
    """Write beside the target, then rename: a reader never sees half a file."""
    if out.exists() and not force:
        raise CliError(f"{out} already exists; choose another name or add --force")
    if out.is_dir():
        raise CliError(f"{out} is a folder; give a file name")
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _PRIVATE_FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from exc
