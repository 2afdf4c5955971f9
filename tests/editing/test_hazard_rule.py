"""The hazard-acknowledgement rule in the clinical core, on every path a mark can take.

Each test shows that a mark at ``high`` or above cannot enter its session, change site or be
recorded as needled without an acknowledgement that belongs to that very session.
"""

from __future__ import annotations

import dataclasses

import pytest

from dn_bodymap.charting.editing import (
    AcknowledgementRequired,
    CopyMarks,
    DeleteMark,
    EditingSession,
    HazardRule,
    PlaceMark,
    UpdateMark,
    carried_over,
)
from dn_bodymap.charting.enums import HazardLevel
from dn_bodymap.charting.records import Mark, Patient, Session
from dn_bodymap.safety import levels

# Sites measured on the real atlas (see the assertions in test_sites_are_what_the_tests_assume).
TRAPEZIUS_RIGHT = ("posterior", 60.0, 180.0, "right", "trapezius")  # lung apex: very high
TRAPEZIUS_LEFT = ("posterior", -60.0, 180.0, "left", "trapezius")
INTERSCAPULAR_RIGHT = ("posterior", 45.0, 280.0, "right", "rhomboid_major")  # interscapular pleura
CHEST_WALL_RIGHT = ("posterior", 25.0, 300.0, "right", "latissimus_dorsi")  # chest wall: high
THIGH_LEFT = ("anterior", 60.0, 620.0, "left", "rectus_femoris")  # no mapped hazard


@pytest.fixture
def patient(repo):
    return repo.add_patient(Patient(display_name="Demo Patient Hazard", height_cm=170, weight_kg=65))


def new_session(repo, patient):
    return repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))


@pytest.fixture
def session(repo, patient):
    return new_session(repo, patient)


def mark(session, site=TRAPEZIUS_RIGHT, **kw) -> Mark:
    view, x, y, side, muscle = site
    fields = dict(
        session_id=session.id, view=view, x=x, y=y, atlas_version="1.0", side=side, muscle_id=muscle
    )
    fields.update(kw)
    return Mark(**fields)


def acknowledged(editing: EditingSession, m: Mark, technique: str | None = "Pincer grip"):
    need = editing.rule.need(m)
    assert need is not None
    return need.acknowledge("Dr Test", technique, "Pneumothorax risk discussed")


def refused(action) -> AcknowledgementRequired:
    with pytest.raises(AcknowledgementRequired) as info:
        action()
    return info.value


def test_sites_are_what_the_tests_assume(repo, session):
    editing = EditingSession(repo, session.id)
    assert editing.rule.need(mark(session, TRAPEZIUS_RIGHT)).level == "very_high"
    assert editing.rule.need(mark(session, INTERSCAPULAR_RIGHT)).level == "very_high"
    assert editing.rule.need(mark(session, THIGH_LEFT)) is None


def test_one_vocabulary_of_levels():
    assert tuple(HazardLevel) == levels.ZONE_LEVELS
    assert [levels.needs_acknowledgement(level) for level in levels.LEVELS] == [
        False,
        False,
        True,
        True,
        True,
    ]


def test_place_needs_an_acknowledgement_of_this_session(repo, patient, session):
    editing = EditingSession(repo, session.id)
    m = mark(session)
    error = refused(lambda: editing.execute(PlaceMark(m)))
    assert [n.mark.id for n in error.needs] == [m.id] and "very high risk" in str(error)
    assert repo.list_marks(session.id) == [] and not editing.can_undo
    # an acknowledgement made in another session for the same mark id does not count
    other = new_session(repo, patient)
    foreign = dataclasses.replace(acknowledged(editing, m), session_id=other.id)
    refused(lambda: editing.execute(PlaceMark(m, foreign)))
    assert repo.list_marks(session.id) == []
    ack = acknowledged(editing, m, "Pincer grip, needle directed away from the pleura")
    editing.execute(PlaceMark(m, ack))
    stored = repo.get_mark(m.id)
    assert stored.technique == "Pincer grip, needle directed away from the pleura"
    assert [a.id for a in repo.list_acknowledgements(session.id)] == [ack.id]


