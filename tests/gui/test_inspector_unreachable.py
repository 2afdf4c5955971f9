"""The inspector's muscle choice offers only muscles reachable through the site, and says why a
muscle drawn there is not offered (the locator's reason, e.g. subscapularis through the axilla)."""

from __future__ import annotations

from dn_bodymap.charting.records import Mark, Patient, Session


def open_with_marks(make_window, *sites: tuple[str, float, float, str, str]):
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Reach"))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    marks = [
        repo.add_mark(
            Mark(session_id=session.id, atlas_version="1.0", view=v, x=x, y=y, side=side, muscle_id=muscle)
        )
        for v, x, y, side, muscle in sites
    ]
    window.open_session(session.id)
    return window.session_page, marks


def offered(inspector) -> list[str]:
    return [inspector.muscle.itemData(i) for i in range(inspector.muscle.count())]


def test_subscapularis_is_not_offered_under_the_chest_wall_and_the_hint_says_why(qtbot, make_window):
    page, (chest, axilla) = open_with_marks(
        make_window,
        ("anterior", 60.0, 240.0, "left", "pectoralis_major"),
        ("posterior", 93.0, 236.0, "right", "latissimus_dorsi"),
    )
    inspector = page.inspector
    page.select_mark(chest.id)
    assert inspector.mark_id == chest.id
    assert "subscapularis" not in offered(inspector) and "intercostals" in offered(inspector)
    assert inspector.unreachable.isVisibleTo(inspector)
    assert "subscapularis is reached through the axilla" in inspector.unreachable.text()
    # through the axilla it is offered, and there is nothing to explain
    page.select_mark(axilla.id)
    assert "subscapularis" in offered(inspector)
    assert not inspector.unreachable.isVisibleTo(inspector) and inspector.unreachable.text() == ""
    # nothing selected: no stale hint
    page.select_mark(chest.id)
    inspector.show_mark(None)
    assert not inspector.unreachable.isVisibleTo(inspector)
