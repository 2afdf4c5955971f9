"""The main window's Teaching menu reaches the presentation, both quizzes and the card export."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog, QInputDialog

from dn_bodymap.gui.teaching.presentation import PresentationWindow
from dn_bodymap.gui.teaching.quiz_window import QuizWindow
from dn_bodymap.gui.teaching.teaching_menu import WHOLE_LIBRARY
from dn_bodymap.teaching.lessons import builtin_lessons


def test_teaching_menu_opens_each_feature(make_window, monkeypatch, tmp_path, qtbot):
    window, _ = make_window()
    menu = window.teaching_menu
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Teaching" in titles and titles.index("&Teaching") < titles.index("&Help")
    lesson = builtin_lessons()[0]
    answers = iter(
        [
            (lesson.title, True),  # presentation
            (WHOLE_LIBRARY, True),  # quiz, pick the muscle
            (lesson.title, True),  # quiz, draw the zone
        ]
    )
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: next(answers))
    monkeypatch.setattr(PresentationWindow, "showFullScreen", PresentationWindow.show)

    menu.presentation_action.trigger()
    presentation = menu.opened[-1]
    assert isinstance(presentation, PresentationWindow) and presentation.lesson_title == lesson.title
    presentation.close()

    menu.quiz_pick_action.trigger()
    quiz = menu.opened[-1]
    assert isinstance(quiz, QuizWindow) and quiz.kind == "name_the_muscle"
    quiz.close()

    menu.quiz_draw_action.trigger()
    quiz = menu.opened[-1]
    assert quiz.kind == "draw_the_zone"
    assert {q.muscle for q in quiz.round.questions} <= set(lesson.muscles)
    quiz.close()


def test_export_pattern_card_from_the_menu(make_window, monkeypatch, tmp_path):
    window, _ = make_window()
    menu = window.teaching_menu
    out = tmp_path / "card.pdf"

    def pick(parent, title, label, items, *args):
        if label.startswith("Trigger point"):
            return next(i for i in items if i.startswith("Infraspinatus")), True
        return "left", True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    menu.card_action.trigger()
    assert out.exists()
    text = " ".join(PdfReader(str(out)).pages[0].extract_text().split())
    assert "Infraspinatus" in text and "left side" in text
    assert "Pattern card written" in window.statusBar().currentMessage()
