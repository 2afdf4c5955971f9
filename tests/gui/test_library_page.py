"""The Library screen through its real widgets: search by name and by symptom, select a muscle,
compare patterns, reverse lookup from clicked regions, lessons, and the main-window hookup."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.model import Side
from dn_bodymap.atlas.trigger_points import default_library
from dn_bodymap.charting.referral.index_cache import default_referral_index
from dn_bodymap.render.style import pattern_colour


@pytest.fixture
def page(qtbot, tmp_path):
    from dn_bodymap.gui.teaching.library_page import LibraryPage

    widget = LibraryPage(
        default_atlas(), default_library(), default_referral_index(), lessons_path=tmp_path / "lessons.json"
    )
    qtbot.addWidget(widget)
    widget.resize(1500, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click_muscle(qtbot, page, muscle_id: str) -> None:
    for i in range(page.muscle_list.count()):
        item = page.muscle_list.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == muscle_id:
            rect = page.muscle_list.visualItemRect(item)
            page.muscle_list.scrollToItem(item)
            rect = page.muscle_list.visualItemRect(item)
            qtbot.mouseClick(page.muscle_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"{muscle_id} is not listed")


def colour_count(image, colour: QColor, tolerance: int = 40) -> int:
    n = 0
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + abs(c.blue() - colour.blue())
                < tolerance
            ):
                n += 1
    return n


def test_search_by_name_latin_and_symptom(qtbot, page):
    qtbot.keyClicks(page.search, "trapez")
    assert page.listed_muscles()[0] == "trapezius"
    page.search.clear()
    qtbot.keyClicks(page.search, "Musculus soleus")
    assert page.listed_muscles() == ["soleus"]
    page.search.clear()
    qtbot.keyClicks(page.search, "tennis elbow")
    listed = page.listed_muscles()
    assert {"extensor_carpi_radialis_brevis", "supinator"} <= set(listed)
    assert "soleus" not in listed
    page.search.clear()
    qtbot.keyClicks(page.search, "heel pain")
    assert {"soleus", "abductor_hallucis"} <= set(page.listed_muscles())
    assert "Heel pain" in page.muscle_list.item(0).text()  # each row says why it is there
    page.search.clear()
    qtbot.keyClicks(page.search, "qqqqq")
    assert page.listed_muscles() == [] and page.count_label.text() == "No muscle matches."


def test_selecting_a_muscle_shows_its_pattern_panel_and_views(qtbot, page):
    qtbot.keyClicks(page.search, "infraspinatus")
    click_muscle(qtbot, page, "infraspinatus")
    assert page.muscle == "infraspinatus"
    text = page.panel.toPlainText()
    for heading in ("Infraspinatus", "Mimics:", "Needling:", "Sources:"):
        assert heading in text
    # the pattern refers to the front of the shoulder: the front view is shown with the back
    assert {"anterior", "posterior"} <= set(page.visible_views())
    specs = page.views["anterior"].patterns()
    assert specs and all(side == "right" and idx == 0 for _, side, idx in specs)
    assert page.views["anterior"].render_options().highlight == frozenset({"infraspinatus"})
    # one trigger point at a time
    page.point_box.setCurrentIndex(page.point_box.findData("infraspinatus.1"))
    assert [t for t, _, _ in page.views["anterior"].patterns()] == ["infraspinatus.1"]
    # the left side
    page.left_button.setChecked(True)
    assert page.views["anterior"].patterns()[0][1] == "left"


def test_hazards_come_from_the_safety_engine(qtbot, page):
    page.select_muscle("trapezius")
    page.point_box.setCurrentIndex(page.point_box.findData("trapezius.1"))
    text = page.panel.toPlainText()
    assert "Hazards:" in text and "risk" in text.lower()
    assert " safe " not in f" {text.lower()} "


def test_muscles_faded_or_hidden(qtbot, page):
    page.select_muscle("gluteus_minimus")
    view = page.views["posterior"]
    assert "superficial" in view.render_options().layers
    page.set_muscles_mode("hidden")
    assert view.muscles_mode() == "hidden" and "superficial" not in view.render_options().layers
    page.set_muscles_mode("faded")
    labels = [o.label for o in view.render_options().overlays]
    assert labels[0] == "veil" and "essential zone" in labels


def test_compare_up_to_four_patterns_with_a_legend(qtbot, page):
    for muscle in ("trapezius", "levator_scapulae", "quadratus_lumborum"):
        page.select_muscle(muscle)
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.mode == "compare" and page.compare.legend.count() == 3
    assert "Trapezius (blue)" in page.compare.legend.item(0).text()
    colours = {idx for _, _, idx in page.views["posterior"].patterns()}
    assert colours == {0, 1, 2}
    image = page.views["posterior"].grab_image()
    for idx in range(3):
        assert colour_count(image, pattern_colour(idx, page.palette).darker(135)) > 0, idx
    page.select_muscle("soleus")
    page.add_to_comparison()
    page.select_muscle("piriformis")
    page.add_to_comparison()
    assert page.compare.muscles == ["trapezius", "levator_scapulae", "quadratus_lumborum", "soleus"]
    assert "At most 4" in page.compare.status.text()
    page.compare.legend.setCurrentRow(1)
    qtbot.mouseClick(page.compare.remove_button, Qt.MouseButton.LeftButton)
    assert page.compare.muscles == ["trapezius", "quadratus_lumborum", "soleus"]
    page.views["posterior"].setFocus()
    qtbot.keyClick(page.views["posterior"], Qt.Key.Key_Escape)
    assert page.compare.muscles == [] and page.views["posterior"].patterns() == []


def test_a_comparison_saved_as_a_lesson_reopens(qtbot, page):
    for muscle in ("soleus", "gastrocnemius"):
        page.select_muscle(muscle)
        page.add_to_comparison()
    lesson = page.save_comparison_as_lesson("Calf class")
    assert lesson is not None and lesson.muscles == ("soleus", "gastrocnemius")
    from dn_bodymap.teaching.lessons import load_lessons

    assert load_lessons(page.lessons_path) == [lesson]
    index = page.lesson_box.findData(lesson.id)
    assert index > 0
    page.lesson_box.setCurrentIndex(index)
    assert page.listed_muscles() == ["soleus", "gastrocnemius"]
    page.lesson_box.setCurrentIndex(page.lesson_box.findData("heel"))
    assert page.listed_muscles()[0] == "soleus" and len(page.listed_muscles()) == 5


def test_reverse_lookup_from_clicked_regions(qtbot, page):
    qtbot.mouseClick(page.mode_buttons.button(2), Qt.MouseButton.LeftButton)
    assert page.mode == "lookup" and set(page.visible_views()) == {
        "anterior",
        "posterior",
        "lateral_right",
        "lateral_left",
    }
    atlas = page.atlas
    temple = next(r for r in atlas.view("anterior").regions if r.id == "temple" and r.side is Side.RIGHT)
    neck = next(
        r for r in atlas.view("posterior").regions if r.id == "posterior_neck" and r.side is Side.RIGHT
    )
    for view_name, region in (("anterior", temple), ("posterior", neck)):
        view = page.views[view_name]
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.to_widget(*region.anchor).toPoint())
    assert set(page.lookup.selected) == {
        ("anterior", "temple", "right"),
        ("posterior", "posterior_neck", "right"),
    }
    assert "temple" in page.lookup.summary.text()
    assert page.lookup.results and page.lookup.results[0].muscle == "trapezius"
    first = page.lookup.candidates.item(0)
    assert "score" in first.text() and "explains" in first.text()
    rect = page.lookup.candidates.visualItemRect(first)
    qtbot.mouseClick(page.lookup.candidates.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.views["posterior"].patterns() == [(page.lookup.results[0].trigger_point, "right", 0)]
    assert page.views["posterior"].render_options().overlays[0].label == "selected region"
    # a second click on a region removes it
    view = page.views["anterior"]
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.to_widget(*temple.anchor).toPoint())
    assert set(page.lookup.selected) == {("posterior", "posterior_neck", "right")}
    assert page.views["posterior"].patterns() == []  # a new pick clears the shown candidate


def test_the_main_window_opens_the_library(qtbot, make_window):
    window, _ = make_window()
    window.library_action.trigger()
    assert window.stack.currentWidget() is window.library_page
    assert "library" in window.windowTitle()
    window.dark_action.setChecked(True)
    window.toggle_dark()
    assert window.library_page.views["anterior"].render_options().palette.background.lightness() < 128
    window.show_patients()
    assert window.stack.currentWidget() is window.patients


def test_reverse_lookup_from_a_drawn_outline(qtbot, page):
    page.set_mode("lookup")
    view = page.views["posterior"]
    buttock = next(
        r for r in page.atlas.view("posterior").regions if r.id == "buttock" and r.side is Side.RIGHT
    )
    x, y = buttock.anchor
    ring = [(x - 25, y - 20), (x + 25, y - 20), (x + 25, y + 20), (x - 25, y + 20), (x - 25, y - 19)]
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=view.to_widget(*ring[0]).toPoint())
    for px, py in ring[1:]:
        qtbot.mouseMove(view, view.to_widget(px, py).toPoint())
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=view.to_widget(*ring[-1]).toPoint())
    assert [key[2] for key in page.lookup.selected] == ["drawn"]
    assert page.lookup.results and "buttock" in page.lookup.summary.text()
    assert any(s.muscle.startswith("gluteus") for s in page.lookup.results[:5])
    # a scribble that encloses nothing is refused with a message and changes nothing
    messages = []
    page.message.connect(messages.append)
    page._on_figure_drawn("posterior", [(x, y), (x + 30, y), (x + 60, y)])
    assert len(page.lookup.selected) == 1 and messages and messages[-1].startswith("Outline not used")
