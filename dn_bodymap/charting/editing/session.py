"""The editing session: applies commands, keeps undo/redo, and tells listeners what changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Protocol

from dn_bodymap.charting.editing.commands import Changes, Command
from dn_bodymap.charting.editing.hazard_rule import AcknowledgementRequired, HazardRule, RuleBoundRepository
from dn_bodymap.charting.editing.session_model import SessionModel
from dn_bodymap.charting.ids import SessionId
from dn_bodymap.charting.records import HazardAcknowledgement
from dn_bodymap.charting.repository import Repository

Listener = Callable[[Changes, object | None], None]


class SessionLockedError(Exception):
    """The session is signed: changes are addenda now."""


class DraftHeldElsewhere(SessionLockedError):
    """Another workstation holds this draft's lease: "open in Room 2 (since 10:42)". The clinician
    may take it over explicitly (``DraftLeases``' implementer records that). Read-only here, as a
    signed session is, so callers that handle ``SessionLockedError`` refuse the edit the same way."""

    def __init__(self, holder: str, since: datetime, clinician: str = "") -> None:
        self.holder, self.since, self.clinician = holder, since, clinician
        super().__init__(f"open in {holder} (since {since.astimezone():%H:%M})")


class DraftLeases(Protocol):
    """Who may edit a draft when several workstations share records (dn_bodymap/sync implements
    it). ``check`` answers from what is already known, never waiting on the network."""

    def check(self, session_id: SessionId) -> None:
        """Raise ``DraftHeldElsewhere`` when another workstation holds a live lease on the draft."""
        ...


class EditingSession:
    """One per open session. A failed apply leaves the stacks unchanged (nothing half-done).

    Commands get the repository through the session's ``HazardRule``: a mark at ``high`` or above
    enters or changes (apply, undo or redo alike) only with an acknowledgement of this session, else
    ``AcknowledgementRequired`` is raised and nothing changes. The caller asks the clinician and runs
    the same action again with ``acknowledgements``.

    ``model`` holds the session's records in memory, brought up to date from each command's
    ``Changes`` before listeners hear of them, so readers never list the whole session again.
    """

    def __init__(
        self,
        repo: Repository,
        session_id: SessionId,
        limit: int = 500,
        rule: HazardRule | None = None,
        leases: DraftLeases | None = None,
    ) -> None:
        self.repo = repo
        self.leases = leases
        self.session_id = session_id
        self.model = SessionModel(repo, session_id)
        self.rule = rule or HazardRule(repo, session_id)
        if self.rule.model is None:
            self.rule.model = self.model
        self._bound = RuleBoundRepository(repo, self.rule)
        self._undo: list[Command] = []
        self._redo: list[Command] = []
        self._limit = limit
        self._listeners: list[Listener] = []
        self._merge_open = True

    # -- listeners -------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _announce(self, changes: Changes, initiator: object | None) -> None:
        self.model.apply(changes)
        for listener in list(self._listeners):
            listener(changes, initiator)

    # -- editing ---------------------------------------------------------------------------
    @contextmanager
    def _acknowledged(
        self, acknowledgements: Iterable[HazardAcknowledgement]
    ) -> Iterator[RuleBoundRepository]:
        bound = self._bound
        bound.supplied = {a.mark_id: a for a in acknowledgements}
        bound.used_supplied = False
        try:
            yield bound
        finally:
            bound.supplied = {}

    def _run(self, step: Callable[[Repository], Changes], acks: Iterable[HazardAcknowledgement]) -> Changes:
        with self._acknowledged(acks) as bound:
            try:
                changes = step(bound)  # type: ignore[arg-type]
            except AcknowledgementRequired:
                raise  # refused before writing (a batch or macro undoes its own earlier parts)
            except Exception:
                self.model.invalidate()  # what a failed command left is read again when next asked
                raise
            if bound.used_supplied:
                changes = changes | Changes(acknowledgements=True)
        return changes

    def execute(
        self,
        command: Command,
        initiator: object | None = None,
        mergeable: bool = False,
        acknowledgements: Iterable[HazardAcknowledgement] = (),
    ) -> Changes:
        self._require_draft()
        changes = self._run(command.apply, acknowledgements)  # raises before anything is pushed
        if mergeable and self._undo and self._merge_open:
            merged = self._undo[-1].merge(command)
            if merged is not None:
                self._undo[-1] = merged
                self._redo.clear()
                self._announce(changes, initiator)
                return changes
        self._undo.append(command)
        del self._undo[: -self._limit]
        self._redo.clear()
        self._merge_open = True
        self._announce(changes, initiator)
        return changes

    def close_merge(self) -> None:
        """The next edit starts a new undo step (e.g. the field lost focus)."""
        self._merge_open = False

    def undo(self, acknowledgements: Iterable[HazardAcknowledgement] = ()) -> Changes | None:
        if not self._undo:
            return None
        self._require_draft()
        command = self._undo[-1]
        changes = self._run(command.undo, acknowledgements)
        self._undo.pop()
        self._redo.append(command)
        self._merge_open = False
        self._announce(changes, None)
        return changes

    def redo(self, acknowledgements: Iterable[HazardAcknowledgement] = ()) -> Changes | None:
        if not self._redo:
            return None
        self._require_draft()
        command = self._redo[-1]
        changes = self._run(command.redo, acknowledgements)
        self._redo.pop()
        self._undo.append(command)
        self._merge_open = False
        self._announce(changes, None)
        return changes

    def sign(self, signed_by: str) -> None:
        """Sign the draft: like every edit, only where this workstation may edit it (not signed
        already, not held by another room's lease); afterwards there is nothing left to undo."""
        self._require_draft()
        self.repo.sign_session(self.session_id, signed_by)
        self.clear_history()

    def clear_history(self) -> None:
        self._undo.clear()
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_text(self) -> str:
        return self._undo[-1].text if self._undo else ""

    @property
    def redo_text(self) -> str:
        return self._redo[-1].text if self._redo else ""

    def edit_refusal(self) -> SessionLockedError | None:
        """Why an edit would be refused now (signed here, or held by another workstation's lease),
        from the very checks every edit runs; None when this workstation may edit. A read-only
        query, so a screen can show itself read-only before anyone types."""
        try:
            self._require_draft()
        except SessionLockedError as exc:
            return exc
        return None

    def can_edit(self) -> bool:
        return self.edit_refusal() is None

    def _require_draft(self) -> None:
        session = self.repo.get_session(self.session_id)
        if str(session.status) == "signed":
            raise SessionLockedError("this session is signed; add an addendum instead")
        if self.leases is not None:
            self.leases.check(self.session_id)
