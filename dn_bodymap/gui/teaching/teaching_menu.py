"""The main window's Teaching menu: presentation, the two quizzes and the pattern card export.

Each action asks for what it needs (a lesson, a trigger point, a file name) with a standard dialog
and then calls the same entry points the Library screen uses, so every feature is reachable from
the menu whatever screen is showing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QMenu, QMessageBox, QWidget

from dn_bodymap.atlas.model import Atlas, Side
from dn_bodymap.atlas.trigger_points import Library
from dn_bodymap.gui.teaching.presentation import open_presentation
from dn_bodymap.gui.teaching.quiz_window import open_quiz
from dn_bodymap.report.pattern_card import CardError, build_card, write_card
from dn_bodymap.teaching.lessons import Lesson, LessonError, all_lessons, builtin_lessons
from dn_bodymap.teaching.quiz import QuizKind

WHOLE_LIBRARY = "Whole library (every muscle with a pattern)"


class TeachingMenu(QMenu):
    def __init__(self, window: QMainWindow, atlas: Atlas, library: Library | None = None) -> None:
        super().__init__("&Teaching", window)
        self.window_, self.atlas, self._library = window, atlas, library
        self.opened: list[QWidget] = []
        self.presentation_action = self.addAction("Presentation…", self.ask_presentation)
        self.presentation_action.setShortcut("F5")
        self.addSeparator()
        self.quiz_pick_action = self.addAction(
            "Quiz — pick the muscle…", lambda: self.ask_quiz("name_the_muscle")
        )
        self.quiz_draw_action = self.addAction(
            "Quiz — draw the zone…", lambda: self.ask_quiz("draw_the_zone")
        )
        self.addSeparator()
        self.card_action = self.addAction("Export pattern card…", self.ask_card)

    @property
    def library(self) -> Library:
        """The library, loaded on first use so that building the window stays quick."""
        if self._library is None:
            from dn_bodymap.atlas.trigger_points import default_library

            self._library = default_library()
        return self._library

    # -- dialogs -----------------------------------------------------------------------------------
    def _lessons(self) -> list[Lesson]:
        try:
            return all_lessons()
        except LessonError as exc:  # a broken user file must not hide the built-in lessons
            self.window_.statusBar().showMessage(f"Your own lessons could not be read: {exc}", 10000)
            return builtin_lessons()

    def _pick_lesson(self, title: str, whole_library: bool) -> Lesson | str | None:
        lessons = self._lessons()
        items = [lesson.title for lesson in lessons]
        if whole_library:
            items.insert(0, WHOLE_LIBRARY)
        text, ok = QInputDialog.getItem(self.window_, title, "Lesson:", items, 0, False)
        if not ok:
            return None
        if text == WHOLE_LIBRARY:
            return WHOLE_LIBRARY
        return next(lesson for lesson in lessons if lesson.title == text)

    def ask_presentation(self) -> None:
        lesson = self._pick_lesson("Presentation", whole_library=False)
        if isinstance(lesson, Lesson):
            self.present(lesson)

    def ask_quiz(self, kind: QuizKind) -> None:
        lesson = self._pick_lesson("Quiz", whole_library=True)
        if lesson is not None:
            self.quiz(kind, None if lesson == WHOLE_LIBRARY else lesson.muscles)

    def ask_card(self) -> None:
        entries = sorted(
            {tp.id: tp for tp in self.library.instances.values() if tp.side is Side.RIGHT}.values(),
            key=lambda tp: (self.atlas.muscles[tp.muscle].name, tp.id),
        )
        labels = [f"{self.atlas.muscles[tp.muscle].name} — {tp.label}" for tp in entries]
        text, ok = QInputDialog.getItem(self.window_, "Pattern card", "Trigger point:", labels, 0, False)
        if not ok:
            return
        tp = entries[labels.index(text)]
        side, ok = QInputDialog.getItem(
            self.window_, "Pattern card", "Patient's side:", ["right", "left"], 0, False
        )
        if not ok:
            return
        name, _ = QFileDialog.getSaveFileName(
            self.window_,
            "Export pattern card",
            f"{tp.id.replace('.', '-')}-{side}.pdf",
            "PDF (*.pdf);;PNG image (*.png)",
        )
        if name:
            self.export_card(tp.id, side, Path(name))

    # -- the actions themselves --------------------------------------------------------------------
    def present(self, lesson: Lesson) -> QWidget | None:
        try:
            window = open_presentation(self.window_, lesson, atlas=self.atlas, library=self.library)
        except ValueError as exc:
            QMessageBox.warning(self.window_, "Presentation", str(exc))
            return None
        self.opened.append(window)
        return window

    def quiz(self, kind: QuizKind, muscles=None) -> QWidget | None:
        try:
            window = open_quiz(self.window_, kind, muscles, atlas=self.atlas, library=self.library)
        except ValueError as exc:
            QMessageBox.warning(self.window_, "Quiz", str(exc))
            return None
        self.opened.append(window)
        return window

    def export_card(self, trigger_point: str, side: str, path: Path) -> Path | None:
        if path.suffix.lower() not in (".png", ".pdf"):
            path = path.with_suffix(".pdf")
        try:
            card = build_card(self.atlas, self.library, trigger_point, side)
            write_card(self.atlas, self.library, card, path)
        except (CardError, OSError) as exc:
            QMessageBox.warning(self.window_, "Pattern card", f"The card was not written: {exc}")
            return None
        self.window_.statusBar().showMessage(f"Pattern card written: {path}", 8000)
        return path
