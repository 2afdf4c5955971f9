"""Every edit command round-trips apply → undo → redo through the real store (CONVENTIONS §13)."""

from __future__ import annotations

import dataclasses

import pytest

from dn_bodymap.charting.editing import (
    AddAdverseEvent,
    AddPainArea,
    DeleteMark,
    DeletePainArea,
    EditingSession,
    PlaceMark,
    SessionLockedError,
    UpdateMark,
    UpdatePainArea,
    UpdateSession,
)
from dn_bodymap.charting.records import (
    AdverseEvent,
    Mark,
    PainArea,
    Patient,
    Session,
)

SQUARE = [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]


@pytest.fixture
def session(repo):
    patient = repo.add_patient(Patient(display_name="Demo Patient Undo"))
    return repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))


def mark(session, **kw):
    """A mark on the front of the left thigh, a site without a mapped hazard."""
    fields = dict(
        session_id=session.id,
        view="anterior",
        x=60.0,
        y=620.0,
        atlas_version="1.0",
        side="left",
        muscle_id="rectus_femoris",
    )
    fields.update(kw)
    return Mark(**fields)


def area(session, **kw):
    return PainArea(session_id=session.id, view="anterior", geometry=SQUARE, atlas_version="1.0", **kw)


def snapshot(repo, session):
    return (
        repo.get_session(session.id),
        sorted(repo.list_marks(session.id), key=lambda m: m.id),
        sorted(repo.list_pain_areas(session.id), key=lambda a: a.id),
        len(repo.list_acknowledgements(session.id)),
    )


def test_every_command_round_trips(repo, session):
    editing = EditingSession(repo, session.id)
    # the right upper trapezius over the lung apex: placed only with this session's acknowledgement
    m = mark(session, view="posterior", x=60.0, y=180.0, side="right", muscle_id="trapezius")
    ack = editing.rule.need(m).acknowledge("Dr Test", "Pincer grip", "Pneumothorax risk discussed")
    a = area(session)
    steps = [
        lambda: PlaceMark(m, ack),
        lambda: UpdateMark(repo.get_mark(m.id), dataclasses.replace(repo.get_mark(m.id), tenderness=7)),
        lambda: AddPainArea(a),
        lambda: UpdatePainArea(
            repo.get_pain_area(a.id), dataclasses.replace(repo.get_pain_area(a.id), intensity=6)
        ),
        lambda: UpdateSession(
            repo.get_session(session.id),
            dataclasses.replace(repo.get_session(session.id), pain_pre=5),
        ),
        lambda: DeletePainArea(repo.get_pain_area(a.id)),
        lambda: DeleteMark(repo.get_mark(m.id)),
    ]
    for make in steps:
        before = snapshot(repo, session)
        command = make()
        editing.execute(command)
        after = snapshot(repo, session)
        assert after != before, command
        editing.undo()
        assert snapshot(repo, session)[:3] == before[:3], command
        editing.redo()
        assert snapshot(repo, session)[:3] == after[:3], command


def test_redo_restores_the_same_ids(repo, session):
    editing = EditingSession(repo, session.id)
    m = mark(session)
    editing.execute(PlaceMark(m))
    editing.undo()
    assert repo.list_marks(session.id) == []
    editing.redo()
    assert [x.id for x in repo.list_marks(session.id)] == [m.id]


def test_typing_merges_into_one_undo_step(repo, session):
    editing = EditingSession(repo, session.id)
    editing.execute(PlaceMark(mark(session)))
    m = repo.list_marks(session.id)[0]
    for text in ("L", "LT", "LTR"):
        current = repo.get_mark(m.id)
        editing.execute(UpdateMark(current, dataclasses.replace(current, response=text)), mergeable=True)
    editing.undo()
    assert repo.get_mark(m.id).response is None
    assert editing.can_undo  # the placement is still there to undo


def test_a_failed_command_changes_nothing(repo, session):
    editing = EditingSession(repo, session.id)
    ghost = mark(session)
    with pytest.raises(Exception):  # noqa: B017 - the store's own error type
        editing.execute(DeleteMark(ghost))
    assert not editing.can_undo and repo.list_marks(session.id) == []


def test_signed_session_refuses_edits_and_undo(repo, session):
    editing = EditingSession(repo, session.id)
    editing.execute(PlaceMark(mark(session)))
    repo.sign_session(session.id, "Dr Test")
    with pytest.raises(SessionLockedError):
        editing.execute(PlaceMark(mark(session)))
    with pytest.raises(SessionLockedError):
        editing.undo()


def test_adverse_events_are_not_undone(repo, session):
    editing = EditingSession(repo, session.id)
    editing.execute(AddAdverseEvent(AdverseEvent(session_id=session.id, type="Bruising", severity="mild")))
    with pytest.raises(PermissionError):
        editing.undo()
    assert len(repo.list_adverse_events(session.id)) == 1


def test_listeners_hear_what_changed(repo, session):
    editing = EditingSession(repo, session.id)
    heard = []
    editing.subscribe(lambda changes, initiator: heard.append((changes, initiator)))
    m = mark(session)
    editing.execute(PlaceMark(m), initiator="canvas")
    assert heard[-1][0].marks == {m.id} and heard[-1][1] == "canvas"


def test_annotation_commands_round_trip(repo, session):
    from dn_bodymap.charting.editing import (
        AddAnnotation,
        Changes,
        DeleteAnnotation,
        UpdateAnnotation,
    )
    from dn_bodymap.charting.records import Annotation

    editing = EditingSession(repo, session.id)
    m = repo.add_mark(mark(session))
    arrow = Annotation(
        session_id=session.id,
        view="posterior",
        kind="arrow",
        points=((60.0, 180.0), (30.0, 90.0)),
        atlas_version="1.0",
        mark_id=m.id,
    )
    note = Annotation(
        session_id=session.id,
        view="anterior",
        kind="note",
        points=((-20.0, 300.0),),
        text="Worse at night",
        atlas_version="1.0",
    )

    def annotations():
        return sorted(repo.list_annotations(session.id), key=lambda a: a.id)

    def edited(annotation_id, **changes):
        current = repo.get_annotation(annotation_id)
        return UpdateAnnotation(current, dataclasses.replace(current, **changes))

    steps = [
        lambda: AddAnnotation(arrow),
        lambda: AddAnnotation(note),
        lambda: edited(note.id, points=((-5.5, 310.25),)),
        lambda: edited(arrow.id, text="to the temple"),
        lambda: DeleteAnnotation(repo.get_annotation(arrow.id)),
    ]
    heard = []
    editing.subscribe(lambda changes, initiator: heard.append(changes))
    for make in steps:
        before = annotations()
        command = make()
        changes = editing.execute(command)
        after = annotations()
        assert after != before, command
        assert changes.annotations and not changes.marks, command
        editing.undo()
        assert annotations() == before, command
        editing.redo()
        assert annotations() == after, command
    assert all(c.annotations for c in heard)
    merged = Changes(marks=frozenset({"m"})) | Changes(annotations=frozenset({"a"}))
    assert merged.marks == {"m"} and merged.annotations == {"a"}
