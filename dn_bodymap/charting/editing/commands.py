"""Edit commands: each applies one user action through the repository (one transaction) and knows
how to undo it. Ids are made by the app, so redo restores the very same rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from dn_bodymap.charting.editing.hazard_rule import with_technique
from dn_bodymap.charting.ids import SessionId, new_mark_id
from dn_bodymap.charting.records import (
    AdverseEvent,
    Annotation,
    HazardAcknowledgement,
    Mark,
    PainArea,
    Session,
)
from dn_bodymap.charting.repository import Repository


@dataclass(frozen=True, slots=True)
class Changes:
    """What an operation changed, so each view refreshes only that (CONVENTIONS §4)."""

    marks: frozenset[str] = frozenset()
    pain_areas: frozenset[str] = frozenset()
    session: bool = False
    acknowledgements: bool = False
    adverse_events: bool = False
    annotations: frozenset[str] = frozenset()

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.marks | other.marks,
            self.pain_areas | other.pain_areas,
            self.session or other.session,
            self.acknowledgements or other.acknowledgements,
            self.adverse_events or other.adverse_events,
            annotations=self.annotations | other.annotations,
        )


class Command(Protocol):
    text: str

    def apply(self, repo: Repository) -> Changes: ...
    def undo(self, repo: Repository) -> Changes: ...
    def redo(self, repo: Repository) -> Changes: ...
    def merge(self, other: Command) -> Command | None: ...


class _Base:
    text = ""

    def redo(self, repo: Repository) -> Changes:
        return self.apply(repo)  # type: ignore[attr-defined]

    def merge(self, other: Command) -> Command | None:
        return None


@dataclass
class PlaceMark(_Base):
    """A new mark; an acknowledgement given for its site is stored with it and its technique becomes
    the mark's technique. The editing session's hazard rule refuses a ``high`` site without one."""

    mark: Mark
    acknowledgement: HazardAcknowledgement | None = None
    text: str = "Place trigger point"
    _placed: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        self.mark = with_technique(self.mark, self.acknowledgement)

    def apply(self, repo: Repository) -> Changes:
        repo.add_mark(self.mark, self.acknowledgement)
        self._placed = True
        return Changes(marks=frozenset({self.mark.id}), acknowledgements=self.acknowledgement is not None)

    def undo(self, repo: Repository) -> Changes:
        repo.delete_mark(self.mark.id)
        return Changes(marks=frozenset({self.mark.id}), acknowledgements=self.acknowledgement is not None)

    def redo(self, repo: Repository) -> Changes:
        repo.restore_mark(self.mark.id)
        return Changes(marks=frozenset({self.mark.id}), acknowledgements=self.acknowledgement is not None)


@dataclass
class UpdateMark(_Base):
    """Move or edit a mark; an acknowledgement is stored when it moves onto a hazard or is needled
    there, and the technique chosen in it becomes the mark's technique."""

    before: Mark
    after: Mark
    acknowledgement: HazardAcknowledgement | None = None
    text: str = "Edit trigger point"

    def __post_init__(self) -> None:
        self.after = with_technique(self.after, self.acknowledgement)

    def apply(self, repo: Repository) -> Changes:
        repo.update_mark(self.after, acknowledgement=self.acknowledgement)
        return Changes(marks=frozenset({self.after.id}), acknowledgements=self.acknowledgement is not None)

    def undo(self, repo: Repository) -> Changes:
        repo.update_mark(self.before)
        return Changes(marks=frozenset({self.before.id}))

    def redo(self, repo: Repository) -> Changes:
        """The acknowledgement was stored by the first apply and is never removed; store it once."""
        repo.update_mark(self.after)
        return Changes(marks=frozenset({self.after.id}))

    def merge(self, other: Command) -> Command | None:
        """Repeated edits of the same field group of one mark (typing in a box) are one step."""
        if (
            isinstance(other, UpdateMark)
            and other.after.id == self.after.id
            and other.text == self.text
            and self.acknowledgement is None
            and other.acknowledgement is None
            and self.text != "Move trigger point"
        ):
            return UpdateMark(self.before, other.after, None, self.text)
        return None


