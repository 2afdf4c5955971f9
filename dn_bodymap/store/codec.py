"""Records ↔ table rows. The one place that decides how a value is written to SQLite.

Floats are stored as REAL (exact doubles); geometry and other structured fields as JSON, whose
float formatting is ``repr`` and therefore lossless (never WKT at 6 decimals). Rows are validated
again on the way out by the record constructors.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from enum import Enum
from typing import Any

from dn_bodymap.charting.enums import (
    Activity,
    AnnotationKind,
    HazardLevel,
    PainQuality,
    SessionStatus,
    Severity,
    Sex,
    Side,
    View,
)
from dn_bodymap.charting.geometry import AreaGeometry
from dn_bodymap.charting.records import (
    Addendum,
    AdverseEvent,
    Annotation,
    Consent,
    HazardAcknowledgement,
    Mark,
    PainArea,
    Patient,
    Session,
)
from dn_bodymap.store.search import search_key

Record = Patient | Session | Mark | PainArea | HazardAcknowledgement | AdverseEvent | Addendum | Annotation

TABLES: dict[type, str] = {
    Patient: "patients",
    Session: "sessions",
    Mark: "marks",
    PainArea: "pain_areas",
    HazardAcknowledgement: "hazard_acknowledgements",
    AdverseEvent: "adverse_events",
    Addendum: "addenda",
    Annotation: "annotations",
}
KINDS: dict[type, str] = {
    Patient: "patient",
    Session: "session",
    Mark: "mark",
    PainArea: "pain_area",
    HazardAcknowledgement: "acknowledgement",
    AdverseEvent: "adverse_event",
    Addendum: "addendum",
    Annotation: "annotation",
}
_BOOL_FIELDS = {"archived", "referral_reproduced", "local_twitch_response", "needled"}
_JSON_FIELDS = {"consent", "screening_answers", "geometry", "hazard_ids", "points"}


@functools.cache
def field_names(cls: type) -> tuple[str, ...]:
    """Cached per class: reflecting on the dataclass for every row was a quarter of a click."""
    return tuple(f.name for f in dataclasses.fields(cls))


def _dump_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _encode(name: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, AreaGeometry):
        return _dump_json(value.to_geojson())
    if isinstance(value, Consent):
        return _dump_json(
            {
                name: (list(v) if isinstance(v, tuple) else v)
                for name in field_names(type(value))
                for v in [getattr(value, name)]
            }
        )
    if name in _JSON_FIELDS:
        return _dump_json(list(value) if isinstance(value, tuple) else value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    return value


def to_row(record: Record) -> dict[str, Any]:
    """Column → value for every field of the record (metadata columns are added by the caller)."""
    row = {name: _encode(name, getattr(record, name)) for name in field_names(type(record))}
    if isinstance(record, Patient):
        row["name_key"] = search_key(record.display_name)
        row["record_key"] = search_key(record.record_number)
    return row


def _decode(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "consent":
        return Consent(**json.loads(value))
    if name in _JSON_FIELDS:
        return json.loads(value)
    if name in _BOOL_FIELDS:
        return bool(value)
    return value


def from_row(cls: type, row: dict[str, Any]) -> Any:
    """Rebuild (and re-validate) a record from a row dict holding at least its fields."""
    return cls(**{name: _decode(name, row[name]) for name in field_names(cls)})


_ENUM_FIELDS: dict[str, type[Enum]] = {
    "view": View,
    "side": Side,
    "activity": Activity,
    "status": SessionStatus,
    "sex": Sex,
    "quality": PainQuality,
    "level": HazardLevel,
    "severity": Severity,
    "kind": AnnotationKind,
}


def from_trusted_row(cls: type, row: dict[str, Any]) -> Any:
    """Rebuild a record without re-running its validation, for bulk loads.

    Every row was validated when it was written (and the schema only changes through migrations),
    so re-checking 3,000 marks on each chart load would triple its time for nothing; ``db check``
    is where a tampered file is caught. Types are still restored exactly (enums, tuples, bools).
    """
    values: dict[str, Any] = {}
    for name, decode in _trusted_decoders(cls):
        value = row[name]
        values[name] = decode(value) if decode is not None and value is not None else value
    record = object.__new__(cls)
    record.__dict__.update(values)
    return record


@functools.cache
def _trusted_decoders(cls: type) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    """Per class, once: each field with the function that restores its type (None: stored as is)."""
    return tuple((name, _trusted_decoder(name)) for name in field_names(cls))


def _trusted_decoder(name: str) -> Callable[[Any], Any] | None:
    if name in _ENUM_FIELDS:
        return _ENUM_FIELDS[name]
    if name == "geometry":
        return lambda value: _geometry(json.loads(value))
    if name == "hazard_ids":
        return lambda value: tuple(json.loads(value))
    if name == "points":
        return lambda value: tuple((p[0], p[1]) for p in json.loads(value))
    if name == "consent" or name in _JSON_FIELDS or name in _BOOL_FIELDS:
        return functools.partial(_decode, name)
    return None


def _geometry(geojson: dict[str, Any]) -> AreaGeometry:
    parts = geojson["coordinates"]
    polygons = [parts] if geojson["type"] == "Polygon" else parts
    return AreaGeometry(tuple(tuple(tuple((p[0], p[1]) for p in ring) for ring in poly) for poly in polygons))


def select_columns(cls: type, alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + name for name in field_names(cls))
