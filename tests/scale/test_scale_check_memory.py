"""`db check`'s audit walk streams: its memory does not grow with the audit log (issue #14), and
its faster hashing computes the same recipes."""

from __future__ import annotations

import hashlib
import hmac
import json
import tracemalloc
from pathlib import Path

import pytest
from clinic_builders import build_clinic
from hypothesis import given, settings
from hypothesis import strategies as st

from dn_bodymap.store import open_read_only
from dn_bodymap.store.audit import keyed_hash, row_hash, verify_chain


def _peak_of_verification(path: Path) -> tuple[int, int]:
    with open_read_only(path) as repo:
        entries = repo.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        tracemalloc.start()
        try:
            assert verify_chain(repo.db) == []
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return entries, peak


@pytest.fixture(scope="module")
def clinics(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("check-memory")
    small, large = folder / "small.db", folder / "large.db"
    build_clinic(small, patients=4)
    build_clinic(large, patients=40)
    return small, large


def test_verification_memory_does_not_grow_with_the_log(clinics: tuple[Path, Path]) -> None:
    (small_entries, small_peak), (large_entries, large_peak) = map(_peak_of_verification, clinics)
    assert large_entries >= 8 * small_entries
    # Fetching the log (or keeping an entry per record) grew the peak ~10×; streaming keeps it flat.
    assert large_peak < 2 * small_peak + 64 * 1024, (small_peak, large_peak)


def test_db_check_still_names_a_record_changed_behind_its_back(
    clinics: tuple[Path, Path], tmp_path: Path
) -> None:
    import shutil
    import sqlite3

    from dn_bodymap.cli import main

    path = tmp_path / "copy.db"
    shutil.copyfile(clinics[0], path)
    conn = sqlite3.connect(path)
    patient = conn.execute("SELECT id FROM patients ORDER BY rowid LIMIT 1").fetchone()[0]
    conn.execute("UPDATE patients SET notes = 'edited by hand' WHERE id = ?", (patient,))
    conn.commit()
    conn.close()
    assert main(["--db", str(path), "db", "check"]) == 1


@settings(max_examples=200)
@given(
    fields=st.lists(st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.text()), max_size=8),
    prev=st.text("0123456789abcdef", min_size=64, max_size=64),
    key=st.binary(min_size=32, max_size=32),
    values=st.lists(st.one_of(st.none(), st.integers(), st.text(), st.binary()), min_size=1, max_size=6),
)
def test_the_hash_recipes_are_unchanged(fields, prev, key, values) -> None:
    """The faster encoders and one-shot HMAC give the bytes the stored chains were written with."""
    payload = (prev + json.dumps(fields, ensure_ascii=False)).encode("utf-8")
    assert keyed_hash(key, prev, fields) == hmac.new(key, payload, hashlib.sha256).hexdigest()
    names = [f"c{i}" for i in range(len(values))]
    pairs = [[n, v.hex() if isinstance(v, bytes) else v] for n, v in zip(names, values, strict=True)]
    expected = hashlib.sha256(
        json.dumps(pairs, ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()
    assert row_hash(names, values) == f"{len(values)}:{expected}"
