"""The server side: preparing it, the CLI, roles, URLs without passwords, and a server that stops
in the middle of a sync."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest
from pg_cluster import Cluster
from workstations import open_workstation, records_hash

from dn_bodymap.charting.records import Patient
from dn_bodymap.cli import main
from dn_bodymap.store.repository import SqliteRepository
from dn_bodymap.sync import SyncError, engine
from dn_bodymap.sync.engine import sync_once
from dn_bodymap.sync.server_schema import LATEST_VERSION
from dn_bodymap.sync.server_url import checked_url


def _changes(url: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT count(*) FROM dn_changes").fetchone()[0])


def test_server_init_prepares_then_finds_it_current(
    empty_server_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["server", "init", "--url", empty_server_url, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["old_version"], first["version"]) == (0, LATEST_VERSION)
    assert main(["server", "init", "--url", empty_server_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["old_version"] == LATEST_VERSION


def test_sync_refuses_an_unprepared_server_and_changes_nothing(
    stations: list[SqliteRepository], empty_server_url: str
) -> None:
    a = stations[0]
    a.add_patient(Patient(display_name="Gil Fictional"))
    before = a.sync_state()[1:]
    with pytest.raises(SyncError, match="server init"):
        sync_once(a, empty_server_url)
    assert a.sync_state()[1:] == before


def test_cli_sync_once_json_between_two_databases(
    tmp_path: Path, server_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("Room1", "Room2"):
        with open_workstation(tmp_path, name) as repo:
            repo.add_patient(Patient(display_name=f"Patient of {name}"))
    monkeypatch.setenv("DN_BODYMAP_SERVER_URL", server_url)
    documents = []
    for name in ("Room1", "Room2", "Room1"):
        db = str(tmp_path / name / "records.db")
        assert main(["--db", db, "sync", "--once", "--json", "--name", name]) == 0
        documents.append(json.loads(capsys.readouterr().out))
    assert [(d["pushed"], d["pulled"]) for d in documents] == [(1, 0), (1, 1), (0, 1)]
    assert main(["--db", str(tmp_path / "Room1" / "records.db"), "sync", "--status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["waiting"] == 0
    hashes = set()
    for name in ("Room1", "Room2"):
        with open_workstation(tmp_path, name) as repo:
            hashes.add(records_hash(repo))
            assert repo.verify_audit() == []
    assert len(hashes) == 1


def test_cli_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DN_BODYMAP_SERVER_URL", raising=False)
    db = str(tmp_path / "records.db")
    assert main(["--db", db, "sync", "--once"]) == 1
    assert "no clinic server configured" in capsys.readouterr().err
    assert main(["--db", db, "sync", "--once", "--url", "postgresql://dr:secret@localhost/records"]) == 1
    err = capsys.readouterr().err
    assert "password" in err and "secret" not in err and err.count("\n") == 1


def test_a_url_with_a_password_is_refused_and_one_without_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGSSLMODE", raising=False)
    url = "postgresql://dr@clinic.example/records?sslmode=verify-full"
    assert checked_url(f" {url} ") == url
    for url in ("postgresql://dr:pw@localhost/records", "host=/run/postgresql dbname=records password=pw"):
        with pytest.raises(SyncError, match="password"):
            checked_url(url)
    with pytest.raises(SyncError, match="not a PostgreSQL connection URL"):
        checked_url("host=clinic dbname")


def test_a_server_on_another_computer_needs_tls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGSSLMODE", raising=False)
    for url in ("postgresql://dr@clinic.example/records", "postgresql://dr@10.0.0.5/r?sslmode=prefer"):
        with pytest.raises(SyncError, match="encrypted"):
            checked_url(url)
    for url in ("postgresql://dr@127.0.0.1:5433/r", "postgresql://dr@localhost/r", "dbname=r"):
        assert checked_url(url) == url
    monkeypatch.setenv("PGSSLMODE", "require")
    assert checked_url("postgresql://dr@clinic.example/records")


def test_a_role_granted_one_clinic_cannot_read_another(pg_cluster: Cluster, private_server_url: str) -> None:
    server_url = private_server_url
    role = f"room_{uuid.uuid4().hex[:8]}"
    other = f"clinic_other_{uuid.uuid4().hex[:8]}"
    admin = pg_cluster.url()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"CREATE DATABASE {other}")
    try:
        for url, grant in ((server_url, [role]), (pg_cluster.url(other), [])):
            assert main(["server", "init", "--url", url, *(a for r in grant for a in ("--grant", r))]) == 0
        as_role = server_url.replace("postgres@", f"{role}@")
        with psycopg.connect(as_role) as conn:
            conn.execute("SELECT count(*) FROM dn_changes").fetchone()
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DELETE FROM dn_changes")
        # The other clinic's database was never granted: PUBLIC may connect, but not read it.
        other_as_role = pg_cluster.url(other).replace("postgres@", f"{role}@")
        with psycopg.connect(other_as_role) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM dn_changes")
        # Once the other clinic grants its own roles, PUBLIC (and so this role) may not even connect.
        assert main(["server", "init", "--url", pg_cluster.url(other), "--grant", "postgres"]) == 0
        with pytest.raises(psycopg.OperationalError, match="permission denied"):
            psycopg.connect(other_as_role)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {other} WITH (FORCE)")


def test_sync_as_a_granted_role(
    pg_cluster: Cluster, private_server_url: str, stations: list[SqliteRepository]
) -> None:
    server_url = private_server_url
    role = f"room_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
    assert main(["server", "init", "--url", server_url, "--grant", role]) == 0
    as_role = server_url.replace("postgres@", f"{role}@")
    a, b = stations[:2]
    a.add_patient(Patient(display_name="Hana Fictional"))
    for station in (a, b):
        sync_once(station, as_role)
    assert records_hash(a) == records_hash(b)


def test_the_server_stopping_mid_sync_loses_and_duplicates_nothing(
    pg_cluster: Cluster, server_url: str, stations: list[SqliteRepository], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = stations[:2]
    a.add_patient(Patient(display_name="Ira Fictional"))
    b.add_patient(Patient(display_name="Jo Fictional"))
    sync_once(a, server_url)
    real_fetch = engine._fetch

    def stop_then_fetch(*args: object) -> object:
        pg_cluster.stop()  # after b's push was committed, before its pull
        return real_fetch(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "_fetch", stop_then_fetch)
    try:
        with pytest.raises(SyncError, match="run it again"):
            sync_once(b, server_url)
    finally:
        monkeypatch.setattr(engine, "_fetch", real_fetch)
        pg_cluster.start()
    assert b.sync_state()[1] > 0  # the push was acknowledged
    assert len(b.search_patients()) == 1  # nothing pulled, nothing half-applied
    stored = _changes(server_url)
    for station in (b, a, b):
        sync_once(station, server_url)
    assert _changes(server_url) == stored == 2
    assert records_hash(a) == records_hash(b)
    assert a.verify_audit() == b.verify_audit() == []


def test_remembered_url_is_used_by_the_next_sync(
    tmp_path: Path, server_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DN_BODYMAP_SERVER_URL", raising=False)
    db = str(tmp_path / "records.db")
    assert main(["--db", db, "sync", "--once", "--url", server_url, "--remember"]) == 0
    assert capsys.readouterr().out.startswith("Synced with postgres@127.0.0.1")
    assert main(["--db", db, "sync", "--once", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pushed"] == 0
