"""`dn-bodymap patients` imports only what it uses: no shapely, numpy, Qt, nor sqlite-utils."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dn_bodymap.cli import _COMMAND_HOMES, _COMMAND_MODULES, _command_in
from dn_bodymap.store import open_read_only
from dn_bodymap.store.read_only_listing import list_patients

HEAVY = ("shapely", "numpy", "PySide6")
CHILD = f"""
import sys
from dn_bodymap.cli import main
code = main(sys.argv[1:])
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})
print('HEAVY=' + ','.join(heavy), f'CODE={{code}}')
"""


def _heavy_modules(*argv: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, check=True, timeout=120
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("command", [["patients"], ["sessions", "--limit", "3"]])
def test_listing_commands_import_no_heavy_module(clinic, command: list[str]) -> None:
    assert _heavy_modules("--db", str(clinic[0]), *command) == "HEAVY= CODE=0"


def test_the_check_is_able_to_see_heavy_modules(tmp_path: Path) -> None:
    """The same child reports shapely when a command does use it (the test can fail)."""
    assert "shapely" in _heavy_modules("atlas", "stats", "--json")


# secrets (hmac, random) and hashlib (OpenSSL) serve only a new store or an encrypted file.
LEAN = ("shapely", "numpy", "PySide6", "sqlite_utils", "click", "secrets", "hmac", "random", "hashlib")
LEAN_CHILD = CHILD.replace(repr(set(HEAVY)), repr(set(LEAN)))


def test_patients_lists_without_sqlite_utils(clinic) -> None:
    """The patient listing runs on the standard library's sqlite3 (store/read_only_listing.py)."""
    result = subprocess.run(
        [sys.executable, "-c", LEAN_CHILD, "--db", str(clinic[0]), "patients", "--limit", "5"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "HEAVY= CODE=0"
    assert "(first 5 from offset 0; next page: --offset 5)" in result.stdout


def test_the_lean_check_sees_the_hashes_of_an_encryption_probe(clinic) -> None:
    """A child that derives a key (as an encrypted file's open does) reports hashlib: the check
    above can fail."""
    probe = LEAN_CHILD.replace(
        "code = main(sys.argv[1:])",
        "code = main(sys.argv[1:])\nfrom dn_bodymap.store.encryption import derive_key, new_salt\n"
        "derive_key('x', new_salt())",
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "--db", str(clinic[0]), "patients", "--limit", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "HEAVY=hashlib,hmac,random,secrets CODE=0"


def test_the_lean_check_sees_sqlite_utils(clinic) -> None:
    """`sessions` still lists through the repository, so the same child reports sqlite-utils."""
    result = subprocess.run(
        [sys.executable, "-c", LEAN_CHILD, "--db", str(clinic[0]), "sessions", "--limit", "2"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "sqlite_utils" in result.stdout.strip().splitlines()[-1]


def test_command_homes_match_what_the_modules_register() -> None:
    import argparse
    import importlib

    for name in _COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(name).register(sub)
        for command in sub.choices:
            assert _COMMAND_HOMES.get(command, name) == name, command
    for command, home in _COMMAND_HOMES.items():
        assert home in _COMMAND_MODULES, command


def test_command_is_found_after_the_global_options() -> None:
    assert _command_in(["--db", "x.db", "patients", "--json"]) == "patients"
    assert _command_in(["--db=x.db", "--demo", "db", "check"]) == "db"
    assert _command_in(["--help", "patients"]) is None
    assert _command_in(["--version"]) is None
    assert _command_in([]) is None


@settings(max_examples=40)
@given(
    text=st.sampled_from(["", "demo", "patient 1", "PATIENT", "%", "_", "e a", "0001", "zz"]),
    include_archived=st.booleans(),
    limit=st.one_of(st.none(), st.integers(0, 30)),
    offset=st.integers(0, 10),
)
def test_lean_listing_equals_the_repository(clinic, text, include_archived, limit, offset) -> None:
    """One query, two readers: the same patients in the same order with the same facts."""
    path = clinic[0]
    lean = list_patients(path, text, include_archived=include_archived, limit=limit, offset=offset)
    with open_read_only(path) as repo:
        full = repo.search_patients(text, include_archived=include_archived, limit=limit, offset=offset)
    assert [
        (r["id"], r["name"], r["record_number"], r["sessions"], r["archived"], r["last_session_at"])
        for r in lean
    ] == [
        (
            s.patient.id,
            s.patient.display_name,
            s.patient.record_number,
            s.session_count,
            s.patient.archived,
            s.last_session_at,
        )
        for s in full
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "x.db", "patients", "--search", "ann", "--json", "--limit", "5"],
        ["patients", "--archived", "--offset", "2"],
        ["--db=x.db", "sessions", "--patient", "p1", "--limit", "3"],
        ["db", "check", "--json"],
        ["db", "backups", "--location", "/tmp/b"],
        ["--demo", "demo", "--patients", "12", "--seed", "3"],
    ],
)
def test_a_command_parsed_alone_reads_as_with_every_command(argv: list[str]) -> None:
    """``build_parser(command)`` builds that command's parser alone (a fifth of a listing's run),
    and it reads the same arguments into the same values as the parser of every command."""
    from dn_bodymap.cli import build_parser

    command = _command_in(argv)
    alone = build_parser(command)
    (sub,) = [a for a in alone._actions if a.dest == "command"]
    assert list(sub.choices) == [command]
    assert vars(alone.parse_args(argv)) == vars(build_parser().parse_args(argv))


def test_a_command_parsed_alone_refuses_what_the_full_parser_refuses(capsys) -> None:
    from dn_bodymap.cli import build_parser

    for parser in (build_parser("patients"), build_parser()):
        with pytest.raises(SystemExit) as ended:
            parser.parse_args(["patients", "--limit", "-1"])
        assert ended.value.code == 2
    alone, full = capsys.readouterr().err.splitlines()
    assert alone == full and "--limit" in alone
