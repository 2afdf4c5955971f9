"""Store fixtures: a fresh database per test, always closed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_builders import make_patient

from dn_bodymap.charting.records import Patient, Session
from dn_bodymap.store import open_store
from dn_bodymap.store.repository import SqliteRepository


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "clinic" / "records.db"


@pytest.fixture
def repo(db_path: Path) -> Iterator[SqliteRepository]:
    store = open_store(db_path, actor="Dr Test", backups=False)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def patient(repo: SqliteRepository) -> Patient:
    return repo.add_patient(make_patient(record_number="MRN-1"))


@pytest.fixture
def session(repo: SqliteRepository, patient: Patient) -> Session:
    return repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
