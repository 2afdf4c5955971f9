"""A private PostgreSQL cluster for the sync tests, started once per session and stopped after.

It runs PostgreSQL's own binaries (Debian's ``postgresql`` package, as a clinic would): ``initdb``
into a temporary folder, ``pg_ctl start`` on 127.0.0.1 and a free port (pg_cluster.py). Each test
gets a prepared clinic database and an in-memory keyring. The tests skip only when the binaries
are absent.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from memory_keyring import MemoryKeyring, use_memory_keyring
from pg_cluster import Cluster, private_cluster
from workstations import open_workstation

from dn_bodymap.store.repository import SqliteRepository
from dn_bodymap.sync.server_schema import init_server


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    with private_cluster() as cluster:
        if cluster is None:
            pytest.skip("PostgreSQL server binaries not found (install Debian's postgresql package)")
        yield cluster


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every sync test runs with a keyring of its own (never the computer's)."""
    with use_memory_keyring() as backend:
        yield backend


@pytest.fixture
def empty_server_url(pg_cluster: Cluster) -> Iterator[str]:
    """A new, empty database on the session's cluster (dropped after the test)."""
    name = f"clinic_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield pg_cluster.url(name)
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def private_server_url(empty_server_url: str) -> str:
    """A clinic database of the test's own, prepared as by ``server init`` (for grants)."""
    with psycopg.connect(empty_server_url, autocommit=True) as conn:
        init_server(conn)
    return empty_server_url


@pytest.fixture(scope="session")
def _shared_server(pg_cluster: Cluster) -> str:
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE clinic_shared")
    url = pg_cluster.url("clinic_shared")
    with psycopg.connect(url, autocommit=True) as conn:
        init_server(conn)
    return url


@pytest.fixture
def server_url(_shared_server: str) -> str:
    """A prepared clinic database with an empty feed (emptied rather than made anew: a new
    database costs a second)."""
    with psycopg.connect(_shared_server, autocommit=True) as conn:
        conn.execute("TRUNCATE dn_changes, dn_leases, dn_lease_events, dn_workstations RESTART IDENTITY")
    return _shared_server


@pytest.fixture
def stations(tmp_path: Path, request: pytest.FixtureRequest) -> list[SqliteRepository]:
    opened = [open_workstation(tmp_path, f"Room{n}") for n in range(1, 4)]
    for repo in opened:
        request.addfinalizer(repo.close)
    return opened
