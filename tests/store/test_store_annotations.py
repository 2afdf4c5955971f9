"""Arrows and notes on the map: the record, the store (migration 3), signed-session immutability."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from store_builders import ATLAS, make_area, make_mark, make_patient

from dn_bodymap.charting.enums import AnnotationKind, View
from dn_bodymap.charting.errors import NotFoundError, SignedSessionError
from dn_bodymap.charting.records import Annotation, Session
from dn_bodymap.charting.summaries import SessionRecord
from dn_bodymap.charting.validation import ValidationError
from dn_bodymap.store import open_store
from dn_bodymap.store.migrations import APPLICATION_ID, LATEST_VERSION, MIGRATIONS
from dn_bodymap.store.repository import SqliteRepository


def make_arrow(session: Session, **kw: object) -> Annotation:
    values: dict[str, object] = {
        "session_id": session.id,
        "view": View.POSTERIOR,
        "kind": AnnotationKind.ARROW,
        "points": ((72.5, 188.25), (40.123456789012345, 95.0)),
        "atlas_version": ATLAS,
    }
    values.update(kw)
    return Annotation(**values)  # type: ignore[arg-type]


def make_note(session: Session, **kw: object) -> Annotation:
    values: dict[str, object] = {
        "session_id": session.id,
        "view": View.ANTERIOR,
        "kind": "note",
        "points": [[-30.5, 420.0]],
        "text": "Pain worse after typing — «douleur»",
        "atlas_version": ATLAS,
    }
    values.update(kw)
    return Annotation(**values)  # type: ignore[arg-type]


# -- the record ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "circle"}, "kind"),
        ({"points": ((1.0, 2.0),)}, "points"),
        ({"points": ((1.0, 2.0), (1.0, 2.0))}, "points"),
        ({"points": "1,2 3,4"}, "points"),
        ({"points": ((1.0, 2.0), (float("nan"), 3.0))}, "points[1]"),
        ({"points": ((1.0, 2.0), (float("inf"), 3.0))}, "points[1]"),
        ({"points": ((1.0, 2.0), (900.0, 3.0))}, "points[1]"),
        ({"points": ((1.0, 2.0), (3.0, 2000.0))}, "points[1]"),
        ({"points": ((True, 2.0), (3.0, 4.0))}, "points[0]"),
        ({"points": tuple((float(i), 1.0) for i in range(101))}, "points"),
        ({"text": "x" * 501}, "text"),
        ({"text": "a\x00b"}, "text"),
        ({"mark_id": "not-an-id"}, "mark_id"),
        ({"pain_area_id": "nope"}, "pain_area_id"),
        ({"view": "sideways"}, "view"),
        ({"atlas_version": ""}, "atlas_version"),
    ],
)
def test_invalid_arrows_name_the_field(session: Session, changes: dict, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make_arrow(session, **changes)
    assert caught.value.field == field


def test_a_note_has_one_anchor_and_text(session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        make_note(session, text="   ")
    assert caught.value.field == "text"
    with pytest.raises(ValidationError) as caught:
        make_note(session, points=((1.0, 2.0), (3.0, 4.0)))
    assert caught.value.field == "points"
    note = make_note(session)
    assert note.points == ((-30.5, 420.0),) and note.tip == (-30.5, 420.0)
    assert note.kind is AnnotationKind.NOTE
    hash(note)  # frozen value, usable in sets like the other records


# -- the store -------------------------------------------------------------------------------
def test_round_trip_is_exact(repo: SqliteRepository, session: Session) -> None:
    mark = repo.add_mark(make_mark(session))
    area = repo.add_pain_area(make_area(session))
    arrow = repo.add_annotation(
        make_arrow(session, mark_id=mark.id, pain_area_id=area.id, text="refers to the temple")
    )
    note = repo.add_annotation(make_note(session))
    assert repo.get_annotation(arrow.id) == arrow
    assert repo.list_annotations(session.id) == [arrow, note]
    record = repo.load_session(session.id)
    assert record.annotations == (arrow, note)
    assert record.annotations[0].points[1][0] == 40.123456789012345  # lossless
    chart = repo.load_patient_chart(session.patient_id)
    assert chart.sessions[0].annotations == (arrow, note)
    kinds = [(e.action, e.entity_kind) for e in repo.list_audit(arrow.id)]
    assert kinds == [("create", "annotation")]


def test_update_delete_restore_with_audit(repo: SqliteRepository, session: Session) -> None:
    note = repo.add_annotation(make_note(session))
    moved = repo.update_annotation(dataclasses.replace(note, points=((12.0, 500.5),)))
    assert repo.get_annotation(note.id) == moved
    repo.delete_annotation(note.id)
    assert repo.list_annotations(session.id) == []
    assert repo.load_session(session.id).annotations == ()
    with pytest.raises(NotFoundError):
        repo.get_annotation(note.id)
    assert repo.list_annotations(session.id, include_deleted=True) == [moved]
    assert repo.restore_annotation(note.id) == moved
    actions = [e.action for e in reversed(repo.list_audit(note.id))]
    assert actions == ["create", "update", "delete", "restore"]
    assert repo.verify_audit() == []


def test_links_must_be_live_records_of_the_same_session(repo: SqliteRepository, session: Session) -> None:
    other = repo.create_session(Session(patient_id=session.patient_id, clinician="Dr Test"))
    foreign = repo.add_mark(make_mark(other))
    with pytest.raises(ValidationError, match="another session"):
        repo.add_annotation(make_arrow(session, mark_id=foreign.id))
    gone = repo.add_mark(make_mark(session))
    repo.delete_mark(gone.id)
    with pytest.raises(ValidationError) as caught:
        repo.add_annotation(make_arrow(session, mark_id=gone.id))
    assert caught.value.field == "mark_id"
    assert repo.list_annotations(session.id) == []


def test_an_arrow_whose_mark_was_deleted_can_still_change(repo: SqliteRepository, session: Session) -> None:
    mark = repo.add_mark(make_mark(session))
    arrow = repo.add_annotation(make_arrow(session, mark_id=mark.id))
    repo.delete_mark(mark.id)
    labelled = repo.update_annotation(dataclasses.replace(arrow, text="label"))
    assert repo.get_annotation(arrow.id) == labelled


def test_an_annotation_cannot_change_session(repo: SqliteRepository, session: Session) -> None:
    other = repo.create_session(Session(patient_id=session.patient_id, clinician="Dr Test"))
    note = repo.add_annotation(make_note(session))
    with pytest.raises(Exception, match="cannot change session"):
        repo.update_annotation(dataclasses.replace(note, session_id=other.id))


def test_a_signed_session_refuses_every_change(repo: SqliteRepository, session: Session) -> None:
    arrow = repo.add_annotation(make_arrow(session))
    note = repo.add_annotation(make_note(session))
    repo.delete_annotation(note.id)
    repo.sign_session(session.id, "Dr Test")
    attempts = [
        lambda: repo.add_annotation(make_note(session)),
        lambda: repo.update_annotation(dataclasses.replace(arrow, text="later")),
        lambda: repo.delete_annotation(arrow.id),
        lambda: repo.restore_annotation(note.id),
    ]
    before = repo.load_session(session.id)
    audit_before = len(repo.list_audit())
    for attempt in attempts:
        with pytest.raises(SignedSessionError, match="addendum"):
            attempt()
    assert repo.load_session(session.id) == before
    assert len(repo.list_audit()) == audit_before
    # the SQL triggers are the backstop behind the repository's own check
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        repo.db.execute("UPDATE annotations SET text = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        repo.db.execute(
            "INSERT INTO annotations (id, session_id, view, kind, points, atlas_version,"
            " created_at, updated_at)"
            " VALUES ('a', ?, 'anterior', 'note', '[[0,0]]', '1', 'x', 'x')",
            (session.id,),
        )


def test_erase_patient_removes_annotations(db_path: Path) -> None:
    with open_store(db_path, actor="Dr Test", backups=False) as repo:
        keep = repo.add_patient(make_patient("Other Person Keeps"))
        kept_session = repo.create_session(Session(patient_id=keep.id, clinician="Dr Test"))
        kept = repo.add_annotation(make_note(kept_session, text="kept note"))
        victim = repo.add_patient(make_patient("Erased Person Vanishes"))
        for signed in (False, True):
            s = repo.create_session(Session(patient_id=victim.id, clinician="Dr Test"))
            m = repo.add_mark(make_mark(s))
            a = repo.add_pain_area(make_area(s))
            repo.add_annotation(make_arrow(s, mark_id=m.id, pain_area_id=a.id))
            repo.add_annotation(make_note(s, text="Secret-annotation-text"))
            if signed:
                repo.sign_session(s.id, "Dr Test")
        repo.erase_patient(victim.id)
        rows = repo.db.execute("SELECT id FROM annotations").fetchall()
        assert rows == [(kept.id,)]
        assert repo.verify_audit() == []
    raw = b"".join(p.read_bytes() for p in db_path.parent.iterdir() if p.name.startswith(db_path.name))
    assert b"Secret-annotation-text" not in raw


# -- migration 3 -----------------------------------------------------------------------------
def _build_v2(path: Path) -> dict[str, str]:
    """A database exactly as schema version 2 left it, with a patient, session and mark."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    from sqlite_utils import Database

    db = Database(conn)
    for version, step in MIGRATIONS:
        if version <= 2:
            step(db)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 2")
    ids = {
        "patient": "11111111-1111-4111-8111-111111111111",
        "session": "22222222-2222-4222-8222-222222222222",
        "mark": "33333333-3333-4333-8333-333333333333",
    }
    t = "2026-01-01T00:00:00.000000Z"
    conn.execute(
        "INSERT INTO patients (id, display_name, record_number, created_at, updated_at,"
        " name_key, record_key) VALUES (?, 'Émile Zola-Test', 'OLD-7', ?, ?, 'emile zola-test',"
        " 'old-7')",
        (ids["patient"], t, t),
    )
    conn.execute(
        "INSERT INTO sessions (id, patient_id, started_at, clinician, status, created_at,"
        " updated_at) VALUES (?, ?, ?, 'Dr Old', 'draft', ?, ?)",
        (ids["session"], ids["patient"], t, t, t),
    )
    conn.execute(
        "INSERT INTO marks (id, session_id, view, x, y, atlas_version, side, created_at,"
        " updated_at) VALUES (?, ?, 'posterior', 1.5, 200.25, '0.1', 'left', ?, ?)",
        (ids["mark"], ids["session"], t, t),
    )
    conn.commit()
    conn.close()
    return ids


