"""``db encrypt`` / ``db decrypt`` killed at every step and at random moments lose nothing.

A child converts a database (and its backup) and kills itself (SIGKILL) as the n-th step of the
conversion starts (every step of the live file's conversion, the key ones of the backup's and of a
decryption), and from a timer at random moments (which land inside SQLCipher's export and checks).
After every kill the file at the database's name must open as the app opens it, with or without
the passphrase as its header says, hold exactly the original rows (schema, every table), pass the
integrity check and keep a verifying audit chain; every backup must do the same.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from encryption_fixtures import PASSPHRASE, MemoryKeyring, keys_fixture  # noqa: F401  (the ``keys`` fixture)

from dn_bodymap.store import key_source, open_store
from dn_bodymap.store.audit import verify_chain
from dn_bodymap.store.backup import backups_of, integrity_problems
from dn_bodymap.store.encryption import EncryptedDatabaseError, looks_encrypted, open_connection
from dn_bodymap.store.encryption_convert import _fingerprint

pytest.importorskip("sqlcipher3")
pytestmark = pytest.mark.slow

CHILD = Path(__file__).with_name("encryption_kill_child.py")
# Steps of converting the live database (open, checkpoint, create, export, exported, verify, fsync,
# replace, replaced, done), then of its backup (the same code without the checkpoint).
LIVE_STEPS = 10
STEP_PLANS = {
    "encrypt": [*range(1, LIVE_STEPS + 1), 13, 16, 17],  # every step, and the backup's export/replace
    "decrypt": [4, 5, 8, 9],  # in the export, after it, at and after the rename
}


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, tuple]]:
    """A plain database with one backup (to encrypt) and an encrypted copy of it (to decrypt)."""
    from store_builders import make_patient

    from dn_bodymap.store.encryption_convert import encrypt_database

    plain = tmp_path_factory.mktemp("kill-plain")
    path = plain / "records.db"
    with open_store(path) as repo:
        for i in range(40):
            repo.add_patient(make_patient(f"Test Patient Number {i}"))
        repo.backup_now()
    expected = _state(path)
    encrypted = tmp_path_factory.mktemp("kill-encrypted")
    shutil.copytree(plain, encrypted, dirs_exist_ok=True)
    encrypt_database(encrypted / "records.db", PASSPHRASE)
    key_source.forget_all()
    return {"encrypt": (plain, expected), "decrypt": (encrypted, expected)}


def _state(path: Path) -> tuple:
    with key_source.never_ask():
        conn = open_connection(path, read_only=True, passphrase=PASSPHRASE if looks_encrypted(path) else None)
    try:
        return _fingerprint(conn)
    finally:
        conn.close()


def _run(db: Path, plan: str) -> int:
    env = {**os.environ, key_source.PASSPHRASE_ENV: PASSPHRASE}
    result = subprocess.run(
        [sys.executable, str(CHILD), str(db), plan, "1"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode in (0, -signal.SIGKILL), result.stderr
    return result.returncode


def _check_whole(db: Path, expected: tuple) -> None:
    assert _state(db) == expected  # opens (keyed or not, as its header says) with every row
    assert integrity_problems(db) == []
    for backup in backups_of(db):
        assert _state(backup)[3] == expected[3] and integrity_problems(backup) == []
    with open_store(db, backups=False) as repo:  # as the app opens it
        assert verify_chain(repo.db) == []


def _one(template: tuple[Path, tuple], tmp_path: Path, name: str, plan: str) -> int:
    folder, expected = template
    work = tmp_path / name
    shutil.copytree(folder, work)
    db = work / "records.db"
    code = _run(db, plan)
    key_source.forget_all()
    os.environ[key_source.PASSPHRASE_ENV] = PASSPHRASE
    _check_whole(db, expected)
    return code


@pytest.mark.parametrize("direction", sorted(STEP_PLANS))
def test_a_kill_at_each_step_of_a_conversion_loses_nothing(
    templates: dict[str, tuple[Path, tuple]], tmp_path: Path, keys: MemoryKeyring, direction: str
) -> None:
    for step in STEP_PLANS[direction]:
        assert _one(templates[direction], tmp_path, f"step-{step}", f"step:{step}") != 0  # it was killed


def test_a_plan_past_the_last_step_finishes_and_converts(
    templates: dict[str, tuple[Path, tuple]], tmp_path: Path, keys: MemoryKeyring
) -> None:
    """The step count above is real: a plan beyond it lets the conversion finish."""
    assert _one(templates["encrypt"], tmp_path, "past", "step:1000") == 0
    assert looks_encrypted(tmp_path / "past" / "records.db")


NEW = "the passphrase after rekey"


def _opens_with_either(path: Path) -> tuple:
    for passphrase in (PASSPHRASE, NEW):
        with key_source.never_ask():
            try:
                conn = open_connection(path, read_only=True, passphrase=passphrase)
            except EncryptedDatabaseError:
                continue
        try:
            return _fingerprint(conn)
        finally:
            conn.close()
    raise AssertionError(f"{path} opens with neither passphrase")


def test_a_kill_at_each_step_of_a_rekey_leaves_every_file_readable_and_a_rerun_finishes(
    templates: dict[str, tuple[Path, tuple]], tmp_path: Path, keys: MemoryKeyring
) -> None:
    """After a kill every file opens with the old or the new passphrase, holding every row; running
    the rekey again (both passphrases given, as a script would) moves whatever is left."""
    from dn_bodymap.store.encryption_convert import rekey_database

    folder, expected = templates["decrypt"]  # the encrypted template
    for step in [2, 4, 5, 8, 9, 10, 13, 16, 17]:
        work = tmp_path / f"rekey-{step}"
        shutil.copytree(folder, work)
        db = work / "records.db"
        env = {**os.environ, key_source.PASSPHRASE_ENV: PASSPHRASE, key_source.NEW_PASSPHRASE_ENV: NEW}
        result = subprocess.run(
            [sys.executable, str(CHILD), str(db), f"step:{step}", "1", "rekey"],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert result.returncode == -signal.SIGKILL, result.stderr
        for path in [db, *backups_of(db)]:
            assert _opens_with_either(path)[3] == expected[3] and integrity_problems(path) == []
        key_source.forget_all()
        os.environ[key_source.PASSPHRASE_ENV] = PASSPHRASE
        rekey_database(db, NEW)
        for path in [db, *backups_of(db)]:
            with key_source.never_ask():
                open_connection(path, read_only=True, passphrase=NEW).close()
            assert _opens_with_either(path)[3] == expected[3]
        key_source.forget_all()


def test_kills_at_random_moments_lose_nothing(
    templates: dict[str, tuple[Path, tuple]], tmp_path: Path, keys: MemoryKeyring
) -> None:
    rng = random.Random(1313)
    for i in range(4):
        direction = ("encrypt", "decrypt")[i % 2]
        _one(templates[direction], tmp_path, f"timer-{i}", f"timer:{rng.uniform(0.2, 2.0):.3f}")
