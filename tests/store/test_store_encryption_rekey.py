"""``db rekey``: a new passphrase for the encrypted database and every backup; the old one opens none
of them, the records stay exactly as they were, and every refusal changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from encryption_fixtures import (  # noqa: F401  (keys_fixture provides the ``keys`` fixture)
    PASSPHRASE,
    MemoryKeyring,
    copy_store,
    digest,
    keys_fixture,
)

from dn_bodymap.cli import main
from dn_bodymap.store import DatabaseInUseError, StoreError, key_source, open_read_only, open_store
from dn_bodymap.store.audit import verify_chain
from dn_bodymap.store.backup import backups_of, make_backup
from dn_bodymap.store.demo import fill_demo
from dn_bodymap.store.encryption import EncryptedDatabaseError, looks_encrypted, open_connection
from dn_bodymap.store.encryption_convert import _fingerprint, encrypt_database, rekey_database

pytest.importorskip("sqlcipher3")

NEW = "a brand new passphrase"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rekey-template") / "records.db"
    with open_store(path, backups=False) as repo:
        fill_demo(repo)
    return path


@pytest.fixture
def encrypted(template: Path, tmp_path: Path, keys: MemoryKeyring) -> Path:
    """An encrypted database with two backups: a plain copy made first, then the app's own copy."""
    db = copy_store(template, tmp_path / "records.db")
    with open_store(db) as repo:
        repo.backup_now()
    make_backup(db, "auto", force=True)
    encrypt_database(db, PASSPHRASE)
    key_source.forget_all()
    return db


def _opens(path: Path, passphrase: str) -> bool:
    with key_source.never_ask():
        try:
            conn = open_connection(path, read_only=True, passphrase=passphrase)
        except EncryptedDatabaseError:
            return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    finally:
        conn.close()


def _state(path: Path, passphrase: str) -> tuple:
    with key_source.never_ask():
        conn = open_connection(path, read_only=True, passphrase=passphrase)
    try:
        return _fingerprint(conn)
    finally:
        conn.close()


def test_rekey_moves_the_database_and_every_backup_to_the_new_passphrase(encrypted: Path) -> None:
    files = [encrypted, *backups_of(encrypted)]
    assert len(files) == 3 and all(looks_encrypted(f) for f in files)
    before = {f.name: _state(f, PASSPHRASE) for f in files}
    os.environ[key_source.PASSPHRASE_ENV] = PASSPHRASE  # the current one, as a script gives it
    done = rekey_database(encrypted, NEW)
    assert done.backups == 2
    for f in [encrypted, *backups_of(encrypted)]:
        assert looks_encrypted(f) and _opens(f, NEW) and not _opens(f, PASSPHRASE)
        assert _state(f, NEW) == before[f.name]  # schema, version, every row
    assert not key_source.is_known(PASSPHRASE)  # this process no longer offers the old one
    key_source.forget_all()
    os.environ[key_source.PASSPHRASE_ENV] = NEW
    with open_store(encrypted, backups=False) as repo:
        assert verify_chain(repo.db) == []


def test_a_kept_passphrase_is_updated_and_none_is_kept_unasked(encrypted: Path, keys: MemoryKeyring) -> None:
    os.environ[key_source.PASSPHRASE_ENV] = PASSPHRASE
    rekey_database(encrypted, NEW)
    assert keys.items == {}  # nothing was kept before, and --remember was not given
    key_source.store_in_keyring(encrypted, NEW)
    rekey_database(encrypted, NEW + " again")
    assert key_source.keyring_passphrase(encrypted) == NEW + " again"  # not left on a dead passphrase
    rekey_database(encrypted, PASSPHRASE, remember=True)
    assert key_source.keyring_passphrase(encrypted) == PASSPHRASE


