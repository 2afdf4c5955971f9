"""Reopening the last session at start (issue #14): the session screen is painted from the read-only
store (store/first_screen.py, ``session=True``) and the writer opens just after the paint.

Its reads are ``SqliteRepository``'s own read methods on the read-only connection: every record they
return equals the writer's (same classes, same field values and types), over the demo clinic, a
patient using every record kind (deleted parts, signed, draft and deleted sessions) and drawn
sessions; nothing is written through that connection and sqlite-utils is not loaded for them; the
real start, in a child process, paints the session without sqlite-utils and opens the writer in the
first step after the paint."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from app_child import start_app
from exchange.exchange_builders import fill_rich_patient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from session_first_records import identical, outcome

from dn_bodymap.charting.enums import AnnotationKind, View
from dn_bodymap.charting.geometry import X_RANGE, Y_RANGE
from dn_bodymap.charting.records import Annotation, Mark, PainArea, Patient, Session
from dn_bodymap.store import StoreError, open_store
from dn_bodymap.store.demo import fill_demo
from dn_bodymap.store.first_screen import SESSION_READS, FirstScreenStore, open_first_screen


def _never() -> object:
    raise AssertionError("the writer was opened")


def every_read(repo: Any) -> list[tuple[str, tuple, dict]]:
    """Every read the session screen may make, with every id of the file (deleted ones too) and
    ids that do not exist."""
    db = repo.db
    ids = {
        table: [row[0] for row in db.execute(f"SELECT id FROM {table} ORDER BY id")]
        for table in ("patients", "sessions", "marks", "pain_areas", "annotations")
    }
    calls: list[tuple[str, tuple, dict]] = [
        ("get_clinician", (), {}),
        ("get_clinic_logo", (), {}),
        ("get_setting", ("clinician",), {}),
        ("get_setting", ("clinic_name",), {}),
        ("get_setting", ("no-such-key", "default"), {}),
        ("list_sessions", (), {}),
        ("list_sessions", (), {"limit": 3, "offset": 1}),
    ]
    for archived in (False, True):
        for order in ("name", "recent"):
            calls.append(("search_patients", ("",), {"include_archived": archived, "order": order}))
    deleted = ({}, {"include_deleted": True})
    for pid in [*ids["patients"], "no-such-patient"]:
        calls += [("get_patient", (pid,), kw) for kw in deleted]
        calls += [("load_patient_chart", (pid,), {}), ("list_sessions", (pid,), {})]
    for sid in [*ids["sessions"], "no-such-session"]:
        calls += [("get_session", (sid,), kw) for kw in deleted]
        calls += [("load_session", (sid,), {}), ("get_setting", (f"overlay:{sid}",), {})]
        for name in ("list_marks", "list_pain_areas", "list_annotations"):
            calls += [(name, (sid,), kw) for kw in deleted]
        calls += [
            (name, (sid,), {}) for name in ("list_acknowledgements", "list_adverse_events", "list_addenda")
        ]
    for name, table in (
        ("get_mark", "marks"),
        ("get_pain_area", "pain_areas"),
        ("get_annotation", "annotations"),
    ):
        for record_id in [*ids[table], f"no-such-{table}"]:
            calls += [(name, (record_id,), kw) for kw in deleted]
    assert {name for name, _, _ in calls} == SESSION_READS  # each read the store serves is compared
    return calls


def compare_all(path: Path) -> int:
    """Every read through the session's read-only store against the writer's; the count compared."""
    first = open_first_screen(path, _never, session=True)
    assert isinstance(first, FirstScreenStore)
    try:
        with open_store(path, backups=False) as writer:
            calls = every_read(writer)
            for name, args, kwargs in calls:
                served = outcome(getattr(first, name), *args, **kwargs)
                expected = outcome(getattr(writer, name), *args, **kwargs)
                identical(served, expected, f"{name}{args}{kwargs}")
        assert first.writer is None  # no read opened it
    finally:
        first.close()
    return len(calls)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("session-first") / "records.db"
    with open_store(path, backups=False) as repo:
        fill_demo(repo)
        fill_rich_patient(repo)
    return path  # closed cleanly: stamped, so it may be painted read-only


def test_every_session_read_equals_the_writers(clinic: Path) -> None:
    assert compare_all(clinic) > 300


def _digest(path: Path) -> list[str]:
    return [
        hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "-"
        for p in (path, Path(f"{path}-wal"), Path(f"{path}.verified"))
    ]


def test_nothing_is_written_through_the_read_only_store(clinic: Path) -> None:
    before = _digest(clinic)
    first = open_first_screen(clinic, _never, session=True)
    assert first is not None
    sid = first.list_sessions()[0].session.id
    first.load_session(sid)
    first.load_patient_chart(first.get_session(sid).patient_id)
    with pytest.raises(StoreError):  # its repository is read-only: its own writes refuse
        first._records.add_patient(Patient(display_name="Demo Never Written"))
    first.close()
    assert _digest(clinic) == before


def test_a_write_opens_the_writer_and_goes_through_it(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    with open_store(path, backups=False) as repo:
        patient = repo.add_patient(Patient(display_name="Demo Patient Write"))
        session = repo.create_session(Session(patient_id=patient.id, clinician="Demo Clinician"))
    opened: list[Any] = []
    first = open_first_screen(
        path, lambda: opened.append(open_store(path, backups=False)) or opened[-1], session=True
    )
    assert first is not None and first.list_marks(session.id) == [] and not opened
    mark = Mark(session_id=session.id, atlas_version="1.0", view="posterior", x=0.0, y=500.0, side="midline")
    first.add_mark(mark)  # not a read it serves: the writer opens first, once
    assert len(opened) == 1 and first.writer is opened[0]
    assert opened[0].list_marks(session.id) == [mark]
    assert first.list_marks(session.id) == [mark]  # reads now follow the writer
    first.take_writer()
    assert len(opened) == 1
    opened[0].close()


def test_the_session_reads_need_no_sqlite_utils(clinic: Path) -> None:
    """In a fresh interpreter: the store, the repository and every session read, without sqlite-utils
    or the writer's modules (audit, backups, sync, exchange)."""
    code = f"""
import sys
from pathlib import Path
from dn_bodymap.store.first_screen import open_first_screen
first = open_first_screen(Path({str(clinic)!r}), lambda: 1 / 0, session=True)
for summary in first.list_sessions():
    first.load_session(summary.session.id)
    first.get_patient(summary.session.patient_id)
first.get_clinician(); first.search_patients("")
heavy = ("sqlite_utils", "dn_bodymap.store.audit", "dn_bodymap.store.backup", "dn_bodymap.store.replica",
         "dn_bodymap.store.exchange_io", "dn_bodymap.charting.exchange", "hmac")
print(type(first._records).__name__, sorted(m for m in heavy if m in sys.modules))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["SqliteRepository", "[]"]


# -- drawn sessions ------------------------------------------------------------------------------
_text = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=30)
_mark = st.fixed_dictionaries(
    {
        "view": st.sampled_from([View.ANTERIOR, View.POSTERIOR]),
        "x": st.floats(X_RANGE[0], X_RANGE[1] - 20),
        "y": st.floats(Y_RANGE[0], Y_RANGE[1] - 20),
        "tenderness": st.none() | st.integers(0, 10),
        "depth_mm": st.none() | st.floats(0.0, 80.0),
        "notes": _text,
        "needled": st.booleans(),
    }
)


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(marks=st.lists(st.tuples(_mark, st.booleans()), max_size=6), note=_text, signed=st.booleans())
def test_a_drawn_session_reads_the_same(tmp_path_factory, marks, note: str, signed: bool) -> None:
    path = tmp_path_factory.mktemp("drawn") / "records.db"
    with open_store(path, backups=False) as repo:
        patient = repo.add_patient(Patient(display_name="Demo Patient Drawn"))
        session = repo.create_session(Session(patient_id=patient.id, clinician="Demo Clinician", notes=note))
        for fields, deleted in marks:
            mark = repo.add_mark(Mark(session_id=session.id, atlas_version="1.0", side="right", **fields))
            repo.add_pain_area(
                PainArea(
                    session_id=session.id,
                    view=mark.view,
                    geometry=[[[mark.x, mark.y], [mark.x + 10, mark.y], [mark.x, mark.y + 10]]],
                    atlas_version="1.0",
                    mark_id=mark.id,
                )
            )
            repo.add_annotation(
                Annotation(
                    session_id=session.id,
                    view=mark.view,
                    kind=AnnotationKind.NOTE,
                    points=((mark.x, mark.y),),
                    atlas_version="1.0",
                    text=fields["notes"] + ".",  # a note holds text
                )
            )
            if deleted:
                repo.delete_mark(mark.id)
        if signed:
            repo.sign_session(session.id, "Demo Clinician")
    compare_all(path)


# -- the real start ---------------------------------------------------------------------------------
BUILD = r"""
import sys
from dn_bodymap.charting.records import Clinician
from dn_bodymap.store import open_store
from dn_bodymap.store.demo import fill_demo

