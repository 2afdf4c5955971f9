"""A signed session never changes; later notes are addenda."""

from __future__ import annotations

import dataclasses

import pytest
from store_builders import make_ack, make_area, make_mark

from dn_bodymap.charting.errors import SignedSessionError
from dn_bodymap.charting.records import Addendum, AdverseEvent, Session
from dn_bodymap.charting.validation import ValidationError
from dn_bodymap.store.repository import SqliteRepository


@pytest.fixture
def signed(repo: SqliteRepository, session: Session) -> dict[str, object]:
    mark = repo.add_mark(make_mark(session))
    area = repo.add_pain_area(make_area(session))
    signed = repo.sign_session(session.id, "Dr Test")
    return {"session": signed, "mark": mark, "area": area}


def test_sign_sets_signer_and_time(repo: SqliteRepository, signed: dict) -> None:
    s = repo.get_session(signed["session"].id)
    assert s.is_signed and s.signed_by == "Dr Test" and s.signed_at
    assert s == signed["session"]


def test_every_change_is_refused(repo: SqliteRepository, signed: dict) -> None:
    session, mark, area = signed["session"], signed["mark"], signed["area"]
    draft = dataclasses.replace(session, status="draft", signed_by=None, signed_at=None)
    attempts = [
        lambda: repo.update_session(dataclasses.replace(draft, notes="changed")),
        lambda: repo.sign_session(session.id, "Dr Other"),
        lambda: repo.delete_session(session.id),
        lambda: repo.add_mark(make_mark(session)),
        lambda: repo.update_mark(dataclasses.replace(mark, x=1.0)),
        lambda: repo.delete_mark(mark.id),
        lambda: repo.add_pain_area(make_area(session)),
        lambda: repo.update_pain_area(dataclasses.replace(area, intensity=2)),
        lambda: repo.delete_pain_area(area.id),
        lambda: repo.add_acknowledgement(make_ack(mark)),
    ]
    before = repo.load_session(session.id)
    audit_before = len(repo.list_audit())
    for attempt in attempts:
        with pytest.raises(SignedSessionError, match="addendum"):
            attempt()
    assert repo.load_session(session.id) == before
    assert len(repo.list_audit()) == audit_before


def test_sql_triggers_are_a_backstop(repo: SqliteRepository, signed: dict) -> None:
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        repo.db.execute("UPDATE marks SET x = 0")
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        repo.db.execute("UPDATE sessions SET notes = 'x'")


def test_addenda_and_adverse_events_after_signing(repo: SqliteRepository, signed: dict) -> None:
    session = signed["session"]
    add = repo.add_addendum(Addendum(session_id=session.id, author="Dr Test", text="Soreness gone."))
    event = repo.add_adverse_event(
        AdverseEvent(session_id=session.id, type="syncope", severity="significant")
    )
    record = repo.load_session(session.id)
    assert record.addenda == (add,) and record.adverse_events == (event,)
    assert record.session == session


def test_new_sessions_start_as_drafts(repo: SqliteRepository, session: Session) -> None:
    signed = dataclasses.replace(
        session,
        id="0" * 8 + "-0000-4000-8000-" + "0" * 12,
        status="signed",
        signed_by="A",
        signed_at="2026-01-01T00:00:00Z",
    )
    with pytest.raises(ValidationError, match="draft"):
        repo.create_session(signed)
