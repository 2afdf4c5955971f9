"""Every action leaves one hash-chained audit entry, written in the same transaction."""

from __future__ import annotations

import itertools
import sqlite3

import pytest
from store_builders import make_ack, make_area, make_mark

from dn_bodymap.charting.records import Patient, Session
from dn_bodymap.charting.validation import ValidationError
from dn_bodymap.store.repository import SqliteRepository


def test_actions_are_audited_in_order(repo: SqliteRepository, patient: Patient, session: Session) -> None:
    m = make_mark(session)
    ack = make_ack(m)
    repo.add_mark(m, ack)
    area = repo.add_pain_area(make_area(session))
    repo.delete_pain_area(area.id)
    repo.restore_pain_area(area.id)
    repo.sign_session(session.id, "Dr Test")
    repo.record_export("session", session.id)
    entries = list(reversed(repo.list_audit()))
    assert [(e.action.value, e.entity_kind) for e in entries] == [
        ("create", "patient"),
        ("create", "session"),
        ("create", "mark"),
        ("create", "acknowledgement"),
        ("create", "pain_area"),
        ("delete", "pain_area"),
        ("restore", "pain_area"),
        ("sign", "session"),
        ("export", "session"),
    ]
    assert all(e.actor == "Dr Test" for e in entries)
    assert [e.seq for e in entries] == list(range(1, 10))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert repo.verify_audit() == []
    assert [e.entity_id for e in repo.list_audit(m.id)] == [m.id]


def test_failed_action_leaves_no_audit_entry(repo: SqliteRepository, session: Session) -> None:
    before = repo.list_audit()
    with pytest.raises(ValidationError):
        repo.add_pain_area(make_area(session, mark_id=make_mark(session).id))
    assert repo.list_audit() == before


def test_audit_log_is_append_only(repo: SqliteRepository, patient: Patient) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        repo.db.execute("UPDATE audit_log SET actor = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        repo.db.execute("DELETE FROM audit_log")


def test_tampering_breaks_the_chain(repo: SqliteRepository, session: Session) -> None:
    for _ in range(3):
        repo.add_mark(make_mark(session))
    assert repo.verify_audit() == []
    repo.db.execute("DROP TRIGGER audit_log_no_update")
    repo.db.execute("UPDATE audit_log SET actor = 'Mallory' WHERE seq = 3")
    problems = repo.verify_audit()
    assert any("entry 3 was altered" in p for p in problems)
    repo.db.execute("DROP TRIGGER audit_log_no_delete")
    repo.db.execute("DELETE FROM audit_log WHERE seq = 2")
    assert any("missing" in p for p in repo.verify_audit())
