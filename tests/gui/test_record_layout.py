"""The default layout at common screen sizes, light and dark: both body views show at 1280 × 800,
nothing scrolls sideways, and a palette switch repaints everything at once."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLayout

from dn_bodymap.charting.records import AdverseEvent, Patient, Session
from dn_bodymap.gui.theme import apply_palette


@pytest.fixture
def signed_session_window(make_window):
    """A window showing a signed session with a long signature and entries under it."""
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Wilhelmina Featherstonehaugh-Smythe"))
    session = repo.create_session(Session(patient_id=patient.id, clinician=window.clinician))
    repo.sign_session(session.id, "Demo Clinician Robin Hale, Physiotherapist, reg. DEMO-0000")
    repo.add_adverse_event(AdverseEvent(session_id=session.id, type="Bruising", severity="mild"))
    window.open_session(session.id)
    yield window
    apply_palette(QApplication.instance(), False)


def _sideways_scrollbars(window) -> list[str]:
    return [
        f"{type(area).__name__} {area.accessibleName()}"
        for area in window.findChildren(QAbstractScrollArea)
        if area.isVisible() and area.horizontalScrollBar().isVisible()
    ]


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
@pytest.mark.parametrize("dark", [False, True])
def test_nothing_scrolls_sideways_and_both_views_show(qtbot, signed_session_window, size, dark):
    window = signed_session_window
    apply_palette(QApplication.instance(), dark)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    page = window.session_page
    qtbot.waitUntil(lambda: page.canvas.visible_views() == ["anterior", "posterior"])
    assert page.canvas.side_box.isChecked() and page.canvas.side_box.text() == "Front and back together"
    QApplication.processEvents()
    assert _sideways_scrollbars(window) == []
    header = page.header
    assert header.width() <= page.header_scroll.viewport().width()  # the header is not cut off
    assert page.inspector.width() <= page.inspector_scroll.viewport().width()


def test_too_narrow_for_both_views_says_so(qtbot):
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.gui.session.canvas_panel import CanvasPanel
    from dn_bodymap.render.style import LIGHT
    from dn_bodymap.render.view_painter import RenderOptions

    canvas = CanvasPanel(default_atlas(), lambda layers: RenderOptions(layers=layers, palette=LIGHT))
    qtbot.addWidget(canvas)
    canvas.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # as if squeezed
    canvas.show()
    canvas.resize(420, 600)
    qtbot.waitUntil(lambda: canvas.width() == 420)
    assert canvas.visible_views() == ["anterior"]
    assert "too narrow" in canvas.side_box.text()
    canvas.resize(900, 600)
    qtbot.waitUntil(lambda: canvas.visible_views() == ["anterior", "posterior"])
    assert canvas.side_box.text() == "Front and back together"


def test_switching_palettes_repaints_bold_headings(qtbot, signed_session_window):
    title = signed_session_window.session_page.header.title
    apply_palette(QApplication.instance(), True)
    assert title.palette().color(QPalette.ColorRole.WindowText).lightness() > 200
    apply_palette(QApplication.instance(), False)
    assert title.palette().color(QPalette.ColorRole.WindowText).lightness() < 80


def test_dark_skin_is_not_near_black() -> None:
    from dn_bodymap.render.style import DARK

    assert DARK.skin.lightness() > 110 and DARK.skin.lightness() - DARK.background.lightness() > 80
