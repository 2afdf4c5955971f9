"""The optional C payload builder (store/_payloads.c) writes the bytes the Python builder writes, or
declines a batch (None) so the Python builder does it; a build of another version is not used
(issue #14). Skipped where no compiler built it; CI checks that it was built there (.ci/run)."""

from __future__ import annotations

import math
import sys
import types
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dn_bodymap.store import audit_batch

native = audit_batch.native
pytestmark = pytest.mark.skipif(native is None, reason="the C speed-up was not built on this computer")


def python_payloads(
    rows: list[tuple], order: tuple[int, ...], prefixes: tuple[str, ...], raw: tuple[bool, ...], end: str
) -> list[bytes]:
    """The payloads as the Python builder spells them, value by value."""
    out = []
    for row in rows:
        parts = [
            prefix + (row[i] if is_raw else audit_batch.encode_value(row[i]))
            for i, prefix, is_raw in zip(order, prefixes, raw, strict=True)
        ]
        out.append(("".join(parts) + end).encode())
    return out


floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [
        -0.0,
        0.0,
        1.0,
        -1.0,
        1e15,
        1e16,
        9999999999999998.0,
        1e16 - 2,
        -(1e16 - 2),
        2.0**53,
        2.0**53 + 2,
        0.1,
        0.30000000000000004,
        5e-324,
        1e-5,
        1e-4,
        123456.789,
        -160.0,
        545.0,
        1e300,
    ]
)
texts = st.text() | st.sampled_from(['"', "\\", "\x00\x1f\x7f\b\f\n\r\t", "\u2028", "é漢🙂", "", "null"])
values = st.one_of(
    texts,
    st.integers() | st.sampled_from([0, -1, 2**63 - 1, -(2**63), 2**63, -(2**63) - 1, 10**30]),
    floats,
    st.none(),
    st.binary(max_size=8),
)


@settings(max_examples=500)
@given(
    rows=st.lists(st.lists(values, min_size=1, max_size=8).map(tuple), min_size=1, max_size=20),
    prefixes=st.lists(texts, min_size=8, max_size=8),
    end=texts,
    data=st.data(),
)
def test_the_c_builder_writes_the_python_builders_bytes(
    rows: list[tuple], prefixes: list[str], end: str, data: st.DataObject
) -> None:
    width = min(len(r) for r in rows)
    order = tuple(data.draw(st.lists(st.integers(0, width - 1), max_size=8)))
    raw = tuple(data.draw(st.booleans()) and all(type(r[i]) is str for r in rows) for i in order)
    chosen = tuple(prefixes[: len(order)])
    got = native.payloads(rows, order, chosen, raw, end)
    assert got == python_payloads(rows, order, chosen, raw, end)


@given(st.one_of(floats, st.integers()))
def test_numbers_are_spelled_as_json_spells_them(value: float | int) -> None:
    import json

    (payload,) = native.payloads([(value,)], (0,), ("",), (False,), "")
    assert payload.decode() == json.dumps(value)
    if isinstance(value, float) and math.isfinite(value):
        assert payload.decode() == repr(value)


class Text(str):
    pass


@pytest.mark.parametrize(
    "odd",
    [True, False, Text("a str subclass"), 1.5j, object(), [1], {"a": 1}, bytearray(b"x"), "\ud800"],
    ids=["true", "false", "str-subclass", "complex", "object", "list", "dict", "bytearray", "lone-surrogate"],
)
def test_a_value_it_does_not_spell_hands_the_batch_to_python(odd: Any) -> None:
    rows = [("plain", 1), ("plain", odd)]
    assert native.payloads(rows, (0, 1), ("[", ", "), (False, False), "]") is None


def test_a_raw_column_must_hold_text() -> None:
    assert native.payloads([(7,)], (0,), ("",), (True,), "") is None
    assert native.payloads([("abc",)], (0,), ("<",), (True,), ">") == [b"<abc>"]


def test_a_short_row_or_a_row_that_is_not_a_sequence_is_declined() -> None:
    assert native.payloads([("a", "b"), ("a",)], (0, 1), ("", ""), (False, False), "") is None
    assert native.payloads(["ab"], (0,), ("",), (False,), "") is None


def test_bad_arguments_are_errors_not_crashes() -> None:
    with pytest.raises(ValueError):
        native.payloads([("a",)], (0,), ("", ""), (False,), "")
    with pytest.raises(ValueError):
        native.payloads([("a",)], (-1,), ("",), (False,), "")
    with pytest.raises(TypeError):
        native.payloads([("a",)], (0,), (1,), (False,), "")
    assert native.payloads([], (0,), ("",), (False,), "") == []


def test_a_long_row_grows_the_buffer() -> None:
    row = tuple("x" * 5000 + "\x01" * 3000 for _ in range(4))
    payloads = native.payloads([row], (0, 1, 2, 3), ("[", ", ", ", ", ", "), (False,) * 4, "]")
    assert payloads == python_payloads([row], (0, 1, 2, 3), ("[", ", ", ", ", ", "), (False,) * 4, "]")


def test_a_build_of_another_version_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    stale = types.ModuleType("dn_bodymap.store._payloads")
    stale.VERSION = audit_batch._NATIVE_VERSION + 1  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "dn_bodymap.store._payloads", stale)
    assert audit_batch._native() is None
    stale.VERSION = audit_batch._NATIVE_VERSION  # type: ignore[attr-defined]
    assert audit_batch._native() is stale
