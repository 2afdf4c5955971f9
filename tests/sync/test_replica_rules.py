"""Rules of the local side that need no server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from workstations import open_workstation

from dn_bodymap.charting.records import Patient
from dn_bodymap.cli import main
from dn_bodymap.store import codec
from dn_bodymap.store.replica import KIND_ORDER, KIND_TABLES, apply


def test_every_record_kind_has_a_place_in_the_apply_order() -> None:
    assert set(KIND_ORDER) == set(KIND_TABLES) == set(codec.KINDS.values())


def test_pulled_rows_are_applied_only_inside_one_transaction(tmp_path: Path) -> None:
    with open_workstation(tmp_path, "Room1") as repo, pytest.raises(RuntimeError, match="one transaction"):
        apply(repo.db, [], pulled_to=1, at="2026-01-01T00:00:00.000000Z")


def test_status_counts_records_waiting_without_a_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_workstation(tmp_path, "Room1") as repo:
        patient = repo.add_patient(Patient(display_name="Nia Fictional"))
        repo.update_patient(patient)  # two edits of one record wait as one row
        repo.add_patient(Patient(display_name="Oli Fictional"))
        repo.set_setting("theme", "dark")  # a setting is not a record: it does not travel
        db = str(repo.path)
    assert main(["--db", db, "sync", "--status", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["waiting"] == 2 and document["workstation"] is None
