"""The open session's live records held in memory, so a click costs the same with 2,000 marks as
with none: the editing session keeps it in step from each command's ``Changes`` (re-reading only the
ids named there), instead of every reader listing and decoding the whole session again.

Lists come out in the repository's order (creation order): an id keeps the place it was first seen
at, so a mark brought back by undo returns to its row, as a fresh listing would put it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable
from itertools import islice
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from dn_bodymap.charting.editing.commands import Changes
from dn_bodymap.charting.errors import NotFoundError
from dn_bodymap.charting.ids import SessionId
from dn_bodymap.charting.records import Annotation, HazardAcknowledgement, Mark, PainArea
from dn_bodymap.charting.repository import Repository

if TYPE_CHECKING:  # the assessment loads when a site is first assessed (hazard_rule.py)
    from dn_bodymap.safety.assess import Assessment
    from dn_bodymap.safety.session import SessionReview, SessionTally

R = TypeVar("R", Mark, PainArea, Annotation)
#: Mark changes remembered for ``marks_changed_since``; older readers start afresh.
JOURNAL_LIMIT = 4096


class _Table(Generic[R]):
    """Live records of one kind by id, in first-seen order (``places``: where each id was first
    seen, kept by the model across reloads)."""

    def __init__(self, records: Iterable[R], places: dict[str, int]) -> None:
        self.rows: dict[str, R] = {}
        self._place = places
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
        # Where each id was first seen, per kind; kept when the tables are dropped (``invalidate``),
        # so a record deleted before a reload and restored after it (undo) goes back to its row.
        self._places: dict[str, dict[str, int]] = {"marks": {}, "areas": {}, "annotations": {}}
        #: Changes whenever the marks may have: a key for what is derived from them.
        self.version = 0
        self._journal: list[tuple[int, str]] = []  # (version, mark id) of each mark change
        self._journal_floor = 0  # no change after this version is missing from the journal
        self._tally: tuple[Hashable, int, SessionTally] | None = None  # (factors, version, tally)

    # -- reading -----------------------------------------------------------------------------
    def _mark_table(self) -> _Table[Mark]:
        if self._marks is None:
            self._marks = _Table(self.repo.list_marks(self.session_id), self._places["marks"])
        return self._marks

    def _area_table(self) -> _Table[PainArea]:
        if self._areas is None:
            self._areas = _Table(self.repo.list_pain_areas(self.session_id), self._places["areas"])
        return self._areas

    def _annotation_table(self) -> _Table[Annotation]:
        if self._annotations is None:
            listed = self.repo.list_annotations(self.session_id)
            self._annotations = _Table(listed, self._places["annotations"])
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

    def place(self, mark_id: str) -> int:
        """Where the mark's row is in the session's order (first seen; -1 for an unknown id)."""
        return self._mark_table()._place.get(mark_id, -1)

    def marks_changed_since(self, version: int) -> set[str] | None:
        """The ids of the marks changed (written, deleted, re-read) after ``version``; None when the
        model cannot tell (reloaded since, or too long ago): the reader starts afresh."""
        if version < self._journal_floor or version > self.version:
            return None
        start = bisect_right(self._journal, version, key=lambda entry: entry[0])
        return {mark_id for _, mark_id in self._journal[start:]}

    def _changed(self, mark_ids: Iterable[str]) -> None:
        self._journal.extend((self.version, mark_id) for mark_id in mark_ids)
        if len(self._journal) > JOURNAL_LIMIT:  # forget the older half: a reader before it starts afresh
            self._journal_floor = self._journal[len(self._journal) // 2][0]
            self._journal = [e for e in self._journal if e[0] > self._journal_floor]

    def site_review(self, factors: Hashable, assess: Callable[[Mark], Assessment]) -> SessionReview:
        """The session rules over the live marks (``safety.session``), kept up to date incrementally:
        only the marks changed since the last review are assessed again; new factors (screening
        answers) or a reload start afresh. Equals ``review_assessments`` over every live mark."""
        from dn_bodymap.safety.session import SessionTally

        marks = self._mark_table().rows
        held = self._tally
        changed = None
        if held is not None and held[0] == factors:
            changed = self.marks_changed_since(held[1])
        if held is None or changed is None:
            tally = SessionTally()
            for mark in marks.values():
                tally.put(mark.id, assess(mark))
        else:
            tally = held[2]
            added = sorted((m for m in changed if m in marks and m not in tally), key=self.place)
            for mark_id in changed:
                if mark_id not in marks:
                    tally.drop(mark_id)
                elif mark_id in tally:
                    tally.put(mark_id, assess(marks[mark_id]))
            for mark_id in added:
                tally.put(mark_id, assess(marks[mark_id]))
            if added and list(islice(reversed(marks), len(added)))[::-1] != added:
                tally.reorder(marks)  # a mark back in its own row (undo): rare, O(marks)
        self._tally = (factors, self.version, tally)
        return tally.review()

    def acknowledgements(self) -> list[HazardAcknowledgement]:
        if self._acks is None:
            self._acks = self.repo.list_acknowledgements(self.session_id)
        return list(self._acks)

    # -- keeping in step -----------------------------------------------------------------------
    def apply(self, changes: Changes) -> None:
        """Re-read what ``changes`` names (only tables already loaded; the rest load when read)."""
        if changes.marks:
            self.version += 1
            self._changed(changes.marks)
            if self._marks is not None:
                self._marks.refresh(changes.marks, self.repo.get_mark)
        if changes.pain_areas and self._areas is not None:
            self._areas.refresh(changes.pain_areas, self.repo.get_pain_area)
        if changes.annotations and self._annotations is not None:
            self._annotations.refresh(changes.annotations, self.repo.get_annotation)
        # Acknowledgements are only ever added, and every one a command stores passes through the
        # rule-bound repository, which writes it through (``wrote_acknowledgement``): kept as they are.

    def wrote_mark(self, mark: Mark) -> None:
        """A mark stored in the middle of a command (so the next check of the same command sees it)."""
        self.version += 1
        self._changed((mark.id,))
        if self._marks is not None:
            self._marks.put(mark)

    def deleted_mark(self, mark_id: str) -> None:
        self.version += 1
        self._changed((mark_id,))
        if self._marks is not None:
            self._marks.drop(mark_id)

    def wrote_acknowledgement(self, acknowledgement: HazardAcknowledgement) -> None:
        if self._acks is not None and all(a.id != acknowledgement.id for a in self._acks):
            self._acks.append(acknowledgement)

    def invalidate(self) -> None:
        self.version += 1
        self._journal, self._journal_floor, self._tally = [], self.version, None
        self._marks = self._areas = self._annotations = None
        self._acks = None