def test_an_acknowledgement_at_a_lower_level_or_of_other_hazards_does_not_cover(repo, session):
    editing = EditingSession(repo, session.id)
    m = mark(session)
    ack = acknowledged(editing, m)
    refused(lambda: editing.execute(PlaceMark(m, dataclasses.replace(ack, level="high"))))
    refused(lambda: editing.execute(PlaceMark(m, dataclasses.replace(ack, hazard_ids=("sciatic_nerve",)))))
    assert repo.list_marks(session.id) == []


def test_move_onto_a_hazard_needs_an_acknowledgement(repo, session):
    editing = EditingSession(repo, session.id)
    plain = mark(session, THIGH_LEFT)
    editing.execute(PlaceMark(plain))
    view, x, y, side, muscle = TRAPEZIUS_RIGHT
    moved = dataclasses.replace(plain, view=view, x=x, y=y, side=side, muscle_id=muscle)
    refused(lambda: editing.execute(UpdateMark(plain, moved, text="Move trigger point")))
    assert repo.get_mark(plain.id) == plain
    editing.execute(UpdateMark(plain, moved, acknowledged(editing, moved), "Move trigger point"))
    assert repo.get_mark(plain.id).x == x
    editing.undo()  # back onto the thigh: nothing to acknowledge
    editing.redo()  # onto the apex again: its acknowledgement of this session is stored
    assert repo.get_mark(plain.id).x == x and len(repo.list_acknowledgements(session.id)) == 1


def test_change_of_view_side_or_muscle_reassesses_the_site(repo, session):
    editing = EditingSession(repo, session.id)
    plain = mark(session, THIGH_LEFT)
    editing.execute(PlaceMark(plain))
    back = dataclasses.replace(plain, view="posterior", side="right", muscle_id="biceps_femoris")
    error = refused(lambda: editing.execute(UpdateMark(plain, back)))  # over the sciatic nerve
    assert error.needs[0].level == "high"
    assert repo.get_mark(plain.id) == plain
    # a legacy mark on the apex that was never acknowledged cannot change muscle or side either
    legacy = repo.add_mark(mark(session))
    refused(
        lambda: editing.execute(UpdateMark(legacy, dataclasses.replace(legacy, muscle_id="levator_scapulae")))
    )
    # ... while a note on it is not a change of site
    editing.execute(UpdateMark(legacy, dataclasses.replace(legacy, notes="tender")))


def test_needled_needs_an_acknowledgement_on_an_unacknowledged_hazard(repo, session):
    editing = EditingSession(repo, session.id)
    legacy = repo.add_mark(mark(session))  # how the old copy path stored it: no acknowledgement
    needled = dataclasses.replace(legacy, needled=True)
    refused(lambda: editing.execute(UpdateMark(legacy, needled)))
    assert not repo.get_mark(legacy.id).needled
    ack = acknowledged(editing, needled, "Needle onto bone (scapula / lamina as backstop)")
    editing.execute(UpdateMark(legacy, needled, ack))
    stored = repo.get_mark(legacy.id)
    assert stored.needled and stored.technique == "Needle onto bone (scapula / lamina as backstop)"
    # once acknowledged here, un-ticking and ticking again asks nothing more
    editing.execute(UpdateMark(stored, dataclasses.replace(stored, needled=False)))
    again = repo.get_mark(legacy.id)
    editing.execute(UpdateMark(again, dataclasses.replace(again, needled=True)))


def previous_session_with_acknowledged_mark(repo, patient):
    previous = new_session(repo, patient)
    editing = EditingSession(repo, previous.id)
    old = mark(previous, needled=True, depth_mm=12.0)
    editing.execute(PlaceMark(old, acknowledged(editing, old)))
    repo.sign_session(previous.id, "Dr Test")
    return previous, old


