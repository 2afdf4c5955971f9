"""The clinic server from the command line: ``server init --url URL`` and ``sync [--once]``.

``sync`` opens the record database like the app does (writer lock), so it runs when the app is
closed (the app syncs in the background itself: gui/sync_status.py). ``server password`` keeps a
role's password in the system keyring.
"""

from __future__ import annotations

import argparse
import sys
import time

from dn_bodymap.cli.common import CliError, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    server = subparsers.add_parser("server", help="prepare a clinic server (PostgreSQL)")
    server_sub = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    init = server_sub.add_parser("init", help="create or upgrade the clinic server's schema")
    init.add_argument("--url", metavar="URL", help="postgresql://user@host/dbname (no password)")
    init.add_argument(
        "--grant",
        metavar="ROLE",
        action="append",
        default=[],
        help="let this existing role sync with this database only (repeatable)",
    )
    init.add_argument("--json", action="store_true", help="print one JSON document")
    init.set_defaults(handler=_server_init)
    compact = server_sub.add_parser(
        "compact", help="drop changes superseded by a later one from the same workstation (owner only)"
    )
    compact.add_argument("--url", metavar="URL", help="postgresql://owner@host/dbname (no password)")
    compact.add_argument("--json", action="store_true", help="print one JSON document")
    compact.set_defaults(handler=_server_compact)
    password = server_sub.add_parser(
        "password", help="keep this role's server password in the system keyring (asked, never echoed)"
    )
    password.add_argument("--url", metavar="URL", help="the server and role it is for (no password)")
    password.add_argument("--forget", action="store_true", help="remove the kept password")
    password.set_defaults(handler=_server_password)

    sync = subparsers.add_parser("sync", help="exchange records with the clinic server")
    sync.add_argument(
        "--url",
        metavar="URL",
        help="the clinic server (default: DN_BODYMAP_SERVER_URL, else the URL remembered in the database)",
    )
    sync.add_argument("--once", action="store_true", help="one round, then exit")
    sync.add_argument(
        "--status", action="store_true", help="without connecting: how many changes wait to be sent"
    )
    sync.add_argument("--every", metavar="SECONDS", type=float, default=60.0, help="without --once: pause")
    sync.add_argument("--name", metavar="TEXT", help="this workstation's name on the server (default: host)")
    sync.add_argument("--remember", action="store_true", help="keep --url in the database's settings")
    sync.add_argument("--json", action="store_true", help="print one JSON document per round")
    sync.set_defaults(handler=_sync)


def _require_psycopg() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise CliError("the clinic server needs psycopg: pip install 'dn-bodymap[clinic]'", 1) from None


def _server_init(args: argparse.Namespace) -> int:
    _require_psycopg()
    import psycopg

    from dn_bodymap.sync import SyncError
    from dn_bodymap.sync.engine import connect
    from dn_bodymap.sync.server_schema import grant_clinician, init_server
    from dn_bodymap.sync.server_url import describe, resolve_url

    try:
        url = resolve_url(args.url, None)
        with connect(url) as conn:
            old, new = init_server(conn)
            for role in args.grant:
                grant_clinician(conn, role)
    except SyncError as exc:
        raise CliError(str(exc), 1) from None
    except psycopg.Error as exc:
        raise CliError(f"the clinic server refused: {exc}", 1) from None
    document = {"server": describe(url), "old_version": old, "version": new, "granted": args.grant}
    if args.json:
        print_json(document)
    elif old == new:
        print(f"The clinic server {document['server']} is already at schema {new}.")
    else:
        print(f"Prepared the clinic server {document['server']}: schema {old} → {new}.")
    if args.grant and not args.json:
        print(f"Granted syncing with it to: {', '.join(args.grant)}.")
    return 0


def _server_compact(args: argparse.Namespace) -> int:
    _require_psycopg()
    import psycopg

    from dn_bodymap.sync import SyncError
    from dn_bodymap.sync.engine import connect
    from dn_bodymap.sync.server_schema import compact_feed, require_current
    from dn_bodymap.sync.server_url import describe, resolve_url

    try:
        url = resolve_url(args.url, None)
        with connect(url) as conn:
            require_current(conn)
            removed = compact_feed(conn)
    except SyncError as exc:
        raise CliError(str(exc), 1) from None
    except psycopg.Error as exc:
        raise CliError(f"the clinic server refused: {' '.join(str(exc).split())}", 1) from None
    if args.json:
        print_json({"server": describe(url), "removed": removed})
    else:
        print(f"Compacted the clinic server {describe(url)}: {removed} superseded changes removed.")
    return 0


def _server_password(args: argparse.Namespace) -> int:
    """The password goes to the keyring only: typed at a prompt, so it is in no shell history."""
    _require_psycopg()
    import getpass

    from dn_bodymap.sync import SyncError
    from dn_bodymap.sync.credentials import account, forget_password, save_password
    from dn_bodymap.sync.server_url import resolve_url

    try:
        url = resolve_url(args.url, None)
        if args.forget:
            forget_password(url)
            print(f"Forgot the password for {account(url)}.")
            return 0
        secret = getpass.getpass(f"Password for {account(url)}: ")
        if not secret:
            raise CliError("no password given; nothing changed")
        save_password(url, secret)
    except SyncError as exc:
        raise CliError(str(exc), 1) from None
    print(f"Kept the password for {account(url)} in the system keyring.")
    return 0


def _sync(args: argparse.Namespace) -> int:
    _require_psycopg()
    from dn_bodymap.store import StoreError, open_store, resolve_db_path
    from dn_bodymap.sync import SyncError
    from dn_bodymap.sync.engine import sync_once
    from dn_bodymap.sync.server_url import SETTING_KEY, resolve_url

    if args.every <= 0:
        raise CliError("--every must be more than 0 seconds")
    try:
        if args.status:
            return _status(args)
        with open_store(resolve_db_path(getattr(args, "db", None))) as repo:
            url = resolve_url(args.url, repo.get_setting(SETTING_KEY))
            if args.remember:
                repo.set_setting(SETTING_KEY, url)
            while True:
                try:
                    report = sync_once(repo, url, name=args.name)
                except SyncError as exc:
                    if args.once:
                        raise
                    print(f"dn-bodymap: {exc}", file=sys.stderr)
                else:
                    if args.json:
                        print_json(report.to_document())
                    else:
                        print(report.summary())
                    sys.stdout.flush()
                if args.once:
                    return 0
                time.sleep(args.every)
    except (SyncError, StoreError) as exc:
        raise CliError(str(exc), 1) from None


def _status(args: argparse.Namespace) -> int:
    """Read-only, so it works while the application is open."""
    from dn_bodymap.store import open_read_only, resolve_db_path
    from dn_bodymap.sync.server_url import SETTING_KEY, describe

    with open_read_only(resolve_db_path(getattr(args, "db", None))) as repo:
        workstation, pushed, pulled = repo.sync_state()
        url = repo.get_setting(SETTING_KEY)
        document = {
            "workstation": workstation,
            "server": describe(url) if url else None,
            "waiting": repo.changes_waiting(),
            "pushed_audit_seq": pushed,
            "pulled_server_seq": pulled,
        }
    if args.json:
        print_json(document)
    elif document["waiting"]:
        print(f"{document['waiting']} changes waiting to be sent to the clinic server.")
    else:
        print("Nothing waiting: every change here has been sent." if workstation else "Never synced.")
    return 0
