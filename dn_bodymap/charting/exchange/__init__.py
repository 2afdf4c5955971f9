"""The patient-records exchange format: records ↔ one versioned JSON document, without I/O.

``encode`` builds documents from records, ``decode`` parses and validates a document into records
(refusing anything the app could not have written), ``marks_csv`` writes a session's marks for a
spreadsheet. Reading and writing files and the database is the caller's job (``store/``, ``cli/``).
The published JSON Schema is ``docs/exchange-schema.json``; the prose is ``docs/exchange.md``.
"""

from dn_bodymap.charting.exchange.bundle import (
    APPEND_ONLY,
    FORMAT_NAME,
    FORMAT_VERSION,
    SESSION_PARTS,
    ExchangeError,
    PatientBundle,
    SessionBundle,
    Stored,
)

__all__ = [
    "APPEND_ONLY",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "SESSION_PARTS",
    "ExchangeError",
    "PatientBundle",
    "SessionBundle",
    "Stored",
]
