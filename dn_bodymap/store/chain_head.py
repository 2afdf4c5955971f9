"""Opening checks the end of the audit chain, cheaply, and says so when it does not hold.

The full walk (``audit.verify_chain``) reads every entry and every record: right for ``db check`` and
the background check after the window shows (store/records_check.py), too slow for every start of a
clinic-sized store. The end is where tampering that hides something shows first: the newest
entries edited, deleted, or the whole chain recomputed with the public recipe. So each open reads:

- the last ``TAIL`` entries: numbered without gaps, each following the one before, each matching its
  keyed HMAC (key outside the file, store/audit_key.py); an unkeyed entry where this computer holds
  the key means the chain was rewritten without it;
- the records those entries cover: each row still matches its latest entry's content hash;
- the anchor kept outside the database: the heads of the newest backups made since the last
  restore must still be in the chain, unchanged (store/anchor.py);
- the triggers that keep signed sessions and the log append-only are all there.

A few dozen indexed reads and one small read per backup: milliseconds (docs/records.md).

What the clinician sees: the database opens as usual (a clinic must keep working, and new entries
keep being chained), the window shows one sentence naming the first problem and what to do, the
command line prints it on stderr, and a copy of the file as found is kept (an "incident" backup,
never thinned) so the evidence cannot rotate out of the backups.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sqlite3
from pathlib import Path
from typing import Protocol

from dn_bodymap.store import audit_key

log = logging.getLogger(__name__)

TAIL = 16
NEWEST_BACKUPS = 3
INCIDENT_REASON = "incident"  # not an automatic reason: kept until someone removes it


class _Executes(Protocol):
    def execute(self, sql: str, parameters: tuple = ..., /) -> sqlite3.Cursor: ...


def tail_problems(db: _Executes, entries: int = TAIL) -> list[str]:
    """Problems in the last ``entries`` audit entries and the records they cover."""
    from dn_bodymap.store import audit  # sqlite-utils comes with it: only where a store is open

    columns = audit._CONTENT_COLUMNS if audit.has_content_columns(db) else audit._COLUMNS  # type: ignore[arg-type]
    rows = db.execute(f"SELECT {columns} FROM audit_log ORDER BY seq DESC LIMIT ?", (entries + 1,)).fetchall()
    rows.reverse()
    if not rows:
        return []
    key = audit_key.load_key(create=False)
    problems: list[str] = []
    if len(rows) <= entries and rows[0][0] != 1:
        problems.append(f"the audit log starts at entry {rows[0][0]}, not 1")
    if rows[0][0] == 1 and rows[0][6] != audit.GENESIS_HASH:
        problems.append("audit entry 1 does not start the chain")
    seen_keyed = False
    latest: dict[tuple[str, str], str | None] = {}
    for i, row in enumerate(rows):
        seq, at, actor, action, kind, entity_id, prev_hash, digest = row[:8]
        content, keyed = (row[8], row[9]) if len(row) > 8 else (None, 0)
        if i and seq != rows[i - 1][0] + 1:
            problems.append(f"audit entry {rows[i - 1][0] + 1} is missing (next is {seq})")
        if i and prev_hash != rows[i - 1][7]:
            problems.append(f"audit entry {seq} does not follow the previous entry")
        fields = [seq, at, actor, action, kind, entity_id, content]
        if keyed and key is None:
            problems.append(
                f"the audit key ({audit_key.key_path()}) is not on this computer, so the newest "
                "entries cannot be verified; copy it from the computer that wrote the records"
            )
            break
        if keyed:
            seen_keyed = True
            if not hmac.compare_digest(audit.keyed_hash(key, prev_hash, fields), digest):  # type: ignore[arg-type]
                problems.append(f"audit entry {seq} was altered (its keyed hash does not match)")
        else:
            recipe = (
                hashlib.sha256((prev_hash + json.dumps(fields, ensure_ascii=False)).encode()).hexdigest()
                if content is not None
                else audit.entry_hash(prev_hash, seq, at, actor, action, kind, entity_id)
            )
            if recipe != digest:
                problems.append(f"audit entry {seq} was altered (hash mismatch)")
            elif content is not None and (seen_keyed or key is not None):
                # The app writes keyed entries whenever it has a key; a rewrite by hand does not.
                problems.append(f"audit entry {seq} was not written with this computer's audit key")
        latest[(kind, entity_id)] = content
    for (kind, entity_id), expected in latest.items():
        if expected is None:
            continue
        now = audit.content_hash(db, kind, entity_id)  # type: ignore[arg-type]
        if now is None:
            continue  # erased or cascaded away; a row removed by hand shows in the full check
        columns_hashed = int(expected.split(":", 1)[0])
        if now.split(":", 1)[0] != str(columns_hashed):
            cursor = db.execute(f"SELECT * FROM {audit._KIND_TABLES[kind]} WHERE id = ?", (entity_id,))
            row = cursor.fetchone()
            names = [d[0] for d in cursor.description]
            now = audit.row_hash(names, row, columns_hashed) if columns_hashed <= len(names) else ""
        if now != expected:
            problems.append(f"{kind} {entity_id} was changed outside dn-bodymap (content no longer matches)")
    problems += [f"trigger {name} was removed" for name in audit.missing_triggers(db)]  # type: ignore[arg-type]
    return problems


def anchored_backups(db_path: Path, db: _Executes | None = None, newest: int = NEWEST_BACKUPS) -> list[Path]:
    """The newest backups made since the last restore: a restore deliberately goes back to an
    older chain, so the copies from before it are no anchor for the chain after it. ``db``, the
    open connection, gives the backup folder setting without opening the file again."""
    from dn_bodymap.store.backup import backup_infos, backup_location

    location = backup_location(db_path, db) if db is not None else None  # type: ignore[arg-type]
    infos = backup_infos(db_path, location)
    restores = [b.made_at for b in infos if b.reason == "before-restore"]
    since = max(restores) if restores else None
    return [
        b.path
        for b in infos
        if b.reason not in ("before-restore", INCIDENT_REASON) and (since is None or b.made_at > since)
    ][:newest]


def anchor_problems(db: _Executes, db_path: Path) -> list[str]:
    from dn_bodymap.store.anchor import anchor_problems as backup_anchor_problems

    return backup_anchor_problems(db, db_path)  # type: ignore[arg-type]


def chain_end_problems(db: _Executes, db_path: Path) -> list[str]:
    try:
        return tail_problems(db) + anchor_problems(db, db_path)
    except sqlite3.DatabaseError as exc:
        return [f"the audit log cannot be read ({exc})"]


def warning_sentence(db_path: Path, problems: list[str], kept: Path | None = None) -> str:
    more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
    copy = f"; the file as found was copied to {kept}" if kept is not None else ""
    return (
        f"The audit trail of {db_path.name} does not check out ({problems[0]}{more}): records may have "
        "been changed outside dn-bodymap. You can keep working; run `dn-bodymap db check` and tell "
        f"whoever looks after the clinic's records{copy}."
    )


def check_at_open(db: _Executes, db_path: Path, *, keep_copy: bool) -> str | None:
    """The one-sentence warning when the chain's end does not hold (also logged, which the command
    line prints on stderr), else None. ``keep_copy``: a writer keeps the file as found first."""
    problems = chain_end_problems(db, db_path)
    if not problems:
        return None
    kept: Path | None = None
    if keep_copy:
        from dn_bodymap.store.backup import make_backup
        from dn_bodymap.store.errors import StoreError

        try:
            kept = make_backup(db_path, INCIDENT_REASON)
        except StoreError as exc:  # a warning must not stop the clinic from opening its records
            log.warning("could not keep a copy of %s as found: %s", db_path, exc)
    sentence = warning_sentence(db_path, problems, kept)
    log.warning("%s", sentence)
    return sentence
