"""The audit recipes computed a batch of rows at a time, for ``db check`` (issue #14).

The recipes (store/audit.py) are canonical JSON of a list — ``json.dumps(..., ensure_ascii=False)``
with its default separators — hashed with SHA-256 or an HMAC. Encoding a row's
``[[name, value], ...]`` through ``json`` costs ~10 µs for a 27-column mark, most of it building
the nested lists. Here the same text is made from a template per table (the column names already
encoded) filled with each value's JSON, and the values are encoded a column of a batch at a time
with the very functions ``json``'s encoder uses (``encode_basestring`` for text, ``int.__repr__``,
``float.__repr__`` for finite floats), mapped in C. The bytes are the recipe's, which
tests/store/test_audit_batch.py holds against the written recipe with hypothesis.

Where the installing computer had a C compiler, the payloads are built by ``_payloads`` (C, built
by hatch_build.py) in about a third of the time, the same bytes (both paths are held to the recipe);
a batch holding a value that module does not spell is built here.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
from collections.abc import Sequence
from functools import cache
from itertools import repeat
from json.encoder import encode_basestring
from operator import methodcaller
from typing import Any

_NATIVE_VERSION = 1  # the ``_payloads`` this code was written for (its VERSION)


def _native() -> Any:
    """The C payload builder, or None: not built here, or built from another version of its source
    (a stale build left in a source tree is not trusted)."""
    try:
        _payloads = importlib.import_module("dn_bodymap.store._payloads")
    except ImportError:
        return None
    return _payloads if getattr(_payloads, "VERSION", None) == _NATIVE_VERSION else None


#: Replaced by None in tests to hold the Python path to the recipe too.
native: Any = _native()

_JSON = json.JSONEncoder(ensure_ascii=False)
_HEX = methodcaller("hexdigest")
_NONE = type(None)


def _float(value: float) -> str:
    """``json``'s float: ``repr``, with NaN and the infinities spelled the JavaScript way."""
    if math.isfinite(value):
        return float.__repr__(value)
    return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")


def encode_value(value: Any) -> str:
    """One value as ``json.dumps(value, ensure_ascii=False)`` writes it inside a list (bytes as
    hex text, as ``row_hash`` stores them)."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    if kind is bytes:
        return encode_basestring(value.hex())
    return _JSON.encode(value)  # anything else (never from SQLite) exactly as json writes it


def encode_column(values: Sequence[Any], prefix: str = "") -> list[str]:
    """``prefix`` + each value's JSON. A column of one type (and NULLs) is mapped in C, each
    distinct value encoded once when there are few (a view, a muscle, a needle length)."""
    try:
        "".join(values)  # succeeds only when every value is text: most columns, checked in C
    except TypeError:
        pass
    else:
        return _mapped(values, prefix, encode_basestring, with_null=False)
    kinds = set(map(type, values))
    with_null = _NONE in kinds
    kinds.discard(_NONE)
    if not kinds:
        return [prefix + "null"] * len(values)
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind is str or kind is int:
            return _mapped(values, prefix, _ENCODERS[kind], with_null=with_null)
        # A float column maps unless it holds a NaN or an infinity (spelled apart) or a zero (-0.0
        # equals 0.0, so one encoding of "the" zero would serve both).
        if kind is float:
            numbers = set(values)
            numbers.discard(None)
            if 0.0 not in numbers and math.isfinite(sum(numbers)):
                return _mapped(values, prefix, float.__repr__, with_null=with_null)
    return [prefix + encode_value(v) for v in values]


_ENCODERS: dict[type, Any] = {str: encode_basestring, int: int.__repr__}


def _mapped(values: Sequence[Any], prefix: str, encoder: Any, *, with_null: bool) -> list[str]:
    """Values of one type (and maybe NULLs), equal values encoded alike."""
    if not with_null and len(set(values[:16])) > 8:  # mostly distinct (ids, times): map them all
        return list(map(prefix.__add__, map(encoder, values)))
    known = {v: prefix + ("null" if v is None else encoder(v)) for v in set(values)}
    return list(map(known.__getitem__, values))


@cache
def _row_prefixes(names: tuple[str, ...]) -> tuple[str, ...]:
    """What goes before each value of ``[["name", value], ...]``; the last item closes it."""
    encoded = [encode_basestring(name) for name in names]
    return ("[[" + encoded[0] + ", ", *("], [" + n + ", " for n in encoded[1:]), "]]")


def row_payloads(names: Sequence[str], rows: Sequence[Sequence[Any]], columns: int) -> list[str]:
    """The ``row_hash`` payload of each row's first ``columns`` columns (rows may be wider)."""
    if columns == 0:
        return ["[]"] * len(rows)
    *prefixes, end = _row_prefixes(tuple(names[:columns]))
    values = list(zip(*rows, strict=True))[:columns]
    encoded = [encode_column(c, p) for c, p in zip(values, prefixes, strict=True)]
    return list(map("".join, zip(*encoded, repeat(end, len(rows)), strict=True)))


