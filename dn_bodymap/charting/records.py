"""The clinical record types: immutable, validated on construction, ids made by the app.

An edit produces a new value (``dataclasses.replace``), which validates again; undo keeps the old
value. Times are canonical UTC ISO 8601 text (``timestamps.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dn_bodymap.charting import validation as v
from dn_bodymap.charting.enums import (
    Activity,
    AnnotationKind,
    AuditAction,
    ConsentType,
    HazardLevel,
    PainQuality,
    SessionStatus,
    Severity,
    Sex,
    Side,
    View,
)
from dn_bodymap.charting.geometry import (
    X_RANGE,
    Y_RANGE,
    AreaGeometry,
    Point,
    geometry_from_value,
    point_from_value,
)
from dn_bodymap.charting.ids import (
    AcknowledgementId,
    AddendumId,
    AdverseEventId,
    AnnotationId,
    MarkId,
    PainAreaId,
    PatientId,
    SessionId,
    new_acknowledgement_id,
    new_addendum_id,
    new_adverse_event_id,
    new_annotation_id,
    new_mark_id,
    new_pain_area_id,
    new_patient_id,
    new_session_id,
)
from dn_bodymap.charting.timestamps import utc_now

PAIN_SCALE = (0, 10)
NEEDLE_GAUGE_MM = (0.10, 0.50)
NEEDLE_LENGTH_MM = (5.0, 150.0)
DEPTH_MM = (0.0, 150.0)
ANNOTATION_TEXT = 500  # a note on the map is a short label; the session notes hold prose
MAX_ARROW_POINTS = 100


def _set(record: object, name: str, value: Any) -> None:
    """Store a normalised value on a frozen instance (only during ``__post_init__``)."""
    object.__setattr__(record, name, value)


@dataclass(frozen=True, kw_only=True)
class Patient:
    display_name: str
    record_number: str | None = None
    date_of_birth: str | None = None
    sex: Sex | None = None
    height_cm: float | None = None
    weight_kg: float | None = None
    notes: str = ""
    archived: bool = False
    id: PatientId = field(default_factory=new_patient_id)

    def __post_init__(self) -> None:
        _set(self, "id", v.record_id("id", self.id))
        _set(self, "display_name", v.text("display_name", self.display_name, required=True))
        _set(self, "record_number", v.optional_text("record_number", self.record_number, 64))
        dob = v.optional_calendar_date("date_of_birth", self.date_of_birth, not_after_today=True)
        _set(self, "date_of_birth", dob)
        _set(self, "sex", v.optional_choice("sex", self.sex, Sex))
        _set(self, "height_cm", v.optional_number("height_cm", self.height_cm, 30, 260))
        _set(self, "weight_kg", v.optional_number("weight_kg", self.weight_kg, 1, 400))
        _set(self, "notes", v.text("notes", self.notes, v.LONG_TEXT))
        _set(self, "archived", v.boolean("archived", self.archived))


@dataclass(frozen=True, kw_only=True)
class Consent:
    """Informed consent as recorded before needling."""

    type: ConsentType
    date: str
    risks_discussed: tuple[str, ...] = ()
    pneumothorax_discussed: bool = False
    patient_copy_given: bool = False

    def __post_init__(self) -> None:
        _set(self, "type", v.choice("consent.type", self.type, ConsentType))
        _set(self, "date", v.calendar_date("consent.date", self.date))
        risks = v.text_tuple("consent.risks_discussed", self.risks_discussed)
        _set(self, "risks_discussed", risks)
        pneumo = v.boolean("consent.pneumothorax_discussed", self.pneumothorax_discussed)
        _set(self, "pneumothorax_discussed", pneumo)
        _set(
            self,
            "patient_copy_given",
            v.boolean("consent.patient_copy_given", self.patient_copy_given),
        )


@dataclass(frozen=True, kw_only=True)
class Session:
    patient_id: PatientId
    clinician: str
    started_at: str = field(default_factory=utc_now)
    status: SessionStatus = SessionStatus.DRAFT
    consent: Consent | None = None
    # hash=False: a dict is not hashable; equality still compares it.
    screening_answers: dict[str, v.ScreeningAnswer] = field(default_factory=dict, hash=False)
    screening_result: str | None = None
    pain_pre: int | None = None
    pain_post: int | None = None
    patient_position: str | None = None
    notes: str = ""
    advice_given: str = ""
    plan: str = ""
    signed_by: str | None = None
    signed_at: str | None = None
    # A draft started by mistake is voided, never erased: hidden from lists, kept with its reason.
    voided_at: str | None = None
    void_reason: str | None = None
    id: SessionId = field(default_factory=new_session_id)

    def __post_init__(self) -> None:
        _set(self, "id", v.record_id("id", self.id))
        _set(self, "patient_id", v.record_id("patient_id", self.patient_id))
        _set(self, "clinician", v.text("clinician", self.clinician, required=True))
        _set(self, "started_at", v.timestamp("started_at", self.started_at))
        _set(self, "status", v.choice("status", self.status, SessionStatus))
        if self.consent is not None and not isinstance(self.consent, Consent):
            raise v.ValidationError("consent", "must be a Consent record")
        answers = v.screening_answers("screening_answers", self.screening_answers)
        _set(self, "screening_answers", answers)
        _set(self, "screening_result", v.optional_text("screening_result", self.screening_result))
        _set(self, "pain_pre", v.optional_integer("pain_pre", self.pain_pre, *PAIN_SCALE))
        _set(self, "pain_post", v.optional_integer("pain_post", self.pain_post, *PAIN_SCALE))
        _set(self, "patient_position", v.optional_text("patient_position", self.patient_position))
        for name in ("notes", "advice_given", "plan"):
            _set(self, name, v.text(name, getattr(self, name), v.LONG_TEXT))
        _set(self, "signed_by", v.optional_text("signed_by", self.signed_by))
        _set(self, "signed_at", v.optional_timestamp("signed_at", self.signed_at))
        if self.status is SessionStatus.SIGNED:
            if not self.signed_by or not self.signed_by.strip() or self.signed_at is None:
                raise v.ValidationError("signed_by", "a signed session needs signed_by and signed_at")
        elif self.signed_by is not None or self.signed_at is not None:
            raise v.ValidationError("status", "signed_by/signed_at are set but status is draft")
        _set(self, "voided_at", v.optional_timestamp("voided_at", self.voided_at))
        _set(self, "void_reason", v.optional_text("void_reason", self.void_reason, v.LONG_TEXT))
        if (self.voided_at is None) != (self.void_reason is None):
            raise v.ValidationError("void_reason", "a voided session needs both voided_at and a reason")
        if self.voided_at is not None and self.status is SessionStatus.SIGNED:
            raise v.ValidationError("voided_at", "a signed session cannot be voided; add an addendum")

    @property
    def is_signed(self) -> bool:
        return self.status is SessionStatus.SIGNED

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


@dataclass(frozen=True, kw_only=True)
class Mark:
    """A trigger-point mark on a view, in atlas units, with what was done there."""

    session_id: SessionId
    view: View
    x: float
    y: float
    atlas_version: str
    side: Side
    muscle_id: str | None = None
    trigger_point_id: str | None = None
    activity: Activity | None = None
    tenderness: int | None = None
    referral_reproduced: bool = False
    local_twitch_response: bool = False
    needled: bool = False
    needle_gauge_mm: float | None = None
    needle_length_mm: float | None = None
    depth_mm: float | None = None
    technique: str | None = None
    passes: int | None = None
    duration_s: float | None = None
    patient_position: str | None = None
    response: str | None = None
    notes: str = ""
    #: Set by the editing session's hazard rule when the depth or needle length entered is beyond
    #: the shallowest published skin-to-structure depth at the site (the message, with sources).
    depth_warning: str | None = None
    id: MarkId = field(default_factory=new_mark_id)

    def __post_init__(self) -> None:
        _set(self, "id", v.record_id("id", self.id))
        _set(self, "session_id", v.record_id("session_id", self.session_id))
        _set(self, "view", v.choice("view", self.view, View))
        _set(self, "x", v.number("x", self.x, *X_RANGE))
        _set(self, "y", v.number("y", self.y, *Y_RANGE))
        _set(self, "atlas_version", v.text("atlas_version", self.atlas_version, 64, required=True))
        _set(self, "side", v.choice("side", self.side, Side))
        _set(self, "muscle_id", v.optional_anatomy_id("muscle_id", self.muscle_id))
        tp = v.optional_trigger_point_id("trigger_point_id", self.trigger_point_id)
        _set(self, "trigger_point_id", tp)
        _set(self, "activity", v.optional_choice("activity", self.activity, Activity))
        _set(self, "tenderness", v.optional_integer("tenderness", self.tenderness, *PAIN_SCALE))
        for flag in ("referral_reproduced", "local_twitch_response", "needled"):
            _set(self, flag, v.boolean(flag, getattr(self, flag)))
        gauge = v.optional_number("needle_gauge_mm", self.needle_gauge_mm, *NEEDLE_GAUGE_MM)
        _set(self, "needle_gauge_mm", gauge)
        length = v.optional_number("needle_length_mm", self.needle_length_mm, *NEEDLE_LENGTH_MM)
        _set(self, "needle_length_mm", length)
        _set(self, "depth_mm", v.optional_number("depth_mm", self.depth_mm, *DEPTH_MM))
        if self.depth_mm is not None and length is not None and self.depth_mm > length:
            raise v.ValidationError("depth_mm", "must not exceed the needle length")
        _set(self, "technique", v.optional_text("technique", self.technique))
        _set(self, "passes", v.optional_integer("passes", self.passes, 0, 1000))
        _set(self, "duration_s", v.optional_number("duration_s", self.duration_s, 0, 7200))
        _set(self, "patient_position", v.optional_text("patient_position", self.patient_position))
        _set(self, "response", v.optional_text("response", self.response, v.LONG_TEXT))
        _set(self, "notes", v.text("notes", self.notes, v.LONG_TEXT))
        warning = v.optional_text("depth_warning", self.depth_warning, v.LONG_TEXT)
        _set(self, "depth_warning", warning)


@dataclass(frozen=True, kw_only=True)
class PainArea:
    """Where the patient feels pain, drawn on one view, in atlas units."""

    session_id: SessionId
    view: View
    geometry: AreaGeometry
    atlas_version: str
    quality: PainQuality = PainQuality.ACHE
    intensity: int | None = None
    mark_id: MarkId | None = None
    notes: str = ""
    id: PainAreaId = field(default_factory=new_pain_area_id)

    def __post_init__(self) -> None:
        _set(self, "id", v.record_id("id", self.id))
        _set(self, "session_id", v.record_id("session_id", self.session_id))
        _set(self, "view", v.choice("view", self.view, View))
        _set(self, "geometry", geometry_from_value("geometry", self.geometry))
        _set(self, "atlas_version", v.text("atlas_version", self.atlas_version, 64, required=True))
        _set(self, "quality", v.choice("quality", self.quality, PainQuality))
        _set(self, "intensity", v.optional_integer("intensity", self.intensity, *PAIN_SCALE))
        _set(self, "mark_id", v.optional_record_id("mark_id", self.mark_id))
        _set(self, "notes", v.text("notes", self.notes, v.LONG_TEXT))


@dataclass(frozen=True, kw_only=True)
class Annotation:
    """An arrow from a mark to the area its pain refers to, or a text note pinned to a view.

    Points are atlas units: an arrow runs from its start (``points[0]``) to its tip
    (``points[-1]``); a note has one anchor point. ``text`` is the note (required) or an
    optional arrow label; ``mark_id`` is the mark an arrow starts at.
    """

    session_id: SessionId
    view: View
    kind: AnnotationKind
    points: tuple[Point, ...]
    atlas_version: str
    text: str = ""
    mark_id: MarkId | None = None
    pain_area_id: PainAreaId | None = None
    id: AnnotationId = field(default_factory=new_annotation_id)

    def __post_init__(self) -> None:
        _set(self, "id", v.record_id("id", self.id))
        _set(self, "session_id", v.record_id("session_id", self.session_id))
        _set(self, "view", v.choice("view", self.view, View))
        kind = v.choice("kind", self.kind, AnnotationKind)
        _set(self, "kind", kind)
        _set(self, "points", _annotation_points(kind, self.points))
        _set(self, "atlas_version", v.text("atlas_version", self.atlas_version, 64, required=True))
        note = kind is AnnotationKind.NOTE
        _set(self, "text", v.text("text", self.text, ANNOTATION_TEXT, required=note))
        _set(self, "mark_id", v.optional_record_id("mark_id", self.mark_id))
        _set(self, "pain_area_id", v.optional_record_id("pain_area_id", self.pain_area_id))

    @property
    def start(self) -> Point:
        return self.points[0]

    @property
    def tip(self) -> Point:
        """The arrow's head; for a note, its anchor."""
        return self.points[-1]


