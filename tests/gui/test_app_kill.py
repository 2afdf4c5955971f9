"""Kill the app mid-session; on restart it reopens the same session with every saved mark."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

CHILD = Path(__file__).with_name("app_child.py")


def run_and_kill(db: Path, settings: Path, after_saved: int) -> tuple[str, list[str]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(db), str(settings)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    session, saved = "", []
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        kind, _, value = line.strip().partition(" ")
        if kind == "session":
            session = value
        elif kind == "saved":
            saved.append(value)
            if len(saved) >= after_saved:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    proc.stdout.close()
    errors = proc.stderr.read() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    assert session, errors
    return session, saved


def test_killed_app_reopens_the_same_session_with_every_mark(tmp_path):
    from dn_bodymap.store import open_store

    db, settings = tmp_path / "records.db", tmp_path / "settings.ini"
    rng = random.Random(7)
    all_saved: list[str] = []
    sessions = set()
    for _ in range(3):
        session, saved = run_and_kill(db, settings, rng.randint(3, 12))
        sessions.add(session)
        all_saved += saved
        repo = open_store(db)
        try:
            ids = [m.id for m in repo.list_marks(session)]
            assert set(all_saved) <= set(ids)
            assert len(ids) == len(set(ids))
        finally:
            repo.close()
    assert len(all_saved) >= 9
    assert len(sessions) == 1  # each restart came back to the same session
