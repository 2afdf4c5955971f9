"""What one exchange document holds: a patient and every session, each record with its
bookkeeping times, so an import recreates the same rows (same ids, same order, same history)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dn_bodymap.charting.errors import RecordError
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

FORMAT_NAME = "dn-bodymap.patient-records"
FORMAT_VERSION = 1

# Document key → record type of a session's parts, in an order where every reference points back
# (pain areas and annotations name marks, annotations name pain areas): the import order.
SESSION_PARTS: tuple[tuple[str, type], ...] = (
    ("marks", Mark),
    ("pain_areas", PainArea),
    ("annotations", Annotation),
    ("acknowledgements", HazardAcknowledgement),
    ("adverse_events", AdverseEvent),
    ("addenda", Addendum),
)
# Records that are only ever appended: they carry ``created_at`` only. The others are edited and
# soft-deleted, so they also carry ``updated_at`` and ``deleted_at``.
APPEND_ONLY: frozenset[type] = frozenset({HazardAcknowledgement, AdverseEvent, Addendum})
RECORD_TYPES: tuple[type, ...] = (Patient, Session, *(cls for _, cls in SESSION_PARTS))


def metadata_keys(cls: type) -> tuple[str, ...]:
    return ("created_at",) if cls in APPEND_ONLY else ("created_at", "updated_at", "deleted_at")


class ExchangeError(RecordError):
    """A document that is not a well-formed, consistent export; nothing was imported."""


@dataclass(frozen=True, slots=True)
class Stored:
    """A record as it sits in a database: the record plus when it was written and deleted."""

    record: Any
    created_at: str
    updated_at: str | None = None
    deleted_at: str | None = None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True, slots=True)
class SessionBundle:
    """A session with all its parts, deleted ones included (they are part of its history)."""

    session: Stored
    marks: tuple[Stored, ...] = ()
    pain_areas: tuple[Stored, ...] = ()
    annotations: tuple[Stored, ...] = ()
    acknowledgements: tuple[Stored, ...] = ()
    adverse_events: tuple[Stored, ...] = ()
    addenda: tuple[Stored, ...] = ()

    def parts(self) -> Iterator[tuple[str, type, tuple[Stored, ...]]]:
        for key, cls in SESSION_PARTS:
            yield key, cls, getattr(self, key)


@dataclass(frozen=True, slots=True)
class PatientBundle:
    patient: Stored
    sessions: tuple[SessionBundle, ...] = ()

    def record_count(self) -> int:
        return 1 + sum(1 + sum(len(items) for _, _, items in s.parts()) for s in self.sessions)
