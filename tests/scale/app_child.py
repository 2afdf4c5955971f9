"""Running the real start of the app in a child process, as the start-up tests need it: a database
built by a script of their own, private settings, data folder and audit key, the atlas cache as
already built; the child's last stdout line is its JSON report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dn_bodymap.atlas.loader import cache_file


def start_app(tmp_path: Path, build: str, child: str, *, session: bool, extra: str = "") -> dict:
    """Runs ``build`` (argv: the database; its last line: a session id), then ``child`` with the
    database, that session id when ``session`` (else ""), and ``extra``; returns the child's report."""
    path = tmp_path / "records.db"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    env.pop("DN_BODYMAP_DB", None)
    env.setdefault("DN_BODYMAP_CACHE", str(cache_file("x").parent))  # the atlas as already built
    built = subprocess.run(
        [sys.executable, "-c", build, str(path)], capture_output=True, text=True, env=env, check=True
    )
    session_id = built.stdout.strip().splitlines()[-1] if session else ""
    result = subprocess.run(
        [sys.executable, "-c", child, str(path), session_id, extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])
