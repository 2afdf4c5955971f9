"""The patient list is painted before the atlas, the session screen and the Teaching menu load;
they load right after it, one step at a time (gui/app.py). On a database the writer would open
unchanged, the list is painted from a read-only connection (store/first_screen.py): no sqlite-utils,
no repository and no record model before it; the writer opens in the first step after it."""

from __future__ import annotations

from pathlib import Path

from app_child import start_app

BUILD = r"""
import sys
from dn_bodymap.charting.records import Clinician
from dn_bodymap.store import open_store
from dn_bodymap.store.demo import fill_demo

with open_store(sys.argv[1], backups=False) as repo:
    repo.set_clinician(Clinician(name="Demo Clinician Robin Hale"))
    fill_demo(repo)
    print(repo.list_sessions()[0].session.id)
"""
CHILD = r"""
import json, sys
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
QSettings("dn-bodymap", "dn-bodymap").setValue("last_session", sys.argv[2])
HEAVY = ("shapely", "numpy", "dn_bodymap.atlas.model", "dn_bodymap.gui.session.page",
         "dn_bodymap.gui.teaching.teaching_menu", "sqlite_utils", "dn_bodymap.store.repository",
         "dn_bodymap.charting.records", "dn_bodymap.gui.idle_lock", "PySide6.QtPrintSupport")
report = {}

def window():
    from dn_bodymap.gui.main_window import MainWindow
    return next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))

def first_turn():
    import gc
    report["gc_at_first_paint"] = gc.isenabled()
    w = window()
    report["at_first_paint"] = sorted(m for m in HEAVY if m in sys.modules)
    report["atlas_loaded"] = not callable(w._atlas)
    report["on_session"] = w.controller is not None
    report["rows"] = w.patients.patients.count()
    report["repo_at_first_paint"] = type(w.repo).__name__
    if sys.argv[3] == "click":  # before the writer's step: the write must go through the writer
        pid = w.patients.current_patient()
        w.patients.archive_button.click()
        report["archived"] = w.repo.get_patient(pid).archived
        report["repo_after_click"] = type(w.repo.writer).__name__
    QTimer.singleShot(0, wait_for_warm_up)

def wait_for_warm_up():
    w = window()
    if w._teaching_menu is None or "dn_bodymap.gui.session.page" not in sys.modules:
        QTimer.singleShot(20, wait_for_warm_up)
        return
    report["after"] = sorted(m for m in HEAVY if m in sys.modules)
    import gc
    report["gc_after"] = gc.isenabled()
    report["repo_after"] = type(w.repo).__name__
    report["teaching_built"] = w._teaching_menu is not None
    report["menus"] = [a.text() for a in w.menuBar().actions()]
    report["f5"] = any(a.shortcut().toString() == "F5" for a in w._teaching_menu.actions())
    print(json.dumps(report))
    app.quit()

import PySide6.QtCore
from dn_bodymap.store.first_screen import FirstScreenStore

take_writer = FirstScreenStore.take_writer

def taking_writer(store):  # the first step after the paint: what the paint itself needed
    if "before_writer" not in report:
        report["before_writer"] = sorted(m for m in HEAVY if m in sys.modules)
        report["qt_namespace_before_writer"] = "Qt" in PySide6.QtCore.__dict__
    return take_writer(store)

FirstScreenStore.take_writer = taking_writer
QTimer.singleShot(0, first_turn)
QTimer.singleShot(120_000, app.quit)  # a failure ends the child (no report) instead of hanging it
import dn_bodymap.gui.app as gui_app
gui_app.install_excepthook = lambda app: None  # an error is a traceback on stderr, not a modal box
gui_app.run_app(db=sys.argv[1])
"""


def _start(tmp_path: Path, reopen_last: bool = False, click: bool = False) -> dict:
    """Builds a demo database (with its own settings and audit key), then starts the app on it."""
    return start_app(tmp_path, BUILD, CHILD, session=reopen_last, extra="click" if click else "")


def test_patient_list_is_painted_before_the_atlas_and_session_screen_load(tmp_path: Path) -> None:
    report = _start(tmp_path)
    assert report["rows"] > 0 and not report["on_session"]
    assert not report["atlas_loaded"]
    assert not {"dn_bodymap.gui.session.page", "dn_bodymap.gui.teaching.teaching_menu"} & set(
        report["at_first_paint"]
    )
    assert set(report["after"]) >= {"shapely", "dn_bodymap.atlas.model", "dn_bodymap.gui.session.page"}
    assert report["teaching_built"] and report["f5"]
    assert report["menus"].index("&Teaching") == report["menus"].index("&Help") - 1


def test_the_first_screen_needs_no_writer_and_the_writer_opens_right_after(tmp_path: Path) -> None:
    """sqlite-utils, the repository and the record model (~150 ms) load after the first paint,
    as do the idle lock and the printing support; the writer is in place after the warm-up."""
    report = _start(tmp_path)
    assert report["repo_at_first_paint"] == "FirstScreenStore"
    assert not {
        "sqlite_utils",
        "dn_bodymap.store.repository",
        "dn_bodymap.charting.records",
        "dn_bodymap.gui.idle_lock",
        "PySide6.QtPrintSupport",
    } & set(report["at_first_paint"])
    assert {"sqlite_utils", "dn_bodymap.store.repository", "dn_bodymap.gui.idle_lock"} <= set(report["after"])
    # Painted (the list, the details, the pain chart) with none of them, nor PySide's ``Qt`` namespace
    # (~90 enum classes made on its first use).
    assert not {"sqlite_utils", "dn_bodymap.store.repository", "dn_bodymap.charting.records"} & set(
        report["before_writer"]
    )
    assert report["qt_namespace_before_writer"] is False
    assert "dn_bodymap.atlas.model" not in report["before_writer"]  # the writer's step comes first
    assert report["repo_after"] == "SqliteRepository"


def test_a_write_from_the_first_click_goes_through_the_writer(tmp_path: Path) -> None:
    report = _start(tmp_path, click=True)
    assert report["repo_at_first_paint"] == "FirstScreenStore"
    assert report["archived"] and report["repo_after_click"] == "SqliteRepository"
    assert report["repo_after"] == "SqliteRepository"


def test_no_geometry_library_is_imported_before_the_patient_list(tmp_path: Path) -> None:
    """shapely and numpy cost more than the whole first screen; nothing on it needs them."""
    report = _start(tmp_path)
    assert not {"shapely", "numpy", "dn_bodymap.atlas.model"} & set(report["at_first_paint"])


def test_reopening_the_last_session_loads_what_it_needs_first(tmp_path: Path) -> None:
    report = _start(tmp_path, reopen_last=True)
    assert report["on_session"] and report["atlas_loaded"]
    assert "dn_bodymap.gui.session.page" in report["at_first_paint"]
    # Painted from the read-only store too (tests/scale/test_scale_session_first_paint.py); the writer after.
    assert report["repo_at_first_paint"] == "FirstScreenStore" and report["repo_after"] == "SqliteRepository"


def test_the_collector_waits_for_the_first_paint(tmp_path: Path) -> None:
    """gui/start_gc.py: paused while the window is built and painted, running again right after."""
    for reopen_last in (False, True):
        report = _start(tmp_path / str(reopen_last), reopen_last=reopen_last)
        assert report["gc_at_first_paint"] is False and report["gc_after"] is True
