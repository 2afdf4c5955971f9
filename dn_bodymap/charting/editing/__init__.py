"""Every user edit is a command applied by one editing session, with undo and redo (Qt-free)."""

from dn_bodymap.charting.editing.commands import (
    AddAdverseEvent,
    AddPainArea,
    Changes,
    Command,
    DeleteMark,
    DeletePainArea,
    PlaceMark,
    UpdateMark,
    UpdatePainArea,
    UpdateSession,
)
from dn_bodymap.charting.editing.session import EditingSession, SessionLockedError

__all__ = [
    "AddAdverseEvent",
    "AddPainArea",
    "Changes",
    "Command",
    "DeleteMark",
    "DeletePainArea",
    "EditingSession",
    "PlaceMark",
    "SessionLockedError",
    "UpdateMark",
    "UpdatePainArea",
    "UpdateSession",
]
