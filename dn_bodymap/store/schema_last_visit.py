"""Each patient's last visit and number of sessions, kept by triggers, so the "recent" patient list
reads an index instead of every session (issue #14: 93 ms → under 5 ms at 10,000 patients).

A side table rather than a column of ``patients``: the patient row stays what the user wrote (its
audit entry hashes it), and the triggers here never touch a record table. Every patient has a row;
``last_session_at`` is the newest ``started_at`` of its live sessions (NULL when there is none) and
``session_count`` their number: the same values the list computed before. Kept verbatim:
migrations replay it on a new file.
"""

_LIVE = "FROM sessions WHERE patient_id = {who} AND deleted_at IS NULL"
_RECOMPUTE = f"""
  UPDATE patient_last_visit SET
    last_session_at = (SELECT max(started_at) {_LIVE}),
    session_count = (SELECT count(*) {_LIVE})
  WHERE patient_id = {{who}};"""

LAST_VISIT_SCHEMA = f"""
CREATE TABLE patient_last_visit (
    patient_id TEXT PRIMARY KEY REFERENCES patients(id) ON DELETE CASCADE,
    last_session_at TEXT,
    session_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX patient_last_visit_by_time ON patient_last_visit(last_session_at);
INSERT INTO patient_last_visit (patient_id, last_session_at, session_count)
  SELECT p.id,
    (SELECT max(started_at) FROM sessions s WHERE s.patient_id = p.id AND s.deleted_at IS NULL),
    (SELECT count(*) FROM sessions s WHERE s.patient_id = p.id AND s.deleted_at IS NULL)
  FROM patients p;

CREATE TRIGGER patient_last_visit_new_patient AFTER INSERT ON patients
BEGIN INSERT INTO patient_last_visit (patient_id) VALUES (NEW.id); END;
CREATE TRIGGER patient_last_visit_session_insert AFTER INSERT ON sessions
BEGIN {_RECOMPUTE.format(who="NEW.patient_id")} END;
CREATE TRIGGER patient_last_visit_session_update
AFTER UPDATE OF patient_id, started_at, deleted_at ON sessions
BEGIN {_RECOMPUTE.format(who="OLD.patient_id")} {_RECOMPUTE.format(who="NEW.patient_id")} END;
CREATE TRIGGER patient_last_visit_session_delete AFTER DELETE ON sessions
BEGIN {_RECOMPUTE.format(who="OLD.patient_id")} END;
"""
