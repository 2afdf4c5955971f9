"""Work the session screen's first paint does not need, run just after that paint (issue #14).

Reopening the last session paints the figure and the marks first; the session rules over the marks
already there (their assessment loads the hazard zones, shapely's locate index and numpy) are
checked one turn of the event loop later, and the screen says they are being checked meanwhile.
A click before then is not affected: every mark write runs the core's hazard rule synchronously.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

log = logging.getLogger("dn_bodymap")

#: Without a paint (a minimised or hidden screen) the steps run anyway after this many ms.
FALLBACK_MS = 1500


class AfterFirstPaint(QObject):
    """Runs ``steps`` after the first paint of ``widget``, one per turn of the event loop.

    The filter is on the widget alone (its children are painted in the same pass); a failing step is
    logged and the rest still run. ``run_now`` runs what is left at once (a caller that needs it)."""

    def __init__(self, widget: QWidget, steps: list[Callable[[], object]]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._pending = list(steps)
        self._started = False
        widget.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self._start)  # nothing runs once the screen is gone

    @property
    def done(self) -> bool:
        return not self._pending

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._started:
            QTimer.singleShot(0, self, self._start)  # after this paint (and its children's) is delivered
        return False

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        self._widget.removeEventFilter(self)
        self._next()

    def _next(self) -> None:
        if not self._pending:
            return
        self._run(self._pending.pop(0))
        if self._pending:
            QTimer.singleShot(0, self, self._next)

    def run_now(self) -> None:
        while self._pending:
            self._run(self._pending.pop(0))

    @staticmethod
    def _run(step: Callable[[], object]) -> None:
        try:
            step()
        except Exception:
            log.exception("session work after the first paint failed")
