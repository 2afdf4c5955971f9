"""Every user edit is a command applied by one editing session, with undo and redo (Qt-free)."""

from dn_bodymap.charting.editing.commands import (
    AddAdverseEvent,
    AddAnnotation,
    AddPainArea,
    Changes,
    Command,
    DeleteAnnotation,
    DeleteMark,
    DeletePainArea,
    Macro,
    PlaceMark,
    UpdateAnnotation,
    UpdateMark,
    UpdatePainArea,
    UpdateSession,
)
from dn_bodymap.charting.editing.session import EditingSession, SessionLockedError

__all__ = [
    "AddAdverseEvent",
    "AddAnnotation",
    "AddPainArea",
    "Changes",
    "Command",
    "DeleteAnnotation",
    "DeleteMark",
    "DeletePainArea",
    "EditingSession",
    "Macro",
    "PlaceMark",
    "SessionLockedError",
    "UpdateAnnotation",
    "UpdateMark",
    "UpdatePainArea",
    "UpdateSession",
]
