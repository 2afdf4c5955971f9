"""The app's own backups are compressed, restore to the same records, keep their change marker,
and stay within the budget of 2 × the database over weeks of changes (issue #14)."""

from __future__ import annotations

import gzip
import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_builders import make_patient

from dn_bodymap.store import backup, open_read_only, open_store
from dn_bodymap.store.backup import (
    backup_infos,
    compressed_marker,
    file_marker,
    make_backup,
    plain_backup,
)
from dn_bodymap.store.backup_policy import DEFAULT_POLICY, BackupStamp, kept_backups
from dn_bodymap.store.errors import BackupError
from dn_bodymap.store.restore import restore_backup


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_a_compressed_backup_restores_the_records_as_they_were(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    with open_store(path) as repo:
        for i in range(20):
            repo.add_patient(make_patient(f"Test Patient Number {i}"))
        made = repo.backup_if_changed()
        assert made is not None and made.name.endswith("-auto.db.gz")
        at_backup = dump(path)
        repo.add_patient(make_patient("Test Patient After The Backup"))
    with plain_backup(made) as plain:
        assert dump(plain) == at_backup
        assert file_marker(made) == file_marker(plain)  # the marker travels in the gzip header
    assert made.stat().st_size < path.stat().st_size / 2
    restore_backup(path, made)
    assert dump(path) == at_backup
    with open_read_only(path) as repo:
        assert repo.verify_audit() == []


def test_a_damaged_compressed_backup_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    with open_store(path) as repo:
        repo.add_patient(make_patient("Test Patient Kept"))
        made = repo.backup_if_changed()
    data = bytearray(made.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    made.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(BackupError) as caught:
        restore_backup(path, made)
    assert str(made) in str(caught.value) and "nothing was restored" in str(caught.value)
    assert path.read_bytes() == before
    assert not [p for p in made.parent.iterdir() if p.name.startswith(".")]  # no temporary file left


@settings(max_examples=60)
@given(payload=st.binary(max_size=5000), seq=st.integers(0, 10**9), digest=st.text("0123456789abcdef"))
def test_compression_round_trips_bytes_and_marker(payload: bytes, seq: int, digest: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "copy.tmp"
        plain.write_bytes(payload)
        target = Path(folder) / "records-20260101T000000000000Z-auto.db.gz"
        packed = backup._compress(plain, target, (7, seq, digest))
        packed.replace(target)
        assert compressed_marker(target) == (7, seq, digest)
        assert gzip.decompress(target.read_bytes()) == payload
        with plain_backup(target) as back:
            assert back.read_bytes() == payload


class _Clock(datetime):
    """``datetime`` whose ``now`` is the simulated moment (backup names and thinning read it)."""

    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return cls.moment if tz is None else cls.moment.astimezone(tz)


@settings(max_examples=12)
@given(gaps=st.lists(st.integers(1, 96), min_size=5, max_size=40))
def test_backups_stay_within_the_budget_over_weeks_of_changes(gaps: list[int]) -> None:
    """Hours between changes, over up to ~5 months: after every backup the automatic copies fit
    in 2 × the database (or only the newest is left) and are exactly what the policy keeps."""
    patch = pytest.MonkeyPatch()
    patch.setattr(backup, "datetime", _Clock)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "records.db"
            _Clock.moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
            with open_store(path, backups=False) as repo:
                for i, hours in enumerate(gaps):
                    _Clock.moment += timedelta(hours=hours)
                    repo.add_patient(make_patient(f"Test Patient Visit {i}", notes="note " * 200))
                    made = make_backup(path, "auto")
                    assert made is not None and made.name.endswith(".db.gz")
                    pages, page_size = (
                        repo.db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size")
                    )
                    db_size = pages * page_size  # as make_backup measures it (the WAL's pages too)
                    infos = [b for b in backup_infos(path) if b.automatic]
                    total = sum(b.size for b in infos)
                    assert infos[0].path == made  # the newest is always kept
                    assert total <= DEFAULT_POLICY.budget_factor * db_size or len(infos) == 1
                    stamps = [BackupStamp(str(b.path), b.made_at.astimezone(), b.size) for b in infos]
                    assert kept_backups(stamps, _Clock.moment.astimezone(), db_size) == {
                        str(b.path) for b in infos
                    }
    finally:
        patch.undo()


def test_a_backup_of_the_unchanged_database_is_skipped_through_the_compressed_marker(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    with open_store(path) as repo:
        repo.add_patient(make_patient("Test Patient Once"))
        assert repo.backup_if_changed() is not None
        assert repo.backup_if_changed() is None
        assert repo.backup_now().name.endswith("-now.db")  # asked for: a plain SQLite file