def row_hash(names: Sequence[str], values: Sequence[Any], columns: int) -> str:
    """One row's ``<columns>:<sha256>`` (the write path: a value at a time, no columns to map)."""
    if columns == 0:
        payload = "[]"
    else:
        *prefixes, end = _row_prefixes(tuple(names[:columns]))
        payload = "".join(map(str.__add__, prefixes, map(encode_value, values[:columns]))) + end
    return f"{columns}:{hashlib.sha256(payload.encode()).hexdigest()}"


def row_hashes(names: Sequence[str], rows: Sequence[Sequence[Any]], columns: int) -> list[str]:
    """``audit.row_hash(names, row, columns)`` of every row."""
    payloads = _native_row_payloads(names, rows, columns) if native is not None and columns else None
    if payloads is None:
        payloads = list(map(str.encode, row_payloads(names, rows, columns)))
    digests = map(_HEX, map(hashlib.sha256, payloads))
    return list(map(f"{columns}:".__add__, digests))


@cache
def _native_row_plan(
    names: tuple[str, ...],
) -> tuple[tuple[int, ...], tuple[str, ...], tuple[bool, ...], str]:
    """``_payloads.payloads``' arguments but the rows for ``[["name", value], ...]``."""
    *prefixes, end = _row_prefixes(names)
    return tuple(range(len(names))), tuple(prefixes), (False,) * len(names), end


def _native_row_payloads(
    names: Sequence[str], rows: Sequence[Sequence[Any]], columns: int
) -> list[bytes] | None:
    order, prefixes, raw, end = _native_row_plan(tuple(names[:columns]))
    return native.payloads(rows, order, prefixes, raw, end)


# An entry's keyed hash: HMAC(key, prev_hash + json([seq, at, actor, action, kind, entity_id, content])).
_ENTRY_PREFIXES = ("[", ", ", ", ", ", ", ", ", ", ", ", ")


def entry_payloads(prev_hashes: Sequence[str], fields: Sequence[Sequence[Any]]) -> list[str]:
    """``prev_hash + json.dumps(fields)`` for a batch: ``fields`` are the seven columns."""
    encoded = [encode_column(c, p) for c, p in zip(fields, _ENTRY_PREFIXES, strict=True)]
    return list(map("".join, zip(prev_hashes, *encoded, repeat("]", len(prev_hashes)), strict=True)))


def keyed_hashes(key: bytes, prev_hashes: Sequence[str], fields: Sequence[Sequence[Any]]) -> list[str]:
    """``audit.keyed_hash`` of each entry of a batch: HMAC-SHA256 (RFC 2104) from the key's inner
    and outer hash states made once, which costs half of OpenSSL's one-shot HMAC per entry."""
    return _keyed(key, list(map(str.encode, entry_payloads(prev_hashes, fields))))


# Where an audit_log row (audit._CONTENT_COLUMNS) keeps each part of its entry's payload: the
# previous hash (as it is), then seq, at, actor, action, entity_kind, entity_id, content_hash.
_ENTRY_ORDER = (6, 0, 1, 2, 3, 4, 5, 8)
_ENTRY_RAW = (True, *(False,) * 7)
_ENTRY_ROW_PREFIXES = ("", *_ENTRY_PREFIXES)  # nothing before the previous hash


def keyed_hashes_of_rows(key: bytes, rows: Sequence[Sequence[Any]]) -> list[str]:
    """``keyed_hashes`` of a batch of audit_log rows as ``audit`` reads them (``_ENTRY_ORDER``)."""
    payloads = (
        native.payloads(rows, _ENTRY_ORDER, _ENTRY_ROW_PREFIXES, _ENTRY_RAW, "]")
        if native is not None
        else None
    )
    if payloads is None:
        columns = list(zip(*rows, strict=True))
        fields = [columns[i] for i in _ENTRY_ORDER[1:]]
        return keyed_hashes(key, columns[_ENTRY_ORDER[0]], fields)
    return _keyed(key, payloads)


def _keyed(key: bytes, payloads: list[bytes]) -> list[str]:
    inner, outer = _hmac_states(key)
    n = len(payloads)
    # Each step mapped over the batch in C (a Python loop over the entries cost a third of the walk).
    inners = list(map(_COPY, repeat(inner, n)))
    list(map(_UPDATE, inners, payloads))
    outers = list(map(_COPY, repeat(outer, n)))
    list(map(_UPDATE, outers, map(_DIGEST, inners)))
    return list(map(_HEX, outers))


_SHA256 = type(hashlib.sha256())
_COPY, _UPDATE, _DIGEST = _SHA256.copy, _SHA256.update, _SHA256.digest


@cache
def _hmac_states(key: bytes) -> tuple[Any, Any]:
    block = 64  # SHA-256's block size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    return (
        hashlib.sha256(bytes(b ^ 0x36 for b in key)),
        hashlib.sha256(bytes(b ^ 0x5C for b in key)),
    )
