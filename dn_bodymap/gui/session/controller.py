"""Session logic between the widgets and the record: identify, check hazards, save, undo.

Widgets never touch the repository: they call this controller, which builds commands for the
editing session (one user action, one transaction) and announces what changed. A save that fails
(disk full, database locked) keeps the edit in a queue, says so plainly and retries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from dn_bodymap.atlas.model import Atlas, Side
from dn_bodymap.charting.editing import (
    AcknowledgementNeed,
    AcknowledgementRequired,
    AddAnnotation,
    AddPainArea,
    Changes,
    Command,
    CopyMarks,
    DeleteAnnotation,
    DeleteMark,
    DeletePainArea,
    EditingSession,
    Macro,
    PlaceMark,
    SessionLockedError,
    UpdateAnnotation,
    UpdateMark,
    UpdatePainArea,
    UpdateSession,
    carried_over,
)
from dn_bodymap.charting.editing.annotate import (
    SNAP_TOLERANCE,
    AnnotationGestureError,
    arrow_from_drag,
    note_anchor,
    note_text,
)
from dn_bodymap.charting.editing.session import DraftHeldElsewhere
from dn_bodymap.charting.editing.sketch import SketchError, StrokeOutcome, from_record
from dn_bodymap.charting.errors import NotFoundError
from dn_bodymap.charting.records import Annotation, HazardAcknowledgement, Mark, PainArea, Session
from dn_bodymap.charting.repository import Repository
from dn_bodymap.gui.session.sketch_worker import SketchWorker, StrokeInputs, StrokeJob
from dn_bodymap.safety.levels import label

if TYPE_CHECKING:  # loaded when first used, after the session screen's first paint (issue #14)
    from dn_bodymap.atlas.locate import AtlasIndex
    from dn_bodymap.atlas.trigger_points import Library
    from dn_bodymap.safety.assess import Assessment
    from dn_bodymap.safety.session import SessionReview


#: The status line after a mark is placed on a hazard; it speaks of the view the mark is on.
HAZARD_HERE = "Hazard here: "


@dataclass(frozen=True, slots=True)
class AcknowledgementAnswer:
    technique: str
    disclosed: str


#: Asks the clinician to acknowledge what the core found (one answer per need, in order), in one
#: dialog however many marks are listed; returns None when they cancel.
AckProvider = Callable[[Sequence[AcknowledgementNeed]], Sequence[AcknowledgementAnswer] | None]


@dataclass(frozen=True, slots=True)
class Identification:
    view: str
    x: float
    y: float
    side: Side
    region_label: str
    muscles: tuple[tuple[str, str, str], ...]  # (id, name, layer), superficial first
    trigger_point: str | None


class SessionController(QObject):
    changed = Signal(object, object)  # Changes, initiator
    saveStateChanged = Signal(str, bool)
    message = Signal(str)  # a plain sentence for the status bar
    refused = Signal(str)  # an action that could not be done, with why
    depthWarning = Signal(str, str)  # mark id, the warning stored with it
    editableChanged = Signal(bool)  # whether this workstation may edit the session now (the core says)

    def __init__(
        self,
        repo: Repository,
        atlas: Atlas,
        index: AtlasIndex | Callable[[], AtlasIndex],
        library: Library | Callable[[], Library | None] | None,
        session_id: str,
        clinician: str,
        ack_provider: AckProvider,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.atlas = atlas
        # The locate index and the trigger-point library may come as functions that load them: the
        # first paint needs neither; a click (or the warm-up after the paint) loads them once.
        self._index = index
        self._library = library
        self.session_id = session_id
        self.clinician = clinician
        self.ack_provider = ack_provider
        self.editing = EditingSession(repo, session_id)  # type: ignore[arg-type]
        self.editing.rule.labeller = self._mark_label
        self.editing.subscribe(lambda changes, initiator: self.changed.emit(changes, initiator))
        self.pending: list[tuple[Command, object | None, list[HazardAcknowledgement]]] = []
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(2000)
        self.retry_timer.timeout.connect(self.retry_pending)
        self.pain_quality = "ache"
        self.brush_width = 14.0
        self.linked_mark: str | None = None
        # A finished stroke's geometry runs off the UI thread; its outcome comes back as a command.
        self.sketches = SketchWorker(self._stroke_inputs, self._apply_stroke, self)
        self.sketches.pendingChanged.connect(self._on_strokes_pending)
        self._labels: dict[tuple[str | None, str], str] = {}  # (muscle, side) → label, for the lists
        self._editable: bool | None = None  # as last announced by ``editableChanged``

    @property
    def index(self) -> AtlasIndex:
        if callable(self._index):
            self._index = self._index()
        return self._index

    @index.setter
    def index(self, value: AtlasIndex) -> None:
        self._index = value

    @property
    def library(self) -> Library | None:
        if callable(self._library):
            self._library = self._library()
        return self._library

    @library.setter
    def library(self, value: Library | None) -> None:
        self._library = value

    # -- reading ----------------------------------------------------------------------------
    @property
    def session(self) -> Session:
        return self.repo.get_session(self.session_id)  # type: ignore[arg-type]

    @property
    def is_signed(self) -> bool:
        return str(self.session.status) == "signed"

    def edit_refusal(self) -> str | None:
        """Why the core would refuse an edit now, as a sentence; None when this workstation may
        edit. The core decides (``EditingSession.edit_refusal``: signed, or another room's lease);
        the screen only shows it."""
        refusal = self.editing.edit_refusal()
        if refusal is None:
            return None
        if isinstance(refusal, DraftHeldElsewhere):
            return f"This draft is {refusal}: read-only here until you take it over or it is released."
        return "This session is signed. Start a new session or add an addendum."

    def can_edit(self) -> bool:
        return self.editing.can_edit()

    def refresh_editable(self) -> None:
        """Ask the core again (after a sync round, a take-over, a released lease) and tell the
        screen when the answer changed."""
        try:
            editable = self.can_edit()
        except NotFoundError:  # erased or voided in another room: the window closes the screen
            return
        if editable != self._editable:
            self._editable = editable
            self.editableChanged.emit(editable)

    def gone(self) -> str | None:
        """After a sync round applied another workstation's records: why this session can no longer
        be shown (its patient erased, or the draft voided, there), as one sentence; else None."""
        try:
            session = self.repo.get_session(self.session_id, include_deleted=True)  # type: ignore[arg-type]
        except NotFoundError:
            return "This patient's record was erased on another workstation; the session was closed."
        if session.voided_at is not None:
            return "This draft was voided on another workstation; the session was closed."
        return None

    def reload_from_store(self) -> None:
        """Another workstation's records were applied here: read the session's records again."""
        self.editing.model.invalidate()
        self.refresh_editable()

    def abandon(self) -> None:
        """The session is gone from the store: nothing drawn or queued can be saved into it."""
        self.sketches.cancel()
        self.pending.clear()
        self.retry_timer.stop()

    def leave(self) -> bool:
        """The session screen is about to go (another session, the patient list, closing): apply
        every stroke still being worked out first, so nothing drawn is lost. True when all were."""
        if not self.sketches.busy:
            return True
        self.saveStateChanged.emit("Saving the drawing…", True)
        done = self.sketches.flush()
        if not done:
            self.refused.emit("The last drawing is still being saved; try again in a moment.")
        return done

    # The session's records come from the editing session's in-memory model, kept in step by each
    # command's changes: a click does not list and decode the whole session again.
    def marks(self) -> list[Mark]:
        return self.editing.model.marks()

    def mark(self, mark_id: str) -> Mark:
        """A live mark of this session (the repository's NotFoundError when there is none)."""
        found = self.editing.model.mark(mark_id)
        return found if found is not None else self.repo.get_mark(mark_id)  # type: ignore[arg-type]

    def pain_areas(self) -> list[PainArea]:
        return self.editing.model.pain_areas()

    def annotations(self) -> list[Annotation]:
        return self.editing.model.annotations()

    def acknowledgements(self) -> list[HazardAcknowledgement]:
        return self.editing.model.acknowledgements()

    def _site_review(self) -> SessionReview:
        """The session rules over every mark, each site assessed (and cached) by the core's rule."""
        return self.editing.rule.live_review()

    def session_warnings(self) -> tuple[list[str], int]:
        """Session rules over every mark: warnings (with sources) and the count of high-level sites."""
        if not self.editing.model.marks_by_id:
            return [], 0
        review = self._site_review()
        texts = [f"{w.message} [{', '.join(w.sources)}]" for w in review.warnings]
        return texts, review.high_level_sites

    def identify(self, view: str, x: float, y: float) -> Identification | None:
        result = self.index.locate(view, x, y)
        if not result.inside:
            return None
        muscles = tuple((m.muscle_id, self.atlas.muscles[m.muscle_id].name, m.layer) for m in result.muscles)
        tp = None
        if self.library is not None and muscles and result.side is not None:
            nearest = self.library.nearest(view, result.side, x, y, [muscles[0][0]])
            tp = nearest.id if nearest else None
        label = result.region.label if result.region else ""
        return Identification(view, x, y, result.side or Side.MIDLINE, label, muscles, tp)

    def assess(self, view: str, x: float, y: float) -> Assessment:
        """The safety engine's assessment of a site with this session's patient factors."""
        return self.editing.rule.assess(view, x, y)

    def prospective_need(self, view: str, x: float, y: float) -> AcknowledgementNeed | None:
        """What a new mark here would need acknowledging (the warning a click would show)."""
        ident = self.identify(view, x, y)
        if ident is None:
            return None
        mark = Mark(
            session_id=self.session_id,
            view=view,
            x=round(x, 2),
            y=round(y, 2),
            atlas_version=self.atlas.version,
            side=str(ident.side),
            muscle_id=ident.muscles[0][0] if ident.muscles else None,
        )
        return self.editing.rule.need(mark)

    # -- editing ----------------------------------------------------------------------------
    def _ask(self, needs: Sequence[AcknowledgementNeed]) -> list[HazardAcknowledgement] | None:
        """The clinician's acknowledgements for what the core asked, or None when they decline."""
        answers = self.ack_provider(needs)
        if answers is None or len(answers) != len(needs):
            return None
        return [
            need.acknowledge(self.clinician, answer.technique, answer.disclosed)
            for need, answer in zip(needs, answers, strict=True)
        ]

    def _acknowledged(
        self, run: Callable[[list[HazardAcknowledgement]], object]
    ) -> tuple[bool, list[HazardAcknowledgement]]:
        """Run an action; when the core refuses it for want of an acknowledgement, ask and run it
        again with the answers. (False, acks) when the clinician declines."""
        acks: list[HazardAcknowledgement] = []
        for _ in range(3):  # a second ask only if the site changed meanwhile (e.g. factors)
            try:
                run(acks)
            except AcknowledgementRequired as exc:
                given = self._ask(exc.needs)
                if given is None:
                    return False, acks
                acks = [*acks, *given]
                continue
            return True, acks
        return False, acks

    def _execute(
        self,
        command: Command,
        initiator: object | None = None,
        mergeable: bool = False,
        declined: str = "Not changed: the hazard was not acknowledged.",
    ) -> bool:
        from dn_bodymap.charting.validation import ValidationError

        acks: list[HazardAcknowledgement] = []
        try:
            done, acks = self._acknowledged(
                lambda given: self.editing.execute(command, initiator, mergeable, acknowledgements=given)
            )
            if not done:
                self.message.emit(declined)
                return False
        except SessionLockedError as exc:
            self.refused.emit(str(exc))
            return False
        except NotFoundError:  # voided here, or erased in another room, while a stroke was worked out
            self.refused.emit("Not saved: this session is no longer in the records (voided or erased).")
            return False
        except ValidationError as exc:
            self.refused.emit(str(exc))
            return False
        except Exception as exc:
            if not _is_storage_fault(exc):
                raise
            self.pending.append((command, initiator, acks))
            self.saveStateChanged.emit(f"Not saved: {exc}. Your change is kept and will be retried.", False)
            self.retry_timer.start()
            return False
        self.saveStateChanged.emit("All changes saved", True)
        return True

    def retry_pending(self) -> None:
        while self.pending:
            command, initiator, acks = self.pending[0]
            try:
                self.editing.execute(command, initiator, acknowledgements=acks)
            except Exception as exc:
                if not _is_storage_fault(exc):
                    self.pending.pop(0)
                    self.refused.emit(str(exc))
                    continue
                self.saveStateChanged.emit(f"Still not saved: {exc}. Retrying…", False)
                return
            self.pending.pop(0)
        self.retry_timer.stop()
        self.saveStateChanged.emit("All changes saved", True)

    def place_mark(self, view: str, x: float, y: float, muscle_id: str | None = None) -> Mark | None:
        if self.is_signed:
            self.refused.emit("This session is signed. Start a new session or add an addendum.")
            return None
        ident = self.identify(view, x, y)
        if ident is None:
            self.refused.emit("That point is outside the figure.")
            return None
        muscle = muscle_id or (ident.muscles[0][0] if ident.muscles else None)
        tp = (
            ident.trigger_point
            if muscle_id in (None, ident.muscles[0][0] if ident.muscles else None)
            else None
        )
        if muscle_id and self.library is not None:
            nearest = self.library.nearest(view, ident.side, x, y, [muscle_id])
            tp = nearest.id if nearest else None
        mark = Mark(
            session_id=self.session_id,
            view=view,
            x=round(x, 2),
            y=round(y, 2),
            atlas_version=self.atlas.version,
            side=str(ident.side),
            muscle_id=muscle,
            trigger_point_id=tp,
            activity="active",
        )
        ok = self._execute(PlaceMark(mark), declined="Mark not placed: the hazard was not acknowledged.")
        if not ok:
            return None
        assessment = self.assess(view, mark.x, mark.y)
        if assessment.hazards:
            summary = "; ".join(f"{h.structure} ({label(h.level)})" for h in assessment.hazards)
            self.message.emit(f"{HAZARD_HERE}{summary}")
        return self.mark(mark.id)

    def copy_marks(self, marks: Iterable[Mark], text: str = "Copy trigger points") -> list[Mark]:
        """Earlier marks brought into this session (copy from a previous session, a faded-overlay
        mark taken over): new marks with nothing done yet, one undo step. Hazardous ones are asked
        about again in one dialog; if the clinician declines, only the others come across."""
        if self._refuse_if_signed():
            return []
        copies = carried_over(marks, self.session_id)  # type: ignore[arg-type]
        if not copies:
            return []
        done, acks = self._acknowledged(
            lambda given: self.editing.execute(CopyMarks(copies, text=text), acknowledgements=given)
        )
        if done:
            self.saveStateChanged.emit("All changes saved", True)
            return copies
        try:
            self.editing.rule.require(copies, acks)
        except AcknowledgementRequired as exc:
            left_out = {n.mark.id for n in exc.needs}
            rest = [c for c in copies if c.id not in left_out]
            if rest and not self._execute(CopyMarks(rest, text=text)):
                return []
            names = ", ".join(n.label for n in exc.needs)
            self.message.emit(f"Not copied (hazard not acknowledged): {names}.")
            return rest
        return []

    def take_over(self, mark: Mark) -> Mark | None:
        """A mark of the previous session (faded overlay) taken into this one."""
        copied = self.copy_marks([mark], "Take over trigger point")
        return copied[0] if copied else None

    def move_mark(self, mark_id: str, x: float, y: float) -> bool:
        before = self.mark(mark_id)
        ident = self.identify(before.view, x, y)
        if ident is None:
            self.refused.emit("A mark cannot be moved outside the figure.")
            self.changed.emit(Changes(marks=frozenset({mark_id})), None)
            return False
        same_muscle = ident.muscles and before.muscle_id == ident.muscles[0][0]
        after = dataclasses.replace(
            before,
            x=round(x, 2),
            y=round(y, 2),
            side=str(ident.side),
            muscle_id=before.muscle_id if same_muscle else (ident.muscles[0][0] if ident.muscles else None),
            trigger_point_id=before.trigger_point_id if same_muscle else ident.trigger_point,
        )
        move = UpdateMark(before, after, None, "Move trigger point")
        followers = self._arrows_from(
            mark_id, lambda a: dataclasses.replace(a, points=((after.x, after.y), *a.points[1:]))
        )
        command = Macro([move, *followers], "Move trigger point") if followers else move
        if not self._execute(command, declined="Mark not moved: the hazard was not acknowledged."):
            self.changed.emit(Changes(marks=frozenset({mark_id})), None)  # snap back
            return False
        return True

    def _arrows_from(self, mark_id: str, change) -> list[Command]:
        """Commands that keep the arrows drawn from a mark attached to it."""
        out: list[Command] = []
        for a in self.annotations():
            if str(a.kind) == "arrow" and a.mark_id == mark_id:
                new = change(a)
                out.append(
                    DeleteAnnotation(a, "Delete arrow")
                    if new is None
                    else UpdateAnnotation(a, new, "Move arrow")
                )
        return out

    def screening_blocked(self) -> bool:
        """An absolute contraindication without a recorded reason blocks recording needling."""
        answers = self.session.screening_answers
        if not answers:
            return False
        try:
            from dn_bodymap.safety.screening import evaluate
        except ModuleNotFoundError:
            return False
        return evaluate(answers).blocked

    def edit_mark(self, mark_id: str, initiator: object | None = None, **fields: Any) -> bool:
        if fields.get("needled") and self.screening_blocked():
            self.refused.emit(
                "Screening found an absolute contraindication. Record your reason in the screening "
                "checklist before recording needling."
            )
            self.changed.emit(Changes(marks=frozenset({mark_id})), None)  # put the box back
            return False
        before = self.mark(mark_id)
        try:
            after = dataclasses.replace(before, **fields)
        except ValueError as exc:
            self.refused.emit(str(exc))
            return False
        if after == before:
            return True
        ok = self._execute(UpdateMark(before, after), initiator, mergeable=True)
        if not ok:
            self.changed.emit(Changes(marks=frozenset({mark_id})), None)  # put the fields back
            return False
        self._warn_depth(before, self.mark(mark_id))
        return True

    def _warn_depth(self, before: Mark, after: Mark) -> None:
        """A depth or needle length beyond the published depth at the site warns as it is entered."""
        entered = (after.depth_mm, after.needle_length_mm) != (before.depth_mm, before.needle_length_mm)
        if entered and after.depth_warning:
            self.depthWarning.emit(after.id, after.depth_warning)
            self.message.emit(after.depth_warning)

    def delete_mark(self, mark_id: str) -> bool:
        delete = DeleteMark(self.mark(mark_id))
        followers = self._arrows_from(mark_id, lambda a: None)  # its arrows go with it
        return self._execute(Macro([*followers, delete], "Delete trigger point") if followers else delete)

    def edit_session(
        self, initiator: object | None = None, text: str = "Edit session", **fields: Any
    ) -> bool:
        before = self.session
        try:
            after = dataclasses.replace(before, **fields)
        except ValueError as exc:
            self.refused.emit(str(exc))
            return False
        if after == before:
            return True
        return self._execute(UpdateSession(before, after, text), initiator, mergeable=True)

    def finish_stroke(self, view: str, tool: str, points: list[tuple[float, float]]) -> bool:
        """Queue a finished stroke (True) or refuse it at once (False). Its geometry is worked out
        on a worker thread and applied in drawing order; ``sketches.settled`` says how it ended."""
        refusal = self.edit_refusal()
        if refusal is not None:
            self.refused.emit(refusal)
            return False
        job = StrokeJob(
            view, tool, tuple(points), float(self.brush_width), self.pain_quality, self.linked_mark
        )
        self.sketches.submit(job)
        return True

    def _on_strokes_pending(self, jobs: tuple[StrokeJob, ...]) -> None:
        if jobs:
            self.saveStateChanged.emit("Saving the drawing…", True)
        elif not self.pending:  # a refused drawing changed nothing: what was saved still is
            self.saveStateChanged.emit("All changes saved", True)

    def _stroke_inputs(self, job: StrokeJob) -> StrokeInputs:
        """The areas a stroke may touch, read when its turn comes: the eraser, every area of the
        view; a brush or lasso, those of its quality (one area per patch of one quality)."""
        areas = tuple(
            a
            for a in self.pain_areas()
            if a.view == job.view and (job.tool == "eraser" or str(a.quality) == job.quality)
        )
        return StrokeInputs(self.atlas.view(job.view).silhouette, areas)

    def _apply_stroke(self, job: StrokeJob, inputs: StrokeInputs, outcome: object) -> bool | None:
        """On the UI thread: the worker's outcome as one editing command (one undo step)."""
        if isinstance(outcome, SketchError):  # the core refused the drawing: say why, keep the record
            self.message.emit(str(outcome))
            return False
        if isinstance(outcome, BaseException):
            raise outcome
        if self._stroke_inputs(job) != inputs:
            return None  # the areas changed while it was worked out: plan it again
        assert isinstance(outcome, StrokeOutcome)
        by_id = {a.id: a for a in inputs.areas}
        if outcome.extend is not None:
            area = by_id[outcome.extend[0]]
            after = dataclasses.replace(area, geometry=outcome.extend[1])
            return self._execute(UpdatePainArea(area, after, "Extend pain area"))
        if outcome.new is not None:
            area = PainArea(
                session_id=self.session_id,
                view=job.view,
                geometry=outcome.new,
                atlas_version=self.atlas.version,
                quality=job.quality,
                mark_id=job.linked_mark,
            )
            return self._execute(AddPainArea(area))
        parts: list[Command] = [
            DeletePainArea(by_id[area_id], "Erase pain area")
            if rest is None
            else UpdatePainArea(by_id[area_id], dataclasses.replace(by_id[area_id], geometry=rest), "Erase")
            for area_id, rest in outcome.erased
        ]
        if not parts:
            return False
        # One eraser stroke is one undo step, however many areas it touches.
        return self._execute(parts[0] if len(parts) == 1 else Macro(parts, "Erase"))

    def delete_area(self, area_id: str) -> bool:
        return self._execute(DeletePainArea(self.repo.get_pain_area(area_id)))  # type: ignore[arg-type]

    # -- annotations: arrows and notes on the map ------------------------------------------------
    def _refuse_if_signed(self) -> bool:
        if self.is_signed:
            self.refused.emit("This session is signed. Start a new session or add an addendum.")
            return True
        return False

    def _new_annotation(self, **fields: Any) -> Annotation | None:
        from dn_bodymap.charting.validation import ValidationError

        try:
            version = self.atlas.version
            return Annotation(session_id=self.session_id, atlas_version=version, **fields)
        except ValidationError as exc:
            self.refused.emit(str(exc))
            return None

    def add_arrow(
        self, view: str, points: list[tuple[float, float]], tolerance: float = SNAP_TOLERANCE
    ) -> Annotation | None:
        """A drag from a mark (or anywhere) to where the pain refers: one arrow, one undo step."""
        if self._refuse_if_signed():
            return None
        marks = [(m.id, m.x, m.y) for m in self.marks() if str(m.view) == view]
        areas = [(a.id, from_record(a.geometry)) for a in self.pain_areas() if str(a.view) == view]
        try:
            draft = arrow_from_drag(points, marks, areas, tolerance)
        except AnnotationGestureError as exc:
            self.message.emit(str(exc))
            return None
        arrow = self._new_annotation(
            view=view,
            kind="arrow",
            points=draft.points,
            mark_id=draft.mark_id,
            pain_area_id=draft.pain_area_id,
        )
        if arrow is None or not self._execute(AddAnnotation(arrow, "Draw arrow")):
            return None
        return arrow

    def add_note(self, view: str, x: float, y: float, text: str) -> Annotation | None:
        if self._refuse_if_signed():
            return None
        try:
            anchor, cleaned = note_anchor(x, y), note_text(text)
        except AnnotationGestureError as exc:
            self.message.emit(str(exc))
            return None
        note = self._new_annotation(view=view, kind="note", points=(anchor,), text=cleaned)
        if note is None or not self._execute(AddAnnotation(note, "Pin note")):
            return None
        return note

    def move_note(self, annotation_id: str, x: float, y: float) -> bool:
        """A note dragged to a new place: one UpdateAnnotation, pushed on release."""
        before = self.repo.get_annotation(annotation_id)  # type: ignore[arg-type]
        try:
            after = dataclasses.replace(before, points=(note_anchor(x, y),))
        except ValueError as exc:  # ValidationError, AnnotationGestureError
            self.refused.emit(str(exc))
            return False
        if after == before:
            return True
        return self._execute(UpdateAnnotation(before, after, "Move note"))

    def edit_note(self, annotation_id: str, text: str) -> bool:
        before = self.repo.get_annotation(annotation_id)  # type: ignore[arg-type]
        try:
            after = dataclasses.replace(before, text=note_text(text))
        except ValueError as exc:
            self.refused.emit(str(exc))
            return False
        if after == before:
            return True
        return self._execute(UpdateAnnotation(before, after, "Edit note"))

    def delete_annotation(self, annotation_id: str) -> bool:
        annotation = self.repo.get_annotation(annotation_id)  # type: ignore[arg-type]
        text = "Delete note" if str(annotation.kind) == "note" else "Delete arrow"
        return self._execute(DeleteAnnotation(annotation, text))

    def annotation_label(self, annotation: Annotation, marks: dict[str, Mark] | None = None) -> str:
        """What the canvas shows on hover: the note itself, or where an arrow comes from."""
        if str(annotation.kind) == "note":
            return annotation.text
        label = "Referral arrow"
        if annotation.mark_id is not None:
            mark = (marks or {}).get(annotation.mark_id)
            if mark is not None:
                label += f" from {self._mark_label(mark)}"
        return f"{label}: {annotation.text}" if annotation.text else label

    def undo(self) -> None:
        self._step(self.editing.undo, "Not undone: the hazard was not acknowledged.")

    def redo(self) -> None:
        self._step(self.editing.redo, "Not redone: the hazard was not acknowledged.")

    def _step(self, step: Callable[..., object], declined: str) -> None:
        """Undo or redo; a mark that would come back onto a hazard without an acknowledgement of
        this session (e.g. one recorded before this rule) is asked about first."""
        try:
            done, _ = self._acknowledged(lambda given: step(given))
        except SessionLockedError as exc:
            self.refused.emit(str(exc))
            return
        if not done:
            self.message.emit(declined)

    def sign(self, signed_by: str) -> bool:
        if self.pending or self.sketches.busy:
            self.refused.emit("Some changes are not saved yet; the session can be signed once they are.")
            return False
        try:
            self.editing.sign(signed_by)
        except Exception as exc:
            self.refused.emit(f"Could not sign: {exc}")
            return False
        self.changed.emit(Changes(session=True), None)
        self.saveStateChanged.emit("Signed and saved", True)
        return True

    # -- labels -----------------------------------------------------------------------------
    def _mark_label(self, mark: Mark) -> str:
        key = (mark.muscle_id, str(mark.side))
        found = self._labels.get(key)
        if found is None:
            name = (
                self.atlas.muscles[mark.muscle_id].name
                if mark.muscle_id in self.atlas.muscles
                else "Unidentified"
            )
            found = self._labels[key] = f"{name} ({key[1]})"
        return found

    def mark_label(self, mark: Mark) -> str:
        return self._mark_label(mark)


def _is_storage_fault(exc: Exception) -> bool:
    import sqlite3

    if isinstance(exc, sqlite3.Error | OSError):
        return True
    try:
        from dn_bodymap.charting.errors import RecordError  # noqa: F401
    except ImportError:
        return False
    name = type(exc).__name__
    return any(word in name for word in ("Full", "Locked", "Busy", "Storage", "Disk"))
