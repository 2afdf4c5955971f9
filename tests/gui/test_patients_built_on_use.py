"""The patients screen is built when first used (gui/main_window.py ``patients``, issue #14): a
start into the last session paints without it, and once built it lists the patients once, writes
through the store the window holds then, and carries the report actions and sync refreshes."""

from __future__ import annotations

import pytest

from dn_bodymap.charting.records import Patient, Session
from dn_bodymap.gui.main_window import MainWindow
from dn_bodymap.gui.patients.page import PatientsPage


@pytest.fixture
def session_window(qtbot, settings, db_path):
    """A window opened straight onto a session, as a start into the last session does."""
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.store import open_store

    repo = open_store(db_path)
    patient = repo.add_patient(Patient(display_name="Demo Patient Lazy"))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    window = MainWindow(repo, default_atlas(), None, None, settings, "Dr Test")
    qtbot.addWidget(window)
    window.open_session(session.id)
    window.show()
    yield window, repo, session
    repo.close()


def test_a_window_opened_on_a_session_has_no_patients_screen_until_it_is_shown(
    session_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _, _ = session_window
    assert window._patients is None
    refreshed: list[object] = []
    real = PatientsPage.refresh
    monkeypatch.setattr(
        PatientsPage, "refresh", lambda self, *a, **k: refreshed.append(a) or real(self, *a, **k)
    )
    window.show_patients()
    assert isinstance(window._patients, PatientsPage) and window.stack.currentWidget() is window.patients
    assert window.patients.patients.count() == 1
    assert len(refreshed) == 1  # listed as it was built, not a second time
    window.show_patients()
    assert len(refreshed) == 2  # shown again: listed afresh


def test_built_later_it_reads_the_store_the_window_holds_then(session_window, tmp_path) -> None:
    window, repo, _ = session_window
    from dn_bodymap.store import open_store

    other = open_store(tmp_path / "other.db")
    try:
        other.add_patient(Patient(display_name="Demo Patient Elsewhere"))
        window.use_repository(other)
        assert window._patients is None  # the swap does not build it
        assert [window.patients.patients.item(0).text().splitlines()[0]] == ["Demo Patient Elsewhere"]
        assert window.patients.repo is other
    finally:
        window.use_repository(repo)
        other.close()


def test_its_report_actions_are_wired_when_it_is_built(
    session_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _, session = session_window
    opened: list[str] = []

    class Preview:
        saved_path = None

        def __init__(self, repo, atlas, session_id, parent) -> None:
            opened.append(session_id)

        def exec(self) -> int:
            return 0

    monkeypatch.setattr("dn_bodymap.gui.report_actions.ReportPreviewDialog", Preview)
    window.show_patients()
    window.patients.exportSession.emit(session.id)
    assert opened == [session.id]
    hooked: list[PatientsPage] = []
    window.when_patients_built(hooked.append)  # already built: called at once
    assert hooked == [window.patients]
