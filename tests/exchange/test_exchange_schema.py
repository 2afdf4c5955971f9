"""The published JSON Schema (docs/exchange-schema.json) matches the records and every export."""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from exchange_builders import document_of
from jsonschema import Draft202012Validator

from dn_bodymap.charting.exchange import FORMAT_NAME, FORMAT_VERSION, SESSION_PARTS, PatientBundle
from dn_bodymap.charting.exchange.bundle import metadata_keys
from dn_bodymap.charting.records import Consent, Patient, Session

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "exchange-schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
_PART_DEFS = {
    "marks": "mark",
    "pain_areas": "pain_area",
    "annotations": "annotation",
    "acknowledgements": "acknowledgement",
    "adverse_events": "adverse_event",
    "addenda": "addendum",
}
DEFS: dict[str, type] = {
    "patient": Patient,
    "session": Session,
    "consent": Consent,
    **{_PART_DEFS[key]: cls for key, cls in SESSION_PARTS},
}


def validator() -> Draft202012Validator:
    return Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["properties"]["format"] == {"const": FORMAT_NAME}
    assert SCHEMA["properties"]["format_version"]["const"] == FORMAT_VERSION


@pytest.mark.parametrize("name", sorted(DEFS))
def test_every_record_field_is_in_the_schema(name: str) -> None:
    """Fails when a field is added to (or removed from) a record but not to the published schema."""
    cls = DEFS[name]
    expected = [f.name for f in dataclasses.fields(cls)]
    if cls is not Consent:
        expected += metadata_keys(cls)
    described = SCHEMA["$defs"][name]["properties"]
    added = [f for f in expected if f not in described]
    removed = [f for f in described if f not in expected]
    assert not added, (
        f"{cls.__name__} has field(s) {added} that docs/exchange-schema.json does not describe: add "
        f"them to $defs.{name} (properties and required) and to docs/exchange.md; raise FORMAT_VERSION "
        "if files of the current version cannot hold them"
    )
    assert not removed, (
        f"docs/exchange-schema.json $defs.{name} describes {removed}, which {cls.__name__} lacks"
    )
    assert sorted(SCHEMA["$defs"][name]["required"]) == sorted(expected)
    assert SCHEMA["$defs"][name]["additionalProperties"] is False


def test_session_entry_lists_every_part() -> None:
    entry = SCHEMA["$defs"]["session_entry"]
    assert list(entry["properties"]) == ["session", *(key for key, _ in SESSION_PARTS)]


def test_an_export_validates_against_the_schema(bundle: PatientBundle) -> None:
    document = json.loads(json.dumps(document_of(bundle)))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(document)]
    assert errors == []


def test_the_schema_refuses_what_the_importer_refuses(bundle: PatientBundle) -> None:
    document: dict[str, Any] = json.loads(json.dumps(document_of(bundle)))
    document["format_version"] = FORMAT_VERSION + 1
    assert not validator().is_valid(document)
    document = json.loads(json.dumps(document_of(bundle)))
    document["sessions"][0]["marks"][0]["x"] = 1e9
    assert not validator().is_valid(document)
    document = json.loads(json.dumps(document_of(bundle)))
    document["sessions"][0]["marks"][0]["colour"] = "red"
    assert not validator().is_valid(document)


@pytest.mark.parametrize("name", sorted(DEFS))
def test_row_times_never_shadow_a_record_field(name: str) -> None:
    cls = DEFS[name]
    clash = {f.name for f in dataclasses.fields(cls)} & {"created_at", "updated_at", "deleted_at"}
    assert not clash, f"{cls.__name__}.{clash} would collide with the exchange format's row times"


def _enum_values(fragment: dict[str, Any]) -> list[str] | None:
    if "$ref" in fragment:
        return _enum_values(SCHEMA["$defs"][fragment["$ref"].rsplit("/", 1)[-1]])
    if "enum" in fragment:
        return fragment["enum"]
    for option in fragment.get("anyOf", []):
        found = _enum_values(option)
        if found is not None:
            return found
    return None


@pytest.mark.parametrize("name", sorted(DEFS))
def test_closed_vocabularies_match_the_schema(name: str) -> None:
    """A view, side or level added to an enum must reach the published schema too."""
    cls = DEFS[name]
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        enums = [o for o in options if isinstance(o, type) and issubclass(o, enum.Enum)]
        if enums:
            described = _enum_values(SCHEMA["$defs"][name]["properties"][f.name])
            assert described == [m.value for m in enums[0]], (
                f"{cls.__name__}.{f.name}: docs/exchange-schema.json lists {described}, "
                f"the record allows {[m.value for m in enums[0]]}"
            )
