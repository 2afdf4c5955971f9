"""The full check of a record store, run off the UI thread after the window shows (issue #13).

Opening runs only the checks that cost milliseconds (``quick_check``, the schema, the audit chain's
end: store/chain_head.py). Damage they cannot see (a torn page deep in the file, an index that no
longer matches its table, a record or audit entry edited long ago) is found here: SQLite's full
``integrity_check`` and ``foreign_key_check``, the whole keyed audit chain with every record's
content, and the anchor in the backups. It reads through its own read-only connection in one read
transaction, so it sees one consistent state while the app keeps writing, and changes nothing.
Safe to call from any thread; the GUI runs it in a child process (``run_full_check_in_child``,
waited for by a worker thread) and shows what it finds in one sentence.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dn_bodymap.store.errors import StoreError


@dataclass(frozen=True)
class CheckResult:
    problems: tuple[str, ...]
    records: int  # rows of clinical records read
    entries: int  # audit entries walked

    @property
    def ok(self) -> bool:
        return not self.problems

    def sentence(self) -> str:
        """What the status bar says: one sentence either way."""
        if self.ok:
            return f"Records checked: {self.records} records and {self.entries} audit entries are intact."
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return (
            f"The background check of the records found a problem: {self.problems[0]}{more}. "
            "Run `dn-bodymap db check` and tell whoever looks after the clinic's records."
        )


def full_check(path: Path) -> list[str]:
    """Every problem found; empty when the file, its audit chain and its anchor are sound."""
    return list(run_full_check(path).problems)


def run_full_check_in_child(path: Path) -> CheckResult:
    """``run_full_check`` in a child process (store/check_child.py), so the caller's process (the
    app's window) never waits for the GIL while the walk runs; in-process when no child can run."""
    from dn_bodymap.store import check_child

    try:
        passphrase = check_child.passphrase_of(path)
    except (StoreError, sqlite3.DatabaseError, OSError):
        passphrase = None  # the in-process check words what is wrong with the file
    child = check_child.start("full", path, passphrase)
    answer = child.result() if child is not None else None
    if answer is None:
        return run_full_check(path)
    return CheckResult(
        tuple(str(p) for p in answer["problems"]), int(answer["records"]), int(answer["entries"])
    )


def run_full_check(path: Path, *, split: bool = True, mapped: bool = False) -> CheckResult:
    """The check in this process; ``split`` lets a big file's record-content walk use a child;
    ``mapped`` (a child process only: store/check_child.py says why) maps the file."""
    from dn_bodymap.store import audit, chain_head, check_child
    from dn_bodymap.store.repository import open_read_only

    try:
        repo = open_read_only(path, check=False)
    except StoreError as exc:
        return CheckResult((str(exc),), 0, 0)
    try:
        db = repo.db
        if mapped:
            check_child.map_pages(db)
        db.execute("BEGIN")  # one snapshot: the app may write meanwhile
        try:
            problems = [str(r[0]) for r in db.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
            problems += [
                f"{table} row {rowid} points at a missing {parent} record"
                for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check").fetchall()
            ]
            if not problems:  # the chain is only worth walking in a sound file
                walked = check_child.verify_chain_split(db, path) if split else audit.verify_chain(db)
                problems += [f"audit log: {p}" for p in walked]
                problems += [f"audit log: {p}" for p in chain_head.anchor_problems(db, path)]
            records = sum(
                db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in audit._KIND_TABLES.values()
            )
            entries = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        finally:
            db.execute("ROLLBACK")
    except sqlite3.DatabaseError as exc:
        return CheckResult((f"the file cannot be read to the end ({exc})",), 0, 0)
    except StoreError as exc:
        return CheckResult((str(exc),), 0, 0)
    finally:
        repo.close()
    return CheckResult(tuple(problems), records, entries)