def test_copy_from_a_previous_session_asks_again(repo, patient):
    previous, old = previous_session_with_acknowledged_mark(repo, patient)
    session = new_session(repo, patient)
    editing = EditingSession(repo, session.id)
    plain = mark(previous, THIGH_LEFT)
    copies = carried_over([old, plain], session.id)
    assert all(c.id not in (old.id, plain.id) and not c.needled and c.depth_mm is None for c in copies)
    error = refused(lambda: editing.execute(CopyMarks(copies)))
    assert [n.mark.id for n in error.needs] == [copies[0].id]  # only the hazardous one is listed
    assert repo.list_marks(session.id) == []
    # the previous session's acknowledgement, pointed at the copy, still belongs to that session
    (old_ack,) = repo.list_acknowledgements(previous.id)
    moved_ack = dataclasses.replace(old_ack, mark_id=copies[0].id)
    refused(lambda: editing.execute(CopyMarks(copies, {copies[0].id: moved_ack})))
    assert repo.list_marks(session.id) == []
    ack = acknowledged(editing, copies[0])
    editing.execute(CopyMarks(copies, {copies[0].id: ack}))
    assert {m.id for m in repo.list_marks(session.id)} == {c.id for c in copies}
    assert [a.session_id for a in repo.list_acknowledgements(session.id)] == [session.id]
    copied = repo.get_mark(copies[0].id)
    editing.execute(UpdateMark(copied, dataclasses.replace(copied, needled=True)))  # covered now
    editing.undo()
    editing.undo()  # the whole copy is one step
    assert repo.list_marks(session.id) == []
    editing.redo()
    assert len(repo.list_marks(session.id)) == 2


def test_copy_lists_every_hazardous_mark_with_the_bilateral_rule(repo, patient):
    session = new_session(repo, patient)
    editing = EditingSession(repo, session.id)
    copies = carried_over([mark(session, TRAPEZIUS_RIGHT), mark(session, TRAPEZIUS_LEFT)], session.id)
    error = refused(lambda: editing.execute(CopyMarks(copies)))
    assert [n.mark.side for n in error.needs] == ["right", "left"]
    assert not error.needs[0].warnings
    assert [w.id for w in error.needs[1].warnings] == ["bilateral_thorax"]
    assert error.needs[1].message.startswith("Thoracic hazard zones on both the left and the right")
    acks = {n.mark.id: n.acknowledge("Dr Test", "Pincer grip") for n in error.needs}
    editing.execute(CopyMarks(copies, acks))
    assert "bilateral_thorax" in acks[copies[1].id].hazard_ids


def test_a_faded_overlay_mark_taken_over_asks_again(repo, patient):
    _, old = previous_session_with_acknowledged_mark(repo, patient)
    session = new_session(repo, patient)
    editing = EditingSession(repo, session.id)
    (taken,) = carried_over([old], session.id)
    refused(lambda: editing.execute(CopyMarks([taken], text="Take over trigger point")))
    editing.execute(CopyMarks([taken], {taken.id: acknowledged(editing, taken)}, "Take over trigger point"))
    assert [m.id for m in repo.list_marks(session.id)] == [taken.id]


def test_an_imported_mark_with_its_exported_acknowledgement_is_asked_again(repo, patient):
    """An import brings marks with ids and acknowledgements made elsewhere: only this session's count."""
    session = new_session(repo, patient)
    editing = EditingSession(repo, session.id)
    elsewhere = Session(patient_id=patient.id, clinician="Dr Elsewhere")
    exported = mark(elsewhere)
    exported_ack = dataclasses.replace(acknowledged(editing, mark(session)), mark_id=exported.id)
    exported_ack = dataclasses.replace(exported_ack, session_id=elsewhere.id)
    (imported,) = carried_over([exported], session.id)
    refused(lambda: editing.execute(CopyMarks([imported], {imported.id: exported_ack}, "Import")))
    with pytest.raises(Exception, match="another session"):
        editing.execute(CopyMarks([exported], {}, "Import"))  # not re-homed: refused outright
    assert repo.list_marks(session.id) == []


