"""Read-side shapes the app lists and loads: a patient with counts, a whole session, a chart."""

from __future__ import annotations

from dataclasses import dataclass

from dn_bodymap.charting.records import (
    Addendum,
    AdverseEvent,
    Annotation,
    HazardAcknowledgement,
    Mark,
    PainArea,
    Patient,
    Session,
)


@dataclass(frozen=True, slots=True)
class PatientSummary:
    """A row of the patient list: the patient plus what the list shows about them."""

    patient: Patient
    session_count: int
    last_session_at: str | None


@dataclass(frozen=True, slots=True)
class SessionSummary:
    session: Session
    mark_count: int


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """Everything charted in one session (live records only), as the canvas and reports need."""

    session: Session
    marks: tuple[Mark, ...]
    pain_areas: tuple[PainArea, ...]
    acknowledgements: tuple[HazardAcknowledgement, ...]
    adverse_events: tuple[AdverseEvent, ...]
    addenda: tuple[Addendum, ...]
    annotations: tuple[Annotation, ...] = ()  # last, with a default: older callers still work


@dataclass(frozen=True, slots=True)
class PatientChart:
    """A patient with every live session, oldest first (history view, history report)."""

    patient: Patient
    sessions: tuple[SessionRecord, ...]
