"""The editing session: applies commands, keeps undo/redo, and tells listeners what changed."""

from __future__ import annotations

from collections.abc import Callable

from dn_bodymap.charting.editing.commands import Changes, Command
from dn_bodymap.charting.ids import SessionId
from dn_bodymap.charting.repository import Repository

Listener = Callable[[Changes, object | None], None]


class SessionLockedError(Exception):
    """The session is signed: changes are addenda now."""


class EditingSession:
    """One per open session. A failed apply leaves the stacks unchanged (nothing half-done)."""

    def __init__(self, repo: Repository, session_id: SessionId, limit: int = 500) -> None:
        self.repo = repo
        self.session_id = session_id
        self._undo: list[Command] = []
        self._redo: list[Command] = []
        self._limit = limit
        self._listeners: list[Listener] = []
        self._merge_open = True

    # -- listeners -------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _announce(self, changes: Changes, initiator: object | None) -> None:
        for listener in list(self._listeners):
            listener(changes, initiator)

    # -- editing ---------------------------------------------------------------------------
    def execute(self, command: Command, initiator: object | None = None, mergeable: bool = False) -> Changes:
        self._require_draft()
        changes = command.apply(self.repo)  # raises before anything is pushed
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

    def undo(self) -> Changes | None:
        if not self._undo:
            return None
        self._require_draft()
        command = self._undo[-1]
        changes = command.undo(self.repo)
        self._undo.pop()
        self._redo.append(command)
        self._merge_open = False
        self._announce(changes, None)
        return changes

    def redo(self) -> Changes | None:
        if not self._redo:
            return None
        self._require_draft()
        command = self._redo[-1]
        changes = command.redo(self.repo)
        self._redo.pop()
        self._undo.append(command)
        self._merge_open = False
        self._announce(changes, None)
        return changes

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

    def _require_draft(self) -> None:
        session = self.repo.get_session(self.session_id)
        if str(session.status) == "signed":
            raise SessionLockedError("this session is signed; add an addendum instead")
