"""The batched audit recipes (store/audit_batch.py) write the bytes of the written recipes, so records
and entries written by every older version still verify; and the batched walks find exactly what
the entry-by-entry and record-by-record walks find (issue #14)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from audit_fixtures import private_key_fixture, tamper  # noqa: F401  (autouse: a private audit key per test)
from hypothesis import given, settings
from hypothesis import strategies as st
from store_builders import make_mark, make_patient

from dn_bodymap.charting.records import Session
from dn_bodymap.store import audit, audit_batch, audit_key, open_read_only, open_store


def written_row_hash(names: list[str], values: tuple, columns: int) -> str:
    """The recipe as it was first written (store/audit.py before issue #14)."""
    pairs = [
        [name, value.hex() if isinstance(value, bytes) else value]
        for name, value in zip(names[:columns], values[:columns], strict=True)
    ]
    digest = hashlib.sha256(json.dumps(pairs, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    return f"{columns}:{digest}"


def written_keyed_hash(key: bytes, prev: str, fields: list[Any]) -> str:
    payload = (prev + json.dumps(fields, ensure_ascii=False)).encode("utf-8")
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [-0.0, 0.0, 1e300, -1e-300, 5e-324, 1e16, 1e15, 0.1, float("nan"), float("inf"), float("-inf")]
)
text = st.text() | st.sampled_from(['"', "\\", "%s", "%", "\x00\x1f\x7f", "\u2028", "é漢🙂", "", "null"])
scalars = {
    "text": text,
    "int": st.integers() | st.sampled_from([0, -1, 2**63 - 1, -(2**63), 10**30]),
    "float": floats,
    "none": st.none(),
    "bytes": st.binary(max_size=8),
}
# A column holds one kind (often with NULLs, as a nullable column does) or anything at all.
column_kind = st.sampled_from([*scalars, "text+none", "int+none", "float+none", "mixed"])


def column_values(kind: str) -> st.SearchStrategy[Any]:
    if kind == "mixed":
        return st.one_of(*scalars.values(), st.booleans())
    if kind.endswith("+none"):
        return st.one_of(st.none(), scalars[kind.removesuffix("+none")])
    return scalars[kind]


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[tuple]]:
    names = draw(st.lists(text, max_size=8))
    kinds = [draw(column_kind) for _ in names]
    # Few distinct values per column too, so both the mapped and the per-distinct-value paths run.
    pools = [draw(st.lists(column_values(kind), min_size=1, max_size=40)) for kind in kinds]
    n = draw(st.integers(min_value=1, max_value=40))
    rows = [tuple(draw(st.sampled_from(pool)) for pool in pools) for _ in range(n)]
    return names, rows


# The payloads are built by the C module where it was built (store/_payloads.c) and by Python
# otherwise: each recipe test holds both to the written recipe.
BUILDERS = ["python"] + (["c"] if audit_batch.native is not None else [])


@contextmanager
def builder(name: str) -> Iterator[None]:
    kept = audit_batch.native
    audit_batch.native = kept if name == "c" else None
    try:
        yield
    finally:
        audit_batch.native = kept


@settings(max_examples=400)
@given(table=tables(), data=st.data())
def test_row_hashes_are_the_written_recipe(table: tuple[list[str], list[tuple]], data: st.DataObject) -> None:
    names, rows = table
    columns = data.draw(st.integers(min_value=0, max_value=len(names)))
    expected = [written_row_hash(names, row, columns) for row in rows]
    for name in BUILDERS:
        with builder(name):
            assert audit_batch.row_hashes(names, rows, columns) == expected, name
    assert [audit.row_hash(names, row, columns) for row in rows] == expected


def test_row_hash_still_refuses_fewer_values_than_names() -> None:
    with pytest.raises(ValueError):
        audit.row_hash(["a", "b"], ("only one",))


@settings(max_examples=200)
@given(
    key=st.binary(min_size=0, max_size=150),  # shorter and longer than SHA-256's 64-byte block
    entries=st.lists(
        st.tuples(
            st.text("0123456789abcdef", min_size=64, max_size=64),
            st.integers(min_value=-5, max_value=2**40),
            text,
            text,
            st.sampled_from(["create", "update", "delete", "erase"]),
            st.sampled_from(["patient", "session", "mark", "setting"]),
            text,
            st.none() | text,
        ),
        min_size=1,
        max_size=30,
    ),
)
def test_keyed_hashes_are_the_written_recipe(key: bytes, entries: list[tuple]) -> None:
    prevs = [e[0] for e in entries]
    fields = list(zip(*(e[1:] for e in entries), strict=True))
    expected = [written_keyed_hash(key, e[0], list(e[1:])) for e in entries]
    assert audit_batch.keyed_hashes(key, prevs, fields) == expected
    assert [audit.keyed_hash(key, e[0], list(e[1:])) for e in entries] == expected
    # As the walk reads them: audit_log rows (seq, at, actor, action, kind, id, prev, hash, content, keyed).
    rows = [(*e[1:7], e[0], "", e[7], 1) for e in entries]
    for name in BUILDERS:
        with builder(name):
            assert audit_batch.keyed_hashes_of_rows(key, rows) == expected, name


# -- the batched walks against the one-at-a-time walks -------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "records.db"
    with open_store(path, actor="Dr Test", backups=False) as repo:
        for p in range(3):
            patient = repo.add_patient(make_patient(f"Test Patient {p}"))
            session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
            for _ in range(6):
                repo.add_mark(make_mark(session))
    return path


def one_at_a_time(path: Path) -> list[str]:
    """The walks of store/audit.py as they were: every entry, then every record, by itself."""
    with open_read_only(path, check=False) as repo:
        db = repo.db
        walk = audit._ChainWalk(audit_key.load_key(create=False))
        for row in db.execute(f"SELECT {audit._CONTENT_COLUMNS} FROM audit_log ORDER BY seq"):
            walk.step(row)
        problems = walk.problems
        if walk.missing_key:
            problems.append(
                f"the audit key ({audit_key.key_path()}) is not on this computer, so keyed entries "
                "cannot be verified; copy it from the computer that wrote the records"
            )
        every = audit.every_row_audited(db)
        for kind, table in audit._KIND_TABLES.items():
            cursor = db.execute(
                f"SELECT t.*, {audit._LATEST_CONTENT} FROM {table} t ORDER BY t.rowid", (kind,)
            )
            names = [d[0] for d in cursor.description][:-1]
            for values in cursor:
                found = audit._row_problem(kind, names, values[:-1], values[-1], names.index("id"), every)
                if found:
                    problems.append(found)
        problems += [f"trigger {name} was removed" for name in audit.missing_triggers(db)]
    return problems


TAMPERING = {
    "nothing": (),
    "an entry altered": (
        "DROP TRIGGER audit_log_no_update",
        "UPDATE audit_log SET actor = 'Dr Impostor' WHERE seq = 9",
    ),
    "entries removed": ("DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq IN (4, 5, 17)"),
    "records edited": (
        "UPDATE marks SET notes = 'edited' WHERE rowid IN (2, 3, 11)",
        "UPDATE patients SET display_name = 'Someone Else' WHERE rowid = 2",
    ),
    "a record added behind the app's back": (
        "INSERT INTO patients (id, display_name, created_at, updated_at) "
        "VALUES ('x', 'Added', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    ),
    "an entry's content changed to an older width": (
        "DROP TRIGGER audit_log_no_update",
        "UPDATE audit_log SET content_hash = '3:' || substr(content_hash, 4) WHERE seq = 6",
    ),
}


@pytest.mark.parametrize("what", list(TAMPERING))
@pytest.mark.parametrize("batch", [1, 4, 512])
@pytest.mark.parametrize("payloads", BUILDERS)
def test_the_batched_walk_finds_what_the_one_at_a_time_walk_finds(
    store: Path, what: str, batch: int, payloads: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    tamper(store, *TAMPERING[what])
    monkeypatch.setattr(audit, "BATCH", batch)
    expected = one_at_a_time(store)
    assert (expected == []) == (what == "nothing")
    with open_read_only(store, check=False) as repo, builder(payloads):
        assert audit.verify_chain(repo.db) == expected


def test_a_missing_key_is_named_once_by_the_batched_walk(
    store: Path, private_key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private_key.unlink()
    audit_key._cache.clear()
    monkeypatch.setattr(audit, "BATCH", 4)
    problems = one_at_a_time(store)
    assert sum("is not on this computer" in p for p in problems) == 1
    with open_read_only(store, check=False) as repo:
        assert audit.verify_chain(repo.db) == problems
