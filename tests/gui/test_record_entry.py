"""Entry details: the inspector follows a muscle change at once, tool buttons show their keys."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dn_bodymap.charting.records import Patient


def test_muscle_change_updates_title_and_trigger_points_at_once(qtbot, make_window):
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Eli Moss"))
    window.start_session(patient.id)
    controller, page = window.controller, window.session_page
    # a thigh site with a deeper muscle under the superficial one, away from any hazard
    site = None
    for shape in window.atlas.view("anterior").muscle_shapes:
        if shape.muscle_id == "rectus_femoris":
            ident = controller.identify("anterior", *shape.anchor)
            if ident is not None and len(ident.muscles) >= 2:
                site = shape.anchor
                break
    assert site is not None
    mark = controller.place_mark("anterior", *site)
    assert mark is not None
    page.select_mark(mark.id)
    inspector = page.inspector
    before = inspector.title.text()
    index = next(i for i in range(inspector.muscle.count()) if inspector.muscle.itemData(i) != mark.muscle_id)
    deeper = inspector.muscle.itemData(index)
    inspector.muscle.setCurrentIndex(index)
    inspector.muscle.activated.emit(index)
    assert repo.get_mark(mark.id).muscle_id == deeper
    assert inspector.title.text() != before
    assert inspector.title.text() == controller.mark_label(repo.get_mark(mark.id))
    library_ids = {tp.id for tp in controller.library.for_muscle(deeper)}
    shown = {inspector.trigger_point.itemData(i) for i in range(inspector.trigger_point.count())}
    assert library_ids <= shown


def test_tool_buttons_show_their_key_letters(qtbot, make_window):
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Eli Moss"))
    window.start_session(patient.id)
    texts = [a.text() for a in window.session_page.canvas.tool_actions.values()]
    assert "Trigger point (T)" in texts and "Brush (B)" in texts and "Pan (H)" in texts


def test_date_of_birth_is_typed_blank_by_default_and_tab_moves_on(qtbot):
    from PySide6.QtCore import QDate, Qt
    from PySide6.QtWidgets import QApplication

    from dn_bodymap.gui.patients.patient_dialog import PatientDialog

    dialog = PatientDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.name.setText("Demo Patient Tia Marsh")
    assert dialog.dob.edit.text() == "" and dialog.build().date_of_birth is None  # blank default
    dialog.dob.edit.setFocus()
    qtbot.keyClicks(dialog.dob.edit, "1984-03-12")
    qtbot.keyClick(dialog.dob.edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.sex  # Tab goes to the next field, not the calendar
    assert dialog.build().date_of_birth == "1984-03-12"
    parts = {"d": "12", "m": "03", "y": "1984"}
    dialog.dob.edit.setText("/".join(parts[c] for c in dialog.dob.order))
    assert dialog.build().date_of_birth == "1984-03-12"
    dialog.dob.edit.setText("31/31/1984")
    dialog._accept()
    assert dialog.result_patient is None and dialog.error.text()
    # the calendar opens near a plausible adult year, not January 1900
    dialog.dob.edit.setText("")
    dialog.dob._open_near_value()
    assert dialog.dob.calendar.yearShown() == QDate.currentDate().year() - 40
    dialog.dob.calendar.clicked.emit(QDate(1990, 5, 4))
    assert dialog.dob.value() == "1990-05-04"


@given(
    st.dates(min_value=date(1000, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from(["dmy", "mdy", "ymd"])
)
def test_parse_date_reads_each_locale_order_and_iso(day, order):
    from dn_bodymap.gui.patients.date_field import parse_date

    parts = {"d": day.day, "m": day.month, "y": day.year}
    assert parse_date(" / ".join(str(parts[c]) for c in order), order) == day
    assert parse_date(day.isoformat(), order) == day


@pytest.mark.parametrize("text", ["12/03", "1984-13-01", "aa/bb/cccc", "12/03/84"])
def test_parse_date_refuses_unreadable_text(text):
    from dn_bodymap.gui.patients.date_field import parse_date

    with pytest.raises(ValueError):
        parse_date(text, "dmy")


def test_times_are_shown_in_local_time(monkeypatch):
    import time

    from dn_bodymap.gui.local_time import local_text

    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        assert local_text("2026-01-05T09:00:00.000000Z") == "2026-01-05 22:00"  # NZDT, UTC+13
        assert local_text(None) == ""
    finally:
        monkeypatch.undo()
        time.tzset()
