"""A finished stroke's geometry runs on a worker thread, so the session screen never freezes
(issue #13, "Freeze").

Buffering a brush stroke, repairing a lasso outline, merging it into an area or erasing from one
costs milliseconds usually and up to the core's work bounds at worst (charting/editing/sketch.py);
on the UI thread that was a frozen screen. Here the core's pure ``plan_stroke`` runs in a
``QThreadPool`` job and its outcome comes back to the UI thread, where the controller turns it into
the ordinary editing command (so undo, the session model and the hazard rule see it as before).

Strokes are planned one at a time, in the order drawn: the next one starts from the areas as the
previous one left them, exactly as if each had been applied at once. The inputs are read on the UI
thread when a stroke's turn comes; if the areas changed meanwhile (an undo, a deletion) the outcome
is stale and the stroke is planned again. Until it is applied a stroke is shown as pending: a grey
dashed trace on its view (``PendingStrokeOverlay``). Before the session screen goes (another
session, the patient list, closing the window) ``flush`` waits for every pending stroke and applies
it, so nothing shown on screen is lost.
"""

from __future__ import annotations

import collections
import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QPointF, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsView

from dn_bodymap.charting.editing import sketch
from dn_bodymap.charting.records import PainArea

XY = tuple[float, float]

#: How long leaving a session waits for the strokes still being worked out. The core bounds each
#: stroke's work (charting/editing/sketch.py caps points, crossings, pieces and simplification), so
#: this is a backstop against a lost worker, not a figure a stroke is expected to approach.
FLUSH_TIMEOUT_MS = 60_000


@dataclass(frozen=True)
class StrokeJob:
    """A stroke as drawn, with the settings in force when it was drawn."""

    view: str
    tool: str
    points: tuple[XY, ...]
    width: float
    quality: str
    linked_mark: str | None


@dataclass(frozen=True)
class StrokeInputs:
    """What a stroke is planned against, read on the UI thread when its turn comes."""

    figure: Any  # the view's silhouette (shapely)
    areas: tuple[PainArea, ...]  # the areas it may merge into or erase from, in order

    def plan_args(self, job: StrokeJob) -> tuple:
        return (job.tool, job.points, job.width, self.figure, [(a.id, a.geometry) for a in self.areas])


class _Relay(QObject):
    """Lives on the UI thread; a job emits through it, so the slot runs on the UI thread."""

    done = Signal(int, object)


class _PlanJob(QRunnable):
    def __init__(self, token: int, args: tuple, relay: _Relay) -> None:
        super().__init__()
        self.token, self.args, self.relay = token, args, relay

    def run(self) -> None:
        try:
            result: object = sketch.plan_stroke(*self.args)  # looked up now: tests may watch it
        except Exception as exc:  # a SketchError to show, or a bug to surface on the UI thread
            result = exc
        with contextlib.suppress(RuntimeError):  # the session screen closed meanwhile
            self.relay.done.emit(self.token, result)


#: ``apply(job, inputs, outcome_or_error)`` on the UI thread: True if saved, False if refused or
#: nothing changed, None if ``inputs`` are stale (the stroke is then planned again).
Apply = Callable[[StrokeJob, StrokeInputs, object], bool | None]


class SketchWorker(QObject):
    """One stroke planned at a time, in order; ``pendingChanged`` carries those not yet applied,
    ``settled`` each stroke's result (True: saved)."""

    pendingChanged = Signal(object)  # tuple[StrokeJob, ...]
    settled = Signal(bool)

    def __init__(
        self,
        inputs: Callable[[StrokeJob], StrokeInputs],
        apply: Apply,
        parent: QObject | None = None,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self._inputs, self._apply = inputs, apply
        self._pool = pool or QThreadPool.globalInstance()
        self._queue: collections.deque[StrokeJob] = collections.deque()
        self._running: tuple[int, StrokeInputs] | None = None
        self._token = 0
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> tuple[StrokeJob, ...]:
        return tuple(self._queue)

    @property
    def busy(self) -> bool:
        return bool(self._queue)

    def submit(self, job: StrokeJob) -> None:
        self._queue.append(job)
        self.pendingChanged.emit(self.pending)
        self._start_next()

    def flush(self, timeout_ms: int = FLUSH_TIMEOUT_MS) -> bool:
        """Apply every stroke still pending before the session screen goes (issue #13: a stroke
        drawn just before leaving was dropped). Waits in a local event loop that paints but takes
        no input, so "Saving the drawing…" and the dashed traces stay on screen, until the worker has
        planned and applied each one through the normal path. True when none is left."""
        if not self._queue:
            return True
        loop = QEventLoop()

        def emptied(jobs: tuple[StrokeJob, ...]) -> None:
            if not jobs:
                loop.quit()

        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        self.pendingChanged.connect(emptied)
        try:
            self._start_next()
            if self._queue:
                timer.start(timeout_ms)
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            timer.stop()
            self.pendingChanged.disconnect(emptied)
        return not self._queue

    def cancel(self) -> None:
        """Forget every stroke not yet applied (the session screen is closing)."""
        self._queue.clear()
        self._running = None
        self._token += 1  # a result still on its way is dropped
        self.pendingChanged.emit(())

    def _start_next(self) -> None:
        if self._running is not None or not self._queue:
            return
        job = self._queue[0]
        inputs = self._inputs(job)
        self._token += 1
        self._running = (self._token, inputs)
        self._pool.start(_PlanJob(self._token, inputs.plan_args(job), self._relay))

    def _on_done(self, token: int, result: object) -> None:
        if self._running is None or token != self._running[0]:
            return
        inputs = self._running[1]
        self._running = None
        job = self._queue[0]
        try:
            saved = self._apply(job, inputs, result)
        except BaseException:
            self._queue.popleft()
            self.pendingChanged.emit(self.pending)
            self._start_next()
            raise
        if saved is not None:  # else stale: the same stroke is planned again from the areas now
            self._queue.popleft()
            self.pendingChanged.emit(self.pending)
            self.settled.emit(saved)
        self._start_next()


class PendingStrokeOverlay(QObject):
    """Grey dashed traces of the strokes not yet applied, on their views."""

    COLOUR = QColor(60, 60, 60, 200)

    def __init__(self, views: Mapping[str, QGraphicsView], worker: SketchWorker, parent=None) -> None:
        super().__init__(parent)
        self.views = views
        self.items: list[QGraphicsPathItem] = []
        worker.pendingChanged.connect(self.show)

    def show(self, jobs: tuple[StrokeJob, ...]) -> None:
        for item in self.items:
            if item.scene() is not None:
                item.scene().removeItem(item)
        self.items = []
        for job in jobs:
            view = self.views.get(job.view)
            if view is None or view.scene() is None or not job.points:
                continue
            path = QPainterPath(QPointF(*job.points[0]))
            for x, y in job.points[1:]:
                path.lineTo(x, y)
            lasso = job.tool == "lasso"
            if lasso:
                path.closeSubpath()
            pen = QPen(self.COLOUR, 2.5 if lasso else job.width)
            pen.setCosmetic(lasso)
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            item = QGraphicsPathItem(path)
            item.setPen(pen)
            item.setZValue(49)
            item.setToolTip("Being drawn…")
            view.scene().addItem(item)
            self.items.append(item)
