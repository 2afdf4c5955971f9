"""Malformed and hostile documents: one plain line, and the database left exactly as it was."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from exchange_builders import document_of, fill_rich_patient, open_fresh, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dn_bodymap.charting.errors import RecordError
from dn_bodymap.charting.exchange import PatientBundle
from dn_bodymap.charting.exchange.decode import MAX_MESSAGE, loads, parse_document
from dn_bodymap.store.repository import SqliteRepository

Doc = dict[str, Any]


def attempt(repo: SqliteRepository, text: str) -> str | None:
    """Import ``text``; the refusal message, or None when it was imported."""
    try:
        repo.import_patient_bundle(parse_document(loads(text)))
    except RecordError as exc:
        return str(exc)
    return None


def files_digest(path: Path) -> dict[str, str]:
    found = {}
    for suffix in ("", "-wal"):
        file = path.with_name(path.name + suffix)
        if file.exists():
            found[suffix] = hashlib.sha256(file.read_bytes()).hexdigest()
    return found


@pytest.fixture
def document(bundle: PatientBundle) -> Doc:
    return json.loads(json.dumps(document_of(bundle)))


@pytest.fixture
def occupied(tmp_path: Path) -> Iterator[SqliteRepository]:
    """A target that already holds another patient: a refused import must leave it untouched."""
    repo = open_fresh(tmp_path / "occupied" / "records.db", actor="Importer")
    fill_rich_patient(repo)
    repo.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    try:
        yield repo
    finally:
        repo.close()


def _mark(doc: Doc, i: int = 0) -> Doc:
    return doc["sessions"][0]["marks"][i]


def _area(doc: Doc) -> Doc:
    return doc["sessions"][0]["pain_areas"][0]


def _set(path: Callable[[Doc], Doc], key: str, value: Any) -> Callable[[Doc], None]:
    return lambda doc: path(doc).__setitem__(key, value)


BOWTIE = [[[0.0, 100.0], [50.0, 150.0], [50.0, 100.0], [0.0, 150.0], [0.0, 100.0]]]
HOSTILE_EDITS: dict[str, Callable[[Doc], None]] = {
    "unknown version": _set(lambda d: d, "format_version", 2),
    "version as text": _set(lambda d: d, "format_version", "1"),
    "version as float": _set(lambda d: d, "format_version", 1.0),
    "version as true": _set(lambda d: d, "format_version", True),
    "foreign format": _set(lambda d: d, "format", "geojson"),
    "missing patient": lambda d: d.pop("patient"),
    "unknown top-level key": _set(lambda d: d, "extra", 1),
    "sessions not a list": _set(lambda d: d, "sessions", {}),
    "name is a number": _set(lambda d: d["patient"], "display_name", 5),
    "name too long": _set(lambda d: d["patient"], "display_name", "x" * 201),
    "huge notes": _set(lambda d: d["patient"], "notes", "x" * 1_000_000),
    "huge unknown key": _set(lambda d: d["patient"], "k" * 100_000, None),
    "NUL in text": _set(lambda d: d["patient"], "notes", "a\x00b"),
    "id not a uuid": _set(lambda d: d["patient"], "id", "1; DROP TABLE patients"),
    "upper-case uuid": lambda d: d["patient"].__setitem__("id", d["patient"]["id"].upper()),
    "x as text": _set(_mark, "x", "72"),
    "x far outside": _set(_mark, "x", 1e308),
    "x huge integer": _set(_mark, "x", 10**400),
    "flag as 1": _set(_mark, "needled", 1),
    "depth beyond needle": _set(_mark, "depth_mm", 200.0),
    "unknown view": _set(_mark, "view", "dorsal"),
    "unknown mark field": _set(_mark, "colour", "red"),
    "missing mark field": lambda d: _mark(d).pop("side"),
    "bad status": _set(lambda d: d["sessions"][0]["session"], "status", "final"),
    "signed without signer": _set(lambda d: d["sessions"][0]["session"], "signed_by", None),
    "signed and deleted": _set(lambda d: d["sessions"][0]["session"], "deleted_at", "2026-03-03T00:00:00Z"),
    "consent as text": _set(lambda d: d["sessions"][0]["session"], "consent", "yes"),
    "consent extra key": lambda d: d["sessions"][0]["session"]["consent"].__setitem__("x", 1),
    "screening answer as list": _set(lambda d: d["sessions"][0]["session"], "screening_answers", {"a": [1]}),
    "naive timestamp": _set(lambda d: d["patient"], "created_at", "2026-03-01T10:00:00"),
    "timestamp as text": _set(lambda d: d["patient"], "updated_at", "yesterday"),
    "hazard ids as text": _set(lambda d: d["sessions"][0]["acknowledgements"][0], "hazard_ids", "pleura"),
    "self-crossing polygon": _set(_area, "geometry", {"type": "Polygon", "coordinates": BOWTIE}),
    "two-point ring": _set(_area, "geometry", {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}),
    "geometry is a point": _set(_area, "geometry", {"type": "Point", "coordinates": [0, 0]}),
    "coordinates as text": _set(_area, "geometry", {"type": "Polygon", "coordinates": "[[0,0]]"}),
    "too many vertices": _set(
        _area,
        "geometry",
        {"type": "Polygon", "coordinates": [[[i * 0.01, 100.0 + (i % 2)] for i in range(6000)]]},
    ),
    "nested coordinates": _set(_area, "geometry", {"type": "Polygon", "coordinates": [[[[[[0, 0]]]]]]}),
    "arrow with one point": _set(lambda d: d["sessions"][0]["annotations"][0], "points", [[0, 0]]),
    "duplicate id": lambda d: d["sessions"][1]["marks"][0].__setitem__("id", _mark(d, 0)["id"]),
    "mark in another session": lambda d: _mark(d).__setitem__(
        "session_id", d["sessions"][1]["session"]["id"]
    ),
    "session of another patient": _set(
        lambda d: d["sessions"][0]["session"], "patient_id", "00000000-0000-4000-8000-000000000000"
    ),
    "dangling mark reference": _set(
        lambda d: d["sessions"][0]["acknowledgements"][0], "mark_id", "00000000-0000-4000-8000-000000000000"
    ),
    "marks not a list": _set(lambda d: d["sessions"][0], "marks", "none"),
    "session entry extra part": _set(lambda d: d["sessions"][0], "photos", []),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_EDITS))
def test_hostile_edit_is_refused_and_changes_nothing(
    name: str, document: Doc, occupied: SqliteRepository
) -> None:
    hostile = copy.deepcopy(document)
    HOSTILE_EDITS[name](hostile)
    rows, files = snapshot(occupied), files_digest(occupied.path)
    message = attempt(occupied, json.dumps(hostile, allow_nan=True))
    assert message is not None, f"{name}: was imported"
    assert "\n" not in message and len(message) <= MAX_MESSAGE + 100
    assert snapshot(occupied) == rows
    assert files_digest(occupied.path) == files


_VALID = json.dumps({"format": "dn-bodymap.patient-records"})
HOSTILE_TEXTS: dict[str, str] = {
    "empty": "",
    "not json": "hello",
    "truncated": _VALID[:-5],
    "a list": "[]",
    "null": "null",
    "NaN": '{"format": NaN}',
    "Infinity": '{"format_version": Infinity}',
    "negative Infinity": '{"format_version": -Infinity}',
    "deep nesting": "[" * 200_000 + "]" * 200_000,
    "deep objects": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "integer with 10,000 digits": '{"format_version": ' + "9" * 10_000 + "}",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXTS))
def test_hostile_text_is_refused_and_changes_nothing(name: str, occupied: SqliteRepository) -> None:
    rows = snapshot(occupied)
    message = attempt(occupied, HOSTILE_TEXTS[name])
    assert message is not None and "\n" not in message and len(message) <= MAX_MESSAGE + 100
    assert snapshot(occupied) == rows


def test_nan_coordinates_in_text_are_refused(document: Doc, occupied: SqliteRepository) -> None:
    for bad in (float("nan"), float("inf"), float("-inf")):
        hostile = copy.deepcopy(document)
        _area(hostile)["geometry"]["coordinates"][0][0][0][0] = bad
        _mark(hostile)["y"] = bad
        rows = snapshot(occupied)
        assert attempt(occupied, json.dumps(hostile, allow_nan=True)) is not None
        assert snapshot(occupied) == rows


# -- fuzzing: any single hostile change anywhere in a real export -----------------------------
def _paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value[:3]):  # a few items of each list are plenty
            yield from _paths(item, (*prefix, i))


def _deep(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


_HOSTILE_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["x" * 25_000, "\x00", "", " ", "=1+1", "00000000-0000-4000-8000-000000000000"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.just(_deep(500)),
    st.just({"type": "Polygon", "coordinates": BOWTIE}),
    st.just(BOWTIE),
)
_EDIT = st.sampled_from(["replace", "delete", "add key"])


@pytest.fixture
def fuzz_setup(tmp_path: Path, document: Doc) -> tuple[Doc, Path]:
    template = tmp_path / "template" / "records.db"
    with open_fresh(template) as repo:
        fill_rich_patient(repo)
    return document, template


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_fuzzed_documents_import_whole_or_not_at_all(
    fuzz_setup: tuple[Doc, Path], tmp_path: Path, data: st.DataObject
) -> None:
    document, template = fuzz_setup
    hostile = copy.deepcopy(document)
    path = data.draw(st.sampled_from(list(_paths(document))[1:]), label="path")
    parent = hostile
    for key in path[:-1]:
        parent = parent[key]
    edit = data.draw(_EDIT, label="edit")
    if edit == "replace":
        parent[path[-1]] = data.draw(_HOSTILE_VALUES, label="value")
    elif edit == "delete":
        del parent[path[-1]]
    elif isinstance(parent[path[-1]], dict):
        parent[path[-1]][data.draw(st.text(min_size=1, max_size=10), label="key")] = 1
    work = tmp_path / f"fuzz-{data.draw(st.integers(0, 10**9), label='n')}"
    work.mkdir()
    db = work / "records.db"
    shutil.copy(template, db)
    with open_fresh(db) as repo:
        rows = snapshot(repo)
        message = attempt(repo, json.dumps(hostile, allow_nan=True))
        if message is None:  # a harmless change (e.g. other valid text): imported whole
            assert repo.verify_audit() == []
            assert repo.export_patient_bundle(hostile["patient"]["id"]) == parse_document(hostile)
        else:
            assert "\n" not in message and len(message) <= MAX_MESSAGE + 100
            assert snapshot(repo) == rows
    shutil.rmtree(work)