with open_store(sys.argv[1], backups=False) as repo:
    repo.set_clinician(Clinician(name="Demo Clinician Robin Hale"))
    fill_demo(repo)
    print(next(s.session.id for s in repo.list_sessions() if s.mark_count and not s.session.is_signed))
"""
CHILD = r"""
import json, sys
from PySide6.QtCore import QEvent, QSettings, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
QSettings("dn-bodymap", "dn-bodymap").setValue("last_session", sys.argv[2])
HEAVY = ("sqlite_utils", "dn_bodymap.store.audit", "dn_bodymap.store.backup", "dn_bodymap.gui.idle_lock")
report = {}

def window():
    from dn_bodymap.gui.main_window import MainWindow
    return next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))

import dn_bodymap.gui.app as gui_app
from dn_bodymap.gui.session.page import CHECKING_TEXT
from dn_bodymap.store.first_screen import FirstScreenStore

paint_filter = gui_app._FirstPaint.eventFilter

def at_paint(self, obj, event):
    if event.type() == QEvent.Type.Paint and "paint" not in report:
        w = window()
        report["paint"] = {
            "modules": sorted(m for m in HEAVY if m in sys.modules),
            "repo": type(w.repo).__name__,
            "writer_open": w.repo.writer is not None,
            "on_session": w.controller is not None and w.stack.currentWidget() is w.session_page,
            "marks": len(w.controller.marks()),
            "checking": w.session_page.session_banner.text() == CHECKING_TEXT,
        }
    return paint_filter(self, obj, event)

