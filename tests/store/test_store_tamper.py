"""Tamper evidence (issue #13): the audit chain covers each record's content, is keyed with a key
kept outside the file, and every table of a signed session refuses change."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
from pathlib import Path

import pytest
from audit_fixtures import private_key_fixture  # noqa: F401  (autouse: a private audit key per test)
from store_builders import make_ack, make_area, make_mark, make_patient

from dn_bodymap.charting.records import Addendum, AdverseEvent, Session
from dn_bodymap.charting.validation import ValidationError
from dn_bodymap.cli import main
from dn_bodymap.store import StoreError, audit_key, open_read_only, open_store
from dn_bodymap.store.restore import restore_backup


@pytest.fixture
def chart(tmp_path: Path) -> dict:
    path = tmp_path / "clinic" / "records.db"
    with open_store(path, actor="Dr Test", backups=False) as repo:
        patient = repo.add_patient(make_patient())
        session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
        mark = repo.add_mark(make_mark(session))
        ack = repo.add_acknowledgement(make_ack(mark))
        area = repo.add_pain_area(make_area(session))
        repo.sign_session(session.id, "Dr Test")
        addendum = repo.add_addendum(Addendum(session_id=session.id, author="Dr Test", text="Later note."))
        event = repo.add_adverse_event(AdverseEvent(session_id=session.id, type="syncope", severity="mild"))
        assert repo.verify_audit() == []
    return {
        "path": path,
        "patient": patient,
        "session": session,
        "mark": mark,
        "ack": ack,
        "area": area,
        "addendum": addendum,
        "event": event,
    }


def tamper(path: Path, *statements: str) -> None:
    """What someone with sqlite3 and the file can do."""
    conn = sqlite3.connect(path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def problems(path: Path) -> list[str]:
    with open_read_only(path) as repo:
        return repo.verify_audit()


def test_renaming_a_patient_names_the_record(chart: dict) -> None:
    tamper(chart["path"], "UPDATE patients SET display_name = 'Someone Else'")
    found = problems(chart["path"])
    assert found == [
        f"patient {chart['patient'].id} was changed outside dn-bodymap (content no longer matches)"
    ]


def test_unsigning_needs_dropped_triggers_and_both_are_named(chart: dict) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        tamper(chart["path"], "UPDATE sessions SET status = 'draft', signed_by = NULL")
    tamper(
        chart["path"],
        "DROP TRIGGER sessions_signed_immutable",
        "UPDATE sessions SET signed_by = 'Dr Impostor'",
    )
    found = problems(chart["path"])
    assert (
        f"session {chart['session'].id} was changed outside dn-bodymap (content no longer matches)" in found
    )
    assert "trigger sessions_signed_immutable was removed" in found


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("pain_areas", "area"),
        ("hazard_acknowledgements", "ack"),
        ("marks", "mark"),
        ("addenda", "addendum"),
        ("adverse_events", "event"),
    ],
)
def test_signed_session_parts_cannot_be_deleted(chart: dict, table: str, key: str) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="signed session is immutable"):
        tamper(chart["path"], f"DELETE FROM {table} WHERE id = '{chart[key].id}'")


@pytest.mark.parametrize(("table", "column"), [("addenda", "text"), ("adverse_events", "notes")])
def test_addenda_and_adverse_events_cannot_be_edited_after_signing(
    chart: dict, table: str, column: str
) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="signed session is immutable"):
        tamper(chart["path"], f"UPDATE {table} SET {column} = 'rewritten'")


def test_signed_session_cannot_be_deleted_but_its_patient_can_be_erased(chart: dict) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="signed session is immutable"):
        tamper(chart["path"], "DELETE FROM sessions")
    with open_store(chart["path"], backups=False) as repo:
        repo.add_addendum(Addendum(session_id=chart["session"].id, author="Dr Test", text="Another."))
        repo.erase_patient(chart["patient"].id)
        assert repo.search_patients() == []
        assert repo.verify_audit() == []


def test_recomputing_the_chain_with_the_public_recipe_is_caught(chart: dict) -> None:
    path = chart["path"]
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT seq, at, actor, action, entity_kind, entity_id, content_hash FROM audit_log ORDER BY seq"
    ).fetchall()
    conn.close()
    forged, prev = [], "0" * 64
    for seq, at, _actor, action, kind, entity_id, content in rows:
        fields = [seq, at, "Dr Impostor", action, kind, entity_id, content]
        digest = hashlib.sha256((prev + json.dumps(fields, ensure_ascii=False)).encode()).hexdigest()
        forged.append((seq, at, "Dr Impostor", action, kind, entity_id, prev, digest, content, 1))
        prev = digest
    tamper(path, "DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log")
    conn = sqlite3.connect(path)
    conn.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", forged)
    conn.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    conn.commit()
    conn.close()
    found = problems(path)
    assert len(found) == len(rows) and all("keyed hash does not match" in p for p in found)


def test_deleting_the_last_entries_leaves_records_without_a_matching_entry(chart: dict) -> None:
    tamper(chart["path"], "DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq > 3")
    with pytest.raises(StoreError, match="trigger audit_log_no_delete is missing"):
        problems(chart["path"])
    tamper(
        chart["path"],
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    )
    found = problems(chart["path"])
    assert any(f"adverse_event {chart['event'].id} has no audit entry" in p for p in found)


def test_the_key_lives_outside_the_database_and_is_private(chart: dict, private_key: Path) -> None:
    assert private_key.is_file() and private_key.parent != chart["path"].parent
    assert stat.S_IMODE(private_key.stat().st_mode) == 0o600
    assert private_key.read_text().strip() not in chart["path"].read_bytes().hex()
    private_key.rename(private_key.with_name("elsewhere"))
    audit_key._cache.clear()
    assert any("audit key" in p and "not on this computer" in p for p in problems(chart["path"]))


def test_db_check_names_the_changed_record(chart: dict, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        tamper(chart["path"], f"UPDATE marks SET notes = 'edited' WHERE id = '{chart['mark'].id}'")
    tamper(chart["path"], "UPDATE patients SET record_number = 'EDITED'")
    assert main(["--db", str(chart["path"]), "db", "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert any(chart["patient"].id in p and "content no longer matches" in p for p in report["problems"])


def test_a_backup_with_edited_content_is_not_restored(chart: dict, tmp_path: Path) -> None:
    with open_store(chart["path"], backups=False) as repo:
        backup = repo.backup_now()
    tamper(backup, "UPDATE patients SET display_name = 'Someone Else'")
    with pytest.raises(Exception, match="broken audit trail"):
        restore_backup(chart["path"], backup)


def test_back_dated_signature_and_addendum_are_refused(tmp_path: Path) -> None:
    with open_store(tmp_path / "records.db", backups=False) as repo:
        patient = repo.add_patient(make_patient())
        session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
        with pytest.raises(ValidationError, match="current time"):
            repo.sign_session(session.id, "Dr Test", "2020-01-01T09:00:00Z")
        signed = repo.sign_session(session.id, "Dr Test")
        with pytest.raises(ValidationError, match="current time"):
            repo.add_addendum(
                Addendum(session_id=signed.id, author="Dr Test", text="x", written_at="2020-01-02T09:00:00Z")
            )


def test_import_of_a_signed_session_still_verifies(chart: dict, tmp_path: Path) -> None:
    with open_read_only(chart["path"]) as source:
        bundle = source.export_patient_bundle(chart["patient"].id)
    with open_store(tmp_path / "other.db", actor="Importer", backups=False) as target:
        target.import_patient_bundle(bundle)
        assert target.verify_audit() == []


def test_entries_lost_since_a_backup_are_named(chart: dict, capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(chart["path"], backups=False) as repo:
        repo.backup_now()
        head = repo.list_audit(limit=1)[0].seq
    # Drop the newest entries and the addendum they cover, then rebuild the triggers: the file
    # alone now looks whole, but the backup still holds the lost entries.
    tamper(
        chart["path"],
        "DROP TRIGGER audit_log_no_delete",
        "DROP TRIGGER addenda_signed_delete",
        "DROP TRIGGER adverse_events_signed_delete",
        f"DELETE FROM audit_log WHERE seq >= {head - 1}",
        f"DELETE FROM adverse_events WHERE id = '{chart['event'].id}'",
        f"DELETE FROM addenda WHERE id = '{chart['addendum'].id}'",
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    )
    assert main(["--db", str(chart["path"]), "db", "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert any(f"audit entry {head}, present in backup" in p for p in report["problems"])
