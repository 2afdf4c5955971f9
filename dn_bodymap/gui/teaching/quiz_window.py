"""A quiz round in a window of its own: questions, the answer over the attempt, the summary.

The round itself (questions, distractors, scores) is ``teaching.quiz``; this window shows the
current question, hands the answer to the round and shows what the round decided.
"""

from __future__ import annotations

import html
import random
from collections.abc import Iterable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shapely.geometry.base import BaseGeometry

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.atlas.trigger_points import Library
from dn_bodymap.gui.teaching.quiz_canvas import QuizFigure
from dn_bodymap.render.style import DARK
from dn_bodymap.render.view_painter import view_bounds
from dn_bodymap.report.pattern_card import VIEW_TITLES, pattern_focus
from dn_bodymap.teaching.quiz import (
    KIND_TITLES,
    PASS_SCORE,
    QuizError,
    QuizKind,
    QuizRound,
    RoundSummary,
    make_round,
)

BACKGROUND = DARK.background.name()  # one surface with the figure behind it
RIGHT = "#1f9d55"
WRONG = "#d64545"
STYLE = f"""
#quiz {{ background: {BACKGROUND}; }}
QLabel {{ color: #ffffff; background: transparent; }}
QPushButton {{ color: #ffffff; background: #27303d; border: 2px solid #5a6b82; border-radius: 8px;
              padding: 10px 16px; text-align: left; }}
QPushButton:focus {{ border-color: #ffe600; }}
QPushButton:checked {{ background: #3d4f6a; border-color: #ffe600; }}
QPushButton:disabled {{ color: #c8d0dc; }}
"""

__all__ = ["QuizError", "QuizWindow", "open_quiz"]


