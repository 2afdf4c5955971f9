"""Schema version 3: arrows and text notes on the body map (``annotations``), kept verbatim.

Like marks and pain areas, an annotation belongs to one session, is soft-deleted (undo restores
the same row) and is frozen once the session is signed; the triggers are the backstop behind the
repository's own check. ``mark_id`` and ``pain_area_id`` cascade like ``pain_areas.mark_id``: rows
are only ever hard-deleted by erasing a patient, and a SET NULL there would be an UPDATE that the
signed-session trigger refuses.
"""

ANNOTATIONS_V3 = """
CREATE TABLE annotations (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    view TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('arrow', 'note')),
    points TEXT NOT NULL,
    atlas_version TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    mark_id TEXT REFERENCES marks(id) ON DELETE CASCADE,
    pain_area_id TEXT REFERENCES pain_areas(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX annotations_by_session ON annotations(session_id);
CREATE INDEX annotations_by_mark ON annotations(mark_id);
CREATE INDEX annotations_by_pain_area ON annotations(pain_area_id);

-- The same backstop as schema_v1.SIGNED_CHILD_TRIGGERS, for the new child table.
CREATE TRIGGER annotations_signed_insert BEFORE INSERT ON annotations
WHEN (SELECT status FROM sessions WHERE id = NEW.session_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'signed session is immutable'); END;
CREATE TRIGGER annotations_signed_update BEFORE UPDATE ON annotations
WHEN (SELECT status FROM sessions WHERE id = OLD.session_id) = 'signed'
  OR (SELECT status FROM sessions WHERE id = NEW.session_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'signed session is immutable'); END;
"""
