"""Failures of a record operation that the user can understand and act on."""

from __future__ import annotations


class RecordError(Exception):
    """Base of expected record failures; the message is plain and shown as-is."""


class NotFoundError(RecordError, LookupError):
    """The record does not exist (or is deleted, when live records were asked for)."""

    def __init__(self, kind: str, record_id: str) -> None:
        super().__init__(f"no {kind} with id {record_id}")
        self.kind = kind
        self.record_id = record_id


class SignedSessionError(RecordError):
    """A signed session, its marks, areas and acknowledgements never change."""

    def __init__(self, session_id: str) -> None:
        super().__init__(f"session {session_id} is signed and cannot be changed; add an addendum instead")
        self.session_id = session_id


class ConflictError(RecordError):
    """The change contradicts stored records (e.g. a mark moved to another session)."""
