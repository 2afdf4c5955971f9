"""Who wrote it: the clinician profile is set once per database, switchable, and it is the name on
the session, every hazard acknowledgement, adverse event, addendum and the signature."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from dn_bodymap.charting.records import Clinician, Patient
from dn_bodymap.gui.clinician_dialog import ClinicianDialog
from dn_bodymap.gui.first_start_dialog import FirstStartDialog
from dn_bodymap.gui.record_dialogs import AddendumDialog
from dn_bodymap.gui.session.adverse_event_dialog import AdverseEventDialog
from dn_bodymap.gui.sign_dialog import SignDialog

RIVERA = Clinician(name="Jo Rivera", profession="Physiotherapist", registration_number="PH-1234")


def answer_modal(handler):
    """Run ``handler(dialog)`` on the next modal dialog that opens."""

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        handler(dialog)

    QTimer.singleShot(0, poll)


def set_clinician_through_menu(window, clinician: Clinician) -> None:
    def fill(dialog):
        assert isinstance(dialog, ClinicianDialog)
        dialog.form.name.setText(clinician.name)
        dialog.form.profession.setCurrentText(clinician.profession)
        dialog.form.registration.setText(clinician.registration_number)
        dialog._accept()

    answer_modal(fill)
    window.clinician_action.trigger()


def hazard_point(atlas) -> tuple[float, float]:
    post = atlas.view("posterior")
    c7, acromion = post.landmark("c7"), post.landmark("acromion", "right")
    return (c7.x + acromion.x) / 2, (c7.y + acromion.y) / 2 + 3


def test_clinician_set_once_is_used_in_all_five_places(qtbot, make_window):
    window, repo = make_window()
    set_clinician_through_menu(window, RIVERA)
    signature = "Jo Rivera, Physiotherapist, reg. PH-1234"
    assert repo.get_clinician() == Clinician(**{**RIVERA.to_dict(), "initials": "JR"})
    assert window.clinician_label.text() == "Clinician: Jo Rivera (JR)"

    patient = repo.add_patient(Patient(display_name="Demo Patient Ada Lind"))
    window.patients.refresh(select=patient.id)
    qtbot.mouseClick(window.patients.start_button, Qt.MouseButton.LeftButton)
    controller, page = window.controller, window.session_page
    assert controller.session.clinician == signature  # 1: the session
    assert signature in page.header.clinician.text()

    def acknowledge(dialog):
        dialog.confirm.setChecked(True)
        dialog.technique.setCurrentIndex(0)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    answer_modal(acknowledge)
    controller.place_mark("posterior", *hazard_point(window.atlas))
    qtbot.waitUntil(lambda: len(controller.acknowledgements()) == 1)
    assert controller.acknowledgements()[0].acknowledged_by == signature  # 2: acknowledgements

    def report_event(dialog):
        assert isinstance(dialog, AdverseEventDialog)
        dialog.type.setCurrentText("Bruising")
        dialog._accept()

    answer_modal(report_event)
    window.adverse_action.trigger()
    events = repo.list_adverse_events(controller.session_id)
    assert [e.recorded_by for e in events] == [signature]  # 3: adverse events

    def confirm(dialog):
        assert isinstance(dialog, SignDialog)
        assert "Jo Rivera, Physiotherapist, reg. PH-1234" in dialog.who.text()
        assert dialog.sign_button.text() == "Sign as JR"
        dialog.sign_button.click()

    answer_modal(confirm)
    window.sign_action.trigger()
    assert controller.is_signed and controller.session.signed_by == signature  # 4: the signature

    def write(dialog):
        assert isinstance(dialog, AddendumDialog)
        dialog.text.setPlainText("Phoned the next day: soreness settled.")
        dialog._accept()

    answer_modal(write)
    window.addendum_action.trigger()
    assert [a.author for a in repo.list_addenda(controller.session_id)] == [signature]  # 5: addenda
    # the audit log names the clinician too, not the computer's login
    assert repo.list_audit(controller.session_id)[0].actor == signature


def test_the_profile_belongs_to_the_database_and_a_new_window_reuses_it(qtbot, make_window, settings):
    window, repo = make_window()
    set_clinician_through_menu(window, RIVERA)
    window.close()
    repo.close()
    window2, _repo2 = make_window()  # the fixture offers "Dr Test"; the database already has its own
    assert window2.clinician == "Jo Rivera, Physiotherapist, reg. PH-1234"
    assert settings.value("clinician") is None  # nothing in the user's global settings


def test_signing_confirms_the_profile_and_can_switch_it(qtbot, make_window):
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Kim Hale"))
    window.start_session(patient.id)
    controller = window.controller

    def switch_then_sign(dialog):
        assert isinstance(dialog, SignDialog)
        assert "Before signing" in dialog.check.text()  # nothing recorded yet: the check informs

        def fill(clinician_dialog):
            clinician_dialog.form.name.setText("Sam Oduya")
            clinician_dialog.form.initials.setText("SO")
            clinician_dialog._accept()

        answer_modal(fill)
        dialog.change_button.click()
        assert dialog.sign_button.text() == "Sign as SO"
        dialog.sign_button.click()

    answer_modal(switch_then_sign)
    window.sign_action.trigger()
    assert controller.session.signed_by == "Sam Oduya"
    assert repo.get_clinician().name == "Sam Oduya"


def test_first_start_asks_once_for_clinician_and_clinic(qtbot, settings, tmp_path):
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.gui.main_window import MainWindow
    from dn_bodymap.store import open_store

    repo = open_store(tmp_path / "fresh.db")
    try:

        def fill(dialog):
            assert isinstance(dialog, FirstStartDialog)
            dialog.reject()  # closing without a name is refused: the record needs an author
            assert dialog.isVisible() and "needed" in dialog.error.text()
            dialog.form.name.setText("Lee Park")
            dialog.clinic_name.setText("Riverside Physiotherapy")
            dialog._accept()

        answer_modal(fill)
        window = MainWindow(repo, default_atlas(), settings=settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.profile is not None)
        assert repo.get_clinician().initials == "LP"
        assert repo.get_setting("clinic_name") == "Riverside Physiotherapy"
        assert window.clinician_label.text() == "Clinician: Lee Park (LP)"
        window.close()
    finally:
        repo.close()
