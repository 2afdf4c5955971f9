"""The Library screen: find a muscle, show its trigger points and referral pattern, compare
patterns, and look up which muscles refer pain to regions clicked on the figure.

The page only arranges what the core decides: the search comes from teaching.symptoms, the
ranking from charting's referral analysis, the hazards from the safety engine, the drawing from
render/ (through PatternView).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.atlas.model import VIEWS, Atlas, Side, is_detail_view
from dn_bodymap.atlas.trigger_points import Library, TriggerPoint
from dn_bodymap.charting.referral.suggest import ReferralIndex
from dn_bodymap.gui.teaching.compare import CompareList
from dn_bodymap.gui.teaching.pattern_panel import PatternPanel
from dn_bodymap.gui.teaching.pattern_view import PatternSpec, PatternView
from dn_bodymap.gui.teaching.reverse_lookup import ReverseLookupPanel
from dn_bodymap.render.style import LIGHT, Palette
from dn_bodymap.teaching.lessons import (
    Lesson,
    LessonError,
    all_lessons,
    default_lessons_path,
    load_lessons,
    save_lessons,
)
from dn_bodymap.teaching.symptoms import search_muscles

MODES = ("pattern", "compare", "lookup")
MODE_LABELS = {"pattern": "Pattern", "compare": "Compare", "lookup": "Reverse lookup"}
VIEW_LABELS = {
    "anterior": "Front",
    "posterior": "Back",
    "lateral_right": "Right side",
    "lateral_left": "Left side",
}
ALL_POINTS = "__all__"


class LibraryPage(QWidget):
    """``message`` carries one-line feedback for the status bar."""

    message = Signal(str)

    def __init__(
        self,
        atlas: Atlas,
        library: Library,
        referral_index: ReferralIndex,
        lessons_path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.atlas = atlas
        self.library = library
        self.lessons_path = lessons_path or default_lessons_path()
        self.mode = "pattern"
        self.muscle: str | None = None
        self.side = Side.RIGHT
        self.lookup_choice: tuple[str, str] | None = None
        self.palette: Palette = LIGHT

        # -- left: search, lessons, the muscle list -------------------------------------------------
        self.search = QLineEdit()
        self.search.setPlaceholderText("Muscle, Latin name, body group or symptom (e.g. heel pain)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search muscles by name, Latin name, body group or symptom")
        self.search.textChanged.connect(self._refresh_list)
        self.lesson_box = QComboBox()
        self.lesson_box.setAccessibleName("Lesson")
        self.lesson_box.setToolTip("Show a lesson's muscles in teaching order")
        self.lesson_box.currentIndexChanged.connect(lambda _: self._refresh_list())
        self.muscle_list = QListWidget()
        self.muscle_list.setAccessibleName("Muscles")
        self.muscle_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.muscle_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.muscle_list.currentItemChanged.connect(self._on_muscle_item)
        self.muscle_list.itemDoubleClicked.connect(lambda _: self.add_to_comparison())
        self.count_label = QLabel("")
        self.add_button = QPushButton("Add to comparison")
        self.add_button.setToolTip("Compare this muscle's pattern with others (Ctrl+D)")
        self.add_button.clicked.connect(self.add_to_comparison)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.search)
        lv.addWidget(self.lesson_box)
        lv.addWidget(self.muscle_list, 1)
        lv.addWidget(self.count_label)
        lv.addWidget(self.add_button)

        # -- centre: mode, side, muscles mode, trigger point; the figures ---------------------------
        self.mode_buttons = QButtonGroup(self)
        bar = QHBoxLayout()
        for i, mode in enumerate(MODES):
            button = QPushButton(MODE_LABELS[mode])
            button.setCheckable(True)
            button.setAccessibleName(f"{MODE_LABELS[mode]} mode")
            self.mode_buttons.addButton(button, i)
            bar.addWidget(button)
        self.mode_buttons.button(0).setChecked(True)
        self.mode_buttons.idClicked.connect(lambda i: self.set_mode(MODES[i]))
        bar.addSpacing(12)
        self.right_button = QRadioButton("Right")
        self.left_button = QRadioButton("Left")
        self.right_button.setChecked(True)
        self.right_button.setToolTip("Show the pattern on the patient's right side")
        self.left_button.setToolTip("Show the pattern on the patient's left side")
        self.right_button.toggled.connect(lambda on: self.set_side(Side.RIGHT if on else Side.LEFT))
        bar.addWidget(QLabel("Side:"))
        bar.addWidget(self.right_button)
        bar.addWidget(self.left_button)
        bar.addSpacing(12)
        self.point_box = QComboBox()
        self.point_box.setAccessibleName("Trigger point")
        self.point_box.setMinimumContentsLength(18)
        self.point_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.point_box.currentIndexChanged.connect(lambda _: self._update_figures())
        bar.addWidget(self.point_box, 1)
        self.muscles_box = QComboBox()
        self.muscles_box.setAccessibleName("Muscles on the figure")
        self.muscles_box.setToolTip("Fade or hide the muscles so the pattern reads on its own")
        for mode, text in (
            ("normal", "Muscles shown"),
            ("faded", "Muscles faded"),
            ("hidden", "Muscles hidden"),
        ):
            self.muscles_box.addItem(text, mode)
        self.muscles_box.currentIndexChanged.connect(lambda _: self._apply_muscles_mode())
        bar.addWidget(self.muscles_box)
        # Reverse lookup on the body, or on one detail view (heel, fingertips, teeth).
        self.lookup_views_box = QComboBox()
        self.lookup_views_box.setAccessibleName("Where to draw the pain")
        self.lookup_views_box.setToolTip("Draw the pain on the body views or on an enlarged detail view")
        self.lookup_views_box.addItem("The body", None)
        for detail in atlas.detail_views():
            meta = atlas.view_meta.get(detail)
            self.lookup_views_box.addItem(meta.label if meta else detail, detail)
        self.lookup_views_box.currentIndexChanged.connect(lambda _: self._update_figures())
        self.lookup_views_box.setVisible(False)
        bar.addWidget(self.lookup_views_box)
        # The body views, then the detail views whose data loaded (shown for points located there).
        self.views = {v: PatternView(atlas, library, v) for v in (*VIEWS, *atlas.detail_views())}
        self.view_titles = {
            v: QLabel(VIEW_LABELS.get(v) or (atlas.view_meta[v].label if v in atlas.view_meta else v))
            for v in self.views
        }
        figures = QHBoxLayout()
        figures.setSpacing(4)
        self._figures = figures
        self.view_columns: dict[str, QWidget] = {}
        for v in self.views:
            column = QWidget()
            cv = QVBoxLayout(column)
            cv.setContentsMargins(0, 0, 0, 0)
            self.view_titles[v].setAlignment(Qt.AlignmentFlag.AlignCenter)
            cv.addWidget(self.view_titles[v])
            cv.addWidget(self.views[v], 1)
            figures.addWidget(column, 1)
            self.view_columns[v] = column
            self.views[v].clicked.connect(self._on_figure_clicked)
            self.views[v].drawn.connect(self._on_figure_drawn)
        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addLayout(bar)
        self.hint = QLabel("")
        self.hint.setWordWrap(True)
        cl.addWidget(self.hint)
        cl.addLayout(figures, 1)

        # -- right: the pattern panel, the comparison legend, the reverse lookup -----------------------
        self.panel = PatternPanel(atlas)
        self.compare = CompareList(atlas, library)
        self.compare.changed.connect(self._update_figures)
        self.compare.saveRequested.connect(self.save_comparison_as_lesson)
        self.lookup = ReverseLookupPanel(atlas, referral_index)
        self.lookup.selectionChanged.connect(self._on_lookup_changed)
        self.lookup.candidateChosen.connect(self._on_candidate)
        self.side_stack = QStackedWidget()
        for w in (self.panel, self.compare, self.lookup):
            self.side_stack.addWidget(w)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.side_stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([300, 900, 360])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)
        # Only while the page has focus: the main window's other screens keep their own keys.
        for key, slot in (
            (QKeySequence("Ctrl+F"), self.search.setFocus),
            (QKeySequence("Ctrl+D"), self.add_to_comparison),
            (QKeySequence(Qt.Key.Key_Escape), self.clear_selection),
        ):
            shortcut = QShortcut(key, self, activated=slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.reload_lessons()
        self.set_mode("pattern")

    # -- lessons and the muscle list ----------------------------------------------------------------
    def reload_lessons(self, select: str | None = None) -> None:
        try:
            lessons = all_lessons(self.lessons_path)
        except LessonError as exc:
            self.message.emit(f"Your lessons could not be read: {exc}")
            from dn_bodymap.teaching.lessons import builtin_lessons

            lessons = builtin_lessons()
        self.lessons = {lesson.id: lesson for lesson in lessons}
        self.lesson_box.blockSignals(True)
        self.lesson_box.clear()
        self.lesson_box.addItem("All muscles", "")
        for lesson in lessons:
            suffix = "" if lesson.builtin else " (yours)"
            self.lesson_box.addItem(f"Lesson: {lesson.title}{suffix}", lesson.id)
            self.lesson_box.setItemData(
                self.lesson_box.count() - 1, lesson.description, Qt.ItemDataRole.ToolTipRole
            )
        if select is not None:
            self.lesson_box.setCurrentIndex(max(0, self.lesson_box.findData(select)))
        self.lesson_box.blockSignals(False)
        self._refresh_list()

    def current_lesson(self) -> Lesson | None:
        return self.lessons.get(self.lesson_box.currentData() or "")

    def _refresh_list(self) -> None:
        keep = self.muscle
        matches = search_muscles(self.search.text(), self.atlas, self.library)
        lesson = self.current_lesson()
        if lesson is not None:
            by_id = {m.muscle: m for m in matches}
            matches = [by_id[m] for m in lesson.muscles if m in by_id]
        self.muscle_list.blockSignals(True)
        self.muscle_list.clear()
        for m in matches:
            item = QListWidgetItem(m.name if not m.reason or m.kind == "name" else f"{m.name}\n   {m.reason}")
            item.setData(Qt.ItemDataRole.UserRole, m.muscle)
            sources = f" [{', '.join(m.sources)}]" if m.sources else ""
            item.setToolTip(f"{m.name} — {m.latin}" + (f"\n{m.reason}{sources}" if m.reason else ""))
            self.muscle_list.addItem(item)
            if m.muscle == keep:
                self.muscle_list.setCurrentItem(item)
        self.muscle_list.blockSignals(False)
        n = len(matches)
        self.count_label.setText("No muscle matches." if n == 0 else f"{n} muscle{'s' if n != 1 else ''}")

    def listed_muscles(self) -> list[str]:
        return [
            self.muscle_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.muscle_list.count())
        ]

    def _on_muscle_item(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None:
            self.select_muscle(item.data(Qt.ItemDataRole.UserRole))

    # -- selection ------------------------------------------------------------------------------------
    def select_muscle(self, muscle_id: str) -> None:
        if muscle_id not in self.atlas.muscles:
            raise KeyError(muscle_id)
        self.muscle = muscle_id
        points = self.muscle_points()
        self.point_box.blockSignals(True)
        self.point_box.clear()
        if len(points) > 1:
            self.point_box.addItem(f"All {len(points)} trigger points", ALL_POINTS)
        for tp in points:
            self.point_box.addItem(tp.label, tp.id)
        self.point_box.blockSignals(False)
        for i in range(self.muscle_list.count()):
            if self.muscle_list.item(i).data(Qt.ItemDataRole.UserRole) == muscle_id:
                self.muscle_list.blockSignals(True)
                self.muscle_list.setCurrentRow(i)
                self.muscle_list.blockSignals(False)
        if self.mode == "lookup":
            self.set_mode("pattern")
        self._update_figures()

    def muscle_points(self, muscle_id: str | None = None) -> list[TriggerPoint]:
        mid = muscle_id or self.muscle
        if mid is None:
            return []
        return sorted(
            (tp for tp in self.library.for_muscle(mid) if tp.side is self.side), key=lambda tp: tp.id
        )

    def shown_points(self) -> list[TriggerPoint]:
        points = self.muscle_points()
        choice = self.point_box.currentData()
        if choice and choice != ALL_POINTS:
            points = [tp for tp in points if tp.id == choice]
        return points

    def set_side(self, side: Side) -> None:
        self.side = side
        (self.right_button if side is Side.RIGHT else self.left_button).setChecked(True)
        self._update_figures()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.mode_buttons.button(MODES.index(mode)).setChecked(True)
        self.side_stack.setCurrentIndex(MODES.index(mode))
        self.point_box.setEnabled(mode == "pattern")
        for view in self.views.values():
            view.set_outline_enabled(mode == "lookup")
        self.lookup_views_box.setVisible(mode == "lookup" and self.lookup_views_box.count() > 1)
        hints = {
            "pattern": "Choose a muscle. Solid: essential zone; hatched: spillover; ringed dot: "
            "trigger point.",
            "compare": "Add two to four muscles (Add to comparison, or double-click) to compare "
            "their patterns.",
            "lookup": "Click the regions where the pain is, or drag round an area; then click a "
            "candidate to see its pattern.",
        }
        self.hint.setText(hints[mode])
        self._update_figures()

    def add_to_comparison(self) -> None:
        if self.muscle is None:
            self.message.emit("Choose a muscle first.")
            return
        if self.compare.add(self.muscle):
            self.set_mode("compare")
        else:
            self.message.emit(self.compare.status.text())

    def clear_selection(self) -> None:
        """Esc: drop what is shown in the current mode."""
        if self.mode == "compare":
            self.compare.clear()
        elif self.mode == "lookup":
            self.lookup_choice = None
            self.lookup.clear()
        else:
            self.muscle = None
            self.muscle_list.clearSelection()
            self.point_box.clear()
            self._update_figures()

    # -- the figures ----------------------------------------------------------------------------------
    def current_patterns(self) -> list[PatternSpec]:
        side = str(self.side)
        if self.mode == "pattern":
            return [(tp.id, side, 0) for tp in self.shown_points()]
        if self.mode == "compare":
            specs: list[PatternSpec] = []
            for i, mid in enumerate(self.compare.muscles):
                specs.extend((tp.id, side, i) for tp in self.muscle_points(mid))
            return specs
        if self.lookup_choice is not None:
            return [(self.lookup_choice[0], self.lookup_choice[1], 0)]
        return []

    def _update_figures(self) -> None:
        specs = self.current_patterns()
        highlight: set[str] = set()
        if self.mode == "pattern" and self.muscle:
            highlight.add(self.muscle)
        for v, view in self.views.items():
            view.show_patterns(specs)
            if self.mode == "pattern":
                view.set_highlight(highlight)
            view.set_selection(self.lookup.geometries(v) if self.mode == "lookup" else [])
        if self.mode == "pattern":
            self.panel.show_points(self.shown_points())
        self._choose_visible_views(specs)

    def _choose_visible_views(self, specs: list[PatternSpec]) -> None:
        """Show the views where the pattern or the chosen muscle lies; all four for a lookup."""
        if self.mode == "lookup":
            chosen = self.lookup_views_box.currentData()
            wanted = {chosen} if chosen else set(VIEWS)
            for v, column in self.view_columns.items():
                column.setVisible(v in wanted)
            self._figures.invalidate()
            return
        if not specs:
            wanted = {"anterior", "posterior"}
        else:
            wanted = {v for v, view in self.views.items() if view.shows_anything()}
            if self.mode == "pattern" and self.muscle:
                wanted |= {
                    v
                    for v in VIEWS
                    if any(
                        s.muscle_id == self.muscle and s.side == self.side
                        for s in self.atlas.view(v).muscle_shapes
                    )
                }
            wanted = wanted or {"anterior", "posterior"}
        # A detail view joins only for a point located on it (the soles for quadratus plantae, not
        # for soleus, whose heel zone the soles repeat).
        located = {
            loc.view
            for tid, side, _ in specs
            if (tp := self.library.instances.get((tid, Side(side)))) is not None
            for loc in tp.locations
        }
        wanted = {v for v in wanted if not is_detail_view(v) or v in located}
        for v, column in self.view_columns.items():
            column.setVisible(v in wanted)
        # Hiding columns of a page not yet shown leaves the row's cached minimum at all ten views
        # (~1860 px), and the main window grew to it on first showing the Library: recompute it.
        self._figures.invalidate()

    def visible_views(self) -> list[str]:
        return [v for v, c in self.view_columns.items() if not c.isHidden()]

    def _apply_muscles_mode(self) -> None:
        for view in self.views.values():
            view.set_muscles_mode(self.muscles_box.currentData())

    def set_muscles_mode(self, mode: str) -> None:
        self.muscles_box.setCurrentIndex(self.muscles_box.findData(mode))

    def set_palette(self, palette: Palette) -> None:
        self.palette = palette
        for view in self.views.values():
            view.set_palette(palette)
        self.compare.set_palette(palette)

    # -- reverse lookup --------------------------------------------------------------------------------
    def _on_figure_clicked(self, view: str, x: float, y: float) -> None:
        if self.mode != "lookup":
            return
        if self.lookup.toggle_at(view, x, y) is None:
            self.message.emit("That point is outside the figure's regions.")

    def _on_figure_drawn(self, view: str, points: list) -> None:
        if self.mode != "lookup":
            return
        problem = self.lookup.add_outline(view, points)
        if problem:
            self.message.emit(f"Outline not used: {problem}")

    def _on_lookup_changed(self) -> None:
        self.lookup_choice = None
        self._update_figures()

    def _on_candidate(self, trigger_point: str, side: str) -> None:
        self.lookup_choice = (trigger_point, side)
        self._update_figures()
        tp = self.library.instances[(trigger_point, Side(side))]
        self.message.emit(f"Showing {tp.label} ({side}) over the picked regions.")

    # -- saving a lesson -------------------------------------------------------------------------------
    def save_comparison_as_lesson(self, title: str | None = None) -> Lesson | None:
        """Keep the compared muscles as a lesson of the trainer's own, saved at once."""
        if not self.compare.muscles:
            return None
        if title is None:
            title, ok = QInputDialog.getText(self, "Save as lesson", "Lesson title:")
            if not ok:
                return None
        title = title.strip()
        if not title:
            self.message.emit("A lesson needs a title.")
            return None
        try:
            own = load_lessons(self.lessons_path)
        except LessonError as exc:
            self.message.emit(f"Not saved: {exc}")
            return None
        taken = {lesson.id for lesson in own} | set(self.lessons)
        base = "".join(c if c.isalnum() else "_" for c in title.lower()).strip("_")[:40] or "lesson"
        lid, n = base, 2
        while lid in taken:
            lid, n = f"{base}_{n}", n + 1
        lesson = Lesson(lid, title, tuple(self.compare.muscles), "Saved from a comparison.")
        try:
            save_lessons(self.lessons_path, [*own, lesson])
        except (LessonError, OSError) as exc:
            self.message.emit(f"Not saved: {exc}")
            return None
        self.reload_lessons()
        self.message.emit(f"Saved the lesson '{title}'.")
        return lesson
