"""Tamper evidence (issue #13): audit entries carry the content of what they record, and every
table of a signed session refuses change.

``content_hash`` is ``<columns>:<sha256>`` of the row as written (its first ``columns`` columns, so
a column added by a later migration does not unsettle older entries); ``keyed`` marks entries
whose hash is an HMAC with the key kept outside the file (store/audit_key.py).

Addenda and adverse events may still be *added* to a signed session; nothing under a signed
session may be updated or deleted, except by erasing the patient, which writes its "erase" audit
entry first (the triggers look for it).
"""

from __future__ import annotations

_ERASING = (
    "EXISTS (SELECT 1 FROM audit_log WHERE action = 'erase' AND entity_id = "
    "(SELECT patient_id FROM sessions WHERE id = OLD.session_id))"
)
_SIGNED_OLD = "(SELECT status FROM sessions WHERE id = OLD.session_id) = 'signed'"
_CHILDREN = ("marks", "pain_areas", "hazard_acknowledgements", "annotations", "addenda", "adverse_events")

AUDIT_CONTENT_SCHEMA = (
    """
ALTER TABLE audit_log ADD COLUMN content_hash TEXT;
ALTER TABLE audit_log ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS audit_by_action ON audit_log(action, entity_id);

CREATE TRIGGER sessions_signed_no_delete BEFORE DELETE ON sessions
WHEN OLD.status = 'signed' AND NOT EXISTS
  (SELECT 1 FROM audit_log WHERE action = 'erase' AND entity_id = OLD.patient_id)
BEGIN SELECT RAISE(ABORT, 'signed session is immutable'); END;
"""
    + "\n".join(
        f"""
CREATE TRIGGER {table}_signed_delete BEFORE DELETE ON {table}
WHEN {_SIGNED_OLD} AND NOT {_ERASING}
BEGIN SELECT RAISE(ABORT, 'signed session is immutable'); END;
"""
        for table in _CHILDREN
    )
    + "\n".join(
        f"""
CREATE TRIGGER {table}_signed_update BEFORE UPDATE ON {table}
WHEN {_SIGNED_OLD} OR (SELECT status FROM sessions WHERE id = NEW.session_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'signed session is immutable'); END;
"""
        for table in ("addenda", "adverse_events")
    )
)
