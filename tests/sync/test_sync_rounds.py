"""Two and three workstations against one real PostgreSQL server: edits travel, conflicts resolve
the same way everywhere, a repeated sync changes nothing, and every audit chain still verifies."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import psycopg
import pytest
from workstations import count, open_workstation, records_hash

from dn_bodymap.charting.enums import Severity, Side, View
from dn_bodymap.charting.records import Addendum, AdverseEvent, Mark, Patient, Session
from dn_bodymap.cli import main
from dn_bodymap.store.repository import SqliteRepository
from dn_bodymap.sync.engine import sync_once


def _mark(session_id: str, rng: random.Random) -> Mark:
    return Mark(
        session_id=session_id,
        view=View.POSTERIOR,
        x=round(rng.uniform(-150, 150), 3),
        y=round(rng.uniform(100, 600), 3),
        atlas_version="test-1",
        side=Side.RIGHT,
        muscle_id="trapezius",
    )


def _server_changes(url: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT count(*) FROM dn_changes").fetchone()[0])


def _sync_all(stations: list[SqliteRepository], url: str) -> None:
    for _ in range(2):  # the second pass brings the first ones what the later ones sent
        for station in stations:
            sync_once(station, url, name=station.actor)


def _assert_converged(stations: list[SqliteRepository]) -> None:
    hashes = {records_hash(s) for s in stations}
    assert len(hashes) == 1
    for station in stations:
        assert station.verify_audit() == []


def test_records_travel_both_ways_and_resync_is_a_no_op(
    stations: list[SqliteRepository], server_url: str
) -> None:
    a, b = stations[:2]
    patient = a.add_patient(Patient(display_name="Alex Fictional", record_number="R-1"))
    session = a.create_session(Session(patient_id=patient.id, clinician="Dr Room1"))
    mark = a.add_mark(_mark(session.id, random.Random(1)))
    a.sign_session(session.id, "Dr Room1")
    b_patient = b.add_patient(Patient(display_name="Bea Fictional"))

    first = sync_once(a, server_url)
    assert first.pushed == 3 and first.pulled == 0
    second = sync_once(b, server_url)
    assert second.pushed == 1 and second.pulled == 3 and second.applied == 3
    sync_once(a, server_url)

    assert b.get_session(session.id).is_signed
    assert b.get_mark(mark.id) == mark
    assert a.get_patient(b_patient.id).display_name == "Bea Fictional"
    _assert_converged([a, b])

    before = (records_hash(a), a.list_audit(limit=1), b.list_audit(limit=1), _server_changes(server_url))
    again = [sync_once(s, server_url) for s in (a, b, a)]
    assert [(r.pushed, r.pulled, r.applied) for r in again] == [(0, 0, 0)] * 3
    after = (records_hash(a), a.list_audit(limit=1), b.list_audit(limit=1), _server_changes(server_url))
    assert after == before


def test_newer_demographic_edit_wins_and_both_stay_in_the_audit_log(
    stations: list[SqliteRepository], server_url: str
) -> None:
    a, b = stations[:2]
    patient = a.add_patient(Patient(display_name="Casey Fictional", notes=""))
    sync_once(a, server_url)
    sync_once(b, server_url)
    a.update_patient(dataclasses.replace(patient, notes="from room 1"))
    b.update_patient(dataclasses.replace(patient, notes="from room 2"))  # later: wins
    _sync_all([a, b], server_url)
    assert a.get_patient(patient.id).notes == b.get_patient(patient.id).notes == "from room 2"
    actors = [e.actor for e in a.list_audit(patient.id)]
    assert "Dr Room1" in actors and any(x.startswith("Dr Room2 (synced") for x in actors)
    _assert_converged([a, b])


def test_deletes_and_voids_travel_as_tombstones(stations: list[SqliteRepository], server_url: str) -> None:
    a, b = stations[:2]
    patient = a.add_patient(Patient(display_name="Dana Fictional"))
    session = a.create_session(Session(patient_id=patient.id, clinician="Dr Room1"))
    other = a.create_session(Session(patient_id=patient.id, clinician="Dr Room1"))
    mark = a.add_mark(_mark(session.id, random.Random(2)))
    _sync_all([a, b], server_url)
    a.delete_mark(mark.id)
    a.void_session(other.id, "opened for the wrong patient")
    _sync_all([a, b], server_url)
    assert b.get_mark(mark.id, include_deleted=True) is not None
    assert b.list_marks(session.id) == []
    assert b.get_session(other.id, include_deleted=True).is_voided
    _assert_converged([a, b])


def test_a_signed_session_never_changes(stations: list[SqliteRepository], server_url: str) -> None:
    a, b = stations[:2]
    patient = a.add_patient(Patient(display_name="Eli Fictional"))
    session = a.create_session(Session(patient_id=patient.id, clinician="Dr Room1"))
    _sync_all([a, b], server_url)
    b.update_session(dataclasses.replace(session, notes="edited in room 2 meanwhile"))
    signed = a.sign_session(session.id, "Dr Room1")
    _sync_all([a, b], server_url)
    assert a.get_session(session.id) == signed
    assert b.get_session(session.id).is_signed and b.get_session(session.id).notes == ""
    _assert_converged([a, b])


def test_a_later_draft_edit_never_unsettles_a_signature_arriving_in_the_same_batch(
    stations: list[SqliteRepository], server_url: str
) -> None:
    a, b, c = stations
    patient = a.add_patient(Patient(display_name="Pat Fictional"))
    session = a.create_session(Session(patient_id=patient.id, clinician="Dr Room1"))
    _sync_all([a, b], server_url)
    signed = a.sign_session(session.id, "Dr Room1")
    sync_once(a, server_url)  # the signature reaches the server first,
    b.update_session(dataclasses.replace(session, notes="room 2 had not seen it"))
    sync_once(b, server_url)  # then room 2's later draft edit
    report = sync_once(c, server_url)  # room 3 gets both in one batch
    assert report.kept_local >= 1
    assert c.get_session(session.id) == signed
    _sync_all(stations, server_url)
    _assert_converged(stations)


def test_a_push_repeated_after_a_lost_acknowledgement_is_stored_once(
    stations: list[SqliteRepository], server_url: str
) -> None:
    a, b = stations[:2]
    a.add_patient(Patient(display_name="Fern Fictional"))
    sync_once(a, server_url)
    stored = _server_changes(server_url)
    # The workstation was killed after the server's COMMIT, before it noted the push.
    with a.db.conn:
        a.db.execute("UPDATE settings SET value = '0' WHERE key = 'sync.pushed_audit_seq'")
    again = sync_once(a, server_url)
    assert again.pushed == 1 and _server_changes(server_url) == stored
    sync_once(b, server_url)
    _assert_converged([a, b])


@pytest.mark.parametrize("seed", [3, 11])
def test_three_workstations_with_random_edits_end_with_the_same_records(
    stations: list[SqliteRepository], server_url: str, seed: int
) -> None:
    rng = random.Random(seed)
    own_drafts: dict[int, list[str]] = {n: [] for n in range(len(stations))}
    for _round in range(4):
        for n, station in enumerate(stations):
            for _ in range(rng.randint(3, 8)):
                _random_edit(station, own_drafts[n], rng)
        order = list(range(len(stations)))
        rng.shuffle(order)
        for n in order:
            sync_once(stations[n], server_url)
    _sync_all(stations, server_url)
    _assert_converged(stations)
    assert count(stations[0], "patients") > 0 and count(stations[0], "marks") > 0
    again = [sync_once(s, server_url) for s in stations]
    assert all(r.pushed == 0 and r.applied == 0 for r in again)


def _random_edit(repo: SqliteRepository, drafts: list[str], rng: random.Random) -> None:
    """One edit a clinician might make; drafts are edited only where they were opened (leases,
    which would enforce that, are not built yet)."""
    patients = [s.patient for s in repo.search_patients(include_archived=True)]
    choice = rng.random()
    if not patients or choice < 0.15:
        repo.add_patient(Patient(display_name=f"Fictional {rng.randrange(10**6)}"))
    elif choice < 0.3:
        patient = rng.choice(patients)
        repo.update_patient(dataclasses.replace(patient, notes=f"note {rng.randrange(1000)}"))
    elif choice < 0.4 or not drafts:
        session = repo.create_session(Session(patient_id=rng.choice(patients).id, clinician=repo.actor))
        drafts.append(session.id)
    elif choice < 0.7:
        repo.add_mark(_mark(rng.choice(drafts), rng))
    elif choice < 0.8:
        marks = repo.list_marks(rng.choice(drafts))
        if marks:
            victim = rng.choice(marks)
            if rng.random() < 0.5:
                repo.delete_mark(victim.id)
            else:
                repo.update_mark(dataclasses.replace(victim, tenderness=rng.randint(0, 10)))
    elif choice < 0.9:
        session_id = drafts.pop(rng.randrange(len(drafts)))
        repo.sign_session(session_id, repo.actor)
    else:
        signed = [s for s in repo.list_sessions() if s.session.is_signed]
        if signed:
            target = rng.choice(signed).session.id
            if rng.random() < 0.5:
                repo.add_addendum(Addendum(session_id=target, author=repo.actor, text="seen again"))
            else:
                repo.add_adverse_event(
                    AdverseEvent(session_id=target, type="bruising", severity=Severity.MILD)
                )


def test_a_workstation_restored_from_its_backup_loses_nothing_it_had_sent(
    tmp_path: Path, server_url: str
) -> None:
    a = open_workstation(tmp_path, "Room1")
    first = a.add_patient(Patient(display_name="Kim Fictional"))
    sync_once(a, server_url)
    backup = a.backup_now()
    sent_later = a.add_patient(Patient(display_name="Lou Fictional"))
    sync_once(a, server_url)
    a.close()
    assert main(["--db", str(a.path), "db", "restore", str(backup)]) == 0
    a = open_workstation(tmp_path, "Room1")
    b = open_workstation(tmp_path, "Room2")
    try:
        # The restored file numbers its next audit entries as the lost ones were numbered.
        made_after = a.add_patient(Patient(display_name="Mo Fictional"))
        _sync_all([a, b], server_url)
        for station in (a, b):
            names = {p.patient.id for p in station.search_patients()}
            assert names == {first.id, sent_later.id, made_after.id}
        _assert_converged([a, b])
    finally:
        a.close()
        b.close()
