"""The session rules kept up to date mark by mark (issue #14) equal a full review of the session.

``SessionModel.site_review`` re-assesses only the marks changed since its last review; after any
sequence of editing commands (and reloads) it must equal ``review_assessments`` over every live mark
as the repository lists them, and a click among many marks assesses only the new one.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis.stateful import invariant, rule
from test_session_model import SITES, SessionModelMachine, acknowledging, new_mark

from dn_bodymap.charting.editing import EditingSession, PlaceMark
from dn_bodymap.charting.editing import session_model as session_model_module
from dn_bodymap.charting.records import Mark, Patient, Session
from dn_bodymap.safety.assess import assess
from dn_bodymap.safety.session import review_assessments


def full_review(editing: EditingSession):
    """The reference: every live mark listed from the store and assessed afresh."""
    factors = editing.rule.factors()
    marks = editing.rule.repo.list_marks(editing.rule.session_id)
    return review_assessments(assess(str(m.view), (m.x, m.y), factors) for m in marks)


class SiteReviewMachine(SessionModelMachine):
    @rule()
    def reload(self) -> None:
        self.model.invalidate()

    @invariant()
    def incremental_review_equals_full_review(self) -> None:
        assert self.editing.rule.live_review() == full_review(self.editing)


TestSiteReview = SiteReviewMachine.TestCase
TestSiteReview.settings = settings(
    max_examples=12,
    stateful_step_count=14,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_a_mark_placed_among_300_is_the_only_one_assessed(tmp_path, monkeypatch) -> None:
    from dn_bodymap.store import open_store

    repo = open_store(tmp_path / "r.db", backups=False)
    patient = repo.add_patient(Patient(display_name="Demo Patient Tally", height_cm=170, weight_kg=65))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    for i in range(300):
        repo.add_mark(
            Mark(session_id=session.id, view="posterior", x=-70.0 + i % 30, y=150.0 + i // 30 * 8,
                 atlas_version="1.0", side="left", muscle_id="trapezius")
        )  # fmt: skip
    editing = EditingSession(repo, session.id)
    assert editing.rule.live_review() == full_review(editing)  # the first review: every site
    assessed: list[Mark] = []
    real = session_model_module.SessionModel.site_review

    def counting(self, factors, assess_one):
        return real(self, factors, lambda m: (assessed.append(m), assess_one(m))[1])

    monkeypatch.setattr(session_model_module.SessionModel, "site_review", counting)
    for site in range(len(SITES)):  # thoracic on both sides: the both-sides warning comes and stays
        assessed.clear()
        command = PlaceMark(new_mark(session.id, site))
        acknowledging(lambda acks, c=command: editing.execute(c, acknowledgements=acks))
        review = editing.rule.live_review()
        assert [m.id for m in assessed] == [command.mark.id] or not assessed
        assert review == full_review(editing)
    assert any(w.id == "bilateral_thorax" for w in editing.rule.live_review().warnings)
    editing.undo()  # the last mark leaves: dropped from the tally, nothing re-assessed
    assessed.clear()
    assert editing.rule.live_review() == full_review(editing) and assessed == []
    repo.close()


def test_the_journal_forgets_old_versions_and_the_reader_starts_afresh(tmp_path) -> None:
    from dn_bodymap.store import open_store

    repo = open_store(tmp_path / "r.db", backups=False)
    patient = repo.add_patient(Patient(display_name="Demo Patient Journal"))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    model = session_model_module.SessionModel(repo, session.id)
    start = model.version
    for i in range(session_model_module.JOURNAL_LIMIT + 10):
        model.deleted_mark(f"gone-{i}")  # unknown ids: journalled all the same
    assert model.marks_changed_since(start) is None  # too old: forgotten
    recent = model.version - 3
    assert model.marks_changed_since(recent) == {
        f"gone-{i}"
        for i in range(session_model_module.JOURNAL_LIMIT + 7, session_model_module.JOURNAL_LIMIT + 10)
    }
    model.invalidate()
    assert model.marks_changed_since(recent) is None
    assert model.marks_changed_since(model.version) == set()
    repo.close()
