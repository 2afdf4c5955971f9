"""store/first_screen.py: the patient list's first paint from a read-only connection (issue #14).

Its rows carry the records' fields with the records' values (compared with ``SqliteRepository``
over the demo clinic, archived and deleted patients, drafts, signed and voided sessions); it is used
only for a file the writer would open unchanged; anything but its reads opens the writer."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dn_bodymap.charting.errors import NotFoundError
from dn_bodymap.charting.records import Clinician, Patient, Session, Sex
from dn_bodymap.store import open_store
from dn_bodymap.store.demo import fill_demo
from dn_bodymap.store.first_screen import (
    FirstScreenStore,
    ListedPatient,
    ListedSession,
    may_paint_first,
    open_first_screen,
)


def _clinic(path: Path) -> Path:
    """The demo patients, plus an archived one, a deleted one, a draft and a voided draft."""
    with open_store(path, backups=False) as repo:
        repo.set_clinician(Clinician(name="Demo Clinician Robin Hale", profession="Physiotherapist"))
        fill_demo(repo)
        archived = repo.add_patient(Patient(display_name="Demo Archived Ash", sex=Sex.FEMALE))
        repo.archive_patient(archived.id)
        gone = repo.add_patient(Patient(display_name="Demo Deleted Dana", record_number="D-9"))
        repo.delete_patient(gone.id)
        some = repo.search_patients("")[0].patient
        repo.create_session(Session(patient_id=some.id, clinician="Demo Clinician Robin Hale"))
        void = repo.create_session(Session(patient_id=some.id, clinician="Demo Clinician Robin Hale"))
        repo.void_session(void.id, "started by mistake")
    return path


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _clinic(tmp_path_factory.mktemp("first-screen") / "records.db")


def _never() -> object:
    raise AssertionError("the writer was opened")


def _same_fields(row: object, record: object) -> None:
    for field in dataclasses.fields(row):  # type: ignore[arg-type]
        assert getattr(row, field.name) == getattr(record, field.name), field.name
        assert type(getattr(row, field.name)) is type(getattr(record, field.name)), field.name


def test_the_first_screens_reads_equal_the_repositorys(clinic: Path) -> None:
    from dn_bodymap.store import open_read_only

    first = open_first_screen(clinic, _never)
    assert isinstance(first, FirstScreenStore)

    repo = open_read_only(clinic)
    try:
        for archived in (False, True):
            for order in ("recent", "name"):
                rows = first.search_patients("", include_archived=archived, limit=200, order=order)
                records = repo.search_patients("", include_archived=archived, limit=200, order=order)
                assert len(rows) == len(records) > 0
                for row, record in zip(rows, records, strict=True):
                    _same_fields(row.patient, record.patient)
                    assert (row.session_count, row.last_session_at) == (
                        record.session_count,
                        record.last_session_at,
                    )
        everyone = repo.search_patients("", include_archived=True)
        deleted = [row[0] for row in repo.db.execute("SELECT id FROM patients WHERE deleted_at IS NOT NULL")]
        assert deleted
        _same_fields(
            first.get_patient(deleted[0], include_deleted=True),
            repo.get_patient(deleted[0], include_deleted=True),
        )
        for summary in everyone:
            _same_fields(first.get_patient(summary.patient.id), repo.get_patient(summary.patient.id))
            rows = first.list_sessions(summary.patient.id)
            records = repo.list_sessions(summary.patient.id)
            assert len(rows) == len(records)
            for row, record in zip(rows, records, strict=True):
                _same_fields(row.session, record.session)
                assert row.session.is_signed == record.session.is_signed
                assert row.mark_count == record.mark_count
        assert len(first.list_sessions(limit=3, offset=2)) == len(repo.list_sessions(limit=3, offset=2))
        for patient_id in ["no-such-id", *deleted]:
            with pytest.raises(NotFoundError):
                first.get_patient(patient_id)
        profile, stored = first.get_clinician(), repo.get_clinician()
        assert (profile.name, profile.initials, profile.signature) == (
            stored.name,
            stored.initials,
            stored.signature,
        )
        assert first.get_setting("clinician") == repo.get_setting("clinician")
    finally:
        first.close()
        repo.close()


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(alphabet="DemoAshRivrnx -", max_size=6),
    archived=st.booleans(),
    order=st.sampled_from(["name", "recent"]),
    limit=st.one_of(st.none(), st.integers(0, 5)),
    offset=st.integers(0, 4),
)
def test_the_search_equals_the_repositorys(
    clinic: Path, text: str, archived: bool, order: str, limit: int | None, offset: int
) -> None:
    from dn_bodymap.store import open_read_only

    first, repo = open_first_screen(clinic, _never), open_read_only(clinic)
    assert first is not None
    try:
        kwargs = dict(include_archived=archived, order=order, limit=limit, offset=offset)
        rows, records = first.search_patients(text, **kwargs), repo.search_patients(text, **kwargs)
        assert [r.patient.id for r in rows] == [r.patient.id for r in records]
    finally:
        first.close()
        repo.close()


def test_listed_rows_name_record_fields() -> None:
    """Each row field is a field of the record it stands for (same name, so the screen reads both)."""
    for row, record in ((ListedPatient, Patient), (ListedSession, Session)):
        names = {f.name for f in dataclasses.fields(record)}
        assert {f.name for f in dataclasses.fields(row)} <= names


def test_only_a_file_the_writer_would_open_unchanged(tmp_path: Path) -> None:
    path = _clinic(tmp_path / "records.db")
    assert may_paint_first(path)
    assert not may_paint_first(tmp_path / "missing.db")  # a new store (or the demo's first start)
    second_name = tmp_path / "elsewhere" / "same-file.db"
    second_name.parent.mkdir()
    os.link(path, second_name)
    with open_store(path, backups=False):
        assert not may_paint_first(path)  # another dn-bodymap writer holds it
        assert not held_writer_free(second_name)  # under any of its names (the identity lock)
    assert may_paint_first(path)  # its clean close stamped it again
    Path(str(path) + ".verified").unlink()
    assert not may_paint_first(path)  # changed since our clean close: the writer checks it in full
    noise = tmp_path / "encrypted.db"
    noise.write_bytes(os.urandom(4096))
    assert not may_paint_first(noise)  # not SQLite's header: a passphrase to ask (or not ours)
    assert open_first_screen(noise, _never) is None


def held_writer_free(path: Path) -> bool:
    from dn_bodymap.store.locking import held_by_writer

    return not held_by_writer(path)


def test_anything_else_opens_the_writer_once(tmp_path: Path) -> None:
    path = _clinic(tmp_path / "records.db")
    opened: list[object] = []

    def open_writer() -> object:
        opened.append(open_store(path, backups=False))
        return opened[-1]

    first = open_first_screen(path, open_writer)
    assert first is not None and first.writer is None and not first.read_only
    patient = first.add_patient(Patient(display_name="Demo Added Kim"))  # a write: through the writer
    assert len(opened) == 1 and first.writer is opened[0]
    assert first.get_patient(patient.id).display_name == "Demo Added Kim"  # reads follow the writer
    assert first.take_writer() is opened[0] and len(opened) == 1
    opened[0].close()
