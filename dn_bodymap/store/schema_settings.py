"""The schema step that gives each database its own settings and the clinical record its authors.

- ``settings``: values that belong to one database rather than to the computer's user (the
  clinician profile, the clinic's name), so a demo file and a clinic file never share them.
- ``sessions.voided_at`` / ``void_reason``: a draft started by mistake is voided with a reason,
  hidden from lists and charts, and never erased.
- ``adverse_events.recorded_by`` / ``recorded_at``: who recorded an event and when; an event
  reported after signing is a dated entry that does not reopen the note.

Kept verbatim: migrations replay it on a new file.
"""

SETTINGS_SCHEMA = """
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
ALTER TABLE sessions ADD COLUMN voided_at TEXT;
ALTER TABLE sessions ADD COLUMN void_reason TEXT;
ALTER TABLE adverse_events ADD COLUMN recorded_by TEXT;
ALTER TABLE adverse_events ADD COLUMN recorded_at TEXT;
"""