def test_undo_of_a_delete_restores_only_an_acknowledged_mark(repo, session):
    editing = EditingSession(repo, session.id)
    m = mark(session)
    editing.execute(PlaceMark(m, acknowledged(editing, m)))
    editing.execute(DeleteMark(repo.get_mark(m.id)))
    editing.undo()  # restored with its acknowledgement of this session
    assert [x.id for x in repo.list_marks(session.id)] == [m.id]
    legacy = repo.add_mark(mark(session, TRAPEZIUS_RIGHT, notes="copied by the old path"))
    editing.execute(DeleteMark(legacy))
    refused(editing.undo)
    assert legacy.id not in {x.id for x in repo.list_marks(session.id)} and editing.can_undo
    ack = acknowledged(editing, legacy)
    changes = editing.undo([ack])
    assert changes.acknowledgements and legacy.id in {x.id for x in repo.list_marks(session.id)}
    assert ack.id in {a.id for a in repo.list_acknowledgements(session.id)}
    editing.redo()  # delete again
    editing.undo()  # and back: its acknowledgement is stored now


def test_redo_of_a_place_and_of_a_delete_undo_keep_the_rule(repo, patient, session):
    editing = EditingSession(repo, session.id)
    m = mark(session)
    editing.execute(PlaceMark(m, acknowledged(editing, m)))
    editing.undo()
    editing.redo()
    assert [x.id for x in repo.list_marks(session.id)] == [m.id]
    # acknowledged at "high"; then the screening reports lung disease, which raises the site to
    # "very high" with this session's factors: the earlier acknowledgement no longer covers it
    chest = mark(session, CHEST_WALL_RIGHT)
    ack = acknowledged(editing, chest)
    assert ack.level == "high"
    editing.execute(PlaceMark(chest, ack))
    editing.execute(DeleteMark(repo.get_mark(chest.id)))
    current = repo.get_session(session.id)
    repo.update_session(dataclasses.replace(current, screening_answers={"lung_disease": True}))
    error = refused(editing.undo)
    assert error.needs[0].level == "very_high"
    assert chest.id not in {x.id for x in repo.list_marks(session.id)}


def test_a_deeper_depth_than_published_is_stored_as_a_warning(repo, session):
    editing = EditingSession(repo, session.id)
    m = mark(session, INTERSCAPULAR_RIGHT)
    editing.execute(PlaceMark(m, acknowledged(editing, m)))
    before = repo.get_mark(m.id)
    assert before.depth_warning is None
    deep = dataclasses.replace(before, needle_length_mm=40.0, depth_mm=35.0)
    editing.execute(UpdateMark(before, deep))
    stored = repo.get_mark(m.id)
    assert stored.depth_warning and stored.depth_warning.startswith("Depth: 35 mm")
    assert "Wada-2025" in stored.depth_warning or "Kim-2002" in stored.depth_warning
    shallow = dataclasses.replace(stored, depth_mm=10.0, needle_length_mm=15.0)
    editing.execute(UpdateMark(stored, shallow))
    assert repo.get_mark(m.id).depth_warning is None
    editing.undo()
    assert repo.get_mark(m.id).depth_warning == stored.depth_warning
    # a long needle alone warns too
    plain_length = dataclasses.replace(repo.get_mark(m.id), depth_mm=None, needle_length_mm=50.0)
    editing.execute(UpdateMark(repo.get_mark(m.id), plain_length))
    assert repo.get_mark(m.id).depth_warning.startswith("Needle length: 50 mm")


def test_demo_data_satisfies_the_rule(repo):
    from dn_bodymap.store.demo import fill_demo

    fill_demo(repo)
    checked = 0
    for summary in repo.search_patients(""):
        for visit in repo.list_sessions(summary.patient.id):
            marks = repo.list_marks(visit.session.id)
            HazardRule(repo, visit.session.id).require(marks, others=[])
            checked += len(marks)
    assert checked > 0
