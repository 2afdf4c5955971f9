"""Crash-test child: one sync round that kills its own process (SIGKILL) at a chosen point.

``python kill_sync_child.py DB URL pull N`` dies while applying the pulled batch, after N audit
entries were written in its transaction; ``… push 0`` dies after the server committed the push,
before the workstation noted it. Nothing runs after the kill: no cleanup, no rollback of ours.
"""

from __future__ import annotations

import os
import signal
import sys

from dn_bodymap.store import open_store, replica
from dn_bodymap.store.repository import SqliteRepository
from dn_bodymap.sync.engine import sync_once


def main() -> None:
    db_path, url, mode, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    repo = open_store(db_path, actor="Dr Room2", backups=False)
    if mode == "pull":
        real = replica._audit
        calls = 0

        def audit_then_die(*args: object) -> None:
            nonlocal calls
            real(*args)  # type: ignore[arg-type]
            calls += 1
            if calls >= n:
                os.kill(os.getpid(), signal.SIGKILL)

        replica._audit = audit_then_die  # type: ignore[assignment]
    else:
        SqliteRepository.mark_pushed = lambda self, seq: os.kill(os.getpid(), signal.SIGKILL)  # type: ignore[method-assign]
    sync_once(repo, url)
    print("finished without being killed", flush=True)


if __name__ == "__main__":
    main()
