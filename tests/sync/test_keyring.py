"""The server password lives in the system keyring (an in-memory one here), never in the database,
a URL or the settings; a role that signs in with a password syncs once it is kept there."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from memory_keyring import MemoryKeyring
from pg_cluster import PASSWORD_ROLE, Cluster
from workstations import open_workstation

from dn_bodymap.charting.records import Patient
from dn_bodymap.cli import main
from dn_bodymap.sync import SyncError
from dn_bodymap.sync.credentials import SERVICE, forget_password, password_for, save_password
from dn_bodymap.sync.engine import sync_once

SECRET = "correct horse battery"


@pytest.fixture
def role_url(pg_cluster: Cluster, server_url: str) -> str:
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (PASSWORD_ROLE,)).fetchone():
            conn.execute(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD '{SECRET}'")
    assert main(["server", "init", "--url", server_url, "--grant", PASSWORD_ROLE]) == 0
    return server_url.replace("postgres@", f"{PASSWORD_ROLE}@")


def test_a_password_role_syncs_only_with_its_password_from_the_keyring(
    tmp_path: Path, role_url: str, memory_keyring: MemoryKeyring
) -> None:
    with open_workstation(tmp_path, "Room1") as repo:
        repo.add_patient(Patient(display_name="Uma Fictional"))
        with pytest.raises(SyncError, match="password"):
            sync_once(repo, role_url)
        save_password(role_url, SECRET)
        assert list(memory_keyring.entries.values()) == [SECRET]
        assert sync_once(repo, role_url).pushed == 1
        repo.set_setting("clinic.server_url", role_url)
        path = repo.path
    for file in path.parent.iterdir():  # the database, its WAL and anything beside it
        assert SECRET.encode() not in file.read_bytes()
    forget_password(role_url)
    assert password_for(role_url) is None and memory_keyring.entries == {}


def test_the_command_line_asks_for_the_password_and_keeps_it_in_the_keyring(
    role_url: str,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: SECRET)
    assert main(["server", "password", "--url", role_url]) == 0
    ((service, user),) = memory_keyring.entries
    assert service == SERVICE and user.startswith(f"{PASSWORD_ROLE}@127.0.0.1:")
    assert "Kept the password" in capsys.readouterr().out
    assert main(["server", "password", "--url", role_url, "--forget"]) == 0
    assert memory_keyring.entries == {}
    monkeypatch.setattr("getpass.getpass", lambda prompt: "")
    assert main(["server", "password", "--url", role_url]) != 0
    assert "no password given" in capsys.readouterr().err
