"""The open session's live records held in memory, so a click costs the same with 2,000 marks as
with none: the editing session keeps it in step from each command's ``Changes`` (re-reading only the
ids named there), instead of every reader listing and decoding the whole session again.

Lists come out in the repository's order (creation order): an id keeps the place it was first seen
at, so a mark brought back by undo returns to its row, as a fresh listing would put it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from dn_bodymap.charting.editing.commands import Changes
from dn_bodymap.charting.errors import NotFoundError
from dn_bodymap.charting.ids import SessionId
from dn_bodymap.charting.records import Annotation, HazardAcknowledgement, Mark, PainArea
from dn_bodymap.charting.repository import Repository

R = TypeVar("R", Mark, PainArea, Annotation)


class _Table(Generic[R]):
    """Live records of one kind by id, in first-seen order."""

    def __init__(self, records: Iterable[R]) -> None:
        self.rows: dict[str, R] = {}
        self._place: dict[str, int] = {}
        for record in records:
            self.put(record)

    def put(self, record: R) -> None:
        place = self._place.setdefault(record.id, len(self._place))
        last = next(reversed(self.rows), None)
        out_of_order = record.id not in self.rows and last is not None and place < self._place[last]
        self.rows[record.id] = record
        if out_of_order:  # a restored record goes back to its own row
            self.rows = dict(sorted(self.rows.items(), key=lambda kv: self._place[kv[0]]))

    def drop(self, record_id: str) -> None:
        self.rows.pop(record_id, None)

    def refresh(self, ids: Iterable[str], get: Callable[[Any], R]) -> None:
        for record_id in ids:
            try:
                self.put(get(record_id))
            except NotFoundError:  # deleted (or never stored: a failed write)
                self.drop(record_id)


class SessionModel:
    """Marks, pain areas, annotations and hazard acknowledgements of one session, read once.

    Loaded on first use; ``apply`` re-reads the records a change names; ``invalidate`` (after a
    failed command whose outcome is unknown) makes the next read load everything again.
    """

    def __init__(self, repo: Repository, session_id: SessionId) -> None:
        self.repo = repo
        self.session_id = session_id
        self._marks: _Table[Mark] | None = None
        self._areas: _Table[PainArea] | None = None
        self._annotations: _Table[Annotation] | None = None
        self._acks: list[HazardAcknowledgement] | None = None
        #: Changes whenever the marks may have: a key for what is derived from them.
        self.version = 0

    # -- reading -----------------------------------------------------------------------------
    def _mark_table(self) -> _Table[Mark]:
        if self._marks is None:
            self._marks = _Table(self.repo.list_marks(self.session_id))
        return self._marks

    def _area_table(self) -> _Table[PainArea]:
        if self._areas is None:
            self._areas = _Table(self.repo.list_pain_areas(self.session_id))
        return self._areas

    def _annotation_table(self) -> _Table[Annotation]:
        if self._annotations is None:
            self._annotations = _Table(self.repo.list_annotations(self.session_id))
        return self._annotations

    @property
    def marks_by_id(self) -> dict[str, Mark]:
        """The live marks by id (do not modify: it is the model's own mapping)."""
        return self._mark_table().rows

    def marks(self) -> list[Mark]:
        return list(self._mark_table().rows.values())

    def mark(self, mark_id: str) -> Mark | None:
        return self._mark_table().rows.get(mark_id)

    def pain_areas(self) -> list[PainArea]:
        return list(self._area_table().rows.values())

    def pain_area(self, area_id: str) -> PainArea | None:
        return self._area_table().rows.get(area_id)

    def annotations(self) -> list[Annotation]:
        return list(self._annotation_table().rows.values())

    def annotation(self, annotation_id: str) -> Annotation | None:
        return self._annotation_table().rows.get(annotation_id)

    def acknowledgements(self) -> list[HazardAcknowledgement]:
        if self._acks is None:
            self._acks = self.repo.list_acknowledgements(self.session_id)
        return list(self._acks)

    # -- keeping in step -----------------------------------------------------------------------
    def apply(self, changes: Changes) -> None:
        """Re-read what ``changes`` names (only tables already loaded; the rest load when read)."""
        if changes.marks:
            self.version += 1
            if self._marks is not None:
                self._marks.refresh(changes.marks, self.repo.get_mark)
        if changes.pain_areas and self._areas is not None:
            self._areas.refresh(changes.pain_areas, self.repo.get_pain_area)
        if changes.annotations and self._annotations is not None:
            self._annotations.refresh(changes.annotations, self.repo.get_annotation)
        if changes.acknowledgements:
            self._acks = None

    def wrote_mark(self, mark: Mark) -> None:
        """A mark stored in the middle of a command (so the next check of the same command sees it)."""
        self.version += 1
        if self._marks is not None:
            self._marks.put(mark)

    def deleted_mark(self, mark_id: str) -> None:
        self.version += 1
        if self._marks is not None:
            self._marks.drop(mark_id)

    def wrote_acknowledgement(self, acknowledgement: HazardAcknowledgement) -> None:
        if self._acks is not None and all(a.id != acknowledgement.id for a in self._acks):
            self._acks.append(acknowledgement)

    def invalidate(self) -> None:
        self.version += 1
        self._marks = self._areas = self._annotations = None
        self._acks = None
