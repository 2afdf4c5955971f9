"""Opening checks the audit chain's end (issue #13): tampering with the newest entries, deleting
them, or recomputing the chain with the public recipe is said at open, in one sentence, by the
repository (the window shows it) and on stderr by the command line. Each test fails without the
check: before it, opening said nothing."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from audit_fixtures import private_key_fixture  # noqa: F401  (autouse: a private audit key per test)
from store_builders import make_area, make_mark, make_patient

from dn_bodymap.charting.records import Addendum, AdverseEvent, Session
from dn_bodymap.store import open_read_only, open_store
from dn_bodymap.store.backup import backups_of
from dn_bodymap.store.chain_head import TAIL, chain_end_problems
from dn_bodymap.store.restore import restore_backup

APPEND_ONLY = (
    "CREATE TRIGGER {name} BEFORE {what} ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
)


@pytest.fixture
def chart(tmp_path: Path) -> dict:
    path = tmp_path / "clinic" / "records.db"
    with open_store(path, actor="Dr Test", backups=False) as repo:
        patient = repo.add_patient(make_patient())
        session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
        repo.add_mark(make_mark(session))
        repo.add_pain_area(make_area(session))
        repo.sign_session(session.id, "Dr Test")
        addendum = repo.add_addendum(Addendum(session_id=session.id, author="Dr Test", text="Later note."))
        event = repo.add_adverse_event(AdverseEvent(session_id=session.id, type="syncope", severity="mild"))
        assert repo.integrity_warning is None
        head = repo.list_audit(limit=1)[0].seq
    return {"path": path, "patient": patient, "addendum": addendum, "event": event, "head": head}


def tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def warning_at_open(path: Path) -> str | None:
    with open_store(path, backups=False) as repo:
        return repo.integrity_warning


def test_a_sound_store_opens_without_a_warning(chart: dict) -> None:
    assert warning_at_open(chart["path"]) is None
    with open_read_only(chart["path"]) as repo:
        assert repo.integrity_warning is None


def test_editing_the_last_entry_is_said_at_open(chart: dict) -> None:
    tamper(
        chart["path"],
        "DROP TRIGGER audit_log_no_update",
        f"UPDATE audit_log SET actor = 'Dr Impostor' WHERE seq = {chart['head']}",
        APPEND_ONLY.format(name="audit_log_no_update", what="UPDATE"),
    )
    warning = warning_at_open(chart["path"])
    assert warning is not None
    assert f"audit entry {chart['head']} was altered" in warning
    assert warning.startswith("The audit trail of records.db does not check out")
    assert "\n" not in warning  # one sentence for the status bar


def test_editing_a_record_the_last_entries_cover_is_named(chart: dict) -> None:
    tamper(
        chart["path"],
        "DROP TRIGGER adverse_events_signed_update",
        "UPDATE adverse_events SET type = 'nothing happened'",
    )
    warning = warning_at_open(chart["path"])
    assert warning is not None and f"adverse_event {chart['event'].id} was changed" in warning
    assert "trigger adverse_events_signed_update was removed" in " ".join(
        chain_end_problems(sqlite3.connect(chart["path"]), chart["path"])
    )


def test_deleting_the_last_entries_is_said_at_open_against_the_backups(chart: dict) -> None:
    with open_store(chart["path"], backups=False) as repo:
        repo.backup_now()  # as the app does after a change (in the background, and at exit)
    tamper(
        chart["path"],
        "DROP TRIGGER audit_log_no_delete",
        "DROP TRIGGER addenda_signed_delete",
        "DROP TRIGGER adverse_events_signed_delete",
        f"DELETE FROM audit_log WHERE seq >= {chart['head'] - 1}",
        f"DELETE FROM adverse_events WHERE id = '{chart['event'].id}'",
        f"DELETE FROM addenda WHERE id = '{chart['addendum'].id}'",
        APPEND_ONLY.format(name="audit_log_no_delete", what="DELETE"),
        # the other triggers put back too, so only the anchor can tell
        "CREATE TRIGGER addenda_signed_delete BEFORE DELETE ON addenda BEGIN SELECT 1; END",
        "CREATE TRIGGER adverse_events_signed_delete BEFORE DELETE ON adverse_events BEGIN SELECT 1; END",
    )
    warning = warning_at_open(chart["path"])
    assert warning is not None and f"audit entry {chart['head']}, present in backup" in warning


def test_recomputing_the_chain_with_the_public_recipe_is_said_at_open(chart: dict) -> None:
    path = chart["path"]
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT seq, at, actor, action, entity_kind, entity_id, content_hash FROM audit_log ORDER BY seq"
    ).fetchall()
    conn.close()
    for keyed in (0, 1):  # marked unkeyed (the public recipe verifies) or passed off as keyed
        forged, prev = [], "0" * 64
        for seq, at, _actor, action, kind, entity_id, content in rows:
            fields = [seq, at, "Dr Impostor", action, kind, entity_id, content]
            digest = hashlib.sha256((prev + json.dumps(fields, ensure_ascii=False)).encode()).hexdigest()
            forged.append((seq, at, "Dr Impostor", action, kind, entity_id, prev, digest, content, keyed))
            prev = digest
        tamper(path, "DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log")
        conn = sqlite3.connect(path)
        conn.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", forged)
        conn.execute(APPEND_ONLY.format(name="audit_log_no_delete", what="DELETE"))
        conn.commit()
        conn.close()
        warning = warning_at_open(path)
        expected = "keyed hash does not match" if keyed else "not written with this computer's audit key"
        assert warning is not None and expected in warning


def test_the_writer_keeps_the_file_as_found_and_still_opens_for_work(chart: dict) -> None:
    tamper(
        chart["path"],
        "DROP TRIGGER audit_log_no_update",
        f"UPDATE audit_log SET entity_id = 'x' WHERE seq = {chart['head']}",
        APPEND_ONLY.format(name="audit_log_no_update", what="UPDATE"),
    )
    with open_store(chart["path"]) as repo:
        assert repo.integrity_warning is not None and not repo.read_only
        kept = [b for b in backups_of(chart["path"]) if b.name.endswith("-incident.db")]
        assert len(kept) == 1 and str(kept[0]) in repo.integrity_warning
        repo.add_patient(make_patient("Next Patient"))  # the clinic keeps working
    with open_store(chart["path"]) as repo:  # and the warning stays
        assert repo.integrity_warning is not None


def test_a_restore_is_no_false_alarm(chart: dict) -> None:
    with open_store(chart["path"], backups=False) as repo:
        older = repo.backup_now()
        repo.add_patient(make_patient("Added After The Backup"))
        repo.backup_now()  # its head is not in the restored chain: a deliberate step back
    restore_backup(chart["path"], older)
    assert warning_at_open(chart["path"]) is None


def test_only_the_end_is_read(chart: dict) -> None:
    """An entry older than the tail is the full check's business, not the open's (that is why
    opening stays cheap); the background check finds it."""
    with open_store(chart["path"], backups=False) as repo:
        for i in range(TAIL + 2):
            repo.add_patient(make_patient(f"Patient {i}"))
    tamper(
        chart["path"],
        "DROP TRIGGER audit_log_no_update",
        "UPDATE audit_log SET actor = 'Dr Impostor' WHERE seq = 2",
        APPEND_ONLY.format(name="audit_log_no_update", what="UPDATE"),
    )
    assert warning_at_open(chart["path"]) is None
    from dn_bodymap.store.records_check import full_check

    assert any("audit entry 2 was altered" in p for p in full_check(chart["path"]))


def test_the_command_line_prints_the_sentence(chart: dict) -> None:
    tamper(
        chart["path"],
        "DROP TRIGGER audit_log_no_update",
        f"UPDATE audit_log SET actor = 'Dr Impostor' WHERE seq = {chart['head']}",
        APPEND_ONLY.format(name="audit_log_no_update", what="UPDATE"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "dn_bodymap.cli", "--db", str(chart["path"]), "sessions", "--json"],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=False,
    )
    assert done.returncode == 0  # the listing still works
    assert json.loads(done.stdout)  # stdout stays one JSON document
    assert "does not check out" in done.stderr and "Traceback" not in done.stderr
