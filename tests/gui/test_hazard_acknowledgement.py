"""The hazard rule through the real widgets: "New session from previous", ticking Needled, depth.

The rule itself lives in ``charting`` (tests/editing/test_hazard_rule.py covers every path); here
the clinician's path is repeated with the real buttons and the real acknowledgement dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from dn_bodymap.charting.editing import EditingSession, PlaceMark
from dn_bodymap.charting.records import Mark, Patient, Session
from dn_bodymap.gui.session.ack_dialog import HazardAcknowledgementDialog

UPPER_TRAPEZIUS_RIGHT = dict(view="posterior", x=60.0, y=180.0, side="right", muscle_id="trapezius")
THIGH_LEFT = dict(view="anterior", x=60.0, y=620.0, side="left", muscle_id="rectus_femoris")
INTERSCAPULAR_RIGHT = dict(view="posterior", x=45.0, y=280.0, side="right", muscle_id="rhomboid_major")


def answer_dialog(qtbot, accept: bool = True, technique: int = 3) -> dict:
    """Answer the next acknowledgement dialog as a clinician would, recording what it showed."""
    seen: dict = {}

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, HazardAcknowledgementDialog):
            QTimer.singleShot(10, handle)
            return
        seen["headline"] = dialog.headline.text()
        seen["labels"] = [n.label for n in dialog.needs]
        seen["empty_techniques"] = [box.currentIndex() == -1 for box in dialog.techniques]
        dialog.confirm.setChecked(True)
        seen["ok_before_technique"] = dialog.ok_button.isEnabled()
        if not accept:
            dialog.reject()
            return
        for box in dialog.techniques:
            box.setCurrentIndex(technique)
        seen["technique"] = dialog.techniques[0].currentText()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, handle)
    return seen


def patient_with_signed_visit(repo) -> tuple[Patient, Session, Mark]:
    """A previous, signed visit whose upper-trapezius mark was acknowledged at very high."""
    patient = repo.add_patient(Patient(display_name="Demo Patient Copy", height_cm=172, weight_kg=70))
    previous = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    editing = EditingSession(repo, previous.id)
    apex = Mark(session_id=previous.id, atlas_version="1.0", needled=True, **UPPER_TRAPEZIUS_RIGHT)
    need = editing.rule.need(apex)
    assert need is not None and need.level == "very_high"
    editing.execute(PlaceMark(apex, need.acknowledge("Dr Test", "Pincer grip")))
    editing.execute(PlaceMark(Mark(session_id=previous.id, atlas_version="1.0", **THIGH_LEFT)))
    repo.sign_session(previous.id, "Dr Test")
    return patient, previous, apex


def copy_from_previous(qtbot, window, patient) -> None:
    window.show_patients()
    window.patients.refresh(select=patient.id)
    assert window.patients.copy_button.isEnabled()
    qtbot.mouseClick(window.patients.copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.controller is not None and window.stack.currentWidget() is window.session_page
    )


def test_new_session_from_previous_asks_again_for_a_copied_hazardous_mark(qtbot, make_window):
    window, repo = make_window()
    patient, previous, apex = patient_with_signed_visit(repo)
    seen = answer_dialog(qtbot)
    copy_from_previous(qtbot, window, patient)
    controller = window.controller
    assert controller.session_id != previous.id
    assert seen["labels"] == ["Trapezius (right)"] and "VERY HIGH RISK" in seen["headline"]
    assert seen["empty_techniques"] == [True] and seen["ok_before_technique"] is False
    marks = {str(m.view): m for m in controller.marks()}
    assert set(marks) == {"posterior", "anterior"}
    copied = marks["posterior"]
    assert copied.id != apex.id and not copied.needled
    assert copied.technique == seen["technique"]  # the technique chosen fills the mark's field
    (ack,) = controller.acknowledgements()
    assert ack.session_id == controller.session_id and ack.mark_id == copied.id
    assert str(ack.level) == "very_high" and ack.acknowledged_by == "Dr Test"
    # the badge shows on the canvas, and ticking Needled on the copy asks nothing more
    page = window.session_page
    page.select_mark(copied.id)
    assert "very high" in page.inspector.hazard.text()
    page.inspector.needled.setChecked(True)
    assert repo.get_mark(copied.id).needled
    # one undo takes the whole copy back; the previous session keeps its own acknowledgement only
    window.undo()
    window.undo()
    assert controller.marks() == []
    assert [a.session_id for a in repo.list_acknowledgements(previous.id)] == [previous.id]


def test_declining_leaves_the_hazardous_mark_behind(qtbot, make_window):
    window, repo = make_window()
    patient, _, _ = patient_with_signed_visit(repo)
    seen = answer_dialog(qtbot, accept=False)
    copy_from_previous(qtbot, window, patient)
    assert seen["labels"] == ["Trapezius (right)"]
    assert [str(m.view) for m in window.controller.marks()] == ["anterior"]
    assert window.controller.acknowledgements() == []
    assert "Not copied" in window.statusBar().currentMessage()


def test_needled_on_an_unacknowledged_copy_raises_the_dialog(qtbot, make_window):
    """A mark copied by the old path (no acknowledgement) cannot be recorded as needled silently."""
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Legacy"))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    legacy = repo.add_mark(Mark(session_id=session.id, atlas_version="1.0", **UPPER_TRAPEZIUS_RIGHT))
    window.open_session(session.id)
    page = window.session_page
    page.select_mark(legacy.id)
    seen = answer_dialog(qtbot, accept=False)
    page.inspector.needled.setChecked(True)
    assert seen["labels"] == ["Trapezius (right)"]
    assert not repo.get_mark(legacy.id).needled
    qtbot.waitUntil(lambda: not page.inspector.needled.isChecked())  # the box is put back
    seen = answer_dialog(qtbot)
    page.inspector.needled.setChecked(True)
    assert repo.get_mark(legacy.id).needled
    (ack,) = window.controller.acknowledgements()
    assert ack.session_id == session.id and ack.technique_chosen == seen["technique"]


def test_a_depth_beyond_the_published_depth_warns_at_entry(qtbot, make_window):
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Depth"))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    window.open_session(session.id)
    controller, page = window.controller, window.session_page
    answer_dialog(qtbot)
    mark = controller.place_mark(
        INTERSCAPULAR_RIGHT["view"], INTERSCAPULAR_RIGHT["x"], INTERSCAPULAR_RIGHT["y"]
    )
    assert mark is not None
    page.select_mark(mark.id)
    warned = []
    controller.depthWarning.connect(lambda mark_id, text: warned.append((mark_id, text)))
    page.inspector.length.setValue(40)
    page.inspector.depth.setValue(35)
    stored = repo.get_mark(mark.id)
    assert stored.depth_warning and stored.depth_warning.startswith("Depth: 35 mm")
    assert warned and warned[-1][0] == mark.id
    assert "35 mm" in window.statusBar().currentMessage()


def test_the_bilateral_rule_is_the_headline(qtbot, make_window, tmp_path):
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Both Sides"))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    window.open_session(session.id)
    controller = window.controller
    answer_dialog(qtbot)
    assert controller.place_mark("posterior", 60.0, 180.0)
    need = controller.prospective_need("posterior", -60.0, 180.0)
    dialog = HazardAcknowledgementDialog([need], window)
    qtbot.addWidget(dialog)
    dialog.resize(640, 620)
    dialog.show()
    assert "both sides of the thorax" in dialog.headline.text()
    assert "both the left and the right" in dialog.headline.text()
    dialog.grab().save(str(tmp_path / "ack.png"))


def scripted(answers: list[bool], asked: list) -> object:
    """An ack provider that accepts or declines in turn, recording what it was asked."""
    from dn_bodymap.gui.session.controller import AcknowledgementAnswer

    def provider(needs):
        asked.append([n.label for n in needs])
        return [AcknowledgementAnswer("Ultrasound-guided depth", "")] * len(needs) if answers.pop(0) else None

    return provider


def test_move_take_over_and_undo_of_a_delete_ask_through_the_controller(qtbot, make_window):
    window, repo = make_window()
    patient, _, apex = patient_with_signed_visit(repo)
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    window.open_session(session.id)
    controller = window.controller
    asked: list = []
    # a faded-overlay mark taken over: declined, then accepted
    controller.ack_provider = scripted([False, True], asked)
    assert controller.take_over(apex) is None and controller.marks() == []
    taken = controller.take_over(apex)
    assert taken is not None and asked == [["Trapezius (right)"], ["Trapezius (right)"]]
    assert repo.get_mark(taken.id).technique == "Ultrasound-guided depth"
    # a plain mark dragged up onto the left lung apex (front view): declined → it stays where it was
    plain = controller.place_mark(THIGH_LEFT["view"], THIGH_LEFT["x"], THIGH_LEFT["y"])
    controller.ack_provider = scripted([False, True], asked)
    assert not controller.move_mark(plain.id, 60.0, 180.0)
    assert (repo.get_mark(plain.id).x, repo.get_mark(plain.id).y) == (plain.x, plain.y)
    assert controller.move_mark(plain.id, 60.0, 180.0)
    assert repo.get_mark(plain.id).y == 180.0 and asked[-1] == [
        controller.mark_label(repo.get_mark(plain.id))
    ]
    # a legacy (never acknowledged) mark deleted, then undone: asked again, declined keeps it deleted
    legacy = repo.add_mark(Mark(session_id=session.id, atlas_version="1.0", **INTERSCAPULAR_RIGHT))
    assert controller.delete_mark(legacy.id)
    controller.ack_provider = scripted([False, True], asked)
    controller.undo()
    assert legacy.id not in {m.id for m in controller.marks()}
    controller.undo()
    assert legacy.id in {m.id for m in controller.marks()}
    assert any(a.mark_id == legacy.id and a.session_id == session.id for a in controller.acknowledgements())
