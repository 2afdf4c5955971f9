"""Every user edit is a command applied by one editing session, with undo and redo (Qt-free)."""

from dn_bodymap.charting.editing.commands import (
    AddAdverseEvent,
    AddAnnotation,
    AddPainArea,
    Changes,
    Command,
    CopyMarks,
    DeleteAnnotation,
    DeleteMark,
    DeletePainArea,
    Macro,
    PlaceMark,
    UpdateAnnotation,
    UpdateMark,
    UpdatePainArea,
    UpdateSession,
    carried_over,
)
from dn_bodymap.charting.editing.hazard_rule import (
    AcknowledgementNeed,
    AcknowledgementRequired,
    HazardRule,
    patient_factors,
)
from dn_bodymap.charting.editing.session import EditingSession, SessionLockedError

__all__ = [
    "AcknowledgementNeed",
    "AcknowledgementRequired",
    "AddAdverseEvent",
    "AddAnnotation",
    "AddPainArea",
    "Changes",
    "Command",
    "CopyMarks",
    "DeleteAnnotation",
    "DeleteMark",
    "DeletePainArea",
    "EditingSession",
    "HazardRule",
    "Macro",
    "PlaceMark",
    "SessionLockedError",
    "UpdateAnnotation",
    "UpdateMark",
    "UpdatePainArea",
    "UpdateSession",
    "carried_over",
    "patient_factors",
]
