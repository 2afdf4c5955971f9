"""Opening a session paints first and checks the session rules over its marks just after (issue #14).

Until the check has run the banner says the marks are being checked (never "no warnings"); after it,
the banner shows exactly what the core's rule finds when computed eagerly. A click before the check
still goes through the hazard rule synchronously and asks for the acknowledgement.
"""

from __future__ import annotations

import pytest

from dn_bodymap.charting.editing import EditingSession, HazardRule, PlaceMark
from dn_bodymap.charting.records import Mark, Patient, Session
from dn_bodymap.gui.session.page import CHECKING_TEXT

RIGHT_TRAPEZIUS = dict(view="posterior", x=60.0, y=180.0, side="right", muscle_id="trapezius")
LEFT_TRAPEZIUS = dict(view="posterior", x=-60.0, y=180.0, side="left", muscle_id="trapezius")
THIGH_LEFT = dict(view="anterior", x=60.0, y=620.0, side="left", muscle_id="rectus_femoris")


@pytest.fixture(autouse=True)
def _settled(qtbot, make_window):
    """Each test leaves nothing running: the work after the paint done, no ranking in a thread."""
    yield
    from PySide6.QtWidgets import QApplication

    from dn_bodymap.gui.main_window import MainWindow

    for window in QApplication.topLevelWidgets():
        page = getattr(window, "session_page", None) if isinstance(window, MainWindow) else None
        if page is not None:
            page.after_paint.run_now()
            page.referral.wait_for_suggestions(20_000)


def _draft(repo, *sites: dict) -> str:
    """A draft session with acknowledged marks at ``sites`` (written headless, as a previous run did)."""
    patient = repo.add_patient(Patient(display_name="Demo Patient Start", height_cm=170, weight_kg=65))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    editing = EditingSession(repo, session.id)
    for site in sites:
        mark = Mark(session_id=session.id, atlas_version="1.0", **site)
        need = editing.rule.need(mark)
        editing.execute(PlaceMark(mark, need.acknowledge("Dr Test", "Pincer grip") if need else None))
    return session.id


def _eager(repo, session_id: str) -> tuple[list[str], int]:
    """The session rules computed at once by a fresh rule reading the store (no model, no cache)."""
    review = HazardRule(repo, session_id).live_review()
    return [f"{w.message} [{', '.join(w.sources)}]" for w in review.warnings], review.high_level_sites


def test_warnings_are_checking_until_after_the_first_paint_then_equal_the_eager_ones(qtbot, make_window):
    window, repo = make_window()
    session_id = _draft(repo, RIGHT_TRAPEZIUS, LEFT_TRAPEZIUS, THIGH_LEFT)
    window.open_session(session_id)
    page = window.session_page
    assert page.session_banner.isVisibleTo(page) and page.session_banner.text() == CHECKING_TEXT
    qtbot.waitUntil(lambda: page.after_paint.done, timeout=10_000)
    warnings, high = _eager(repo, session_id)
    assert warnings and "both the left and the right" in warnings[0]  # the case is a real warning
    assert page.session_banner.isVisibleTo(page)
    assert page.session_banner.text() == "<br>".join(warnings)
    assert page.session_banner.toolTip() == f"High-level sites in this session: {high}"


def test_a_session_without_warnings_shows_none_once_checked(qtbot, make_window):
    window, repo = make_window()
    session_id = _draft(repo, THIGH_LEFT)
    window.open_session(session_id)
    page = window.session_page
    assert page.session_banner.text() == CHECKING_TEXT  # not "none" before the check
    qtbot.waitUntil(lambda: page.after_paint.done, timeout=10_000)
    assert _eager(repo, session_id) == ([], 0)
    assert not page.session_banner.isVisibleTo(page)


def test_an_empty_session_has_nothing_to_check(qtbot, make_window):
    window, repo = make_window()
    session_id = _draft(repo)
    window.open_session(session_id)
    assert not window.session_page.session_banner.isVisibleTo(window.session_page)


def test_a_click_before_the_check_still_asks_for_the_acknowledgement(qtbot, make_window):
    window, repo = make_window()
    session_id = _draft(repo, RIGHT_TRAPEZIUS)
    window.open_session(session_id)
    page, controller = window.session_page, window.controller
    assert not page.after_paint.done
    asked = []

    def decline(needs):
        asked.append(needs)
        return None

    controller.ack_provider = decline
    page.canvas.views["posterior"].placeRequested.emit("posterior", -60.0, 180.0)  # the left trapezius
    (needs,) = asked
    assert needs[0].level == "very_high" and [w.id for w in needs[0].warnings] == ["bilateral_thorax"]
    assert len(controller.marks()) == 1  # declined: nothing placed
    accepted = []

    def accept(needs):
        from dn_bodymap.gui.session.controller import AcknowledgementAnswer

        accepted.append(needs)
        return [AcknowledgementAnswer("Pincer grip", "discussed")] * len(needs)

    controller.ack_provider = accept
    page.canvas.views["posterior"].placeRequested.emit("posterior", -60.0, 180.0)
    assert accepted and len(controller.marks()) == 2
    # The change ran the rule: the banner shows its warnings at once, not "checking".
    warnings, _ = _eager(repo, session_id)
    assert page.session_banner.text() == "<br>".join(warnings) and warnings
    qtbot.waitUntil(lambda: page.after_paint.done, timeout=10_000)
    assert page.session_banner.text() == "<br>".join(warnings)


def test_the_referral_suggestions_of_a_reopened_drawing_come_after_the_paint(qtbot, make_window):
    """The referral index (with the trigger-point library) is not needed to paint: a session opened
    with a pain drawing ranks it once the index has loaded, as the eager ranking does."""
    from dn_bodymap.charting.editing.sketch import from_record
    from dn_bodymap.charting.referral.drawing import PainDrawing
    from dn_bodymap.charting.referral.index_cache import default_referral_index
    from dn_bodymap.charting.referral.suggest import suggest

    window, repo = make_window()
    session_id = _draft(repo, THIGH_LEFT)
    window.open_session(session_id)
    controller = window.controller
    with qtbot.waitSignal(controller.sketches.settled):  # a brush stroke over the left lateral thigh
        assert controller.finish_stroke("anterior", "brush", [(70.0, 560.0), (75.0, 600.0), (72.0, 640.0)])
    window.open_session(session_id)  # reopened: a new screen with that drawing
    page = window.session_page
    assert page._suggestions_pending and page.referral.suggestions.count() == 0
    qtbot.waitUntil(lambda: page.after_paint.done, timeout=10_000)
    qtbot.waitUntil(lambda: page.referral.suggestions.count() > 0, timeout=20_000)
    drawing = PainDrawing()
    for area in window.controller.pain_areas():
        drawing.add(str(area.view), from_record(area.geometry))
    eager = suggest(drawing.clipped(window.atlas), default_referral_index(), top=8)
    shown = [page.referral.suggestions.item(i).data(0x0100) for i in range(page.referral.suggestions.count())]
    assert shown == [(s.trigger_point, str(s.side)) for s in eager]
