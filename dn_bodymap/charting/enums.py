"""Closed vocabularies of the record; stored as their string values.

Defined here rather than imported from ``atlas`` so that the record model never loads shapely
(the crash-test child and the CLI listing stay light). The values match the atlas contract.
"""

from __future__ import annotations

from enum import StrEnum


class View(StrEnum):
    ANTERIOR = "anterior"
    POSTERIOR = "posterior"
    LATERAL_RIGHT = "lateral_right"
    LATERAL_LEFT = "lateral_left"
    # Detail views (docs/atlas-detail-views.md): marks may be recorded on them too.
    PLANTAR = "plantar"
    PALMAR = "palmar"
    DORSAL_HAND = "dorsal_hand"
    FACE = "face"
    HEAD_LATERAL_RIGHT = "head_lateral_right"
    HEAD_LATERAL_LEFT = "head_lateral_left"


class Side(StrEnum):
    """Always the patient's side."""

    LEFT = "left"
    RIGHT = "right"
    MIDLINE = "midline"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNSPECIFIED = "unspecified"


class SessionStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


class ConsentType(StrEnum):
    WRITTEN = "written"
    VERBAL = "verbal"


class Activity(StrEnum):
    """A trigger point is active (reproduces the complaint) or latent."""

    ACTIVE = "active"
    LATENT = "latent"


class PainQuality(StrEnum):
    ACHE = "ache"
    SHARP = "sharp"
    BURNING = "burning"
    NUMBNESS_TINGLING = "numbness_tingling"
    OTHER = "other"


class HazardLevel(StrEnum):
    CAUTION = "caution"
    HIGH = "high"
    VERY_HIGH = "very_high"
    NO_NEEDLE = "no_needle"


class Severity(StrEnum):
    MILD = "mild"
    SIGNIFICANT = "significant"
    SERIOUS = "serious"


class AnnotationKind(StrEnum):
    """An arrow from a mark to where its pain refers, or a text note pinned to the map."""

    ARROW = "arrow"
    NOTE = "note"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"
    SIGN = "sign"
    EXPORT = "export"
    ERASE = "erase"
    VOID = "void"