class QuizWindow(QWidget):
    def __init__(
        self,
        atlas: Atlas,
        library: Library,
        kind: QuizKind,
        muscles: Iterable[str] | None = None,
        count: int = 8,
        rng: random.Random | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setObjectName("quiz")
        self.setStyleSheet(STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.atlas, self.library, self.kind = atlas, library, kind
        self._muscles = list(muscles) if muscles is not None else None
        self._count = count
        self._rng = rng or random.Random()
        self.round: QuizRound = self._new_round()
        self.setWindowTitle(f"dn-bodymap — quiz: {KIND_TITLES[kind].lower()}")

        self.title_label = QLabel(KIND_TITLES[kind])
        self.progress_label = QLabel()
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.progress_label.setStyleSheet("color: #d6dde8;")
        head = QHBoxLayout()
        head.addWidget(self.title_label, 1)
        head.addWidget(self.progress_label)

        self.prompt_label = QLabel()
        self.prompt_label.setWordWrap(True)
        self.figure = QuizFigure(atlas, library)
        self.figure.message.connect(self._on_figure_message)
        self.feedback_label = QLabel()
        self.feedback_label.setWordWrap(True)
        self.feedback_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.choice_buttons: list[QPushButton] = []
        self.choices_box = QVBoxLayout()
        self.choices_box.setSpacing(12)
        self.tools = QWidget()
        tools = QVBoxLayout(self.tools)
        tools.setContentsMargins(0, 0, 0, 0)
        self.brush_button = QPushButton("Brush  (B)")
        self.outline_button = QPushButton("Outline  (O)")
        self.tool_group = QButtonGroup(self)
        for button, tool in ((self.brush_button, "brush"), (self.outline_button, "outline")):
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, t=tool: self.figure.set_tool(t))
            self.tool_group.addButton(button)
            tools.addWidget(button)
        self.brush_button.setChecked(True)
        self.clear_button = QPushButton("Clear drawing  (C)")
        self.clear_button.clicked.connect(self.figure.clear_drawing)
        self.submit_button = QPushButton("Check my drawing  (Enter)")
        self.submit_button.clicked.connect(self.submit_drawing)
        tools.addWidget(self.clear_button)
        tools.addWidget(self.submit_button)
        self.next_button = QPushButton("Next  (Enter)")
        self.next_button.clicked.connect(self.next_question)
        self.skip_button = QPushButton("Skip")
        self.skip_button.clicked.connect(self.skip_question)
        side = QVBoxLayout()
        side.addLayout(self.choices_box)
        side.addWidget(self.tools)
        side.addWidget(self.feedback_label, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.next_button, 1)
        side.addLayout(buttons)
        body = QHBoxLayout()
        body.addWidget(self.figure, 3)
        body.addLayout(side, 2)
        question_page = QWidget()
        qlay = QVBoxLayout(question_page)
        qlay.setContentsMargins(0, 0, 0, 0)
        qlay.addWidget(self.prompt_label)
        qlay.addLayout(body, 1)

        self.headline_label = QLabel()
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.again_button = QPushButton("New round  (Enter)")
        self.again_button.clicked.connect(self.new_round)
        self.close_button = QPushButton("Close  (Esc)")
        self.close_button.clicked.connect(self.close)
        summary_page = QWidget()
        slay = QVBoxLayout(summary_page)
        slay.setContentsMargins(0, 0, 0, 0)
        slay.addWidget(self.headline_label)
        slay.addWidget(self.summary_label, 1)
        sbuttons = QHBoxLayout()
        sbuttons.addStretch(1)
        sbuttons.addWidget(self.again_button)
        sbuttons.addWidget(self.close_button)
        slay.addLayout(sbuttons)

        self.pages = QStackedWidget()
        self.pages.addWidget(question_page)
        self.pages.addWidget(summary_page)
        self.question_page, self.summary_page = question_page, summary_page
        outer = QVBoxLayout(self)
        outer.setContentsMargins(36, 20, 36, 20)
        outer.addLayout(head)
        outer.addWidget(self.pages, 1)
        self._shortcuts()
        self.resize(1366, 768)
        self._apply_fonts()
        self.show_question()

    # -- the round -------------------------------------------------------------------------------
    def _new_round(self) -> QuizRound:
        return make_round(self.kind, self.atlas, self.library, self._rng, self._muscles, self._count)

    def new_round(self) -> None:
        self.round = self._new_round()
        self.show_question()

    def show_question(self) -> None:
        q = self.round.current
        if q is None:
            self.show_summary()
            return
        self.pages.setCurrentWidget(self.question_page)
        self.progress_label.setText(f"Question {q.number} of {len(self.round.questions)}")
        view_name = VIEW_TITLES.get(q.view, q.view)
        self.figure.set_view(q.view)
        self.figure.show_patterns([(q.trigger_point, str(q.side), 0)])
        self.figure.clear_drawing()
        self.figure.set_focus_rect(None)
        self.feedback_label.setText("")
        self.feedback_label.setStyleSheet("")
        self.next_button.setEnabled(False)
        self.skip_button.setEnabled(True)
        for button in self.choice_buttons:
            self.choices_box.removeWidget(button)
            button.deleteLater()
        self.choice_buttons = []
        if q.kind == "name_the_muscle":
            self.prompt_label.setText(
                f"Which muscle refers pain here?  (patient's {q.side} side, {view_name.lower()} view)"
            )
            self.figure.set_muscles_mode("faded")
            self.figure.set_highlight([])
            self.figure.set_revealed(pattern=True, point=False)
            self.figure.set_drawing_enabled(False)
            self.figure.set_focus_rect(self._focus(q.trigger_point, q.side, q.view))
            self.tools.hide()
            for i, muscle in enumerate(q.choices, 1):
                button = QPushButton(f"{i}   {self.atlas.muscles[muscle].name}")
                button.setObjectName(f"choice_{muscle}")
                button.setProperty("muscle", muscle)
                button.clicked.connect(lambda _=False, m=muscle: self.choose(m))
                button.setFont(self._font(30))
                self.choices_box.addWidget(button)
                self.choice_buttons.append(button)
        else:
            self.prompt_label.setText(
                f"Draw where <b>{html.escape(q.trigger_point_label)}</b> refers pain  "
                f"(patient's {q.side} side, {view_name.lower()} view)"
            )
            self.figure.set_muscles_mode("faded")
            self.figure.set_highlight([q.muscle])
            self.figure.set_revealed(pattern=False, point=True)
            self.figure.set_drawing_enabled(True)
            self.submit_button.setEnabled(True)
            self.clear_button.setEnabled(True)
            self.tools.show()

    def choose(self, muscle: str) -> None:
        if self.round.current is None or self.round.result(self.round.current.number) is not None:
            return
        result = self.round.answer_choice(muscle)
        q = result.question
        for button in self.choice_buttons:
            m = button.property("muscle")
            colour = RIGHT if m == q.muscle else WRONG if m == muscle else None
            if colour:
                button.setStyleSheet(f"background: {colour}; border-color: #ffffff;")
            button.setEnabled(False)
        self.figure.set_revealed(pattern=True, point=True)
        self.figure.set_highlight([q.muscle])
        self._show_result(result.correct, result.explanation)

    def submit_drawing(self) -> None:
        q = self.round.current
        if q is None or q.kind != "draw_the_zone" or self.round.result(q.number) is not None:
            return
        result = self.round.answer_drawing(self.figure.drawing())
        self.figure.set_drawing_enabled(False)
        self.figure.set_revealed(pattern=True, point=True)
        self.submit_button.setEnabled(False)
        self.clear_button.setEnabled(False)
        self.figure.set_focus_rect(self._focus(q.trigger_point, q.side, q.view, result.drawing))
        text = f"<b>{round(100 * result.score)} %</b><br>{html.escape(result.explanation)}"
        text += "<br><br>Yellow: your drawing. Blue: the pattern (solid essential, hatched spillover)."
        self._show_result(result.correct, text)

    def _focus(self, tid: str, side, view: str, drawing: BaseGeometry | None = None) -> QRectF:
        """The pattern enlarged (and the attempt with it, once drawn): small zones must read."""
        tp = self.library.instances[(tid, side)]
        aspect = max(0.2, self.figure.width() / max(1, self.figure.height()))
        rect = pattern_focus(self.atlas, tp, view, aspect)
        if drawing is not None and not drawing.is_empty:
            minx, miny, maxx, maxy = drawing.bounds
            rect = rect.united(QRectF(minx, miny, maxx - minx, maxy - miny).adjusted(-30, -30, 30, 30))
            full = view_bounds(self.atlas.view(view))
            if rect.height() >= full.height():
                return full
        return rect

    def _show_result(self, correct: bool, text: str) -> None:
        self.feedback_label.setText(text)
        self.feedback_label.setStyleSheet(f"color: {'#7ee2a8' if correct else '#ff9c9c'};")
        self.skip_button.setEnabled(False)
        self.next_button.setEnabled(True)
        self.next_button.setFocus()

    def next_question(self) -> None:
        if self.round.finished:
            return
        q = self.round.current
        if q is not None and self.round.result(q.number) is None:
            return
        self.round.advance()
        self.show_question()

    def skip_question(self) -> None:
        q = self.round.current
        if q is None or self.round.result(q.number) is not None:
            return
        self.round.skip()
        self.show_question()

    def show_summary(self) -> None:
        summary = self.round.summary()
        self.progress_label.setText("Round over")
        self.headline_label.setText(summary_headline(summary))
        self.headline_label.setStyleSheet(f"color: {RIGHT if summary.score >= PASS_SCORE else '#ffe600'};")
        self.summary_label.setText(summary_html(self.atlas, summary))
        self.pages.setCurrentWidget(self.summary_page)
        self.again_button.setFocus()

    # -- keys ------------------------------------------------------------------------------------
    def _shortcuts(self) -> None:
        def add(key, slot) -> None:
            QShortcut(QKeySequence(key), self, activated=slot)

        for i in range(1, 10):
            add(str(i), lambda i=i: self._choose_number(i))
        for key in ("Return", "Enter"):
            add(key, self._on_enter)
        add("B", lambda: self.brush_button.click())
        add("O", lambda: self.outline_button.click())
        add("C", lambda: self.clear_button.isEnabled() and self.figure.clear_drawing())
        add("Escape", self.close)

    def _choose_number(self, i: int) -> None:
        if self.pages.currentWidget() is self.question_page and i <= len(self.choice_buttons):
            button = self.choice_buttons[i - 1]
            if button.isEnabled():
                button.click()

    def _on_enter(self) -> None:
        if self.pages.currentWidget() is self.summary_page:
            self.new_round()
        elif self.next_button.isEnabled():
            self.next_question()
        elif self.tools.isVisible() and self.submit_button.isEnabled():
            self.submit_drawing()

    def _on_figure_message(self, text: str) -> None:
        if self.round.current is not None and self.round.result(self.round.current.number) is None:
            self.feedback_label.setStyleSheet("color: #ffe600;")
            self.feedback_label.setText(text)

    # -- size ------------------------------------------------------------------------------------
    def _font(self, px: float, bold: bool = False) -> QFont:
        unit = max(0.55, min(self.height(), self.width() * 9 / 16) / 1080)
        f = QFont(self.font())
        f.setPixelSize(round(px * unit))
        f.setBold(bold)
        return f

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        self.title_label.setFont(self._font(56, True))
        self.progress_label.setFont(self._font(30))
        self.prompt_label.setFont(self._font(36))
        self.feedback_label.setFont(self._font(30))
        self.summary_label.setFont(self._font(30))
        self.headline_label.setFont(self._font(72, True))
        for button in (
            *self.choice_buttons,
            self.brush_button,
            self.outline_button,
            self.clear_button,
            self.submit_button,
            self.next_button,
            self.skip_button,
            self.again_button,
            self.close_button,
        ):
            button.setFont(self._font(30))


def summary_headline(summary: RoundSummary) -> str:
    return f"{summary.percent} %  ·  {summary.correct} of {summary.asked} right"


def summary_html(atlas: Atlas, summary: RoundSummary) -> str:
    """Each question with its mark and score, then what to review."""
    rows = []
    for r in summary.results:
        q = r.question
        mark, colour = ("✔", RIGHT) if r.correct else ("✘", WRONG)
        given = ""
        if q.kind == "name_the_muscle" and not r.correct and r.given:
            given = f" — you chose {html.escape(atlas.muscles[r.given].name)}"
        rows.append(
            (q.number, mark, colour, f"{html.escape(q.muscle_name)}{given}", f"{round(100 * r.score)} %")
        )
    for q in summary.skipped:
        rows.append((q.number, "–", "#c4ccd8", html.escape(q.muscle_name), "skipped"))
    rows.sort()
    cells = "".join(
        f"<tr><td style='color:{colour}'>{mark}</td><td>{text}</td><td align='right'>{score}</td></tr>"
        for _, mark, colour, text, score in rows
    )
    table = f"<table cellspacing='0' cellpadding='8'>{cells}</table>"
    review = ""
    if summary.to_review:
        names = ", ".join(html.escape(atlas.muscles[m].name) for m in dict.fromkeys(summary.to_review))
        review = f"<p><b>To review:</b> {names}</p>"
    return table + review


def open_quiz(
    parent: QWidget | None,
    kind: QuizKind,
    muscles: Iterable[str] | None = None,
    *,
    atlas: Atlas | None = None,
    library: Library | None = None,
    count: int = 8,
    seed: int | None = None,
) -> QuizWindow:
    """Show a quiz round; raises QuizError (a ValueError with a message for the user) if none can be made."""
    if atlas is None:
        from dn_bodymap.atlas.loader import default_atlas

        atlas = default_atlas()
    if library is None:
        from dn_bodymap.atlas.trigger_points import default_library

        library = default_library()
    window = QuizWindow(atlas, library, kind, muscles, count, random.Random(seed), parent)
    window.show()
    window.activateWindow()
    return window
