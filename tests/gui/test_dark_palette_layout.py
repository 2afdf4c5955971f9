"""Switching to the dark palette repaints, and changes nothing of the layout: the session
inspector still fits its panel (re-creating the style made combo boxes size to their longest entry
and cut the inspector's right edge off)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from dn_bodymap.charting.records import Patient, Session
from dn_bodymap.gui.theme import apply_palette


def test_the_dark_palette_keeps_the_inspector_inside_its_panel(qtbot, make_window) -> None:
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Test Patient Dark"))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    window.open_session(session.id)
    page = window.session_page
    qtbot.waitUntil(lambda: page.inspector_scroll.viewport().width() > 0)

    def fits() -> bool:
        return page.inspector.minimumSizeHint().width() <= page.inspector_scroll.viewport().width()

    assert fits()
    style = QApplication.instance().style()
    for dark in (True, False, True):
        window.dark_action.setChecked(dark)
        window.toggle_dark()
        QApplication.processEvents()
        assert QApplication.instance().style() is style  # the palette changes, not the style
        assert fits(), f"dark={dark}: the inspector is wider than its panel"
    window.dark_action.setChecked(False)
    window.toggle_dark()


def test_apply_palette_sets_fusion_once(qapp) -> None:
    apply_palette(qapp, dark=False)
    style = qapp.style()
    assert style.name().lower() == "fusion"
    apply_palette(qapp, dark=True)
    assert qapp.style() is style
    apply_palette(qapp, dark=False)