@dataclass
class CopyMarks(_Base):
    """Marks brought into the session at once (copied from a previous session, taken over from the
    faded overlay, imported): one undo step. The whole batch is checked before anything is written,
    so one question can list every hazardous mark; acknowledgements are keyed by mark id and must
    belong to this session (those of the source session never come along)."""

    marks: list[Mark]
    acknowledgements: dict[str, HazardAcknowledgement] = field(default_factory=dict)
    text: str = "Copy trigger points"

    def __post_init__(self) -> None:
        self.marks = [with_technique(m, self.acknowledgements.get(m.id)) for m in self.marks]

    def apply(self, repo: Repository) -> Changes:
        require_all = getattr(repo, "require_all", None)
        if require_all is not None:
            require_all(self.marks, self.acknowledgements.values())
        done: list[Mark] = []
        try:
            for m in self.marks:
                repo.add_mark(m, self.acknowledgements.get(m.id))
                done.append(m)
        except Exception:
            for m in reversed(done):
                repo.delete_mark(m.id)
            raise
        return self._changes()

    def undo(self, repo: Repository) -> Changes:
        for m in reversed(self.marks):
            repo.delete_mark(m.id)
        return self._changes()

    def redo(self, repo: Repository) -> Changes:
        done: list[Mark] = []
        try:
            for m in self.marks:
                repo.restore_mark(m.id)
                done.append(m)
        except Exception:
            for m in reversed(done):
                repo.delete_mark(m.id)
            raise
        return self._changes()

    def _changes(self) -> Changes:
        ids = frozenset(m.id for m in self.marks)
        return Changes(marks=ids, acknowledgements=bool(self.acknowledgements))


def carried_over(marks: Iterable[Mark], session_id: SessionId) -> list[Mark]:
    """Fresh copies of earlier marks for a new session: new ids (so no acknowledgement of the old
    session can cover them), and nothing of what was done at the site carried over."""
    return [
        dataclasses.replace(
            m,
            id=new_mark_id(),
            session_id=session_id,
            needled=False,
            depth_mm=None,
            passes=None,
            duration_s=None,
            response=None,
            technique=None,
            depth_warning=None,
        )
        for m in marks
    ]


@dataclass
class DeleteMark(_Base):
    mark: Mark
    text: str = "Delete trigger point"

    def apply(self, repo: Repository) -> Changes:
        repo.delete_mark(self.mark.id)
        return Changes(marks=frozenset({self.mark.id}))

    def undo(self, repo: Repository) -> Changes:
        repo.restore_mark(self.mark.id)
        return Changes(marks=frozenset({self.mark.id}))


@dataclass
class AddPainArea(_Base):
    area: PainArea
    text: str = "Draw pain area"

    def apply(self, repo: Repository) -> Changes:
        repo.add_pain_area(self.area)
        return Changes(pain_areas=frozenset({self.area.id}))

    def undo(self, repo: Repository) -> Changes:
        repo.delete_pain_area(self.area.id)
        return Changes(pain_areas=frozenset({self.area.id}))

    def redo(self, repo: Repository) -> Changes:
        repo.restore_pain_area(self.area.id)
        return Changes(pain_areas=frozenset({self.area.id}))


@dataclass
class UpdatePainArea(_Base):
    before: PainArea
    after: PainArea
    text: str = "Edit pain area"

    def apply(self, repo: Repository) -> Changes:
        repo.update_pain_area(self.after)
        return Changes(pain_areas=frozenset({self.after.id}))

    def undo(self, repo: Repository) -> Changes:
        repo.update_pain_area(self.before)
        return Changes(pain_areas=frozenset({self.before.id}))