def _annotation_points(kind: AnnotationKind, value: object) -> tuple[Point, ...]:
    if not isinstance(value, list | tuple):
        raise v.ValidationError("points", "must be a list of [x, y] points")
    if kind is AnnotationKind.NOTE and len(value) != 1:
        raise v.ValidationError("points", "a note has exactly one anchor point")
    if kind is AnnotationKind.ARROW and not 2 <= len(value) <= MAX_ARROW_POINTS:
        raise v.ValidationError("points", f"an arrow has 2 to {MAX_ARROW_POINTS} points")
    points = tuple(point_from_value(f"points[{i}]", p) for i, p in enumerate(value))
    if kind is AnnotationKind.ARROW and points[0] == points[-1]:
        raise v.ValidationError("points", "an arrow's tip must be away from its start")
    return points


@dataclass(frozen=True, kw_only=True)
class HazardAcknowledgement:
    """The clinician saw a hazard warning for a mark and chose how to proceed."""

    session_id: SessionId
    mark_id: MarkId
    hazard_ids: tuple[str, ...]
    level: HazardLevel
    message_shown: str
    acknowledged_by: str
    acknowledged_at: str = field(default_factory=utc_now)
    technique_chosen: str | None = None
    disclosed_text: str | None = None
    id: AcknowledgementId = field(default_factory=new_acknowledgement_id)

    def __post_init__(self) -> None:
        _set(self, "id", v.record_id("id", self.id))
        _set(self, "session_id", v.record_id("session_id", self.session_id))
        _set(self, "mark_id", v.record_id("mark_id", self.mark_id))
        hazards = v.id_tuple("hazard_ids", self.hazard_ids)
        if not hazards:
            raise v.ValidationError("hazard_ids", "must name at least one hazard")
        _set(self, "hazard_ids", hazards)
        _set(self, "level", v.choice("level", self.level, HazardLevel))
        _set(
            self,
            "message_shown",
            v.text("message_shown", self.message_shown, v.LONG_TEXT, required=True),
        )
        by = v.text("acknowledged_by", self.acknowledged_by, required=True)
        _set(self, "acknowledged_by", by)
        _set(self, "acknowledged_at", v.timestamp("acknowledged_at", self.acknowledged_at))
        _set(self, "technique_chosen", v.optional_text("technique_chosen", self.technique_chosen))
        disclosed = v.optional_text("disclosed_text", self.disclosed_text, v.LONG_TEXT)
        _set(self, "disclosed_text", disclosed)


