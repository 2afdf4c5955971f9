"""Hostile command lines (issue #13): never a traceback; a failure is one line on stderr and a
non-zero exit. Driven in-process through ``main`` and, for pipes, as a real process."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dn_bodymap.cli import main

# Commands that draw files (render, cards, PDFs) are left out: slow, and covered by their own tests.
COMMANDS = [
    ["patients"],
    ["sessions"],
    ["db", "check"],
    ["db", "backup"],
    ["db", "restore"],
    ["atlas", "locate"],
    ["atlas", "regions"],
    ["atlas", "trigger-points"],
    ["assess"],
    ["suggest"],
    ["describe"],
    ["session", "show"],
    ["session", "csv"],
    ["export-json"],
    ["import-json"],
]
OPTIONS = [
    "--db", "--search", "--patient", "--out", "--view", "--x", "--y", "--regions", "--geojson",
    "--muscle", "--top", "--json", "--archived", "--force", "--side", "--highlight",
]  # fmt: skip
HOSTILE = [
    "", " ", "-", "--", "nope", "temple:", "temple:up", ",,,", "9" * 400, "-" + "9" * 400,
    "1e308", "-1e308", "nan", "inf", "-inf", "0", "-1", "anterior", "posterior", "temple:right",
    "a" * 100_000, "x" * 5000 + "/records.db", "/proc/nope/records.db", "é\u202e", "%_\\",
    "../../../../etc/passwd",
]  # fmt: skip
token = st.sampled_from(OPTIONS) | st.sampled_from(HOSTILE) | st.text(max_size=12)


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def assert_clean(argv: list[str], code: int, err: str) -> None:
    assert "Traceback" not in err, argv
    if code != 0:
        lines = err.strip().splitlines()
        assert len(lines) == 1, (argv, err[:500])
        assert lines[0].startswith("dn-bodymap"), (argv, lines[0][:200])
        assert len(lines[0]) < 1000


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "records.db"
    assert run(["demo", "--db", str(path)])[0] == 0
    return path


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(COMMANDS), st.lists(token, max_size=6))
def test_hostile_argv_never_gives_a_traceback(demo_env: Path, command: list[str], rest: list[str]) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DN_BODYMAP_DB", str(demo_env))
        mp.chdir(demo_env.parent)
        argv = [*command, *rest]
        code, _, err = run(argv)
    assert_clean(argv, code, err)


CASES = {
    "nested-geojson": ["describe", "--geojson", "{nested}"],
    "400-digit top": ["suggest", "--regions", "temple", "--top", "9" * 400],
    "100k search": ["patients", "--search", "a" * 100_000],
    "too-long db": ["--db", "/tmp/" + "a" * 5000, "patients"],
    "backup into missing folder": ["db", "backup", "--out", "{tmp}/missing/b.db"],
    "backup below a file": ["db", "backup", "--out", "{nested}/b.db"],
    "demo uncreatable": ["demo", "--db", "{nested}/sub/records.db"],
    "locate x=--": ["atlas", "locate", "--view", "anterior", "--x=--", "--y", "3"],
    "assess y=--": ["assess", "--view", "anterior", "--x", "0", "--y=--"],
    "empty muscle": ["atlas", "trigger-points", "--muscle", ""],
    "highlight nope": [
        "atlas",
        "render",
        "--view",
        "anterior",
        "--highlight",
        "nope",
        "--out",
        "{tmp}/r.png",
    ],
    "regions temple:": ["describe", "--regions", "temple:"],
    "render out empty": ["atlas", "render", "--view", "anterior", "--out", ""],
    "backup out empty": ["db", "backup", "--out", ""],
    "db empty": ["--db", "", "patients"],
    "demo db empty": ["demo", "--db", ""],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_listed_bad_invocations_fail_in_one_line(demo_env: Path, tmp_path: Path, name: str) -> None:
    nested = tmp_path / "nested.geojson"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    argv = [a.format(nested=nested, tmp=tmp_path) for a in CASES[name]]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DN_BODYMAP_DB", str(demo_env))
        code, _, err = run(argv)
    assert code != 0, name
    assert_clean(argv, code, err)
    assert not (tmp_path / "missing").exists()


def test_repeated_region_ids_are_read_once(demo_env: Path) -> None:
    from dn_bodymap.cli import referral_cmd

    refs = referral_cmd._region_refs(",".join(["temple:right", "sacral"] * 15_000))
    assert refs == ["temple:right", "sacral"]
    code, out, err = run(["describe", "--json", "--regions", ",".join(["temple:right"] * 15_000)])
    assert code == 0 and json.loads(out)["regions"], err


def test_closed_pipe_is_not_a_traceback(demo_env: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "dn_bodymap.cli", "atlas", "regions"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    with proc.stderr:
        err = proc.stderr.read().decode()
    proc.wait()
    assert "Traceback" not in err and "BrokenPipeError" not in err


def test_the_window_writes_private_files(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import dn_bodymap.gui.app as app

    seen: list[int] = []

    def fake_run_app(**kwargs: object) -> int:
        current = os.umask(0o022)
        os.umask(current)
        seen.append(current)
        return 0

    old = os.umask(0o022)
    monkeypatch.setattr(app, "run_app", fake_run_app)
    try:
        assert main([]) == 0
    finally:
        os.umask(old)
    assert seen == [0o077]
