"""Patient demographics merge per field: each field keeps its newer edit on every workstation, and
the audit log records both edits and which fields came from where."""

from __future__ import annotations

import dataclasses
import random

import pytest
from test_sync_rounds import _assert_converged, _sync_all

from dn_bodymap.charting.enums import Sex
from dn_bodymap.charting.records import Patient
from dn_bodymap.store.repository import SqliteRepository
from dn_bodymap.sync.engine import sync_once


def _edit(repo: SqliteRepository, patient_id: str, **fields: object) -> None:
    repo.update_patient(dataclasses.replace(repo.get_patient(patient_id), **fields))  # type: ignore[arg-type]


def test_two_rooms_editing_different_and_same_fields_offline_keep_each_newer_field(
    stations: list[SqliteRepository], server_url: str
) -> None:
    a, b = stations[:2]
    patient = a.add_patient(Patient(display_name="Max Fictional", record_number="R-7", weight_kg=70.0))
    _sync_all([a, b], server_url)
    # Apart: Room 1 edits the notes, then the weight; Room 2 renames and sets the weight later.
    _edit(a, patient.id, notes="Prefers the left side lying")
    _edit(b, patient.id, display_name="Max Renamed Fictional")
    _edit(a, patient.id, weight_kg=71.5)
    _edit(b, patient.id, weight_kg=72.0)
    report = sync_once(a, server_url)
    assert report.merged == []  # Room 2 has not sent anything yet
    report = sync_once(b, server_url)
    assert report.merged == [patient.id]
    sync_once(a, server_url)

    for station in (a, b):
        merged = station.get_patient(patient.id)
        assert merged.notes == "Prefers the left side lying"  # only Room 1 changed it
        assert merged.display_name == "Max Renamed Fictional"  # only Room 2 changed it
        assert merged.weight_kg == 72.0  # both: Room 2's edit is the newer
        assert merged.record_number == "R-7"
        # Searching by the merged name works: the derived search key travelled with its field.
        assert [s.patient.id for s in station.search_patients("renamed")] == [patient.id]
    _assert_converged([a, b])

    # Both edits are in each audit log; the merge says which fields came from the other room.
    actors = [e.actor for e in b.list_audit(patient.id)]
    assert any(
        "synced from workstation" in x and "notes taken" in x and "kept from here" in x for x in actors
    )
    assert any(x == b.actor for x in actors)  # Room 2's own edit
    actors = [e.actor for e in a.list_audit(patient.id)]
    assert any("display_name, weight_kg taken; notes kept from here" in x for x in actors)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_field_edits_in_three_rooms_end_with_the_newest_value_of_every_field(
    stations: list[SqliteRepository], server_url: str, seed: int
) -> None:
    rng = random.Random(seed)
    first = stations[0]
    patient = first.add_patient(Patient(display_name="Ola Fictional"))
    _sync_all(stations, server_url)
    latest: dict[str, object] = {}
    choices: dict[str, list[object]] = {
        "display_name": ["Ola A Fictional", "Ola B Fictional", "Ola C Fictional"],
        "record_number": ["R-1", "R-2", None],
        "sex": [Sex.FEMALE, Sex.MALE, None],
        "height_cm": [160.0, 171.5, None],
        "notes": ["", "left knee", "right hip, lying prone"],
    }
    for _ in range(4):
        for station in rng.sample(stations, k=rng.randint(1, 3)):
            name = rng.choice(list(choices))  # one field per room and round: its clock is exact
            value = rng.choice(choices[name])
            _edit(station, patient.id, **{name: value})
            latest[name] = value  # edits happen in this order, so the last one is the newest
        for station in rng.sample(stations, k=len(stations)):
            sync_once(station, server_url)
    _sync_all(stations, server_url)
    _assert_converged(stations)
    merged = first.get_patient(patient.id)
    for name, value in latest.items():
        assert getattr(merged, name) == value, name
