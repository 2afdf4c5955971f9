"""Regenerate the README screenshots from a real window under Xvfb.

    xvfb-run -a -s "-screen 0 1600x1000x24" python docs/screenshots.py

Needs imagemagick's `import`. Uses a fresh demo database (fictitious patients) in a temp folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent


def shot(name: str) -> None:
    subprocess.run(["import", "-window", "root", str(DOCS / name)], check=True)
    print("wrote", DOCS / name)


def main() -> None:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.atlas.trigger_points import default_library
    from dn_bodymap.charting.referral.index_cache import default_referral_index
    from dn_bodymap.gui.main_window import MainWindow
    from dn_bodymap.gui.theme import apply_palette
    from dn_bodymap.store import open_store
    from dn_bodymap.store.demo import fill_demo

    app = QApplication(sys.argv)
    apply_palette(app, dark=False)
    tmp = Path(tempfile.mkdtemp())
    repo = open_store(tmp / "demo.db", backups=False)
    fill_demo(repo)
    settings = QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        repo,
        default_atlas(),
        default_library(),
        default_referral_index(),
        settings,
        "Demo Clinician Robin Hale",
    )
    window.setGeometry(0, 0, 1600, 1000)
    window.show_patients()
    window.show()
    steps = []

    def step(fn):
        steps.append(fn)
        return fn

    @step
    def patients():
        window.patients.search.setText("Demo Patient A")
        window.patients.refresh()

    @step
    def patients_shot():
        shot("screenshot-patients.png")

    @step
    def session():
        pid = window.patients.current_patient()
        draft = next(s for s in repo.list_sessions(pid) if str(s.session.status) == "draft")
        window.open_session(draft.session.id)
        page = window.session_page
        page.canvas.show_view("posterior")
        page.right_tabs.setCurrentIndex(0)
        marks = window.controller.marks()
        page.select_mark(marks[0].id)

    warning = {}

    @step
    def session_warning():
        # The warning shown when a mark is placed over the left upper trapezius.
        from dn_bodymap.gui.session.ack_dialog import HazardAcknowledgementDialog

        post = window.atlas.view("posterior")
        c7, acr = post.landmark("c7"), post.landmark("acromion", "left")
        x, y = (c7.x + acr.x) / 2, (c7.y + acr.y) / 2 + 4
        need = window.controller.prospective_need("posterior", x, y)
        dialog = HazardAcknowledgementDialog([need], window)
        dialog.show()
        dialog.move(520, 170)
        warning["dialog"] = dialog

    @step
    def warning_shot():
        shot("screenshot-hazard.png")
        warning["dialog"].close()

    @step
    def session_shot():
        shot("screenshot-session.png")

    detail = {}

    @step
    def soles():
        # The soles detail view, opened as the "Enlarge" button does, with a mark in the right sole.
        page = window.session_page
        page.canvas.open_detail("plantar", "posterior")
        shape = next(
            s
            for s in window.atlas.view("plantar").muscle_shapes
            if s.muscle_id == "quadratus_plantae" and s.side.value == "right"
        )
        at = shape.geometry.representative_point()
        mark = window.controller.place_mark("plantar", at.x, at.y)
        detail["mark"] = mark
        page.right_tabs.setCurrentIndex(0)

    @step
    def soles_select():
        window.session_page.select_mark(detail["mark"].id)

    @step
    def soles_shot():
        shot("screenshot-detail-soles.png")
        window.controller.undo()  # the README's other screenshots show the demo session unchanged
        window.session_page.canvas.go_back()
        window.session_page.select_mark(window.controller.marks()[0].id)

    @step
    def legend():
        window.show_legend()

    @step
    def legend_shot():
        shot("screenshot-legend.png")
        from dn_bodymap.gui.legend_dialog import LegendDialog

        for widget in app.topLevelWidgets():
            if isinstance(widget, LegendDialog):
                widget.close()

    @step
    def dark():
        window.dark_action.setChecked(True)
        window.toggle_dark()

    @step
    def dark_shot():
        shot("screenshot-dark.png")
        window.dark_action.setChecked(False)
        window.toggle_dark()
        app.quit()

    def run(i: int = 0) -> None:
        if i < len(steps):
            steps[i]()
            QTimer.singleShot(900, lambda: run(i + 1))

    QTimer.singleShot(800, run)
    app.exec()
    repo.close()


if __name__ == "__main__":
    os.environ.setdefault("DN_BODYMAP_CACHE", tempfile.mkdtemp())
    main()
