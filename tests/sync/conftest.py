"""A private PostgreSQL cluster for the sync tests, started once per session and stopped after.

It runs PostgreSQL's own binaries (Debian's ``postgresql`` package, as a clinic would): ``initdb``
into a temporary folder, ``pg_ctl start`` on 127.0.0.1 and a free port. PostgreSQL refuses to run
as root, so under root the cluster belongs to the ``postgres`` system user. Each test gets a fresh
database prepared by ``server init``. The tests skip only when the binaries are absent.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from pg_cluster import _INITDB_OPTIONS, Cluster, _bin_dir, _free_port
from workstations import open_workstation

from dn_bodymap.store.repository import SqliteRepository
from dn_bodymap.sync.server_schema import init_server


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    bin_dir = _bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        pytest.skip("PostgreSQL server binaries not found (install Debian's postgresql package)")
    root = Path(tempfile.mkdtemp(prefix="dn-bodymap-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        shutil.chown(root, user="postgres", group="postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(bin_dir, root / "data", root / "server.log", _free_port(), run_as)
    subprocess.run(
        [*run_as, str(bin_dir / "initdb"), "-D", str(cluster.data), *_INITDB_OPTIONS],
        check=True,
        capture_output=True,
        timeout=120,
    )
    cluster.start()
    try:
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)


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
        conn.execute("TRUNCATE dn_changes, dn_workstations RESTART IDENTITY")
    return _shared_server


@pytest.fixture
def stations(tmp_path: Path, request: pytest.FixtureRequest) -> list[SqliteRepository]:
    opened = [open_workstation(tmp_path, f"Room{n}") for n in range(1, 4)]
    for repo in opened:
        request.addfinalizer(repo.close)
    return opened
