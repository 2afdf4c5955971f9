"""The idle lock: after some minutes without input, every window hides the records until unlocked.

Input is seen by an application-wide event filter (keys, clicks, wheel, touch, pen, mouse moves),
which restarts one single-shot timer; nothing polls. When the timer fires, every visible window of
the application (the main window and any dialog open at that moment, modal or not) gets a cover: a
child widget filling it, raised above its content, with the unlock panel. The windows' titles become
"dn-bodymap — locked" (a patient's name must not show in the task bar either) and open popups and
menus close. Dialogs are covered rather than closed or hidden: hiding a dialog ends its ``exec()``
and would throw away what was typed into it; under its cover it keeps its state, and so does a
stroke in progress on the canvas (every change is saved as it is made anyway).

While locked, input and shortcuts reach only the covers. Unlocking takes the database's passphrase
when the records are encrypted (``store.encryption``), otherwise a click on Unlock. The minutes are
a setting of this computer's user (File → Idle lock…; 0 turns the lock off).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

SETTING = "idle_lock_minutes"
DEFAULT_MINUTES = 5
MAX_MINUTES = 240
LOCKED_TITLE = "dn-bodymap — locked"

_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
        QEvent.Type.Shortcut,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.ContextMenu,
    }
)


def minutes_setting(settings: QSettings) -> int:
    try:
        value = int(settings.value(SETTING, DEFAULT_MINUTES))
    except (TypeError, ValueError):
        return DEFAULT_MINUTES
    return min(max(value, 0), MAX_MINUTES)


class LockCover(QFrame):
    """Fills one window while locked; shows who may unlock and how, never a record."""

    def __init__(self, window: QWidget, lock: IdleLock) -> None:
        super().__init__(window)
        self.setObjectName("idleLockCover")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Locked")
        self._lock = lock
        panel = QFrame(self)
        panel.setObjectName("idleLockPanel")
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setFixedWidth(440)
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(24, 20, 24, 16)
        inner.setSpacing(10)
        title = QLabel("<b>dn-bodymap is locked</b>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        who = lock.clinician_name()
        unit = "minute" if lock.minutes == 1 else "minutes"
        self.idle = QLabel(f"Hidden after {lock.minutes} {unit} without input." if lock.minutes else "")
        self.idle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Short lines without wrapping (a wrapped label in a centred panel is cut to one line); a
        # long clinician name is elided on its own line.
        self.who = QLabel()
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who.setText(self.who.fontMetrics().elidedText(who, Qt.TextElideMode.ElideRight, 380))
        self.who.setVisible(bool(who))
        self.message = QLabel(
            "Enter the passphrase of these records to continue."
            if lock.needs_passphrase
            else "Click Unlock to continue."
        )
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setVisible(lock.needs_passphrase)
        self.passphrase.returnPressed.connect(self._unlock)
        self.error = QLabel()
        self.error.setObjectName("idleLockError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._unlock)
        for widget in (title, self.idle, self.who, self.message, self.passphrase, self.error):
            inner.addWidget(widget)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        inner.addLayout(row)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.fit()

    def fit(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()

    def _unlock(self) -> None:
        if self._lock.unlock(self.passphrase.text()):
            return
        self.passphrase.clear()
        self.error.setText("That passphrase does not open these records.")
        self.error.setVisible(True)
        self.passphrase.setFocus()


class IdleLock(QObject):
    """One per application window set; ``timer`` fires after ``minutes`` without input."""

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        window: QMainWindow,
        minutes: int = DEFAULT_MINUTES,
        *,
        check_passphrase: Callable[[str], bool] | None = None,
        clinician: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.minutes = 0
        self.needs_passphrase = check_passphrase is not None
        self._check = check_passphrase
        self._clinician = clinician
        self.covers: list[LockCover] = []
        self._titles: dict[QWidget, str] = {}
        self._restarted = 0.0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.set_minutes(minutes)
        app = QApplication.instance()
        app.installEventFilter(self)
        window.destroyed.connect(lambda *_: app.removeEventFilter(self))

    # -- state --------------------------------------------------------------------------------
    @property
    def is_locked(self) -> bool:
        return bool(self.covers)

    def clinician_name(self) -> str:
        return self._clinician() if self._clinician is not None else ""

    def set_minutes(self, minutes: int) -> None:
        """0 turns the lock off; otherwise the timer restarts with the new length."""
        self.minutes = min(max(int(minutes), 0), MAX_MINUTES)
        self.timer.stop()
        if self.minutes:
            self.timer.setInterval(self.minutes * 60_000)
            if not self.is_locked:
                self.timer.start()

    # -- locking ------------------------------------------------------------------------------
    def lock(self) -> None:
        """Cover every visible window of the application (the timer's slot; also callable)."""
        if self.is_locked or not self.window.isVisible():  # a closed window has nothing to hide
            return
        self.timer.stop()
        while (popup := QApplication.activePopupWidget()) is not None:
            popup.close()
        for window in self._windows():
            self._titles[window] = window.windowTitle()
            window.setWindowTitle(LOCKED_TITLE)
            cover = LockCover(window, self)
            cover.show()
            self.covers.append(cover)
        target = self._input_cover()
        if target is not None:
            (target.passphrase if self.needs_passphrase else target.unlock_button).setFocus()
        self.locked.emit()

    def unlock(self, passphrase: str = "") -> bool:
        """True when unlocked: with the records' passphrase when they are encrypted."""
        if not self.is_locked:
            return True
        if self._check is not None and not (passphrase and self._check(passphrase)):
            return False
        covers, self.covers = self.covers, []
        for cover in covers:
            cover.hide()
            cover.deleteLater()
        for window, title in self._titles.items():
            window.setWindowTitle(title)
        self._titles.clear()
        self.set_minutes(self.minutes)
        self.unlocked.emit()
        return True

    def _windows(self) -> list[QWidget]:
        found = [self.window]
        for widget in QApplication.topLevelWidgets():
            if widget is self.window or not widget.isVisible() or isinstance(widget, QMenu):
                continue
            if widget.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet):
                found.append(widget)
        return found

    def _input_cover(self) -> LockCover | None:
        """The cover that can take input: a modal dialog's if one is open, else the main window's."""
        modal = QApplication.activeModalWidget()
        for cover in self.covers:
            if cover.parentWidget() is modal:
                return cover
        return self.covers[0] if self.covers else None

    def _inside_cover(self, obj: QObject) -> bool:
        widget = obj if isinstance(obj, QWidget) else None
        while widget is not None:
            if isinstance(widget, LockCover):
                return True
            widget = widget.parentWidget()
        return False

    def _blocked(self, obj: QObject, kind: QEvent.Type) -> bool:
        """Input for a covered window outside its cover, or a shortcut (an action's: menus, tools)."""
        if kind == QEvent.Type.Shortcut:
            return not self._inside_cover(obj)
        if not isinstance(obj, QWidget):  # the QWindow passes it on to the widget, judged then
            return False
        return obj.window() in self._titles and not self._inside_cover(obj)

    # -- input --------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Called for every event of the application: the unlocked path is two comparisons, and
        the timer is restarted at most once a second (mouse moves come by the hundred)."""
        if not self.covers:
            kind = event.type()
            if self.minutes and kind in _INPUT:
                now = time.monotonic()
                if now - self._restarted >= 1.0 or not self.timer.isActive():
                    self._restarted = now
                    self.timer.start()
            elif kind == QEvent.Type.Close and obj is self.window:  # it may refuse to close
                QTimer.singleShot(0, self, self._detach_if_closed)
            return False
        try:
            return self._filter_locked(obj, event)
        except RuntimeError:  # the window is being destroyed (its lock goes with it)
            return False

    def _detach_if_closed(self) -> None:
        """A closed main window has nothing to hide (and the app ends): stop filtering."""
        if self.window.isVisible():
            return
        self.timer.stop()
        self.minutes = 0
        QApplication.instance().removeEventFilter(self)

    def _filter_locked(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not self.window.isVisible():
            return False
        if kind == QEvent.Type.Resize and isinstance(obj, QWidget):
            for cover in self.covers:
                if cover.parentWidget() is obj:
                    cover.fit()
        elif kind == QEvent.Type.WindowTitleChange and obj in self._titles:
            title = obj.windowTitle()  # type: ignore[attr-defined]
            if title != LOCKED_TITLE:  # the app renamed a covered window: keep it for later
                self._titles[obj] = title  # type: ignore[index]
                obj.setWindowTitle(LOCKED_TITLE)  # type: ignore[attr-defined]
        elif kind == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow():
            QTimer.singleShot(0, lambda w=obj: self._cover_late(w))
        elif kind in _INPUT and self._blocked(obj, kind):
            return True  # nothing but the unlock panel takes input while locked
        return False

    def _cover_late(self, window: QWidget) -> None:
        """A window that appeared while locked (a message box, a dialog) is covered too."""
        if not self.covers or isinstance(window, (LockCover, QMenu)) or window in self._titles:
            return
        if not window.isVisible() or window.windowType() not in (Qt.WindowType.Window, Qt.WindowType.Dialog):
            return
        self._titles[window] = window.windowTitle()
        window.setWindowTitle(LOCKED_TITLE)
        cover = LockCover(window, self)
        cover.show()
        self.covers.append(cover)


def passphrase_check_for(repo: object) -> Callable[[str], bool] | None:
    """For encrypted records: a check against the passphrase that opened them; else None."""
    conn = getattr(getattr(repo, "db", None), "conn", None)
    known = getattr(conn, "passphrase", None)
    if not known:
        return None

    def check(entered: str) -> bool:
        return hmac.compare_digest(entered.encode("utf-8"), str(known).encode("utf-8"))

    return check


def install_idle_lock(window: QMainWindow, menu: QMenu) -> IdleLock:
    """The lock for ``window`` (``window.idle_lock``) and its File → Idle lock… entry."""

    def clinician() -> str:
        profile = getattr(window, "profile", None)
        return str(getattr(profile, "name", "") or "")

    settings = getattr(window, "settings", None) or QSettings("dn-bodymap", "dn-bodymap")
    lock = IdleLock(
        window,
        minutes_setting(settings),
        check_passphrase=passphrase_check_for(getattr(window, "repo", None)),
        clinician=clinician,
    )
    window.idle_lock = lock  # type: ignore[attr-defined]

    def choose() -> None:
        minutes, ok = QInputDialog.getInt(
            window,
            "Idle lock",
            "Hide the records after this many minutes without input (0 = never):",
            lock.minutes,
            0,
            MAX_MINUTES,
        )
        if ok:
            lock.set_minutes(minutes)
            settings.setValue(SETTING, lock.minutes)

    action = QAction("Idle lock…", window)
    action.setToolTip("After how many minutes without input the window hides the records")
    action.setStatusTip(action.toolTip())
    action.triggered.connect(choose)
    menu.addAction(action)
    lock_now = QAction("Lock now", window)
    lock_now.setShortcut("Ctrl+Shift+L")
    lock_now.setToolTip("Hide the records until unlocked")
    lock_now.triggered.connect(lock.lock)
    menu.addAction(lock_now)
    return lock
