"""The first schema (version 1), kept verbatim: migrations replay it on a new file and tests build
version-1 files from it to prove upgrades keep every record."""

SCHEMA_V1 = """
CREATE TABLE patients (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    record_number TEXT,
    date_of_birth TEXT,
    sex TEXT,
    height_cm REAL,
    weight_kg REAL,
    notes TEXT NOT NULL DEFAULT '',
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    clinician TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'signed')),
    consent TEXT,
    screening_answers TEXT NOT NULL DEFAULT '{}',
    screening_result TEXT,
    pain_pre INTEGER,
    pain_post INTEGER,
    patient_position TEXT,
    notes TEXT NOT NULL DEFAULT '',
    advice_given TEXT NOT NULL DEFAULT '',
    plan TEXT NOT NULL DEFAULT '',
    signed_by TEXT,
    signed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX sessions_by_patient ON sessions(patient_id, started_at);

CREATE TABLE marks (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    view TEXT NOT NULL,
    x REAL NOT NULL,
    y REAL NOT NULL,
    atlas_version TEXT NOT NULL,
    side TEXT NOT NULL,
    muscle_id TEXT,
    trigger_point_id TEXT,
    activity TEXT,
    tenderness INTEGER,
    referral_reproduced INTEGER NOT NULL DEFAULT 0,
    local_twitch_response INTEGER NOT NULL DEFAULT 0,
    needled INTEGER NOT NULL DEFAULT 0,
    needle_gauge_mm REAL,
    needle_length_mm REAL,
    depth_mm REAL,
    technique TEXT,
    passes INTEGER,
    duration_s REAL,
    patient_position TEXT,
    response TEXT,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX marks_by_session ON marks(session_id);

CREATE TABLE pain_areas (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    view TEXT NOT NULL,
    geometry TEXT NOT NULL,
    atlas_version TEXT NOT NULL,
    quality TEXT NOT NULL,
    intensity INTEGER,
    mark_id TEXT REFERENCES marks(id) ON DELETE CASCADE,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX pain_areas_by_session ON pain_areas(session_id);
CREATE INDEX pain_areas_by_mark ON pain_areas(mark_id);

CREATE TABLE hazard_acknowledgements (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    mark_id TEXT NOT NULL REFERENCES marks(id) ON DELETE CASCADE,
    hazard_ids TEXT NOT NULL,
    level TEXT NOT NULL,
    message_shown TEXT NOT NULL,
    acknowledged_by TEXT NOT NULL,
    acknowledged_at TEXT NOT NULL,
    technique_chosen TEXT,
    disclosed_text TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX acknowledgements_by_session ON hazard_acknowledgements(session_id);
CREATE INDEX acknowledgements_by_mark ON hazard_acknowledgements(mark_id);

CREATE TABLE adverse_events (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    severity TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    occurred_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX adverse_events_by_session ON adverse_events(session_id);

CREATE TABLE addenda (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    author TEXT NOT NULL,
    written_at TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX addenda_by_session ON addenda(session_id);

-- Holds ids and actions only, never personal data, so it survives erasure intact.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_entity ON audit_log(entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- A signed session is immutable; the repository checks first, these triggers are the backstop.
-- Deletes stay possible: erasing a patient on request removes signed sessions too.
CREATE TRIGGER sessions_signed_immutable BEFORE UPDATE ON sessions
WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, 'signed session is immutable'); END;
"""

# The same backstop for each child table of a session: no insert or update under a signed one.
_CHILD_TABLES = ("marks", "pain_areas", "hazard_acknowledgements")
SIGNED_CHILD_TRIGGERS = "\n".join(
    f"""
CREATE TRIGGER {table}_signed_insert BEFORE INSERT ON {table}
WHEN (SELECT status FROM sessions WHERE id = NEW.session_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'signed session is immutable'); END;
CREATE TRIGGER {table}_signed_update BEFORE UPDATE ON {table}
WHEN (SELECT status FROM sessions WHERE id = OLD.session_id) = 'signed'
  OR (SELECT status FROM sessions WHERE id = NEW.session_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'signed session is immutable'); END;
"""
    for table in _CHILD_TABLES
)
