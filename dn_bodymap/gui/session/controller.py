"""Session logic between the widgets and the record: identify, check hazards, save, undo.

Widgets never touch the repository: they call this controller, which builds commands for the
editing session (one user action, one transaction) and announces what changed. A save that fails
(disk full, database locked) keeps the edit in a queue, says so plainly and retries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from dn_bodymap.atlas.locate import AtlasIndex
from dn_bodymap.atlas.model import Atlas, Side
from dn_bodymap.atlas.trigger_points import Library
from dn_bodymap.charting.editing import (
    AddAnnotation,
    AddPainArea,
    Changes,
    Command,
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
)
from dn_bodymap.charting.editing.annotate import (
    SNAP_TOLERANCE,
    AnnotationGestureError,
    arrow_from_drag,
    note_anchor,
    note_text,
)
from dn_bodymap.charting.editing.sketch import (
    SketchError,
    brush_area,
    erase,
    from_record,
    lasso_area,
    merge,
    to_record,
)
from dn_bodymap.charting.records import Annotation, HazardAcknowledgement, Mark, PainArea, Session
from dn_bodymap.charting.repository import Repository
from dn_bodymap.gui.session.hazard_check import Assessment, assess_site, level_rank


@dataclass(frozen=True, slots=True)
class AcknowledgementAnswer:
    technique: str
    disclosed: str


#: Asks the clinician to acknowledge a hazard; returns None when they cancel.
AckProvider = Callable[[Assessment, str], AcknowledgementAnswer | None]


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

    def __init__(
        self,
        repo: Repository,
        atlas: Atlas,
        index: AtlasIndex,
        library: Library | None,
        session_id: str,
        clinician: str,
        ack_provider: AckProvider,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.atlas = atlas
        self.index = index
        self.library = library
        self.session_id = session_id
        self.clinician = clinician
        self.ack_provider = ack_provider
        self.editing = EditingSession(repo, session_id)  # type: ignore[arg-type]
        self.editing.subscribe(lambda changes, initiator: self.changed.emit(changes, initiator))
        self.pending: list[tuple[Command, object | None]] = []
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(2000)
        self.retry_timer.timeout.connect(self.retry_pending)
        self.pain_quality = "ache"
        self.brush_width = 14.0
        self.linked_mark: str | None = None
        self._site_cache: dict[tuple, object] = {}

    # -- reading ----------------------------------------------------------------------------
    @property
    def session(self) -> Session:
        return self.repo.get_session(self.session_id)  # type: ignore[arg-type]

    @property
    def is_signed(self) -> bool:
        return str(self.session.status) == "signed"

    def marks(self) -> list[Mark]:
        return self.repo.list_marks(self.session_id)  # type: ignore[arg-type]

    def pain_areas(self) -> list[PainArea]:
        return self.repo.list_pain_areas(self.session_id)  # type: ignore[arg-type]

    def annotations(self) -> list[Annotation]:
        return self.repo.list_annotations(self.session_id)  # type: ignore[arg-type]

    def acknowledgements(self) -> list[HazardAcknowledgement]:
        return self.repo.list_acknowledgements(self.session_id)  # type: ignore[arg-type]

    def patient_factors(self) -> dict[str, Any]:
        patient = self.repo.get_patient(self.session.patient_id)
        factors: dict[str, Any] = {}
        if patient.sex is not None:
            factors["sex"] = str(patient.sex)
        if patient.height_cm and patient.weight_kg:
            factors["bmi"] = round(patient.weight_kg / (patient.height_cm / 100) ** 2, 1)
        answers = self.session.screening_answers or {}
        conditions = [k for k, v in answers.items() if v in (True, "yes")]
        if conditions:
            factors["conditions"] = conditions
        return factors

    def _site_review(self, extra: tuple[str, float, float] | None = None):
        """Session review from per-site assessments, cached by site so a change costs one assessment."""
        try:
            from dn_bodymap.safety.assess import assess
            from dn_bodymap.safety.patient import Patient as Factors
            from dn_bodymap.safety.session import review_assessments
        except ModuleNotFoundError:
            return None
        f = self.patient_factors()
        factors = Factors.from_values(sex=f.get("sex"), bmi=f.get("bmi"), conditions=f.get("conditions"))
        key_factors = (f.get("sex"), f.get("bmi"), tuple(f.get("conditions") or ()))
        sites = [(str(m.view), m.x, m.y) for m in self.marks()]
        if extra is not None:
            sites.append(extra)
        results = []
        for view, x, y in sites:
            key = (view, x, y, key_factors)
            if key not in self._site_cache:
                self._site_cache[key] = assess(view, (x, y), factors)
            results.append(self._site_cache[key])
        return review_assessments(results)

    def session_warnings(self) -> tuple[list[str], int]:
        """Session rules over every mark: warnings (with sources) and the count of high-level sites."""
        review = self._site_review() if self.marks() else None
        if review is None:
            return [], 0
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
        try:
            return assess_site(view, x, y, self.patient_factors())
        except ModuleNotFoundError:
            return Assessment(True, "none")

    # -- editing ----------------------------------------------------------------------------
    def _execute(self, command: Command, initiator: object | None = None, mergeable: bool = False) -> bool:
        from dn_bodymap.charting.validation import ValidationError

        try:
            self.editing.execute(command, initiator, mergeable)
        except SessionLockedError as exc:
            self.refused.emit(str(exc))
            return False
        except ValidationError as exc:
            self.refused.emit(str(exc))
            return False
        except Exception as exc:
            if not _is_storage_fault(exc):
                raise
            self.pending.append((command, initiator))
            self.saveStateChanged.emit(f"Not saved: {exc}. Your change is kept and will be retried.", False)
            self.retry_timer.start()
            return False
        self.saveStateChanged.emit("All changes saved", True)
        return True

    def retry_pending(self) -> None:
        while self.pending:
            command, initiator = self.pending[0]
            try:
                self.editing.execute(command, initiator)
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

    def _acknowledge(
        self, assessment: Assessment, mark_id: str, what: str
    ) -> HazardAcknowledgement | bool | None:
        """None: no acknowledgement needed; False: the clinician cancelled; else the record."""
        if not assessment.needs_acknowledgement:
            return None
        answer = self.ack_provider(assessment, what)
        if answer is None:
            return False
        message = " | ".join(f"{h.message}" for h in assessment.hazards if level_rank(h.level) >= 1)
        return HazardAcknowledgement(
            session_id=self.session_id,
            mark_id=mark_id,
            hazard_ids=tuple(h.id for h in assessment.hazards),
            level=assessment.level,
            message_shown=message[:4000] or assessment.summary,
            acknowledged_by=self.clinician,
            technique_chosen=answer.technique or None,
            disclosed_text=answer.disclosed or None,
        )

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
        assessment = self._with_session_rules(self.assess(view, x, y), view, x, y)
        ack = self._acknowledge(assessment, mark.id, self._mark_label(mark))
        if ack is False:
            self.message.emit("Mark not placed: the hazard was not acknowledged.")
            return None
        ok = self._execute(PlaceMark(mark, ack or None))
        if ok and assessment.hazards:
            self.message.emit(f"Hazard here: {assessment.summary}")
        return mark if ok else None

    def _with_session_rules(self, assessment: Assessment, view: str, x: float, y: float) -> Assessment:
        """A new thoracic site that makes the session bilateral raises its own warning."""
        if not any(h.kind == "pneumothorax" for h in assessment.hazards):
            return assessment
        before, after = self._site_review(), self._site_review((view, x, y))
        if before is None or after is None:
            return assessment
        new = [w for w in after.warnings if w.id not in {b.id for b in before.warnings}]
        if not new:
            return assessment
        level = max([assessment.level, *(w.level for w in new)], key=level_rank)
        advice = (*assessment.advice, *(f"{w.message} [{', '.join(w.sources)}]" for w in new))
        return dataclasses.replace(assessment, level=level, advice=advice)

    def move_mark(self, mark_id: str, x: float, y: float) -> bool:
        before = self.repo.get_mark(mark_id)  # type: ignore[arg-type]
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
        assessment = self.assess(before.view, x, y)
        ack = self._acknowledge(assessment, mark_id, self._mark_label(after))
        if ack is False:
            self.changed.emit(Changes(marks=frozenset({mark_id})), None)  # snap back
            return False
        move = UpdateMark(before, after, ack or None, "Move trigger point")
        followers = self._arrows_from(
            mark_id, lambda a: dataclasses.replace(a, points=((after.x, after.y), *a.points[1:]))
        )
        return self._execute(Macro([move, *followers], "Move trigger point") if followers else move)

    def _arrows_from(self, mark_id: str, change) -> list[Command]:
        """Commands that keep the arrows drawn from a mark attached to it."""
        out: list[Command] = []
        for a in self.repo.list_annotations(self.session_id):  # type: ignore[arg-type]
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
        before = self.repo.get_mark(mark_id)  # type: ignore[arg-type]
        try:
            after = dataclasses.replace(before, **fields)
        except ValueError as exc:
            self.refused.emit(str(exc))
            return False
        if after == before:
            return True
        return self._execute(UpdateMark(before, after), initiator, mergeable=True)

    def delete_mark(self, mark_id: str) -> bool:
        delete = DeleteMark(self.repo.get_mark(mark_id))  # type: ignore[arg-type]
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
        if self.is_signed:
            self.refused.emit("This session is signed. Start a new session or add an addendum.")
            return False
        figure = self.atlas.view(view).silhouette
        try:
            if tool == "eraser":
                return self._erase(view, brush_area(points, self.brush_width, figure))
            geom = (
                brush_area(points, self.brush_width, figure)
                if tool == "brush"
                else lasso_area(points, figure)
            )
        except SketchError as exc:
            self.message.emit(str(exc))
            return False
        # Merge into an existing area of the same quality that it touches: one area per patch.
        for area in self.pain_areas():
            if area.view == view and str(area.quality) == self.pain_quality:
                existing = from_record(area.geometry)
                if existing.intersects(geom):
                    after = dataclasses.replace(area, geometry=to_record(merge(existing, geom)))
                    return self._execute(UpdatePainArea(area, after, "Extend pain area"))
        area = PainArea(
            session_id=self.session_id,
            view=view,
            geometry=to_record(geom),
            atlas_version=self.atlas.version,
            quality=self.pain_quality,
            mark_id=self.linked_mark,
        )
        return self._execute(AddPainArea(area))

    def _erase(self, view: str, eraser) -> bool:
        """One eraser stroke is one undo step, however many areas it touches."""
        parts: list[Command] = []
        for area in self.pain_areas():
            if area.view != view:
                continue
            existing = from_record(area.geometry)
            if not existing.intersects(eraser):
                continue
            rest = erase(existing, eraser)
            if rest.is_empty or rest.area < 4.0:
                parts.append(DeletePainArea(area, "Erase pain area"))
            else:
                parts.append(
                    UpdatePainArea(area, dataclasses.replace(area, geometry=to_record(rest)), "Erase")
                )
        if not parts:
            return False
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
        try:
            self.editing.undo()
        except SessionLockedError as exc:
            self.refused.emit(str(exc))

    def redo(self) -> None:
        try:
            self.editing.redo()
        except SessionLockedError as exc:
            self.refused.emit(str(exc))

    def sign(self, signed_by: str) -> bool:
        if self.pending:
            self.refused.emit("Some changes are not saved yet; the session can be signed once they are.")
            return False
        try:
            self.repo.sign_session(self.session_id, signed_by)  # type: ignore[arg-type]
        except Exception as exc:
            self.refused.emit(f"Could not sign: {exc}")
            return False
        self.editing.clear_history()
        self.changed.emit(Changes(session=True), None)
        self.saveStateChanged.emit("Signed and saved", True)
        return True

    # -- labels -----------------------------------------------------------------------------
    def _mark_label(self, mark: Mark) -> str:
        name = (
            self.atlas.muscles[mark.muscle_id].name
            if mark.muscle_id in self.atlas.muscles
            else "Unidentified"
        )
        return f"{name} ({mark.side})"

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
