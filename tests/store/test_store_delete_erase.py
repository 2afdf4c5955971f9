"""Soft delete and restore; erasing a patient leaves nothing of them in the file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from store_builders import make_ack, make_area, make_mark, make_patient

from dn_bodymap.charting.errors import ConflictError, NotFoundError
from dn_bodymap.charting.records import Addendum, AdverseEvent, Patient, Session
from dn_bodymap.store import open_store
from dn_bodymap.store.repository import SqliteRepository


def test_mark_soft_delete_and_restore(repo: SqliteRepository, session: Session) -> None:
    m = repo.add_mark(make_mark(session))
    repo.delete_mark(m.id)
    assert repo.list_marks(session.id) == []
    assert repo.list_marks(session.id, include_deleted=True) == [m]
    with pytest.raises(NotFoundError):
        repo.get_mark(m.id)
    with pytest.raises(NotFoundError):
        repo.delete_mark(m.id)
    assert repo.restore_mark(m.id) == m
    assert repo.list_marks(session.id) == [m]
    with pytest.raises(ConflictError):
        repo.restore_mark(m.id)
    assert repo.list_sessions()[0].mark_count == 1


def test_pain_area_soft_delete_and_restore(repo: SqliteRepository, session: Session) -> None:
    a = repo.add_pain_area(make_area(session))
    repo.delete_pain_area(a.id)
    assert repo.load_session(session.id).pain_areas == ()
    repo.restore_pain_area(a.id)
    assert repo.load_session(session.id).pain_areas == (a,)


def test_session_and_patient_soft_delete(repo: SqliteRepository, patient: Patient, session: Session) -> None:
    repo.delete_session(session.id)
    assert repo.list_sessions(patient.id) == []
    with pytest.raises(NotFoundError):
        repo.add_mark(make_mark(session))
    repo.restore_session(session.id)
    assert len(repo.list_sessions(patient.id)) == 1

    repo.delete_patient(patient.id)
    assert repo.search_patients("") == []
    assert repo.list_sessions() == []
    with pytest.raises(NotFoundError):
        repo.get_patient(patient.id)
    assert repo.get_patient(patient.id, include_deleted=True) == patient
    assert repo.restore_patient(patient.id) == patient


def test_archive(repo: SqliteRepository, patient: Patient) -> None:
    archived = repo.archive_patient(patient.id)
    assert archived.archived and repo.search_patients("") == []
    assert repo.search_patients("", include_archived=True)[0].patient == archived
    repo.archive_patient(patient.id, False)
    assert repo.search_patients("")[0].patient == dataclasses.replace(archived, archived=False)


SECRET_NAME = "Zebulon Quixotically-Unforgettable"
SECRET_NOTE = "Xylophone-wrist-secret-note"


def test_erase_leaves_no_personal_data(db_path: Path) -> None:
    repo = open_store(db_path, actor="Dr Test", backups=False)
    try:
        keep = repo.add_patient(make_patient("Other Person Keeps"))
        victim = repo.add_patient(make_patient(SECRET_NAME, record_number="SECRET-MRN-777"))
        ids: list[str] = [victim.id]
        for i in range(3):
            s = repo.create_session(Session(patient_id=victim.id, clinician="Dr Test", notes=SECRET_NOTE))
            m = make_mark(s, notes=SECRET_NOTE)
            repo.add_mark(m, make_ack(m, disclosed_text=SECRET_NOTE))
            repo.add_pain_area(make_area(s, notes=SECRET_NOTE, mark_id=m.id))
            repo.add_adverse_event(
                AdverseEvent(session_id=s.id, type="x", severity="mild", notes=SECRET_NOTE)
            )
            if i == 0:
                repo.sign_session(s.id, "Dr Test")
                repo.add_addendum(Addendum(session_id=s.id, author="Dr Test", text=SECRET_NOTE))
            ids.append(s.id)
        repo.update_patient(dataclasses.replace(victim, notes=SECRET_NOTE))
        repo.delete_patient(victim.id)  # erasure also covers soft-deleted patients

        repo.erase_patient(victim.id)

        assert repo.get_patient(keep.id) == keep
        with pytest.raises(NotFoundError):
            repo.get_patient(victim.id, include_deleted=True)
        for table in (
            "sessions",
            "marks",
            "pain_areas",
            "hazard_acknowledgements",
            "adverse_events",
            "addenda",
        ):
            assert repo.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        erase = repo.list_audit(victim.id, limit=1)[0]
        assert erase.action == "erase" and erase.entity_kind == "patient"
        assert repo.verify_audit() == []
        raw = _all_bytes(db_path)
    finally:
        repo.close()
    raw += _all_bytes(db_path)
    for needle in (SECRET_NAME, "Quixotically", "SECRET-MRN-777", SECRET_NOTE):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert needle.encode(encoding) not in raw, needle
        assert needle.lower().encode() not in raw, needle  # the folded search key too


def _all_bytes(db_path: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = db_path.with_name(db_path.name + suffix)
        if p.exists():
            data += p.read_bytes()
    return data


def test_erase_unknown_patient(repo: SqliteRepository) -> None:
    with pytest.raises(NotFoundError):
        repo.erase_patient(make_patient().id)
