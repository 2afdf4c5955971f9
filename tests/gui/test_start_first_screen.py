"""The start on a database the writer would open unchanged (gui/app.py ``Start``, issue #14): the
patient list is painted from a read-only store, the writer opens in the first step after that
paint, a click handled before it still writes through the writer, every key works from the first
paint, the menus are the same, and a writer refused after the paint gives the old message and exit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QAction, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QApplication
from start_support import starts, writer_refused_after_the_paint

from dn_bodymap.charting.records import Clinician, Patient
from dn_bodymap.gui.app import Start
from dn_bodymap.store import SqliteRepository, open_store
from dn_bodymap.store.first_screen import FirstScreenStore

NAMES = ("Demo Alex Rivera", "Demo Sam Okafor")


@pytest.fixture
def clinic(db_path: Path) -> Path:
    with open_store(db_path, backups=False) as repo:
        repo.set_clinician(Clinician(name="Demo Clinician Robin Hale"))
        for name in NAMES:
            repo.add_patient(Patient(display_name=name))
    return db_path  # closed cleanly: stamped, so the first screen may be painted read-only


@pytest.fixture
def start(qtbot, clinic: Path, settings):
    yield from starts(qtbot, clinic, settings)


def _shortcuts(window) -> list[str]:
    """Every key bound in the window: actions shown somewhere, and the buttons' own."""
    keys = [
        action.shortcut().toString()
        for action in window.findChildren(QAction)
        if not action.shortcut().isEmpty() and action.associatedObjects()
    ]
    keys += [window.patients.start_button.shortcut().toString()]
    return sorted(keys)


def _menus(window) -> list[list[str]]:
    return [[a.text() for a in menu.menu().actions()] for menu in window.menuBar().actions() if menu.menu()]


def test_the_list_is_painted_read_only_and_the_writer_opens_right_after(start, qtbot, monkeypatch) -> None:
    from dn_bodymap.gui import backups_dialog

    seen: list[object] = []  # the read-only reason, the backup and the records check start with...
    after = backups_dialog.after_first_paint
    monkeypatch.setattr(backups_dialog, "after_first_paint", lambda w: (seen.append(w.repo), after(w)))
    started = start()
    window = started.window
    assert isinstance(window.repo, FirstScreenStore) and started.first.writer is None
    assert window.patients.patients.count() == len(NAMES)
    assert window.clinician_label.text() == "Clinician: Demo Clinician Robin Hale (DCRH)"
    qtbot.waitUntil(lambda: started.first.writer is not None)
    writer = started.first.writer
    assert isinstance(writer, SqliteRepository) and not writer.read_only
    assert window.repo is writer and window.patients.repo is writer
    assert window.background_backup.repo is writer
    assert window.profile == writer.get_clinician()  # the real record, signature in the tooltip
    assert window.clinician_label.toolTip() == writer.get_clinician().signature
    assert window._idle_lock is not None  # built in the same step
    assert seen == [writer]  # ...the writer in place


def test_a_click_before_the_writer_opens_writes_through_the_writer(start, qtbot) -> None:
    started = start()
    window = started.window
    assert started.first.writer is None  # no turn of the event loop yet
    selected = window.patients.current_patient()
    qtbot.mouseClick(window.patients.archive_button, Qt.MouseButton.LeftButton)
    assert started.first.writer is not None  # opened for the write, synchronously
    assert started.first.writer.get_patient(selected).archived
    qtbot.waitUntil(lambda: window.repo is started.first.writer)  # and handed over in the step


def test_a_click_queued_at_the_first_paint_is_handled_with_the_writer_ready(start, qtbot) -> None:
    """Input the window system delivers between the paint and the next step (here: posted at the
    paint itself, ahead of that step) is handled with a writer behind it."""
    started = start()
    window = started.window
    button = window.patients.archive_button
    selected = window.patients.current_patient()
    handled: list[object] = []

    class ClickAtPaint(QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Paint and not handled:
                handled.append(started.first.writer)  # None: the paint comes before the writer
                centre = QPointF(button.rect().center())
                for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
                    event = QMouseEvent(
                        kind, centre, centre, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                        Qt.KeyboardModifier.NoModifier,
                    )  # fmt: skip
                    QApplication.postEvent(button, event)
            return False

    spy = ClickAtPaint(window)
    window.installEventFilter(spy)  # asked before the app's own first-paint filter (installed first)
    qtbot.waitUntil(lambda: window.repo is started.first.writer and started.first.writer is not None)
    qtbot.waitUntil(lambda: started.first.writer.get_patient(selected).archived)
    assert handled == [None]


def test_every_key_works_from_the_first_paint_and_the_menus_are_the_same(
    start, qtbot, tmp_path: Path, settings
) -> None:
    from dn_bodymap.gui.main_window import MainWindow

    started = start()
    window = started.window
    assert window._idle_lock is None  # not built yet
    before = _shortcuts(window)
    assert QKeySequence("Ctrl+Shift+L").toString() in before
    assert len(before) == len(set(before))  # one action per key, or Qt fires neither
    qtbot.waitUntil(lambda: window._idle_lock is not None)
    after = _shortcuts(window)
    assert after == before
    with open_store(tmp_path / "reference.db", backups=False) as repo:
        reference = MainWindow(repo, lambda: None, settings=settings, clinician="Dr Test")  # all at once
        qtbot.addWidget(reference)
        assert _menus(window) == _menus(reference)
        reference.close()
    assert [a.text() for a in window.menuBar().actions()][:4] == ["&File", "&Edit", "&View", "&Session"]


def test_lock_now_works_before_the_idle_lock_is_built(start, qtbot, monkeypatch) -> None:
    """Ctrl+Shift+L typed before the step after the first paint (held back here, so the window can
    be activated first) locks: a stand-in action holds the key until the idle lock is built."""
    held: list[Start] = []
    step = Start.after_first_paint
    monkeypatch.setattr(Start, "after_first_paint", lambda self: held.append(self))
    started = start()
    window = started.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: held == [started])  # painted; the writer's step is held back
    assert window._lock_now_stand_in is not None and window._idle_lock is None
    window.patients.search.setFocus()
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.patients.search, Qt.Key.Key_L, keys)
    assert window._idle_lock is not None and window.idle_lock.is_locked
    window.idle_lock.unlock()
    step(started)  # the held step: the writer, then what was not built yet (done)
    assert started.first.writer is not None and window._lock_now_stand_in is None
    keys_after = [a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence("Ctrl+Shift+L")]
    assert [a.text() for a in keys_after if a.associatedObjects()] == ["Lock now"]


def test_a_writer_refused_after_the_paint_gives_the_same_message_and_exit(
    start, qtbot, clinic: Path, monkeypatch
) -> None:
    writer_refused_after_the_paint(start, clinic, qtbot, monkeypatch)


def test_the_start_lists_the_patients_once_before_the_first_paint(start, monkeypatch) -> None:
    """The page lists the patients when it is built; showing it at start-up does not list them again
    (200 rows twice was a third of a 10,000-patient clinic's start)."""
    calls: list[str] = []
    search = FirstScreenStore.search_patients

    def counted(self, *args, **kwargs):
        calls.append("search")
        return search(self, *args, **kwargs)

    monkeypatch.setattr(FirstScreenStore, "search_patients", counted)
    started = start()
    assert isinstance(started.window.repo, FirstScreenStore)
    assert calls == ["search"] and started.window.patients.patients.count() == len(NAMES)