def test_upgrade_from_version_2_keeps_data_and_adds_annotations(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    ids = _build_v2(path)
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert "annotations" not in tables
    with open_store(path, backups=False) as repo:
        assert LATEST_VERSION >= 3
        assert repo.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert [s.patient.id for s in repo.search_patients("emile")] == [ids["patient"]]
        mark = repo.get_mark(ids["mark"])  # type: ignore[arg-type]
        assert (mark.x, mark.y, mark.atlas_version) == (1.5, 200.25, "0.1")
        session = repo.get_session(ids["session"])  # type: ignore[arg-type]
        assert repo.load_session(session.id).annotations == ()
        arrow = repo.add_annotation(make_arrow(session, mark_id=mark.id))
    with open_store(path, backups=False) as repo:
        assert repo.load_session(session.id).annotations == (arrow,)
        triggers = {r[0] for r in repo.db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
        assert {"annotations_signed_insert", "annotations_signed_update"} <= triggers


def test_fresh_database_has_annotations(repo: SqliteRepository) -> None:
    assert repo.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION >= 3
    columns = [r[1] for r in repo.db.execute("PRAGMA table_info(annotations)")]
    assert columns[:9] == [
        "id",
        "session_id",
        "view",
        "kind",
        "points",
        "atlas_version",
        "text",
        "mark_id",
        "pain_area_id",
    ]
    with pytest.raises(sqlite3.IntegrityError):
        repo.db.execute(
            "INSERT INTO annotations (id, session_id, view, kind, points, atlas_version,"
            " created_at, updated_at) VALUES ('a', 'no-such-session', 'anterior', 'note',"
            " '[[0,0]]', '1', 'x', 'x')"
        )


def test_session_record_keeps_older_constructors_working(session: Session) -> None:
    record = SessionRecord(session, (), (), (), (), ())
    assert record.annotations == ()
