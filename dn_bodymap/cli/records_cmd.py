"""Record-store sub-commands: ``patients``, ``sessions``, ``db check|backup|backups|restore``, ``demo``.

Listings open the database read-only and without the writer lock, so they work while the app is
open; ``db restore`` and ``demo`` take the lock like the app does.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dn_bodymap.cli.common import CliError, print_json
from dn_bodymap.store import StoreError, resolve_db_path
from dn_bodymap.store.paths import ENV_VAR

# The repository (and sqlite-utils) is imported by the commands that use it, not at registration:
# `patients` lists through store/read_only_listing.py on the standard library's sqlite3 alone.
if TYPE_CHECKING:
    from dn_bodymap.store.repository import SqliteRepository


def register(subparsers: argparse._SubParsersAction, only: str | None = None) -> None:
    """This module's commands; with ``only`` (one of them), that one alone: argparse's parsers cost
    ~1 ms each and ``db`` has seven, a fifth of a ``patients`` run (issue #14)."""
    for name, add in _COMMANDS.items():
        if only is None or only == name:
            add(subparsers)


def _register_patients(subparsers: argparse._SubParsersAction) -> None:
    patients = subparsers.add_parser("patients", help="list patients (id, name, record number)")
    patients.add_argument("--search", metavar="TEXT", default="", help="name or record number")
    patients.add_argument("--archived", action="store_true", help="include archived patients")
    patients.add_argument("--json", action="store_true", help="print one JSON document")
    _paging_arguments(patients, None)
    patients.set_defaults(handler=_patients)


def _register_sessions(subparsers: argparse._SubParsersAction) -> None:
    sessions = subparsers.add_parser("sessions", help="list sessions, newest first")
    sessions.add_argument("--patient", metavar="ID", help="only this patient's sessions")
    sessions.add_argument("--json", action="store_true", help="print one JSON document")
    _paging_arguments(sessions, SESSIONS_PAGE)
    sessions.set_defaults(handler=_sessions)


def _register_db(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="check, back up or restore the record database")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    from dn_bodymap.cli.db_crypto_cmd import register_db_actions

    register_db_actions(db_sub)  # db encrypt / db decrypt, and the passphrase prompt at a terminal
    check = db_sub.add_parser("check", help="integrity, foreign keys and audit chain; exit 1 if bad")
    check.add_argument("--json", action="store_true", help="print one JSON document")
    check.set_defaults(handler=_db_check)
    backup = db_sub.add_parser("backup", help="write a verified copy (safe while the app is open)")
    where = backup.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="PATH", help="where to write (default: backup folder)")
    where.add_argument("--to", metavar="DIR", help="write it into this folder (e.g. another disk)")
    backup.set_defaults(handler=_db_backup)
    backups = db_sub.add_parser("backups", help="list the backups, their location and retention")
    backups.add_argument("--location", metavar="DIR", help="from now on keep this database's backups in DIR")
    backups.add_argument("--json", action="store_true", help="print one JSON document")
    backups.set_defaults(handler=_db_backups)
    restore = db_sub.add_parser("restore", help="replace the database with a verified backup")
    restore.add_argument("backup", metavar="BACKUP", help="backup file to restore")
    restore.set_defaults(handler=_db_restore)


def _register_demo(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser("demo", help="fill an empty database with fictitious patients")
    # SUPPRESS: without it the sub-command's default would overwrite a global --db given earlier.
    demo.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="database to fill")
    demo.add_argument(
        "--patients",
        metavar="N",
        type=_positive_count,
        help="instead, a clinic-sized database: N patients, ~10 sessions each, ~10 marks a session",
    )
    demo.add_argument("--seed", metavar="N", type=int, help="with --patients: the random seed (default 14)")
    demo.set_defaults(handler=_demo)


_COMMANDS = {
    "patients": _register_patients,
    "sessions": _register_sessions,
    "db": _register_db,
    "demo": _register_demo,
}


# `dn-bodymap sessions` shows one page by default: a clinic's database holds ~100,000 sessions.
SESSIONS_PAGE = 100


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value


def _positive_count(text: str) -> int:
    value = _count(text)
    if value < 1:
        raise argparse.ArgumentTypeError("expected 1 or more")
    return value


def _paging_arguments(parser: argparse.ArgumentParser, default_limit: int | None) -> None:
    shown = "all" if default_limit is None else str(default_limit)
    parser.add_argument(
        "--limit", metavar="N", type=_count, default=default_limit, help=f"at most N rows (default: {shown})"
    )
    parser.add_argument("--offset", metavar="N", type=_count, default=0, help="skip the first N rows")


