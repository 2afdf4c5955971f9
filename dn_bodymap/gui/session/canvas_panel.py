"""The canvas area: view switcher, side-by-side front/back on wide screens, tools and layers."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSlider,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.atlas.model import VIEWS, Atlas
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


class CanvasPanel(QWidget):
    """Owns one scene per view; shows one view, or front and back side by side when wide."""

    toolChanged = Signal(str)
    qualityChanged = Signal(str)
    brushWidthChanged = Signal(float)

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
        self.scenes = {v: BodyMapScene(atlas, v, self.render_options()) for v in VIEWS}
        self.views = {v: BodyMapView(s) for v, s in self.scenes.items()}
        self.current = "anterior"
        self.side_by_side = True

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
            button = QPushButton(VIEW_LABELS[v])
            button.setCheckable(True)
            button.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            button.setToolTip(f"{VIEW_LABELS[v]} view (Ctrl+{i + 1})")
            button.setAccessibleName(f"{VIEW_LABELS[v]} view")
            self.view_buttons.addButton(button, i)
            switcher.addWidget(button)
        self.view_buttons.idClicked.connect(lambda i: self.show_view(VIEWS[i]))
        self.side_box = QCheckBox(SIDE_BY_SIDE_TEXT)
        self.side_box.setChecked(True)
        self.side_box.setToolTip("On a wide window, show the front and back views side by side")
        self.side_box.toggled.connect(self._on_side_by_side)
        switcher.addStretch(1)
        fit = QPushButton("Fit")
        fit.setToolTip("Fit the figure to the window (0)")
        fit.clicked.connect(self.fit_all)
        switcher.addWidget(self.side_box)
        switcher.addWidget(fit)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for v in VIEWS:
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
        self.current = view
        self.view_buttons.button(VIEWS.index(view)).setChecked(True)
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