def test_refusals_change_nothing(encrypted: Path, template: Path, tmp_path: Path) -> None:
    os.environ[key_source.PASSPHRASE_ENV] = PASSPHRASE
    before = {f: digest(f) for f in [encrypted, *backups_of(encrypted)]}
    with pytest.raises(StoreError, match="too short"):
        rekey_database(encrypted, "short")
    with pytest.raises(StoreError, match="already the passphrase"):
        rekey_database(encrypted, PASSPHRASE)
    after = {f: digest(f) for f in [encrypted, *backups_of(encrypted)]}
    assert after == before
    with open_store(encrypted, backups=False), pytest.raises(DatabaseInUseError):
        rekey_database(encrypted, NEW)  # refused while the app writes
    assert all(_opens(f, PASSPHRASE) and not _opens(f, NEW) for f in [encrypted, *backups_of(encrypted)])
    plain = copy_store(template, tmp_path / "plain.db")
    with pytest.raises(StoreError, match="not encrypted"):
        rekey_database(plain, NEW)


def test_a_wrong_current_passphrase_is_one_sentence_and_changes_nothing(encrypted: Path) -> None:
    os.environ[key_source.PASSPHRASE_ENV] = "not the passphrase"
    before = digest(encrypted)
    with pytest.raises(EncryptedDatabaseError):
        rekey_database(encrypted, NEW)
    assert digest(encrypted) == before and _opens(encrypted, PASSPHRASE)


def test_a_run_cut_short_is_finished_by_running_it_again(encrypted: Path) -> None:
    """The database already on the new passphrase, a backup still on the old: the rerun converts
    only what is left (the old passphrase still given for it)."""
    from dn_bodymap.store.encryption_convert import convert_file

    os.environ[key_source.PASSPHRASE_ENV] = PASSPHRASE
    convert_file(encrypted, NEW, live=True)  # as a kill right after the live file would leave it
    key_source.forget_all()
    done = rekey_database(encrypted, NEW)
    assert done.backups == 2
    assert all(_opens(f, NEW) and not _opens(f, PASSPHRASE) for f in [encrypted, *backups_of(encrypted)])


def test_cli_rekey_reads_both_passphrases_from_the_environment(
    encrypted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.environ[key_source.PASSPHRASE_ENV] = PASSPHRASE
    assert main(["--db", str(encrypted), "db", "rekey"]) == 1  # no new passphrase: one line
    assert "no passphrase given" in capsys.readouterr().err
    os.environ[key_source.NEW_PASSPHRASE_ENV] = NEW
    try:
        assert main(["--db", str(encrypted), "db", "rekey"]) == 0
    finally:
        del os.environ[key_source.NEW_PASSPHRASE_ENV]
    assert "changed the passphrase" in capsys.readouterr().out
    key_source.forget_all()
    os.environ[key_source.PASSPHRASE_ENV] = NEW
    assert main(["--db", str(encrypted), "patients"]) == 0
    assert "Demo Patient" in capsys.readouterr().out
    with open_read_only(encrypted) as repo:
        assert repo.search_patients()


def test_a_compressed_backup_with_a_whole_number_of_pages_is_not_taken_for_an_encrypted_one(
    template: Path, tmp_path: Path, keys: MemoryKeyring
) -> None:
    """A gzip copy whose size happens to be a multiple of 512 bytes (one in 512) looked like
    SQLCipher pages: `db encrypt` then left it in the clear and `db rekey` failed on it."""
    import gzip

    from dn_bodymap.store.backup import is_compressed

    db = copy_store(template, tmp_path / "records.db")
    made = make_backup(db, "auto", force=True)
    assert made is not None and is_compressed(made)
    with open(made, "ab") as handle:  # gzip readers skip zero padding after the member
        handle.write(b"\0" * (-made.stat().st_size % 512 or 512))
    assert made.stat().st_size % 512 == 0 and gzip.decompress(made.read_bytes())
    assert not looks_encrypted(made)
    encrypt_database(db, PASSPHRASE)
    backups = backups_of(db)
    assert backups and all(looks_encrypted(b) for b in backups)  # nothing left in the clear
    os.environ[key_source.PASSPHRASE_ENV] = PASSPHRASE
    rekey_database(db, NEW)
    assert all(_opens(b, NEW) for b in backups_of(db))