def _more_hint(args: argparse.Namespace, shown: int) -> None:
    """Says how to see the next page when a page came back full (text output only)."""
    if args.limit is not None and shown == args.limit and shown:
        print(f"(first {shown} from offset {args.offset}; next page: --offset {args.offset + shown})")


def _db_path(args: argparse.Namespace) -> Path:
    return resolve_db_path(getattr(args, "db", None))


def _listing_path(args: argparse.Namespace) -> Path | None:
    """None when the default database simply does not exist yet (nothing to list)."""
    path = _db_path(args)
    if not path.exists():
        if getattr(args, "db", None) is None and ENV_VAR not in _environ():
            return None
        raise CliError(f"there is no record database at {path}")
    return path


def _open_for_listing(args: argparse.Namespace) -> SqliteRepository | None:
    """None when the default database simply does not exist yet (nothing to list)."""
    from dn_bodymap.store import open_read_only

    path = _listing_path(args)
    if path is None:
        return None
    try:
        return open_read_only(path)
    except StoreError as exc:
        raise CliError(str(exc)) from exc


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)


def _patients(args: argparse.Namespace) -> int:
    from dn_bodymap.store.read_only_listing import list_patients

    path = _listing_path(args)
    rows: list[dict[str, Any]] = []
    if path is not None:
        try:
            rows = list_patients(
                path, args.search, include_archived=args.archived, limit=args.limit, offset=args.offset
            )
        except StoreError as exc:
            raise CliError(str(exc)) from exc
    if args.json:
        print_json(rows)
    else:
        _print_table(
            rows,
            [
                ("id", "ID"),
                ("name", "Name"),
                ("record_number", "Record no."),
                ("sessions", "Sessions"),
                ("last_session_at", "Last session"),
            ],
        )
        _more_hint(args, len(rows))
    return 0


def _sessions(args: argparse.Namespace) -> int:
    repo = _open_for_listing(args)
    rows: list[dict[str, Any]] = []
    if repo is not None:
        with repo:
            for summary in repo.list_sessions(args.patient, limit=args.limit, offset=args.offset):
                s = summary.session
                rows.append(
                    {
                        "id": s.id,
                        "patient_id": s.patient_id,
                        "started_at": s.started_at,
                        "status": s.status.value,
                        "marks": summary.mark_count,
                        "clinician": s.clinician,
                        "pain_pre": s.pain_pre,
                        "pain_post": s.pain_post,
                    }
                )
    if args.json:
        print_json(rows)
    else:
        _print_table(
            rows,
            [
                ("id", "ID"),
                ("patient_id", "Patient"),
                ("started_at", "Started"),
                ("status", "Status"),
                ("marks", "Marks"),
            ],
        )
        _more_hint(args, len(rows))
    return 0


def _print_table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> None:
    if not rows:
        print("(none)")
        return
    cells = [[("" if row[key] is None else str(row[key])) for key, _ in columns] for row in rows]
    widths = [max(len(title), *(len(line[i]) for line in cells)) for i, (_, title) in enumerate(columns)]
    print("  ".join(title.ljust(w) for (_, title), w in zip(columns, widths, strict=True)).rstrip())
    for line in cells:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())


def _db_check(args: argparse.Namespace) -> int:
    path = _db_path(args)
    if not path.is_file():
        raise CliError(f"there is no record database at {path}")
    from dn_bodymap.cli.db_crypto_cmd import unlock_for_command

    unlock_for_command(path)  # an encrypted database: its passphrase once, or one sentence
    from dn_bodymap.store.check_child import db_check_in_child

    problems = db_check_in_child(path)  # a big file in a child that maps it (store/check_child.py)
    if args.json:
        print_json({"path": str(path), "ok": not problems, "problems": problems})
    elif problems:
        print(f"{path}: {len(problems)} problem(s)")
        for problem in problems:
            print(f"  - {problem}")
    else:
        print(f"{path}: ok")
    return 1 if problems else 0


