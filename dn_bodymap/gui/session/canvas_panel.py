"""The canvas area: view switcher, side-by-side front/back on wide screens, tools and layers.

Detail views (soles, palms, backs of the hands, face, head; docs/atlas-detail-views.md) are listed
in a "Detail" drop-down built from the atlas, so a view appears as soon as its data loads. On a body
view, resting the cursor on a region that a detail view enlarges (the heel, the sole) shows a small
"Enlarge" button beside the cursor: a single click there still places a mark, as on any other
region, and the enlarged view is one deliberate click on the button; a right-click there offers the
same "Enlarge" in its menu (with the view's own entries). "Back to <view>" returns.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCursor, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSlider,
    QSplitter,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.atlas.detail_map import back_view, opens_detail
from dn_bodymap.atlas.model import VIEWS, Atlas, is_detail_view
from dn_bodymap.gui.canvas.scene import BodyMapScene
from dn_bodymap.gui.canvas.view import BodyMapView, Tool
from dn_bodymap.render.layers import parse_layers
from dn_bodymap.render.view_painter import RenderOptions

VIEW_LABELS = {
    "anterior": "Front",
    "posterior": "Back",
    "lateral_right": "Right side",
    "lateral_left": "Left side",
}
#: Short names on the "Enlarge" button (the drop-down shows the full label of views/*.toml).
DETAIL_SHORT = {
    "plantar": "Soles",
    "palmar": "Palms",
    "dorsal_hand": "Backs of hands",
    "face": "Face",
    "head_lateral_right": "Head R",
    "head_lateral_left": "Head L",
}
#: Where the "Enlarge" button sits from the cursor (px): beside it, not under it.
ENLARGE_OFFSET = QPoint(18, 14)
QUALITIES = [
    ("ache", "Ache"),
    ("sharp", "Sharp"),
    ("burning", "Burning"),
    ("numbness_tingling", "Numbness / tingling"),
]
# Two views side by side need twice a view's minimum width (BodyMapView: 220 px) and a handle:
# at 1280 × 800 the canvas is about 650 px wide, so both views show, each smaller.
WIDE_SCREEN_PX = 460
SIDE_BY_SIDE_TEXT = "Front and back together"


#: Item data role of a detail view's short name, shown in the closed drop-down.
SHORT_ROLE = Qt.ItemDataRole.UserRole + 1


class DetailBox(QComboBox):
    """The detail-view drop-down: full labels in the list; closed, the full label when it fits and
    the short name when not. The closed box is narrow so the switcher row fits 1280 px, and a full
    label there was cut off ("Face and front of t").
    """

    def closed_text(self) -> str:
        full = self.currentText()
        short = self.currentData(SHORT_ROLE)
        if not short:
            return full
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        return full if self.fontMetrics().horizontalAdvance(full) <= field.width() else short

    def paintEvent(self, event) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = self.closed_text()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class CanvasPanel(QWidget):
    """Owns one scene per view; shows one view, or front and back side by side when wide."""

    toolChanged = Signal(str)
    qualityChanged = Signal(str)
    brushWidthChanged = Signal(float)
    viewChanged = Signal(str)  # another view is shown (not a re-layout of the same one)

    def __init__(self, atlas: Atlas, options_factory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.atlas = atlas
        self._options_factory = options_factory
        self.layer_state = {
            "superficial": True,
            "intermediate": False,
            "deep": False,
            "regions": False,
            "labels": False,
            "hazards": False,
            "previous": True,
        }
        self.opacity = 1.0
        #: A library referral pattern shown over the figure: (library, trigger point id, side).
        self.pattern: tuple[object, str, str] | None = None
        #: Detail views built in this atlas (their data exists), in DETAIL_VIEWS order.
        self.detail_views = atlas.detail_views()
        self.scenes = {v: BodyMapScene(atlas, v, self.render_options()) for v in (*VIEWS, *self.detail_views)}
        self.views = {v: BodyMapView(s) for v, s in self.scenes.items()}
        self.current = "anterior"
        #: The body view a detail view was opened from ("Back" returns there).
        self.came_from: str | None = None
        self.side_by_side = True
        self._index = None  # AtlasIndex, built on first hover

        self.toolbar = QToolBar("Canvas tools", self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.tool_actions: dict[Tool, QAction] = {}
        group = QActionGroup(self)
        for tool, text, key, tip in (
            (
                Tool.MARK,
                "Trigger point",
                "T",
                "Click to mark a trigger point; drag a mark to move it",
            ),
            (Tool.BRUSH, "Brush", "B", "Paint where the pain refers"),
            (Tool.LASSO, "Outline", "L", "Draw round an area of referred pain"),
            (Tool.ERASER, "Eraser", "E", "Rub out part of a pain area"),
            (Tool.ARROW, "Arrow", "A", "Drag from a mark to where its pain refers"),
            (Tool.NOTE, "Note", "N", "Click to pin a text note to the map; drag a note to move it"),
            (Tool.PAN, "Pan", "H", "Drag to move the view (or drag with the middle button)"),
        ):
            act = QAction(f"{text} ({key})", self)  # the key letter on the button itself
            act.setCheckable(True)
            act.setShortcut(QKeySequence(key))
            act.setToolTip(f"{tip} ({key})")
            act.setData(str(tool))
            act.triggered.connect(lambda _=False, t=tool: self.set_tool(t))
            group.addAction(act)
            self.toolbar.addAction(act)
            self.tool_actions[tool] = act
        self.tool_actions[Tool.MARK].setChecked(True)
        self.options_bar = QToolBar("Drawing options", self)
        self.quality_box = QComboBox()
        self.quality_box.setAccessibleName("Pain quality")
        self.quality_box.setToolTip("Quality of the pain being drawn")
        for key, text in QUALITIES:
            self.quality_box.addItem(text, key)
        self.quality_box.currentIndexChanged.connect(
            lambda _: self.qualityChanged.emit(self.quality_box.currentData())
        )
        self.options_bar.addWidget(QLabel(" Quality "))
        self.options_bar.addWidget(self.quality_box)
        self.width_slider = QSlider(Qt.Orientation.Horizontal)
        self.width_slider.setRange(4, 60)
        self.width_slider.setValue(14)
        self.width_slider.setFixedWidth(90)
        self.width_slider.setAccessibleName("Brush width")
        self.width_slider.setToolTip("Brush and eraser width")
        self.width_slider.valueChanged.connect(self._on_width_changed)
        self.options_bar.addWidget(QLabel(" Width "))
        self.options_bar.addWidget(self.width_slider)
        self.link_box = QCheckBox("Link to selected trigger point")
        self.link_box.setToolTip("New pain areas are linked to the trigger point selected in the list")
        self.link_box.setAccessibleName("Link new pain areas to the selected trigger point")
        self.options_bar.addWidget(self.link_box)
        self.options_bar.addSeparator()
        self.layers_button = QToolButton()
        self.layers_button.setText("Layers")
        self.layers_button.setToolTip(
            "Show muscles by depth, regions, labels, hazard zones, the previous session"
        )
        self.layers_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.layers_button.setMenu(self._layers_menu())
        self.options_bar.addWidget(self.layers_button)
        self.options_bar.addWidget(QLabel(" Opacity "))
        self.opacity_slider = QSlider(Qt.Orientation.Horizontal)
        self.opacity_slider.setRange(20, 100)
        self.opacity_slider.setValue(100)
        self.opacity_slider.setFixedWidth(80)
        self.opacity_slider.setAccessibleName("Figure opacity")
        self.opacity_slider.valueChanged.connect(self._on_opacity_changed)
        self.options_bar.addWidget(self.opacity_slider)

        self.view_buttons = QButtonGroup(self)
        switcher = QHBoxLayout()
        switcher.setSpacing(4)
        for i, v in enumerate(VIEWS):
            # Tool buttons, not push buttons: the switcher row (four views, the detail list, the
            # side-by-side box) must fit a 1280-px window, and push buttons have a wide minimum.
            button = QToolButton()
            button.setText(VIEW_LABELS[v])
            button.setCheckable(True)
            button.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            button.setToolTip(f"{VIEW_LABELS[v]} view (Ctrl+{i + 1})")
            button.setAccessibleName(f"{VIEW_LABELS[v]} view")
            self.view_buttons.addButton(button, i)
            switcher.addWidget(button)
        self.view_buttons.idClicked.connect(lambda i: self.show_view(VIEWS[i]))
        self.detail_box = DetailBox()
        self.detail_box.setAccessibleName("Detail view")
        self.detail_box.setToolTip("Enlarged views of the feet, hands, face and head")
        # Narrow when closed (the list opens at full width): the switcher row must fit 1280 px.
        self.detail_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.detail_box.setMinimumContentsLength(11)
        self.detail_box.view().setMinimumWidth(220)
        self.detail_box.addItem("Detail…", None)
        for v in self.detail_views:
            meta = atlas.view_meta.get(v)
            self.detail_box.addItem(meta.label if meta else DETAIL_SHORT.get(v, v), v)
            self.detail_box.setItemData(self.detail_box.count() - 1, DETAIL_SHORT.get(v), SHORT_ROLE)
        self.detail_box.setVisible(bool(self.detail_views))
        self.detail_box.activated.connect(self._on_detail_chosen)
        switcher.addWidget(self.detail_box)
        self.back_button = QToolButton()
        self.back_button.setText("Back")
        self.back_button.setAccessibleName("Back to the body view")
        self.back_button.setShortcut(QKeySequence("Alt+Left"))
        self.back_button.clicked.connect(self.go_back)
        self.back_button.setVisible(False)
        switcher.addWidget(self.back_button)
        # The "Enlarge" offer on body views: a small button beside the cursor over a region that a
        # detail view enlarges. It never takes the click that places a mark.
        self.enlarge_button = QToolButton()
        self.enlarge_button.setAccessibleName("Enlarge this part")
        self.enlarge_button.setAutoRaise(False)
        self.enlarge_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.enlarge_button.clicked.connect(self._on_enlarge)
        self.enlarge_button.hide()
        self._enlarge_target: tuple[str, str] | None = None  # (detail view, body view)
        for v in VIEWS:
            viewport = self.views[v].viewport()
            viewport.setMouseTracking(True)
            viewport.installEventFilter(self)
        self.side_box = QCheckBox(SIDE_BY_SIDE_TEXT)
        self.side_box.setChecked(True)
        self.side_box.setToolTip("On a wide window, show the front and back views side by side")
        self.side_box.toggled.connect(self._on_side_by_side)
        switcher.addStretch(1)
        fit = QToolButton()
        fit.setText("Fit")
        fit.setToolTip("Fit the figure to the window (0)")
        fit.clicked.connect(self.fit_all)
        switcher.addWidget(self.side_box)
        switcher.addWidget(fit)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for v in self.views:
            self.splitter.addWidget(self.views[v])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.options_bar)
        layout.addLayout(switcher)
        layout.addWidget(self.splitter, 1)
        self.show_view("anterior")

    # -- layers ------------------------------------------------------------------------------
    def _layers_menu(self) -> QMenu:
        menu = QMenu(self)
        for key, text in (
            ("superficial", "Superficial muscles"),
            ("intermediate", "Intermediate muscles"),
            ("deep", "Deep muscles"),
            ("regions", "Surface regions"),
            ("labels", "Labels"),
            ("hazards", "Hazard zones"),
            ("previous", "Previous session (faded)"),
        ):
            act = menu.addAction(text)
            act.setCheckable(True)
            act.setChecked(self.layer_state[key])
            act.toggled.connect(lambda on, k=key: self.set_layer(k, on))
        return menu

    def set_layer(self, key: str, on: bool) -> None:
        self.layer_state[key] = on
        if key == "previous":
            for scene in self.scenes.values():
                scene.set_overlay_visible(on)
            return
        for v, scene in self.scenes.items():
            scene.set_render_options(self.render_options(v))

    def render_options(self, view: str | None = None) -> RenderOptions:
        names = ["silhouette", "details", "sides"] + [
            k for k in ("superficial", "intermediate", "deep", "regions", "labels") if self.layer_state[k]
        ]
        overlays = ()
        if self.layer_state["hazards"] and view is not None:
            try:
                from dn_bodymap.render.hazard_overlay import hazard_overlays

                overlays = tuple(hazard_overlays(view))
            except ModuleNotFoundError:
                overlays = ()
        options = self._options_factory(parse_layers(",".join(names)))
        options.overlays = overlays
        if self.pattern is not None and view is not None:
            from dn_bodymap.render.referral_overlay import pattern_overlays

            library, tid, side = self.pattern
            options.overlays = (*overlays, *pattern_overlays(library, tid, side, view, options.palette))
        return options

    def show_pattern(self, library, trigger_point: str, side: str) -> None:
        """Overlay a library trigger point's referral pattern on every view."""
        self.pattern = (library, trigger_point, side)
        self.refresh_palette()

    def clear_pattern(self) -> None:
        if self.pattern is not None:
            self.pattern = None
            self.refresh_palette()

    def refresh_palette(self) -> None:
        for v, scene in self.scenes.items():
            scene.set_render_options(self.render_options(v))

    def _on_opacity_changed(self, value: int) -> None:
        for scene in self.scenes.values():
            scene.figure.setOpacity(value / 100.0)

    def _on_width_changed(self, value: int) -> None:
        for view in self.views.values():
            view.brush_width = float(value)
        self.brushWidthChanged.emit(float(value))

    # -- views and tools ---------------------------------------------------------------------
    def set_tool(self, tool: Tool) -> None:
        for view in self.views.values():
            view.set_tool(tool)
        self.tool_actions[tool].setChecked(True)
        self.toolChanged.emit(str(tool))

    def show_view(self, view: str) -> None:
        if view not in self.views:
            return  # a detail view whose data is not in this atlas
        if is_detail_view(view) and not is_detail_view(self.current):
            self.came_from = self.current
        changed, self.current = view != self.current, view
        detail = is_detail_view(view)
        self.view_buttons.setExclusive(not detail)
        for button in self.view_buttons.buttons():
            button.setChecked(False)
        self.view_buttons.setExclusive(True)
        if not detail:
            self.view_buttons.button(VIEWS.index(view)).setChecked(True)
        index = self.detail_box.findData(view) if detail else 0
        self.detail_box.setCurrentIndex(max(index, 0))
        if detail:
            back = back_view(self.atlas, view, self.came_from)
            label = VIEW_LABELS.get(back, back)
            self.back_button.setText(f"◂ {label} view")
            self.back_button.setToolTip(f"Back to the {label.lower()} view (Alt+Left)")
        self.back_button.setVisible(detail)
        self.enlarge_button.hide()
        wide = self.width() >= WIDE_SCREEN_PX
        pair = self.side_by_side and wide and view in ("anterior", "posterior")
        # Ticked but too narrow: say so on the box rather than silently hide the other view.
        self.side_box.setText(
            SIDE_BY_SIDE_TEXT if wide or not self.side_by_side else "Front and back (too narrow)"
        )
        for v, widget in self.views.items():
            widget.setVisible(v == view or (pair and v in ("anterior", "posterior")))
        for widget in self.views.values():
            if widget.isVisible():
                widget.fit()
        if changed:
            self.viewChanged.emit(view)

    def _on_side_by_side(self, on: bool) -> None:
        self.side_by_side = on
        self.show_view(self.current)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.show_view(self.current)

    def fit_all(self) -> None:
        for widget in self.views.values():
            if widget.isVisible():
                widget.fit()

    def visible_views(self) -> list[str]:
        return [v for v, w in self.views.items() if w.isVisible()]

    # -- detail views ------------------------------------------------------------------------
    def _on_detail_chosen(self, index: int) -> None:
        view = self.detail_box.itemData(index)
        if view:
            self.show_view(view)
        elif is_detail_view(self.current):
            self.go_back()

    def go_back(self) -> None:
        """Return from a detail view to the body view it was opened from."""
        if is_detail_view(self.current):
            self.show_view(back_view(self.atlas, self.current, self.came_from))

    def open_detail(self, detail: str, from_view: str) -> None:
        """Open ``detail`` as enlarged from body view ``from_view`` (Back returns there)."""
        self.came_from = from_view
        self.show_view(detail)

    def detail_at(self, view: str, x: float, y: float) -> str | None:
        """The detail view that enlarges the region under (x, y) of body view ``view``, if any."""
        if not self.detail_views or is_detail_view(view):
            return None
        if self._index is None:
            from dn_bodymap.atlas.locate import AtlasIndex

            self._index = AtlasIndex(self.atlas)
        hit = self._index.locate(view, x, y)
        return opens_detail(self.atlas, view, hit.region.id if hit.region else None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseMove:
            for v in VIEWS:
                widget = self.views[v]
                if watched is widget.viewport():
                    self._offer_enlarge(v, event.position().toPoint())
                    break
        elif event.type() == QEvent.Type.ContextMenu:
            for v in VIEWS:
                widget = self.views[v]
                if watched is widget.viewport():
                    return self._context_menu(v, event.pos(), event.globalPos())
        elif (
            event.type() == QEvent.Type.Leave and self.enlarge_button.isVisible() and not self._over_button()
        ):
            self.enlarge_button.hide()  # leaving towards the button keeps it, elsewhere hides it
        return super().eventFilter(watched, event)

    def _context_menu(self, view: str, pos: QPoint, global_pos: QPoint) -> bool:
        """Right-click: the menu of ``context_menu`` when there is one (True: handled here), else the
        view's own menu."""
        menu = self.context_menu(view, pos)
        if menu is None:
            return False
        self.enlarge_button.hide()
        self._exec_menu(menu, global_pos)
        menu.deleteLater()
        return True

    def context_menu(self, view: str, pos: QPoint):
        """On a part a detail view enlarges: the view's own entries (taking over a faded mark), then
        "Enlarge: <part>"; None elsewhere (the view's own menu then opens alone)."""
        from PySide6.QtWidgets import QMenu

        widget = self.views[view]
        scene_pos = widget.mapToScene(pos)
        detail = self.detail_at(view, scene_pos.x(), scene_pos.y())
        if detail is None:
            return None
        menu = widget.overlay_menu(widget.itemAt(pos)) or QMenu(widget)
        if not menu.isEmpty():
            menu.addSeparator()
        meta = self.atlas.view_meta.get(detail)
        action = menu.addAction(f"Enlarge: {meta.label if meta else DETAIL_SHORT.get(detail, detail)}")
        action.triggered.connect(lambda: self.open_detail(detail, view))
        return menu

    def _exec_menu(self, menu, global_pos: QPoint) -> None:
        menu.exec(global_pos)

    def _over_button(self) -> bool:
        local = self.enlarge_button.mapFromGlobal(QCursor.pos())
        return self.enlarge_button.rect().contains(local)

    def _offer_enlarge(self, view: str, pos: QPoint) -> None:
        widget = self.views[view]
        scene_pos = widget.mapToScene(pos)
        detail = self.detail_at(view, scene_pos.x(), scene_pos.y())
        if detail is None:
            self.enlarge_button.hide()
            self._enlarge_target = None
            return
        self._enlarge_target = (detail, view)
        meta = self.atlas.view_meta.get(detail)
        label = meta.label if meta else DETAIL_SHORT.get(detail, detail)
        self.enlarge_button.setText(f"Enlarge: {DETAIL_SHORT.get(detail, label)}")
        self.enlarge_button.setToolTip(f"Open the enlarged view: {label}")
        self.enlarge_button.setParent(widget)
        self.enlarge_button.adjustSize()
        at = pos + ENLARGE_OFFSET
        at.setX(min(at.x(), max(0, widget.width() - self.enlarge_button.width() - 2)))
        at.setY(min(at.y(), max(0, widget.height() - self.enlarge_button.height() - 2)))
        self.enlarge_button.move(at)
        self.enlarge_button.show()
        self.enlarge_button.raise_()

    def _on_enlarge(self) -> None:
        if self._enlarge_target is not None:
            detail, body = self._enlarge_target
            self.open_detail(detail, body)
