"""Exchange fixtures: a source database holding one rich patient, and an empty target."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from exchange_builders import fill_rich_patient, open_fresh

from dn_bodymap.charting.exchange import PatientBundle
from dn_bodymap.charting.records import Patient
from dn_bodymap.store.repository import SqliteRepository


@pytest.fixture
def source(tmp_path: Path) -> Iterator[SqliteRepository]:
    repo = open_fresh(tmp_path / "source" / "records.db")
    try:
        yield repo
    finally:
        repo.close()


@pytest.fixture
def rich_patient(source: SqliteRepository) -> Patient:
    return fill_rich_patient(source)


@pytest.fixture
def bundle(source: SqliteRepository, rich_patient: Patient) -> PatientBundle:
    return source.export_patient_bundle(rich_patient.id)


@pytest.fixture
def target(tmp_path: Path) -> Iterator[SqliteRepository]:
    repo = open_fresh(tmp_path / "target" / "records.db", actor="Importer")
    try:
        yield repo
    finally:
        repo.close()
