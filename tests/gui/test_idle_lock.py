"""The idle lock (issue #13): after the idle time every window hides the records until unlocked.

The timer is driven by emitting its timeout (the slot the real timer calls), never by waiting.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QVBoxLayout

from dn_bodymap.charting.records import Patient
from dn_bodymap.gui.idle_lock import LOCKED_TITLE, SETTING, LockCover, minutes_setting

PASSPHRASE = "correct horse battery"
NAME = "Test Patient Idle Lock"


def _cover_on_top(window) -> bool:
    """What is drawn at the middle of the window belongs to the cover (so no record shows)."""
    hit = window.childAt(QPoint(window.width() // 2, window.height() // 2))
    while hit is not None and not isinstance(hit, LockCover):
        hit = hit.parentWidget()
    return hit is not None and hit.isVisible() and hit.geometry() == window.rect()


def _open_patient_session(window, repo) -> str:
    patient = repo.add_patient(Patient(display_name=NAME))
    session_id = window.start_session(patient.id)
    assert session_id and NAME in window.windowTitle()
    return session_id


def test_the_timeout_hides_the_records_and_unlock_restores_them(make_window, qtbot) -> None:
    window, repo = make_window()
    _open_patient_session(window, repo)
    lock = window.idle_lock
    page, title = window.stack.currentWidget(), window.windowTitle()
    assert lock.timer.isActive() and lock.minutes == 5  # the default
    lock.timer.timeout.emit()
    assert lock.is_locked and _cover_on_top(window)
    assert window.windowTitle() == LOCKED_TITLE and NAME not in window.windowTitle()
    assert not lock.timer.isActive()  # no second lock underneath
    cover = lock.covers[0]
    assert "click unlock" in cover.message.text().lower() and not cover.passphrase.isVisible()
    qtbot.mouseClick(cover.unlock_button, Qt.MouseButton.LeftButton)
    assert not lock.is_locked and not _cover_on_top(window)
    assert window.windowTitle() == title
    assert window.stack.currentWidget() is page  # the session screen, as it was
    assert lock.timer.isActive()


def test_the_cover_follows_a_resize(make_window) -> None:
    window, _ = make_window()
    window.idle_lock.lock()
    window.resize(1100, 700)
    QApplication.processEvents()
    assert _cover_on_top(window)


def test_input_restarts_the_timer_and_zero_turns_the_lock_off(make_window, qtbot, settings) -> None:
    window, _ = make_window()
    lock = window.idle_lock
    lock.timer.stop()
    qtbot.keyClick(window.save_label, Qt.Key.Key_A)  # a label: the key starts no search
    assert lock.timer.isActive()  # any input starts the idle time again
    lock.set_minutes(0)
    assert not lock.timer.isActive()
    qtbot.keyClick(window.save_label, Qt.Key.Key_B)
    assert not lock.timer.isActive()
    settings.setValue(SETTING, 0)
    assert minutes_setting(settings) == 0
    settings.setValue(SETTING, "nonsense")
    assert minutes_setting(settings) == 5


def test_while_locked_input_reaches_only_the_unlock_panel(make_window, qtbot, monkeypatch) -> None:
    from dn_bodymap.gui import main_window

    window, _ = make_window()
    opened: list[bool] = []
    monkeypatch.setattr(main_window.PatientDialog, "exec", lambda self: opened.append(True) or 0)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.patients.search.setFocus()
    new_patient = (Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.patients.search, *new_patient)
    assert opened == [True]  # the shortcut works while unlocked (the check below can fail)
    window.idle_lock.lock()
    search = window.patients.search
    before = search.text()
    qtbot.keyClicks(search, "xyz")
    assert search.text() == before
    qtbot.keyClick(search, *new_patient)
    assert opened == [True] and window.idle_lock.is_locked


def test_a_dialog_open_at_lock_time_is_covered_and_keeps_what_was_typed(make_window, qtbot) -> None:
    window, _ = make_window()
    dialog = QDialog(window)
    dialog.setWindowTitle(f"Edit patient — {NAME}")
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel(NAME))
    field = QLineEdit()
    layout.addWidget(field)
    dialog.resize(400, 300)
    dialog.open()  # window-modal, as the app's dialogs are
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(field, "typed before the lock")
    window.idle_lock.timer.timeout.emit()
    assert _cover_on_top(dialog) and dialog.isVisible()
    assert dialog.windowTitle() == LOCKED_TITLE
    dialog_cover = next(c for c in window.idle_lock.covers if c.parentWidget() is dialog)
    assert window.idle_lock._input_cover() is dialog_cover  # the modal dialog's panel takes input
    qtbot.mouseClick(dialog_cover.unlock_button, Qt.MouseButton.LeftButton)  # unlock from the dialog
    assert not window.idle_lock.is_locked
    assert dialog.isVisible() and field.text() == "typed before the lock"
    assert dialog.windowTitle() == f"Edit patient — {NAME}"
    dialog.reject()


def test_a_window_that_opens_while_locked_is_covered(make_window, qtbot) -> None:
    window, _ = make_window()
    window.idle_lock.lock()
    late = QDialog(window)
    late.setWindowTitle(NAME)
    late.resize(300, 200)
    late.show()
    qtbot.waitUntil(lambda: any(c.parentWidget() is late for c in window.idle_lock.covers))
    assert late.windowTitle() == LOCKED_TITLE
    window.idle_lock.unlock()
    assert late.windowTitle() == NAME
    late.close()


def test_a_renamed_window_stays_locked_and_gets_its_new_title_back(make_window) -> None:
    window, _ = make_window()
    window.idle_lock.lock()
    window.setWindowTitle(f"dn-bodymap — {NAME}")
    assert window.windowTitle() == LOCKED_TITLE
    window.idle_lock.unlock()
    assert window.windowTitle() == f"dn-bodymap — {NAME}"


@pytest.fixture
def encrypted_db(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    pytest.importorskip("sqlcipher3")
    from dn_bodymap.store import key_source, open_store
    from dn_bodymap.store.encryption_convert import encrypt_database

    monkeypatch.delenv(key_source.PASSPHRASE_ENV, raising=False)
    previous = key_source.set_asker(None)
    open_store(db_path).close()
    encrypt_database(db_path, PASSPHRASE)  # remembered in this process: the window opens it
    yield db_path
    key_source.set_asker(previous)
    key_source.forget_all()


def test_encrypted_records_unlock_only_with_their_passphrase(encrypted_db, make_window, qtbot) -> None:
    window, _ = make_window()
    lock = window.idle_lock
    assert lock.needs_passphrase
    lock.timer.timeout.emit()
    cover = lock.covers[0]
    assert cover.passphrase.isVisible() and "passphrase" in cover.message.text()
    qtbot.mouseClick(cover.unlock_button, Qt.MouseButton.LeftButton)  # no passphrase: stays locked
    assert lock.is_locked
    qtbot.keyClicks(cover.passphrase, "not it at all")
    qtbot.keyClick(cover.passphrase, Qt.Key.Key_Return)
    assert lock.is_locked and cover.error.isVisible() and cover.passphrase.text() == ""
    qtbot.keyClicks(cover.passphrase, PASSPHRASE)
    qtbot.keyClick(cover.passphrase, Qt.Key.Key_Return)
    assert not lock.is_locked


def test_screenshot(make_window, qtbot, tmp_path: Path) -> None:
    """docs/idle-lock.png when DN_BODYMAP_SCREENSHOTS is set (looked at by a person)."""
    window, repo = make_window()
    _open_patient_session(window, repo)
    window.idle_lock.lock()
    QApplication.processEvents()
    image = window.grab()
    assert not image.isNull()
    target = os.environ.get("DN_BODYMAP_SCREENSHOTS")
    if target:
        image.save(str(Path(target) / "idle-lock.png"))


def test_the_menu_entry_sets_and_keeps_the_minutes(make_window, monkeypatch, settings) -> None:
    from PySide6.QtGui import QAction

    from dn_bodymap.gui import idle_lock

    monkeypatch.setattr(idle_lock.QInputDialog, "getInt", lambda *args, **kwargs: (12, True))
    window, _ = make_window()
    entry = next(a for a in window.findChildren(QAction) if a.text() == "Idle lock…")
    entry.trigger()
    assert window.idle_lock.minutes == 12 and window.idle_lock.timer.interval() == 12 * 60_000
    assert minutes_setting(settings) == 12  # the next window starts with it


def test_a_closed_window_stops_its_lock(make_window, qtbot) -> None:
    window, _ = make_window()
    lock = window.idle_lock
    window.close()
    qtbot.waitUntil(lambda: not lock.timer.isActive())
    lock.timer.timeout.emit()
    assert not lock.is_locked  # nothing to cover, no window shown


def test_a_stroke_in_progress_at_lock_time_is_finished_after_unlock(make_window, qtbot) -> None:
    """The lock leaves the canvas alone: the brush stroke begun before it is saved after it."""
    from dn_bodymap.gui.canvas.view import Tool

    window, repo = make_window()
    _open_patient_session(window, repo)
    page, controller = window.session_page, window.controller
    page.canvas.set_tool(Tool.BRUSH)
    page.canvas.show_view("anterior")
    temple = window.atlas.view("anterior").landmark("temple", "right")
    view = page.canvas.views["anterior"]
    viewport = view.viewport()
    points = [(temple.x + 2, temple.y - 6), (temple.x + 4, temple.y + 4), (temple.x + 5, temple.y + 12)]
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=view.mapFromScene(*points[0]))
    qtbot.mouseMove(viewport, view.mapFromScene(*points[1]))
    window.idle_lock.timer.timeout.emit()
    assert window.idle_lock.is_locked and _cover_on_top(window)
    window.idle_lock.unlock()
    qtbot.mouseMove(viewport, view.mapFromScene(*points[2]))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=view.mapFromScene(*points[2]))
    qtbot.waitUntil(lambda: len(controller.pain_areas()) == 1)
    qtbot.waitUntil(lambda: "temple" in page.referral.summary.text())  # its background job is done
