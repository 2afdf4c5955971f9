"""Records → exchange documents. Generic over the record dataclasses' fields, so a field added to
a record travels without a change here (the schema test says when the schema must follow)."""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from typing import Any

from dn_bodymap.charting.exchange.bundle import (
    FORMAT_NAME,
    FORMAT_VERSION,
    SESSION_PARTS,
    PatientBundle,
    SessionBundle,
    Stored,
    metadata_keys,
)
from dn_bodymap.charting.geometry import AreaGeometry
from dn_bodymap.charting.records import Patient
from dn_bodymap.charting.summaries import SessionRecord

# What ``session show`` names of the patient: enough to identify them, nothing more.
PATIENT_REFERENCE = ("id", "display_name", "record_number", "date_of_birth")


def json_value(value: Any) -> Any:
    """A record value as plain JSON: enums by value, geometry as GeoJSON, tuples as lists.

    Floats stay Python floats; ``json.dumps`` writes them with ``repr``, the shortest text that
    reads back to the same double, so coordinates survive the round trip exactly.
    """
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, AreaGeometry):
        return value.to_geojson()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return record_document(value)
    if isinstance(value, tuple | list):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    return value


def record_document(record: Any) -> dict[str, Any]:
    """Every field of a record dataclass, in declaration order."""
    return {f.name: json_value(getattr(record, f.name)) for f in dataclasses.fields(record)}


def stored_document(stored: Stored) -> dict[str, Any]:
    document = record_document(stored.record)
    for key in metadata_keys(type(stored.record)):
        document[key] = getattr(stored, key)
    return document


def session_bundle_document(bundle: SessionBundle) -> dict[str, Any]:
    document: dict[str, Any] = {"session": stored_document(bundle.session)}
    for key, _, items in bundle.parts():
        document[key] = [stored_document(item) for item in items]
    return document


def patient_document(bundle: PatientBundle, *, exported_at: str, app_version: str) -> dict[str, Any]:
    """The whole exchange document for one patient."""
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": exported_at,
        "app_version": app_version,
        "patient": stored_document(bundle.patient),
        "sessions": [session_bundle_document(s) for s in bundle.sessions],
    }


def session_document(record: SessionRecord, patient: Patient) -> dict[str, Any]:
    """One session as ``session show --json`` prints it: the live record, every field."""
    document: dict[str, Any] = {
        "patient": {key: json_value(getattr(patient, key)) for key in PATIENT_REFERENCE},
        "session": record_document(record.session),
    }
    for key, _ in SESSION_PARTS:
        document[key] = [record_document(item) for item in getattr(record, key)]
    return document


def dumps(document: Any) -> str:
    """Canonical text of a document (NaN can never be written: the records refuse it anyway)."""
    return json.dumps(document, ensure_ascii=False, allow_nan=False, indent=2) + "\n"
