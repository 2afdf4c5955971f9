"""A mark placed on the plantar view in the session screen is stored with its view and muscle, shows
on the soles, and comes back from the store (issue #15)."""

from __future__ import annotations

from dn_bodymap.atlas.model import Side
from dn_bodymap.charting.records import Patient, Session


def test_a_mark_on_the_soles_is_recorded_there(make_window, qtbot):
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Plantar"))
    session = repo.create_session(Session(patient_id=patient.id, clinician=window.clinician))
    window.open_session(session.id)
    page = window.session_page
    assert "plantar" in page.canvas.detail_views
    page.canvas.show_view("plantar")
    assert page.canvas.visible_views() == ["plantar"]
    heel_front = page.canvas.atlas.view("plantar").landmark("plantar_heel_front", Side.RIGHT)
    page.canvas.views["plantar"].placeRequested.emit("plantar", heel_front.x + 8, heel_front.y + 10)
    qtbot.waitUntil(lambda: len(repo.load_session(session.id).marks) == 1)
    mark = repo.load_session(session.id).marks[0]
    assert str(mark.view) == "plantar" and str(mark.side) == "right"
    assert mark.muscle_id in {"flexor_digitorum_brevis", "quadratus_plantae"}
    assert mark.id in page.canvas.scenes["plantar"].marks


def test_a_hazard_reported_for_the_mark_just_placed_goes_when_another_view_is_shown(make_window):
    """ "Hazard here: …" names the hazard under the mark just placed; once the soles (or any other
    view) are shown it would seem to speak of them, so it is cleared. Other status lines stay."""
    from dn_bodymap.gui.session.controller import HAZARD_HERE

    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Status"))
    session = repo.create_session(Session(patient_id=patient.id, clinician=window.clinician))
    window.open_session(session.id)
    page, status = window.session_page, window.statusBar()
    page.canvas.show_view("posterior")
    window.controller.message.emit(f"{HAZARD_HERE}pleura (very high)")
    assert status.currentMessage().startswith(HAZARD_HERE)
    page.canvas.show_view("posterior")  # the same view again (a re-layout): still about it
    assert status.currentMessage().startswith(HAZARD_HERE)
    page.canvas.show_view("plantar")
    assert status.currentMessage() == ""
    window.controller.message.emit("Mark moved")
    page.canvas.show_view("posterior")
    assert status.currentMessage() == "Mark moved"