@dataclass(frozen=True, kw_only=True)
class AdverseEvent:
    session_id: SessionId
    type: str
    severity: Severity
    notes: str = ""
    occurred_at: str = field(default_factory=utc_now)
    # Who recorded it and when: an event reported after signing is a dated entry of its own.
    recorded_by: str | None = None
    recorded_at: str | None = None
    id: AdverseEventId = field(default_factory=new_adverse_event_id)

    def __post_init__(self) -> None:
        _set(self, "id", v.record_id("id", self.id))
        _set(self, "session_id", v.record_id("session_id", self.session_id))
        _set(self, "type", v.text("type", self.type, required=True))
        _set(self, "severity", v.choice("severity", self.severity, Severity))
        _set(self, "notes", v.text("notes", self.notes, v.LONG_TEXT))
        _set(self, "occurred_at", v.timestamp("occurred_at", self.occurred_at))
        _set(self, "recorded_by", v.optional_text("recorded_by", self.recorded_by))
        _set(self, "recorded_at", v.optional_timestamp("recorded_at", self.recorded_at))


@dataclass(frozen=True, kw_only=True)
class Addendum:
    """A later note on a signed session: the signed note itself never changes."""

    session_id: SessionId
    author: str
    text: str
    written_at: str = field(default_factory=utc_now)
    id: AddendumId = field(default_factory=new_addendum_id)

    def __post_init__(self) -> None:
        _set(self, "id", v.record_id("id", self.id))
        _set(self, "session_id", v.record_id("session_id", self.session_id))
        _set(self, "author", v.text("author", self.author, required=True))
        _set(self, "text", v.text("text", self.text, v.LONG_TEXT, required=True))
        _set(self, "written_at", v.timestamp("written_at", self.written_at))


