"""The in-memory session model stays equal to what the repository lists, after any sequence of
commands (place, copy, move, edit, delete, undo, redo, acknowledge, pain areas, notes), and a mark
placed among 500 does not list the session from the repository again."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from dn_bodymap.charting.editing import (
    AcknowledgementRequired,
    AddAnnotation,
    AddPainArea,
    CopyMarks,
    DeleteAnnotation,
    DeleteMark,
    DeletePainArea,
    EditingSession,
    PlaceMark,
    UpdateMark,
    UpdatePainArea,
    carried_over,
)
from dn_bodymap.charting.editing.session_model import SessionModel
from dn_bodymap.charting.records import Annotation, Mark, PainArea, Patient, Session

# Real atlas sites: two need an acknowledgement (lung apex, chest wall), one does not.
SITES = [
    ("posterior", 60.0, 180.0, "right", "trapezius"),
    ("posterior", 25.0, 300.0, "right", "latissimus_dorsi"),
    ("anterior", 60.0, 620.0, "left", "rectus_femoris"),
    ("posterior", -60.0, 180.0, "left", "trapezius"),
]
SQUARE = [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]


def new_mark(session_id: str, site: int) -> Mark:
    view, x, y, side, muscle = SITES[site]
    return Mark(session_id=session_id, view=view, x=x, y=y, atlas_version="1.0", side=side, muscle_id=muscle)


def new_note(session_id: str, text: str) -> Annotation:
    return Annotation(
        session_id=session_id,
        view="anterior",
        kind="note",
        points=((-20.0, 300.0),),
        text=text,
        atlas_version="1.0",
    )


def acknowledging(action):
    """Run an editing action, acknowledging what the core asks for (as the clinician would)."""
    acks = []
    for _ in range(3):
        try:
            return action(acks)
        except AcknowledgementRequired as exc:
            acks = [*acks, *(n.acknowledge("Dr Test", "Pincer grip", "Risk discussed") for n in exc.needs)]
    raise AssertionError("still refused after acknowledging")


def listed(repo, session_id) -> tuple:
    return (
        repo.list_marks(session_id),
        repo.list_pain_areas(session_id),
        repo.list_annotations(session_id),
        repo.list_acknowledgements(session_id),
    )


def modelled(model: SessionModel) -> tuple:
    return model.marks(), model.pain_areas(), model.annotations(), model.acknowledgements()


class SessionModelMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        import tempfile

        from dn_bodymap.store import open_store

        self.tmp = tempfile.TemporaryDirectory()
        self.repo = open_store(f"{self.tmp.name}/m.db", backups=False)
        patient = self.repo.add_patient(
            Patient(display_name="Demo Patient Model", height_cm=170, weight_kg=65)
        )
        self.session = self.repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
        self.editing = EditingSession(self.repo, self.session.id)
        self.model = self.editing.model

    def teardown(self) -> None:
        self.repo.close()
        self.tmp.cleanup()

    def _execute(self, command) -> None:
        acknowledging(lambda acks: self.editing.execute(command, acknowledgements=acks))

    def _live_marks(self) -> list[Mark]:
        return self.repo.list_marks(self.session.id)

    @rule(site=st.integers(0, len(SITES) - 1))
    def place(self, site: int) -> None:
        self._execute(PlaceMark(new_mark(self.session.id, site)))

    @rule(count=st.integers(1, 3))
    def copy(self, count: int) -> None:
        marks = self._live_marks()[:count]
        if marks:
            self._execute(CopyMarks(carried_over(marks, self.session.id)))

    @rule(pick=st.integers(0, 50), site=st.integers(0, len(SITES) - 1))
    def move(self, pick: int, site: int) -> None:
        marks = self._live_marks()
        if marks:
            before = marks[pick % len(marks)]
            view, x, y, side, muscle = SITES[site]
            after = dataclasses.replace(before, view=view, x=x, y=y, side=side, muscle_id=muscle)
            if after != before:
                self._execute(UpdateMark(before, after, None, "Move trigger point"))

    @rule(pick=st.integers(0, 50), notes=st.text("abc ", min_size=1, max_size=8), needled=st.booleans())
    def edit(self, pick: int, notes: str, needled: bool) -> None:
        marks = self._live_marks()
        if marks:
            before = marks[pick % len(marks)]
            after = dataclasses.replace(before, notes=notes.strip(), needled=needled, depth_mm=12.0)
            if after != before:
                acknowledging(
                    lambda acks: self.editing.execute(
                        UpdateMark(before, after), None, True, acknowledgements=acks
                    )
                )

    @rule(pick=st.integers(0, 50))
    def delete(self, pick: int) -> None:
        marks = self._live_marks()
        if marks:
            self._execute(DeleteMark(marks[pick % len(marks)]))

    @rule()
    def undo(self) -> None:
        acknowledging(lambda acks: self.editing.undo(acks))

    @rule()
    def redo(self) -> None:
        acknowledging(lambda acks: self.editing.redo(acks))

    @rule(quality=st.sampled_from(["ache", "burning"]))
    def add_area(self, quality: str) -> None:
        area = PainArea(
            session_id=self.session.id, view="anterior", geometry=SQUARE, atlas_version="1.0", quality=quality
        )
        self._execute(AddPainArea(area))

    @rule(pick=st.integers(0, 50), intensity=st.integers(0, 10), drop=st.booleans())
    def change_area(self, pick: int, intensity: int, drop: bool) -> None:
        areas = self.repo.list_pain_areas(self.session.id)
        if areas:
            area = areas[pick % len(areas)]
            command = (
                DeletePainArea(area)
                if drop
                else UpdatePainArea(area, dataclasses.replace(area, intensity=intensity))
            )
            self._execute(command)

    @rule(text=st.text("xyz", min_size=1, max_size=5), drop=st.booleans())
    def note(self, text: str, drop: bool) -> None:
        notes = self.repo.list_annotations(self.session.id)
        if drop and notes:
            self._execute(DeleteAnnotation(notes[0]))
            return
        self._execute(AddAnnotation(new_note(self.session.id, text)))

    @invariant()
    def model_equals_repository(self) -> None:
        assert modelled(self.model) == listed(self.repo, self.session.id)
        fresh = SessionModel(self.repo, self.session.id)
        assert modelled(fresh) == modelled(self.model)


TestSessionModel = SessionModelMachine.TestCase
TestSessionModel.settings = settings(
    max_examples=12,
    stateful_step_count=14,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# -- the click does not list the session ------------------------------------------------------
class CountingRepo:
    """The store with its whole-session listings counted."""

    def __init__(self, repo) -> None:
        self._repo = repo
        self.calls: dict[str, int] = {}

    def __getattr__(self, name: str):
        attr = getattr(self._repo, name)
        if name.startswith("list_"):

            def counted(*args, **kwargs):
                self.calls[name] = self.calls.get(name, 0) + 1
                return attr(*args, **kwargs)

            return counted
        return attr


@pytest.fixture
def repo(tmp_path):
    from dn_bodymap.store import open_store

    r = open_store(tmp_path / "r.db", backups=False)
    yield r
    r.close()


def test_placing_among_500_marks_lists_nothing(repo) -> None:
    patient = repo.add_patient(Patient(display_name="Demo Patient Count", height_cm=170, weight_kg=65))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    for i in range(500):
        repo.add_mark(
            Mark(
                session_id=session.id,
                view="anterior",
                x=40.0 + i % 20,
                y=600.0 + i // 20,
                atlas_version="1.0",
                side="left",
                muscle_id="rectus_femoris",
            )
        )
    counting = CountingRepo(repo)
    editing = EditingSession(counting, session.id)  # type: ignore[arg-type]
    assert len(editing.model.marks()) == 500  # opened: read once
    counting.calls.clear()
    for site in range(len(SITES)):  # hazardous and thoracic sites too (both-sides rule runs)
        command = PlaceMark(new_mark(session.id, site))
        acknowledging(lambda acks, c=command: editing.execute(c, acknowledgements=acks))
    editing.undo()
    acknowledging(lambda acks: editing.redo(acks))
    assert counting.calls.get("list_marks", 0) == 0
    assert counting.calls.get("list_pain_areas", 0) == 0
    assert len(editing.model.marks()) == 500 + len(SITES)
    assert editing.model.marks() == repo.list_marks(session.id)
    assert editing.model.acknowledgements() == repo.list_acknowledgements(session.id)


def test_a_restored_mark_goes_back_to_its_row(repo) -> None:
    patient = repo.add_patient(Patient(display_name="Demo Patient Order"))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    editing = EditingSession(repo, session.id)
    marks = [new_mark(session.id, 2) for _ in range(3)]
    for m in marks:
        editing.execute(PlaceMark(dataclasses.replace(m, x=m.x + len(editing.model.marks()))))
    middle = editing.model.marks()[1]
    editing.execute(DeleteMark(middle))
    assert middle.id not in editing.model.marks_by_id
    editing.undo()
    assert [m.id for m in editing.model.marks()] == [m.id for m in repo.list_marks(session.id)]
    assert editing.model.marks()[1].id == middle.id


def test_a_record_deleted_before_a_reload_and_restored_after_it_goes_back_to_its_row(repo) -> None:
    """A failed command makes the model read everything again (``invalidate``); undoing a deletion
    made before that puts the record back in its row, as a fresh listing does (found by the
    state machine of tests/editing/test_site_review.py: two notes, the first deleted, a reload,
    undo)."""
    patient = repo.add_patient(Patient(display_name="Demo Patient Reload"))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    editing = EditingSession(repo, session.id)
    for text in ("first", "second", "third"):
        editing.execute(AddAnnotation(new_note(session.id, text)))
    for m in (new_mark(session.id, 2) for _ in range(3)):
        editing.execute(PlaceMark(dataclasses.replace(m, x=m.x + len(editing.model.marks()))))
    editing.execute(DeleteAnnotation(editing.model.annotations()[0]))
    editing.execute(DeleteMark(editing.model.marks()[0]))
    editing.model.invalidate()
    assert modelled(editing.model) == listed(repo, session.id)
    editing.undo()
    editing.undo()
    assert modelled(editing.model) == listed(repo, session.id)
    assert [a.text for a in editing.model.annotations()] == ["first", "second", "third"]
