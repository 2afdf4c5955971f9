"""Compacting the server's feed: fewer changes to replay, the same records on a new workstation,
nothing changed on the others, and a version that lost a merge to another room still kept."""

from __future__ import annotations

import dataclasses
import json
import random

import psycopg
import pytest
from test_sync_rounds import _assert_converged, _mark, _sync_all
from workstations import open_workstation, records_hash

from dn_bodymap.charting.records import Patient, Session
from dn_bodymap.cli import main
from dn_bodymap.store.repository import SqliteRepository
from dn_bodymap.sync.engine import record_versions, sync_once


def _feed(url: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT count(*) FROM dn_changes").fetchone()[0])


def test_compaction_keeps_every_workstation_converging_and_the_losing_versions(
    stations: list[SqliteRepository],
    server_url: str,
    tmp_path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a = stations[0]
    rng = random.Random(5)
    patient = a.add_patient(Patient(display_name="Rae Fictional"))
    session = a.create_session(Session(patient_id=patient.id, clinician="Dr Room1"))
    mark = a.add_mark(_mark(session.id, rng))
    _sync_all(stations, server_url)
    for n in range(3):  # each room edits the same mark and the patient again and again
        for station in stations:
            station.update_mark(dataclasses.replace(mark, notes=f"{station.actor} pass {n}"))
            current = station.get_patient(patient.id)
            station.update_patient(dataclasses.replace(current, notes=f"{station.actor} {n}"))
            sync_once(station, server_url)
    _sync_all(stations, server_url)
    before, hashes = _feed(server_url), {records_hash(s) for s in stations}
    assert len(hashes) == 1

    assert main(["server", "compact", "--url", server_url, "--json"]) == 0
    removed = json.loads(capsys.readouterr().out)["removed"]
    assert removed > 0 and _feed(server_url) == before - removed
    origins = {v["workstation"] for v in record_versions(server_url, "mark", mark.id)}
    assert origins == {"Dr Room1", "Dr Room2", "Dr Room3"}  # each room's last version is kept

    newcomer = open_workstation(tmp_path, "Room4")
    try:
        sync_once(newcomer, server_url)
        assert records_hash(newcomer) == hashes.pop()
        for station in stations:
            assert sync_once(station, server_url).applied == 0
        _assert_converged([*stations, newcomer])
    finally:
        newcomer.close()
