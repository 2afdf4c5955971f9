"""Full-screen presentation of a lesson for a classroom projector, driven from the keyboard.

Large type, white on near-black, the figure in the dark palette. The trainer steps through the
lesson's trigger points; each opens with the muscle alone, then (space) its trigger point, then its
referral pattern. What is shown lives in ``presentation_deck.Deck``; this module only draws it and
translates keys.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.atlas.trigger_points import Library
from dn_bodymap.gui.teaching.presentation_deck import Deck, DeckError
from dn_bodymap.gui.teaching.zoom_view import ZoomablePatternView
from dn_bodymap.render.style import DARK
from dn_bodymap.report.pattern_card import VIEW_TITLES, build_card, card_views, pattern_focus

BACKGROUND = DARK.background.name()  # one surface with the figure behind it
#: Overlays of PatternView that belong to the figure, not to the pattern being revealed.
FIGURE_OVERLAYS = frozenset({"veil", "selected region"})
POINTER_COLOUR = QColor("#ffe600")
POINTER_RADIUS = 30
KEY_HELP = (
    "Space reveal · → ← muscle · E spillover · M muscles · Z zoom · V view · S side · "
    "L pointer · F full screen · Esc close"
)
STAGE_PROMPTS = (
    "Where is its trigger point?  (Space)",
    "Where does it refer pain?  (Space)",
)

__all__ = ["DeckError", "PresentationWindow", "StageView", "open_presentation"]


class StageView(ZoomablePatternView):
    """The pattern view with reveal steps, zoom to the pattern and a pointer highlight."""

    def __init__(self, atlas: Atlas, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(atlas, library, parent=parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMouseTracking(True)
        self.set_palette(DARK)
        self._stage = 2
        self._spillover = True
        self._pointer_on = False
        self._pointer: QPointF | None = None

    def set_stage(self, stage: int, spillover: bool) -> None:
        self._stage, self._spillover = stage, spillover
        self._invalidate()

    def set_pointer_enabled(self, on: bool) -> None:
        self._pointer_on = on
        self.setCursor(Qt.CursorShape.BlankCursor if on else Qt.CursorShape.ArrowCursor)
        self.update()

    def pointer_enabled(self) -> bool:
        return self._pointer_on

    def render_options(self):
        options = super().render_options()
        keep = []
        for overlay in options.overlays:
            label = overlay.label
            if label in FIGURE_OVERLAYS:
                keep.append(overlay)
            elif label.startswith("trigger point"):
                if self._stage >= 1:
                    keep.append(overlay)
            elif self._stage >= 2 and (self._spillover or not label.startswith("spillover")):
                keep.append(overlay)
        return dataclasses.replace(options, overlays=tuple(keep))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._pointer_on and self._pointer is not None:
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            fill = QColor(POINTER_COLOUR)
            fill.setAlpha(70)
            painter.setBrush(fill)
            painter.setPen(QPen(POINTER_COLOUR, 5))
            painter.drawEllipse(self._pointer, POINTER_RADIUS, POINTER_RADIUS)
            painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._pointer = event.position()
        if self._pointer_on:
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:
        self._pointer = None
        self.update()
        super().leaveEvent(event)


class PresentationWindow(QWidget):
    """A top-level window; ``open_presentation`` shows it full screen."""

    def __init__(
        self,
        atlas: Atlas,
        library: Library,
        muscles: Iterable[str],
        title: str = "Presentation",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(f"dn-bodymap — {title}")
        self.setObjectName("presentation")
        self.setStyleSheet(
            f"#presentation {{ background: {BACKGROUND}; }} "
            "QLabel { color: #ffffff; background: transparent; }"
        )
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(self.backgroundRole(), QColor(BACKGROUND))
        self.setPalette(pal)
        self.atlas, self.library, self.lesson_title = atlas, library, title
        self.deck = Deck(library, muscles)
        self.title_label = QLabel()
        self.subtitle_label = QLabel()
        self.subtitle_label.setStyleSheet("color: #d6dde8;")
        self.counter_label = QLabel()
        self.counter_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.counter_label.setStyleSheet("color: #d6dde8;")
        self.view = StageView(atlas, library)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.notes_label.setTextFormat(Qt.TextFormat.RichText)
        self.status_label = QLabel()
        self.status_label.setStyleSheet("color: #ffe600;")
        self.help_label = QLabel(KEY_HELP)
        self.help_label.setStyleSheet("color: #c4ccd8;")
        self.help_label.setWordWrap(True)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        head.addLayout(titles, 1)
        head.addWidget(self.counter_label)
        body = QHBoxLayout()
        body.setSpacing(32)
        body.addWidget(self.view, 3)
        body.addWidget(self.notes_label, 2)
        foot = QHBoxLayout()
        foot.addWidget(self.help_label, 1)
        foot.addWidget(self.status_label)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(36, 20, 36, 14)
        outer.addLayout(head)
        outer.addLayout(body, 1)
        outer.addLayout(foot)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._apply_fonts()
        self.refresh()

    # -- what is shown ---------------------------------------------------------------------------
    def current_views(self) -> tuple[str, ...]:
        """Before the pattern is shown, views with the trigger point on them come first."""
        tp = self.library.instances[(self.deck.slide.trigger_point, self.deck.side)]
        views = card_views(tp) or (tp.locations[0].view if tp.locations else "anterior",)
        if self.deck.stage < 2:
            on_view = {loc.view for loc in tp.locations}
            views = tuple(sorted(views, key=lambda v: v not in on_view))
        return views

    def current_view(self) -> str:
        views = self.current_views()
        return views[self.deck.view_offset % len(views)]

    def refresh(self) -> None:
        deck = self.deck
        tp = self.library.instances[(deck.slide.trigger_point, deck.side)]
        view = self.current_view()
        muscle = self.atlas.muscles[tp.muscle]
        self.title_label.setText(muscle.name)
        self.subtitle_label.setText(
            f"{tp.label}  ·  patient's {deck.side} side  ·  {VIEW_TITLES.get(view, view)}"
        )
        self.counter_label.setText(f"{deck.index + 1} / {len(deck.slides)}\n{self.lesson_title}")
        self.view.set_view(view)
        self.view.show_patterns([(tp.id, str(deck.side), 0)])
        self.view.set_muscles_mode(deck.muscles_mode)
        self.view.set_stage(deck.stage, deck.show_spillover)
        aspect = max(0.2, self.view.width() / max(1, self.view.height()))
        self.view.set_focus_rect(pattern_focus(self.atlas, tp, view, aspect) if deck.zoomed else None)
        self.notes_label.setText(self._notes())
        self.status_label.setText(self._status())

    def _notes(self) -> str:
        deck = self.deck
        if deck.stage < len(STAGE_PROMPTS):
            return f"<p style='color:#ffe600'>{STAGE_PROMPTS[deck.stage]}</p>"
        card = build_card(self.atlas, self.library, deck.slide.trigger_point, deck.side)
        parts = []
        if card.essential_regions:
            parts.append(f"<p><b>Essential zone</b><br>{', '.join(card.essential_regions)}</p>")
        if card.spillover_regions and deck.show_spillover:
            parts.append(f"<p><b>Spillover</b><br>{', '.join(card.spillover_regions)}</p>")
        if card.trigger_point.mimics:
            parts.append(f"<p><b>Can be mistaken for</b><br>{', '.join(card.trigger_point.mimics)}</p>")
        return "".join(parts) or "<p>The pattern is drawn on the figure.</p>"

    def _status(self) -> str:
        deck = self.deck
        bits = [f"muscles {deck.muscles_mode}"]
        if not deck.show_spillover:
            bits.append("essential only")
        if deck.zoomed:
            bits.append("zoomed")
        if self.view.pointer_enabled():
            bits.append("pointer")
        return "  ·  ".join(bits)

    # -- keys ------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        deck = self.deck
        K = Qt.Key
        if key in (K.Key_Right, K.Key_PageDown, K.Key_N):
            deck.next()
        elif key in (K.Key_Left, K.Key_PageUp, K.Key_Backspace, K.Key_P):
            deck.previous()
        elif key in (K.Key_Space, K.Key_Down, K.Key_Return, K.Key_Enter):
            deck.advance()
        elif key == K.Key_A:
            deck.reveal_all()
        elif key == K.Key_Home:
            deck.go_to(0)
        elif key == K.Key_End:
            deck.go_to(len(deck.slides) - 1)
        elif key == K.Key_E:
            deck.toggle_spillover()
        elif key == K.Key_M:
            deck.cycle_muscles()
        elif key == K.Key_Z:
            deck.toggle_zoom()
        elif key == K.Key_V:
            deck.next_view()
        elif key == K.Key_S:
            deck.toggle_side()
        elif key == K.Key_L:
            self.view.set_pointer_enabled(not self.view.pointer_enabled())
        elif key in (K.Key_F, K.Key_F11):
            self.showNormal() if self.isFullScreen() else self.showFullScreen()
            return
        elif key == K.Key_Escape:
            self.close()
            return
        else:
            super().keyPressEvent(event)
            return
        self.refresh()

    # -- size ------------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._apply_fonts()
        if self.deck.zoomed:
            self.refresh()

    def _apply_fonts(self) -> None:
        """Type scales with the window: a projector at 1080 lines gets a 64 px title."""
        unit = max(0.55, min(self.height(), self.width() * 9 / 16) / 1080)

        def font(px: float, bold: bool = False) -> QFont:
            f = QFont(self.font())
            f.setPixelSize(round(px * unit))
            f.setBold(bold)
            return f

        self.title_label.setFont(font(64, True))
        self.subtitle_label.setFont(font(32))
        self.counter_label.setFont(font(28))
        self.notes_label.setFont(font(34))
        self.status_label.setFont(font(24, True))
        self.help_label.setFont(font(22))


def open_presentation(
    parent: QWidget | None,
    muscles_or_lesson,
    *,
    atlas: Atlas | None = None,
    library: Library | None = None,
    full_screen: bool = True,
) -> PresentationWindow:
    """Show a presentation of a lesson (anything with ``muscles`` and ``title``) or a muscle list.

    Raises DeckError (a ValueError, with a message for the user) when nothing can be presented.
    """
    if atlas is None:
        from dn_bodymap.atlas.loader import default_atlas

        atlas = default_atlas()
    if library is None:
        from dn_bodymap.atlas.trigger_points import default_library

        library = default_library()
    muscles = getattr(muscles_or_lesson, "muscles", muscles_or_lesson)
    title = getattr(muscles_or_lesson, "title", "Presentation")
    window = PresentationWindow(atlas, library, list(muscles), title, parent)
    if full_screen:
        window.showFullScreen()
    else:
        window.show()
    window.activateWindow()
    window.setFocus()
    return window
