"""Encryption at rest (issue #13): SQLCipher, passphrase sources, one-sentence refusals, backups."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from encryption_fixtures import (  # noqa: F401  (keys_fixture provides the ``keys`` fixture)
    PASSPHRASE,
    MemoryKeyring,
    copy_store,
    digest,
    is_plain,
    keys_fixture,
    plain_fingerprint,
)

from dn_bodymap.cli import main
from dn_bodymap.store import DatabaseInUseError, StoreError, key_source, open_read_only, open_store
from dn_bodymap.store.audit import verify_chain
from dn_bodymap.store.backup import backups_of, integrity_problems
from dn_bodymap.store.demo import fill_demo
from dn_bodymap.store.encryption import EncryptedDatabaseError, looks_encrypted
from dn_bodymap.store.encryption_convert import decrypt_database, encrypt_database

pytest.importorskip("sqlcipher3")

SENTENCE = "This record database is encrypted; the passphrase was wrong or missing"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "records.db"
    with open_store(path, backups=False) as repo:
        fill_demo(repo)  # signed sessions, addenda, adverse events, annotations: every table used
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    return copy_store(template, tmp_path / "records.db")


def _names(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path.parent)) for p in path.parent.rglob("*") if p.suffix != ".lock")


def test_encrypt_then_reopen_with_the_passphrase_keeps_every_record(db: Path, keys: MemoryKeyring) -> None:
    before = plain_fingerprint(db)
    with open_read_only(db) as repo:
        patients = [p.patient.id for p in repo.search_patients(include_archived=True)]
    encrypt_database(db, PASSPHRASE)
    assert not is_plain(db) and looks_encrypted(db)
    assert PASSPHRASE.encode() not in db.read_bytes() and b"Demo Patient" not in db.read_bytes()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    key_source.forget_all()
    os.environ[key_source.PASSPHRASE_ENV] = PASSPHRASE
    with open_store(db) as repo:
        assert [p.patient.id for p in repo.search_patients(include_archived=True)] == patients
        assert verify_chain(repo.db) == []
    decrypt_database(db)
    assert is_plain(db) and plain_fingerprint(db)[3] == before[3]


@pytest.mark.parametrize("given", ["missing", "wrong"])
def test_missing_or_wrong_passphrase_is_one_sentence_and_changes_nothing(
    db: Path, keys: MemoryKeyring, given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    encrypt_database(db, PASSPHRASE)
    key_source.forget_all()
    if given == "wrong":
        os.environ[key_source.PASSPHRASE_ENV] = "not the passphrase"
    before, names = digest(db), _names(db)
    for opener in (open_store, open_read_only):
        with pytest.raises(EncryptedDatabaseError) as caught:
            opener(db).close()
        message = str(caught.value)
        assert message.startswith(SENTENCE) and "\n" not in message
        assert "file is not a database" not in message
    assert main(["--db", str(db), "patients"]) in (1, 2)
    err = capsys.readouterr().err
    assert err.startswith(f"dn-bodymap: {SENTENCE}") and err.count("\n") == 1
    assert main(["--db", str(db), "db", "check"]) == 1
    assert capsys.readouterr().err.startswith(f"dn-bodymap: {SENTENCE}")
    assert digest(db) == before and _names(db) == names


def test_the_environment_variable_opens_it_for_scripts(
    db: Path, keys: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    os.environ[key_source.PASSPHRASE_ENV] = PASSPHRASE
    assert main(["--db", str(db), "db", "encrypt"]) == 0
    assert not is_plain(db)
    key_source.forget_all()
    capsys.readouterr()
    assert main(["--db", str(db), "patients"]) == 0
    assert "Demo Patient" in capsys.readouterr().out
    assert main(["--db", str(db), "db", "check"]) == 0
    assert capsys.readouterr().out.strip().endswith(": ok")
    assert main(["--db", str(db), "db", "decrypt"]) == 0
    assert is_plain(db)


def test_the_asker_is_asked_again_after_a_wrong_answer(db: Path, keys: MemoryKeyring) -> None:
    encrypt_database(db, PASSPHRASE)
    key_source.forget_all()
    answers = iter(["nope nope", PASSPHRASE])
    asked: list[bool] = []

    def asker(path: Path, wrong: bool) -> str | None:
        asked.append(wrong)
        return next(answers)

    key_source.set_asker(asker)
    with open_store(db) as repo:
        assert repo.search_patients()
    assert asked == [False, True]
    with open_read_only(db):  # remembered: not asked again in this process
        pass
    assert asked == [False, True]


def test_an_asker_that_declines_gets_the_sentence(db: Path, keys: MemoryKeyring) -> None:
    encrypt_database(db, PASSPHRASE)
    key_source.forget_all()
    key_source.set_asker(lambda path, wrong: None)
    with pytest.raises(EncryptedDatabaseError, match=SENTENCE):
        open_store(db)


def test_the_keyring_keeps_the_passphrase_when_asked_to(db: Path, keys: MemoryKeyring) -> None:
    encrypt_database(db, PASSPHRASE, remember=True)
    assert list(keys.items.values()) == [PASSPHRASE]
    key_source.forget_all()
    with open_read_only(db) as repo:  # no variable, no asker: the keyring opens it
        assert repo.search_patients()
    decrypt_database(db)
    assert keys.items == {}


def test_a_failing_keyring_means_asking(
    db: Path, keys: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypt_database(db, PASSPHRASE)
    key_source.forget_all()

    def broken(*_: object) -> None:
        raise RuntimeError("D-Bus is gone")

    monkeypatch.setattr(keys, "get_password", broken)
    key_source.set_asker(lambda path, wrong: PASSPHRASE)
    with open_read_only(db) as repo:
        assert repo.search_patients()


def test_decrypt_round_trip_keeps_every_record_and_the_audit_chain(
    db: Path, keys: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    before = plain_fingerprint(db)
    encrypt_database(db, PASSPHRASE)
    key_source.forget_all()
    os.environ[key_source.PASSPHRASE_ENV] = PASSPHRASE
    decrypt_database(db)
    assert is_plain(db)
    assert plain_fingerprint(db) == before  # schema, version, application id, every row
    with open_read_only(db) as repo:
        assert verify_chain(repo.db) == []
    assert main(["--db", str(db), "db", "check"]) == 0


def test_backups_of_an_encrypted_database_are_encrypted_and_restore_with_the_passphrase(
    db: Path, keys: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(db) as repo:
        old_backup = repo.backup_now()  # made in the clear, before encryption
    encrypt_database(db, PASSPHRASE)
    assert not is_plain(old_backup)  # the history is encrypted with the database
    with open_store(db) as repo:  # remembered in this process
        patients = len(repo.search_patients())
        made = repo.backup_now()
        from store_builders import make_patient

        repo.add_patient(make_patient("Test Patient After Backup"))
    assert not is_plain(made) and stat.S_IMODE(made.stat().st_mode) == 0o600
    assert all(not is_plain(b) for b in backups_of(db))
    key_source.forget_all()
    before = digest(db)
    assert main(["--db", str(db), "db", "restore", str(made)]) != 0  # no passphrase: nothing restored
    assert SENTENCE in capsys.readouterr().err and digest(db) == before
    os.environ[key_source.PASSPHRASE_ENV] = PASSPHRASE
    assert main(["--db", str(db), "db", "restore", str(made)]) == 0
    assert not is_plain(db)
    with open_read_only(db) as repo:
        assert len(repo.search_patients()) == patients
        assert verify_chain(repo.db) == []
    assert integrity_problems(db) == []


def test_conversion_is_refused_while_the_app_writes(db: Path, keys: MemoryKeyring) -> None:
    before = digest(db)
    with open_store(db), pytest.raises(DatabaseInUseError):
        encrypt_database(db, PASSPHRASE)
    assert digest(db) == before


def test_double_conversions_and_short_passphrases_are_refused(db: Path, keys: MemoryKeyring) -> None:
    with pytest.raises(StoreError, match="not encrypted"):
        decrypt_database(db)
    with pytest.raises(StoreError, match="too short"):
        encrypt_database(db, "short")
    assert is_plain(db)
    encrypt_database(db, PASSPHRASE)
    with pytest.raises(StoreError, match="already encrypted"):
        encrypt_database(db, PASSPHRASE)


def test_cli_encrypt_without_a_passphrase_is_one_line(
    db: Path, keys: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db), "db", "encrypt"]) == 1
    assert "no passphrase given" in capsys.readouterr().err
    assert is_plain(db)


LEAN_CHILD = """
import sys
from dn_bodymap.cli import main
code = main(sys.argv[1:])
print('LOADED=' + ','.join(sorted({m.split('.')[0] for m in sys.modules} & {'sqlcipher3', 'keyring'})),
      f'CODE={code}')
"""


def _loaded(db: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", LEAN_CHILD, "--db", str(db), "patients"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )
    return result.stdout.strip().splitlines()[-1]


def test_listing_a_plain_database_loads_no_sqlcipher_or_keyring(db: Path, keys: MemoryKeyring) -> None:
    assert _loaded(db, {}) == "LOADED= CODE=0"
    encrypt_database(db, PASSPHRASE)  # the same check sees them when they are used
    assert _loaded(db, {key_source.PASSPHRASE_ENV: PASSPHRASE}) == "LOADED=sqlcipher3 CODE=0"


def test_compressed_automatic_backups_are_encrypted_too(db: Path, keys: MemoryKeyring) -> None:
    from dn_bodymap.store import backup

    made = backup.make_backup(db, "auto", force=True)  # the app's own copy: compressed in the clear
    assert made is not None
    encrypt_database(db, PASSPHRASE)
    found = backups_of(db)
    assert found and all(not is_plain(b) and looks_encrypted(b) for b in found)
    assert not [b for b in found if b.name.endswith(".gz")]  # nothing left readable beside them
    assert integrity_problems(found[0]) == []