gui_app._FirstPaint.eventFilter = at_paint
take_writer = FirstScreenStore.take_writer

def taking_writer(store):
    if "writer_step" not in report:
        w = window()
        report["writer_step"] = {"painted": "paint" in report, "started": w._started,
                                 "teaching": w._teaching_menu is not None}
    return take_writer(store)

FirstScreenStore.take_writer = taking_writer

def wait_for_warm_up():
    w = window()
    if "dn_bodymap.gui.session.page" not in sys.modules or w._teaching_menu is None:
        QTimer.singleShot(20, wait_for_warm_up)
        return
    report["after"] = {"repo": type(w.repo).__name__, "modules": sorted(m for m in HEAVY if m in sys.modules),
                       "marks": len(w.controller.marks()),
                       "stored": len(w.repo.list_marks(sys.argv[2]))}
    print(json.dumps(report))
    app.quit()

QTimer.singleShot(0, wait_for_warm_up)
QTimer.singleShot(120_000, app.quit)  # a failure ends the child (no report) instead of hanging it
gui_app.install_excepthook = lambda app: None  # an error is a traceback on stderr, not a modal box
gui_app.run_app(db=sys.argv[1])
"""


def test_the_real_start_paints_the_session_read_only_and_opens_the_writer_just_after(tmp_path: Path) -> None:
    report = start_app(tmp_path, BUILD, CHILD, session=True)
    paint = report["paint"]
    assert paint["repo"] == "FirstScreenStore" and not paint["writer_open"]
    assert paint["on_session"] and paint["marks"] > 0
    assert paint["modules"] == []  # no sqlite-utils, no writer's modules at the first paint
    assert paint["checking"]  # never "no warnings" before the session rules have run
    assert report["writer_step"] == {"painted": True, "started": False, "teaching": False}  # the first step
    after = report["after"]
    assert after["repo"] == "SqliteRepository" and after["marks"] == after["stored"] == paint["marks"]
    assert {"sqlite_utils", "dn_bodymap.store.audit", "dn_bodymap.gui.idle_lock"} <= set(after["modules"])
