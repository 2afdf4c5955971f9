"""The file state the kill test compares, shared by the child (which reports what it changed) and
the parent (which reads the file): one flat mapping ``"<table>/<id>" -> [fields]`` plus the number
of audit entries. Plain sqlite3 only, so the child stays light.

Every public write of the repository changes at least one of these fields or the audit count, so
an acknowledged action missing from the file, or one in the file that was never acknowledged, shows
as a difference.
"""

from __future__ import annotations

import sqlite3
from typing import Any

STATE_SQL = {
    "patients": "SELECT id, display_name, archived, deleted_at IS NOT NULL FROM patients",
    "sessions": (
        "SELECT id, patient_id, status, signed_by, notes, voided_at IS NOT NULL, deleted_at IS NOT NULL"
        " FROM sessions"
    ),
    "marks": "SELECT id, session_id, passes, notes, deleted_at IS NOT NULL FROM marks",
    "acks": "SELECT id, session_id, mark_id FROM hazard_acknowledgements",
    "areas": "SELECT id, session_id, intensity, deleted_at IS NOT NULL FROM pain_areas",
    "notes": "SELECT id, session_id, text, deleted_at IS NOT NULL FROM annotations",
    "addenda": "SELECT id, session_id, text FROM addenda",
    "events": "SELECT id, session_id, type FROM adverse_events",
    "settings": "SELECT key, value FROM settings WHERE key LIKE 'kill.%'",
}
AUDIT = "audit"  # the state key holding the number of audit entries

State = dict[str, Any]


def read_state(conn: sqlite3.Connection) -> State:
    state: State = {}
    for table, sql in STATE_SQL.items():
        for row in conn.execute(sql):
            state[f"{table}/{row[0]}"] = list(row[1:])
    state[AUDIT] = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    return state


def apply(state: State, effect: dict[str, Any]) -> State:
    """The state after an action whose effect is ``{"set": {key: fields}, "drop": [keys], "audit": n}``."""
    after = dict(state)
    for key in effect.get("drop", ()):
        after.pop(key, None)
    after.update(effect.get("set", {}))
    after[AUDIT] = after.get(AUDIT, 0) + effect.get("audit", 0)
    return after


def differences(found: State, expected: State, limit: int = 5) -> list[str]:
    """Readable differences, each naming the record (or the audit count)."""
    out = []
    for key in sorted(found.keys() | expected.keys()):
        if found.get(key) != expected.get(key):
            out.append(f"{key}: file has {found.get(key)!r}, acknowledged {expected.get(key)!r}")
    return out[:limit]