@dataclass
class DeletePainArea(_Base):
    area: PainArea
    text: str = "Delete pain area"

    def apply(self, repo: Repository) -> Changes:
        repo.delete_pain_area(self.area.id)
        return Changes(pain_areas=frozenset({self.area.id}))

    def undo(self, repo: Repository) -> Changes:
        repo.restore_pain_area(self.area.id)
        return Changes(pain_areas=frozenset({self.area.id}))


@dataclass
class UpdateSession(_Base):
    before: Session
    after: Session
    text: str = "Edit session"

    def apply(self, repo: Repository) -> Changes:
        repo.update_session(self.after)
        return Changes(session=True)

    def undo(self, repo: Repository) -> Changes:
        repo.update_session(self.before)
        return Changes(session=True)

    def merge(self, other: Command) -> Command | None:
        if isinstance(other, UpdateSession) and other.text == self.text:
            return UpdateSession(self.before, other.after, self.text)
        return None


@dataclass
class AddAdverseEvent(_Base):
    """Adverse events are part of the clinical record: recorded, never undone silently."""

    event: AdverseEvent
    text: str = "Record adverse event"

    def apply(self, repo: Repository) -> Changes:
        repo.add_adverse_event(self.event)
        return Changes(adverse_events=True)

    def undo(self, repo: Repository) -> Changes:
        raise PermissionError("an adverse event, once recorded, is corrected by an addendum")


@dataclass
class AddAnnotation(_Base):
    """Draw an arrow or pin a note; redo restores the same row."""

    annotation: Annotation
    text: str = "Add annotation"

    def apply(self, repo: Repository) -> Changes:
        repo.add_annotation(self.annotation)
        return Changes(annotations=frozenset({self.annotation.id}))

    def undo(self, repo: Repository) -> Changes:
        repo.delete_annotation(self.annotation.id)
        return Changes(annotations=frozenset({self.annotation.id}))

    def redo(self, repo: Repository) -> Changes:
        repo.restore_annotation(self.annotation.id)
        return Changes(annotations=frozenset({self.annotation.id}))


@dataclass
class UpdateAnnotation(_Base):
    """Move a note or change its text: one drag or one edit, one undo step."""

    before: Annotation
    after: Annotation
    text: str = "Edit annotation"

    def apply(self, repo: Repository) -> Changes:
        repo.update_annotation(self.after)
        return Changes(annotations=frozenset({self.after.id}))

    def undo(self, repo: Repository) -> Changes:
        repo.update_annotation(self.before)
        return Changes(annotations=frozenset({self.before.id}))


@dataclass
class DeleteAnnotation(_Base):
    annotation: Annotation
    text: str = "Delete annotation"

    def apply(self, repo: Repository) -> Changes:
        repo.delete_annotation(self.annotation.id)
        return Changes(annotations=frozenset({self.annotation.id}))

    def undo(self, repo: Repository) -> Changes:
        repo.restore_annotation(self.annotation.id)
        return Changes(annotations=frozenset({self.annotation.id}))


@dataclass
class Macro(_Base):
    """Several commands as one user action and one undo step (a mark moved with its arrows).

    Undo runs the parts backwards. Each part is its own transaction; if a later part fails the
    earlier ones are undone, so the record never keeps half of the action.
    """

    parts: list[Command]
    text: str = "Edit"

    @staticmethod
    def _run(repo: Repository, steps: list[Command], forward: str, backward: str) -> Changes:
        done: list[Command] = []
        changes = Changes()
        try:
            for part in steps:
                changes = changes | getattr(part, forward)(repo)
                done.append(part)
        except Exception:
            for part in reversed(done):
                getattr(part, backward)(repo)
            raise
        return changes

    def apply(self, repo: Repository) -> Changes:
        return self._run(repo, self.parts, "apply", "undo")

    def undo(self, repo: Repository) -> Changes:
        return self._run(repo, list(reversed(self.parts)), "undo", "redo")

    def redo(self, repo: Repository) -> Changes:
        return self._run(repo, self.parts, "redo", "undo")