@dataclass(frozen=True, kw_only=True)
class Clinician:
    """Who writes the record: set once per database and used for every entry they make."""

    name: str
    profession: str = ""
    registration_number: str = ""
    initials: str = ""

    def __post_init__(self) -> None:
        _set(self, "name", v.text("name", self.name, 120, required=True))
        _set(self, "profession", v.text("profession", self.profession, 120))
        _set(self, "registration_number", v.text("registration_number", self.registration_number, 64))
        initials = v.text("initials", self.initials, 8) or initials_of(self.name)
        _set(self, "initials", initials)

    @property
    def signature(self) -> str:
        """The name as it goes on the record: name, profession, registration."""
        parts = [self.name]
        if self.profession:
            parts.append(self.profession)
        if self.registration_number:
            parts.append(f"reg. {self.registration_number}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "profession": self.profession,
            "registration_number": self.registration_number,
            "initials": self.initials,
        }


def initials_of(name: str) -> str:
    """A clinician's default initials: "Jo Rivera" → "JR"."""
    return "".join(word[0].upper() for word in name.replace("-", " ").split() if word[0].isalpha())[:8]


@dataclass(frozen=True, kw_only=True)
class AuditEntry:
    """One line of the append-only audit log. Holds ids only, never personal data."""

    seq: int
    at: str
    actor: str
    action: AuditAction
    entity_kind: str
    entity_id: str
    prev_hash: str
    hash: str
