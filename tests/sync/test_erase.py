"""Erasing a patient on one workstation erases them on the server and every other workstation,
leaving only an id-only tombstone; a late edit from a room that was offline does not bring them back."""

from __future__ import annotations

import dataclasses
import random

import psycopg
from test_sync_rounds import _assert_converged, _mark, _sync_all
from workstations import count

from dn_bodymap.charting.records import Patient, Session
from dn_bodymap.store.repository import SqliteRepository
from dn_bodymap.sync.engine import sync_once


def _server(url: str, sql: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def test_an_erase_travels_as_a_tombstone_and_a_late_edit_does_not_revive_the_patient(
    stations: list[SqliteRepository], server_url: str
) -> None:
    a, b, c = stations
    gone = a.add_patient(Patient(display_name="Pat Erasable Fictional", notes="lumbar"))
    session = a.create_session(Session(patient_id=gone.id, clinician="Dr Room1"))
    a.add_mark(_mark(session.id, random.Random(3)))
    a.sign_session(session.id, "Dr Room1")
    kept = b.add_patient(Patient(display_name="Quin Kept Fictional"))
    _sync_all(stations, server_url)
    assert count(c, "marks") == 1

    c.update_patient(dataclasses.replace(c.get_patient(gone.id), notes="edited while offline"))
    a.erase_patient(gone.id)
    assert sync_once(a, server_url).pushed == 1
    rows = _server(server_url, "SELECT kind, action, row_json FROM dn_changes WHERE patient_id = %s", gone.id)
    assert rows == [("patient", "erase", f'{{"id":"{gone.id}"}}')]  # the tombstone only
    assert _server(server_url, "SELECT count(*) FROM dn_changes WHERE row_json LIKE '%%Erasable%%'") == [(0,)]

    assert sync_once(b, server_url).erased == 1
    report = sync_once(c, server_url)  # its late edit goes up first, and is not stored
    assert report.erased == 1
    _sync_all(stations, server_url)
    for station in stations:
        assert [s.patient.id for s in station.search_patients()] == [kept.id]
        assert count(station, "sessions") == count(station, "marks") == 0
        assert station.get_setting(f"sync.fields:{gone.id}") is None  # no copy kept for the merge
        erase = [e for e in station.list_audit(gone.id) if e.action == "erase"]
        assert len(erase) == 1
    assert _server(server_url, "SELECT count(*) FROM dn_changes WHERE row_json LIKE '%%Erasable%%'") == [(0,)]
    assert _server(server_url, "SELECT count(*) FROM dn_changes WHERE patient_id = %s", gone.id) == [(1,)]
    _assert_converged(stations)


def test_a_server_prepared_before_erasing_travelled_learns_whose_each_change_is(
    stations: list[SqliteRepository], empty_server_url: str
) -> None:
    """Upgrading from schema 1: the changes already there get their patient, so an erase after the
    upgrade removes them too."""
    from dn_bodymap.sync.server_schema import LATEST_VERSION, MIGRATIONS, init_server

    with psycopg.connect(empty_server_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE dn_server_schema (version integer PRIMARY KEY, applied_at timestamptz)")
        conn.execute(MIGRATIONS[0][1])
        conn.execute("INSERT INTO dn_server_schema VALUES (1, now())")
    a, b = stations[:2]
    patient = a.add_patient(Patient(display_name="Sol Erasable Fictional"))
    session = a.create_session(Session(patient_id=patient.id, clinician="Dr Room1"))
    a.add_mark(_mark(session.id, random.Random(4)))
    rows = a.changes_to_push()[0]
    with psycopg.connect(empty_server_url, autocommit=True) as conn:  # as a schema-1 workstation sent them
        ws = a.sync_workstation_id()
        conn.execute("INSERT INTO dn_workstations (id, name) VALUES (%s, 'Room 1')", (ws,))
        for c in rows:
            conn.execute(
                "INSERT INTO dn_changes (origin, origin_seq, audit_hash, kind, entity_id, action, actor, at,"
                " row_json) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (ws, c.origin_seq, c.audit_hash, c.kind, c.entity_id, c.action, c.actor, c.at, c.row_json()),
            )
        assert init_server(conn) == (1, LATEST_VERSION)
        owners = conn.execute("SELECT DISTINCT patient_id FROM dn_changes").fetchall()
    assert owners == [(patient.id,)]
    a.mark_pushed(a.changes_to_push()[1])
    sync_once(b, empty_server_url)
    assert count(b, "marks") == 1
    a.erase_patient(patient.id)
    sync_once(a, empty_server_url)
    assert _server(
        empty_server_url, "SELECT count(*) FROM dn_changes WHERE row_json LIKE '%%Erasable%%'"
    ) == [(0,)]
    assert sync_once(b, empty_server_url).erased == 1
