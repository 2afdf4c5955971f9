"""Exchange documents → records, refusing anything the app could not have written.

Each record is rebuilt through its own constructor, so every field check of the record model
applies; on top of that this module checks the document's shape (exact keys, sizes, nesting), its
consistency (ids unique, parts in their own session, references inside the document) and that each
pain area is a valid polygon. Any failure is one ``ExchangeError`` naming the place in the document.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Mapping
from typing import Any

from dn_bodymap.charting import validation as v
from dn_bodymap.charting.exchange.bundle import (
    FORMAT_NAME,
    FORMAT_VERSION,
    SESSION_PARTS,
    ExchangeError,
    PatientBundle,
    SessionBundle,
    Stored,
    metadata_keys,
)
from dn_bodymap.charting.geometry import AreaGeometry
from dn_bodymap.charting.records import PainArea, Patient, Session

MAX_DOCUMENT_CHARS = 128 * 1024 * 1024
MAX_ITEMS = 100_000  # sessions per patient, or records of one kind per session
MAX_MESSAGE = 300
DOCUMENT_KEYS = ("format", "format_version", "exported_at", "app_version", "patient", "sessions")
SESSION_KEYS = ("session", *(key for key, _ in SESSION_PARTS))


def loads(text: str) -> Any:
    """Parse JSON text, refusing NaN/Infinity, oversized text and nesting too deep to parse."""
    if not isinstance(text, str):
        raise ExchangeError("the document must be text")
    if len(text) > MAX_DOCUMENT_CHARS:
        raise ExchangeError(f"the document is larger than {MAX_DOCUMENT_CHARS // (1024 * 1024)} MiB")
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ExchangeError("the document is nested too deeply to be an export") from None
    except json.JSONDecodeError as exc:
        raise ExchangeError(_one_line(f"not valid JSON: {exc}")) from None
    except ValueError as exc:  # an integer longer than Python converts, or a refused constant
        reason = "a number has too many digits" if "digits" in str(exc) else str(exc)
        raise ExchangeError(_one_line(f"not valid JSON: {reason}")) from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_document(document: Any) -> PatientBundle:
    """Validate a parsed document completely; nothing is returned unless all of it is sound."""
    try:
        return _parse(document)
    except ExchangeError:
        raise
    except (TypeError, ValueError, OverflowError, RecursionError) as exc:
        raise ExchangeError(_one_line(f"the document is malformed ({type(exc).__name__})")) from None


def _parse(document: Any) -> PatientBundle:
    if not isinstance(document, dict):
        raise ExchangeError("the document must be a JSON object")
    if document.get("format") != FORMAT_NAME:
        raise ExchangeError(f'not a dn-bodymap exchange document (its "format" is not {FORMAT_NAME!r})')
    version = document.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool) or not isinstance(version, int):
        raise ExchangeError(
            _one_line(
                f"format_version {version!r} is not supported: this dn-bodymap reads version "
                f"{FORMAT_VERSION}; update dn-bodymap to import this file"
            )
        )
    _exact_keys(document, DOCUMENT_KEYS, "document")
    _checked("exported_at", lambda: v.timestamp("exported_at", document["exported_at"]))
    _checked("app_version", lambda: v.text("app_version", document["app_version"], 64))
    patient = _stored(Patient, document["patient"], "patient")
    sessions = _list(document["sessions"], "sessions")
    bundles = tuple(_session(item, f"sessions[{i}]", patient.record) for i, item in enumerate(sessions))
    bundle = PatientBundle(patient, bundles)
    _check_unique_ids(bundle)
    # Imported here: the hazard rule loads the atlas and GEOS, which `session show` never needs.
    from dn_bodymap.charting.exchange.hazard_check import require_acknowledged

    require_acknowledged(bundle)
    return bundle


def _session(value: Any, where: str, patient: Patient) -> SessionBundle:
    if not isinstance(value, dict):
        raise ExchangeError(f"{where}: must be an object")
    _exact_keys(value, SESSION_KEYS, where)
    stored = _stored(Session, value["session"], f"{where}.session")
    session: Session = stored.record
    if session.patient_id != patient.id:
        raise ExchangeError(f"{where}.session.patient_id: must be the document's patient ({patient.id})")
    if session.is_signed and stored.is_deleted:
        raise ExchangeError(f"{where}.session: a signed session is never deleted")
    parts: dict[str, tuple[Stored, ...]] = {}
    for key, cls in SESSION_PARTS:
        items = _list(value[key], f"{where}.{key}")
        parts[key] = tuple(_stored(cls, item, f"{where}.{key}[{i}]") for i, item in enumerate(items))
        for i, item in enumerate(parts[key]):
            if item.record.session_id != session.id:
                raise ExchangeError(f"{where}.{key}[{i}].session_id: must be the session it is listed in")
    _check_references(parts, where)
    return SessionBundle(stored, **parts)


def _check_references(parts: dict[str, tuple[Stored, ...]], where: str) -> None:
    """References stay inside the session (the database's foreign keys need the target too)."""
    marks = {item.record.id for item in parts["marks"]}
    areas = {item.record.id for item in parts["pain_areas"]}
    for key, field, targets in (
        ("pain_areas", "mark_id", marks),
        ("annotations", "mark_id", marks),
        ("annotations", "pain_area_id", areas),
        ("acknowledgements", "mark_id", marks),
    ):
        for i, item in enumerate(parts[key]):
            target = getattr(item.record, field)
            if target is not None and target not in targets:
                raise ExchangeError(f"{where}.{key}[{i}].{field}: {target} is not in this session")


def _check_unique_ids(bundle: PatientBundle) -> None:
    seen: set[str] = {bundle.patient.record.id}
    for i, session in enumerate(bundle.sessions):
        entries = [("session", session.session)]
        entries += [(key, item) for key, _, items in session.parts() for item in items]
        for key, item in entries:
            if item.record.id in seen:
                raise ExchangeError(f"sessions[{i}].{key}: id {item.record.id} appears twice")
            seen.add(item.record.id)


def _stored(cls: type, value: Any, where: str) -> Stored:
    if not isinstance(value, dict):
        raise ExchangeError(f"{where}: must be an object")
    meta = metadata_keys(cls)
    names = _field_names(cls)
    _exact_keys(value, names + meta, where)
    record = _record(cls, {name: value[name] for name in names}, where)
    times: dict[str, str | None] = {}
    for key in meta:
        if key == "deleted_at":
            times[key] = _checked(f"{where}.{key}", lambda k=key: v.optional_timestamp(k, value[k]))
        else:
            times[key] = _checked(f"{where}.{key}", lambda k=key: v.timestamp(k, value[k]))
    if isinstance(record, PainArea):
        _check_polygon(record.geometry, f"{where}.geometry")
    return Stored(record, **times)  # type: ignore[arg-type]


def _record(cls: type, values: dict[str, Any], where: str) -> Any:
    nested = _nested_types(cls)
    for name, nested_cls in nested.items():
        item = values[name]
        if isinstance(item, Mapping):
            _exact_keys(item, _field_names(nested_cls), f"{where}.{name}")
            values[name] = _record(nested_cls, dict(item), f"{where}.{name}")
        elif item is not None:
            raise ExchangeError(f"{where}.{name}: must be an object or null")
    try:
        return cls(**values)
    except v.ValidationError as exc:
        raise ExchangeError(_one_line(f"{where}.{exc.field.split('.')[-1]}: {exc.message}")) from None
    except OverflowError:  # float() of an integer beyond any double
        raise ExchangeError(f"{where}: a number is far too large") from None
    except (TypeError, ValueError) as exc:
        raise ExchangeError(_one_line(f"{where}: {exc}")) from None


def _check_polygon(geometry: AreaGeometry, where: str) -> None:
    """The drawing tools only ever store valid polygons (they repair self-crossings), so an
    invalid one in a file was not written by the app; shapely is loaded only here, when needed."""
    import shapely
    from shapely.geometry import shape

    geom = shape(geometry.to_geojson())
    if not geom.is_valid:
        raise ExchangeError(_one_line(f"{where}: not a valid polygon ({shapely.is_valid_reason(geom)})"))


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.cache
def _nested_types(cls: type) -> dict[str, type]:
    """Fields holding another record dataclass (a session's consent), found from the type hints."""
    hints = typing.get_type_hints(cls)
    nested: dict[str, type] = {}
    for name in _field_names(cls):
        hint = hints[name]
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        for option in options:
            if dataclasses.is_dataclass(option) and option is not AreaGeometry:
                nested[name] = option  # type: ignore[assignment]
    return nested


def _exact_keys(value: Mapping[str, Any], expected: tuple[str, ...], where: str) -> None:
    missing = [key for key in expected if key not in value]
    if missing:
        raise ExchangeError(f"{where}: missing {', '.join(missing)}")
    unknown = [key for key in value if key not in expected]
    if unknown:
        raise ExchangeError(_one_line(f"{where}: unknown field {_short(unknown[0])!r}"))


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ExchangeError(f"{where}: must be a list")
    if len(value) > MAX_ITEMS:
        raise ExchangeError(f"{where}: more than {MAX_ITEMS} items")
    return value


def _checked(where: str, check: typing.Callable[[], Any]) -> Any:
    try:
        return check()
    except v.ValidationError as exc:
        raise ExchangeError(_one_line(f"{where}: {exc.message}")) from None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one_line(message: str) -> str:
    """Messages quote offending values; a hostile file must not get a screenful of them."""
    flat = " ".join(message.split())
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 1] + "…"
