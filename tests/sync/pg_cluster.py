"""A private PostgreSQL cluster for the sync tests: initdb into a temp folder, pg_ctl start/stop.

Its own module (not conftest) so that test modules import it by a name no other folder shares.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_INITDB_OPTIONS = ("-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions")
# The one role that signs in with a password (scram-sha-256), for the keyring tests; others: trust.
PASSWORD_ROLE = "keyring_room"


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    if found:
        return Path(found[-1])
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    bin_dir: Path
    data: Path
    log: Path
    port: int
    run_as: list[str]

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.run_as, str(self.bin_dir / "pg_ctl"), "-D", str(self.data), *args],
            check=True,
            capture_output=True,
            timeout=180,
        )

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories='' -c fsync=off"
        )
        self.pg_ctl("-l", str(self.log), "-w", "-t", "120", "-o", options, "start")

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop")


@contextmanager
def private_cluster() -> Iterator[Cluster | None]:
    """initdb into a temporary folder, start, yield, stop and remove; None without the binaries.
    PostgreSQL refuses to run as root, so under root the cluster belongs to ``postgres``."""
    bin_dir = _bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        yield None
        return
    root = Path(tempfile.mkdtemp(prefix="dn-bodymap-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres", group="postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(bin_dir, root / "data", root / "server.log", _free_port(), run_as)
    try:
        subprocess.run(
            [*run_as, str(bin_dir / "initdb"), "-D", str(cluster.data), *_INITDB_OPTIONS],
            check=True,
            capture_output=True,
            timeout=120,
        )
        hba = cluster.data / "pg_hba.conf"
        hba.write_text(f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        for attempt in range(3):  # the free port may be taken meanwhile by another process
            try:
                cluster.start()
                break
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                if attempt == 2:
                    raise RuntimeError(f"PostgreSQL did not start: {_tail(cluster.log)}") from None
                with contextlib.suppress(subprocess.SubprocessError):  # a start that came late
                    cluster.pg_ctl("-m", "immediate", "stop")
                cluster.port = _free_port()
        try:
            yield cluster
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _tail(log: Path) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").splitlines()[-3:])
    except OSError:
        return "no server log"