def _db_backup(args: argparse.Namespace) -> int:
    from dn_bodymap.store.backup import backup_name, copy_database

    path = _db_path(args)
    if not path.is_file():
        raise CliError(f"there is no record database at {path}")
    if args.out is not None and not args.out.strip():
        raise CliError("--out is empty; give the backup file's path")
    if args.to is not None:
        folder = _usable_folder(args.to, "--to")
        out = backup_name(path, "manual", folder)
    else:
        out = Path(args.out).expanduser() if args.out else backup_name(path, "manual")
    if args.out and not out.parent.is_dir():
        raise CliError(f"folder {out.parent} does not exist (or is a file); create it first")
    if out.exists():
        raise CliError(f"{out} already exists; choose another name")
    from dn_bodymap.store.connection import connect, inspect

    try:
        db = connect(path, read_only=True)
        try:
            inspect(db, path, check=False)
            copy_database(db.conn, out)
        finally:
            db.close()
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    print(out)
    return 0


def _usable_folder(value: str, option: str) -> Path:
    if not value.strip():
        raise CliError(f"{option} is empty; give a folder")
    try:
        folder = Path(value).expanduser().absolute()
        if folder.exists() and not folder.is_dir():
            raise CliError(f"{folder} is a file, not a folder; choose a folder")
        if not folder.is_dir():
            raise CliError(f"folder {folder} does not exist; create it first")
        writable = os.access(folder, os.W_OK)
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte
        raise CliError(f"{option}: cannot use that folder ({exc})") from exc
    if not writable:
        raise CliError(f"dn-bodymap may not write in {folder}; choose a folder you can write to")
    return folder


def _db_backups(args: argparse.Namespace) -> int:
    from dn_bodymap.store import open_store
    from dn_bodymap.store.backup import LOCATION_SETTING, backup_infos, backup_location
    from dn_bodymap.store.backup_policy import DEFAULT_POLICY, erasure_sentence

    path = _db_path(args)
    if not path.is_file():
        raise CliError(f"there is no record database at {path}")
    if args.location is not None:
        folder = _usable_folder(args.location, "--location")
        try:
            with open_store(path, backups=False) as repo:
                if repo.read_only:
                    raise CliError(repo.read_only_reason or f"{path} is read-only")
                repo.set_setting(LOCATION_SETTING, str(folder))
        except StoreError as exc:
            raise CliError(str(exc)) from exc
    location = backup_location(path)
    found = backup_infos(path, location)
    policy = DEFAULT_POLICY
    if args.json:
        print_json(
            {
                "path": str(path),
                "location": str(location),
                "policy": {
                    "last": policy.last,
                    "daily": policy.daily,
                    "weekly": policy.weekly,
                    "monthly": policy.monthly,
                    "budget_factor": policy.budget_factor,
                },
                "erased_patient_leaves_backups": erasure_sentence(policy),
                "backups": [
                    {
                        "path": str(b.path),
                        "made_at": b.made_at.isoformat(),
                        "reason": b.reason,
                        "size": b.size,
                        "automatic": b.automatic,
                        "compressed": b.compressed,
                    }
                    for b in found
                ],
            }
        )
        return 0
    print(f"backups of {path} go to {location}")
    for b in found:
        kind = ("thinned by the tiers" if b.automatic else "kept until removed") + (
            ", compressed" if b.compressed else ""
        )
        print(f"  {b.made_at.astimezone():%Y-%m-%d %H:%M}  {b.size:>12,} B  {b.reason:<14} {kind}  {b.path}")
    if not found:
        print("  (none yet)")
    print(erasure_sentence(policy))
    return 0


def _db_restore(args: argparse.Namespace) -> int:
    from dn_bodymap.store.restore import restore_backup

    path = _db_path(args)
    try:
        kept = restore_backup(path, Path(args.backup).expanduser())
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    print(f"restored {path} from {args.backup}")
    if kept is not None:
        print(f"the previous database was kept as {kept}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from dn_bodymap.store import open_store
    from dn_bodymap.store.demo import fill_demo

    if args.seed is not None and args.patients is None:
        raise CliError("--seed goes with --patients")
    path = _db_path(args)
    try:
        with open_store(path, actor="demo") as repo:
            if repo.search_patients(include_archived=True, limit=1):
                raise CliError(f"{path} already holds patients; demo data goes into an empty one")
            if args.patients is not None:
                from dn_bodymap.store.demo_clinic import DEFAULT_SEED, fill_clinic

                seed = DEFAULT_SEED if args.seed is None else args.seed
                counts = fill_clinic(repo, args.patients, seed=seed)
            else:
                counts = fill_demo(repo)
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    print(
        f"wrote {counts['patients']} demo patients, {counts['sessions']} sessions and "
        f"{counts['marks']} marks to {path}"
    )
    return 0
