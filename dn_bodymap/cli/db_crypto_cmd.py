"""``db encrypt`` / ``db decrypt`` / ``db rekey``: encryption at rest of the record database and its
backups.

The passphrase comes from ``DN_BODYMAP_PASSPHRASE`` (scripts) or a hidden prompt at a terminal;
every other command that meets an encrypted database asks the same way (the prompt is installed
here for the whole command line). Nothing here imports SQLCipher or the keyring until used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dn_bodymap.cli.common import CliError


def register_db_actions(db_sub: argparse._SubParsersAction) -> None:
    """Add ``encrypt``/``decrypt`` under ``db`` (called by records_cmd), and install the terminal
    prompt for any command that meets an encrypted database (unless a front end installed its own)."""
    from dn_bodymap.store import key_source

    previous = key_source.set_asker(key_source.tty_asker)
    if previous is not None:
        key_source.set_asker(previous)
    encrypt = db_sub.add_parser(
        "encrypt",
        help="encrypt the database and its backups with a passphrase (SQLCipher)",
        description="Encrypt the record database and its backups in place. The passphrase is read "
        "from DN_BODYMAP_PASSPHRASE or asked twice at the terminal; without it the records "
        "cannot be read, so keep it safe.",
    )
    encrypt.add_argument(
        "--remember",
        action="store_true",
        help="also keep the passphrase in the system keyring, so this computer opens it without asking",
    )
    encrypt.set_defaults(handler=_encrypt)
    decrypt = db_sub.add_parser(
        "decrypt", help="write the database and its backups in the clear again (asks the passphrase)"
    )
    decrypt.set_defaults(handler=_decrypt)
    rekey = db_sub.add_parser(
        "rekey",
        help="change the passphrase of the encrypted database and its backups",
        description="Encrypt the database and every backup with a new passphrase. The current one is "
        "read from DN_BODYMAP_PASSPHRASE, the system keyring or a prompt; the new one from "
        "DN_BODYMAP_NEW_PASSPHRASE or asked twice at the terminal. Afterwards the old passphrase opens "
        "none of them. Interrupted, it leaves every file readable with the old or the new passphrase; "
        "run it again to finish.",
    )
    rekey.add_argument(
        "--remember",
        action="store_true",
        help="keep the new passphrase in the system keyring (a passphrase kept there is always updated)",
    )
    rekey.set_defaults(handler=_rekey)


def _db_path(args: argparse.Namespace) -> Path:
    from dn_bodymap.store.paths import resolve_db_path

    path = resolve_db_path(getattr(args, "db", None))
    if not path.is_file():
        raise CliError(f"there is no record database at {path}", 1)
    return path


def _new_passphrase(env: str | None = None) -> str:
    """From ``env`` (default: the passphrase variable) or asked twice at a terminal."""
    import os

    from dn_bodymap.store import key_source
    from dn_bodymap.store.encryption_convert import check_new_passphrase

    given = os.environ.get(env or key_source.PASSPHRASE_ENV) or None
    if given is None and sys.stdin.isatty() and sys.stderr.isatty():
        import getpass

        given = getpass.getpass("New passphrase: ")
        if given and getpass.getpass("Repeat it: ") != given:
            raise CliError("the two passphrases differ; nothing was changed", 1)
    return check_new_passphrase(given)


def _encrypt(args: argparse.Namespace) -> int:
    from dn_bodymap.store.encryption_convert import encrypt_database

    path = _db_path(args)
    done = encrypt_database(path, _new_passphrase(), remember=args.remember)
    print(f"encrypted {done.path} and {done.backups} backup(s); without the passphrase they cannot be read")
    return 0


def _decrypt(args: argparse.Namespace) -> int:
    from dn_bodymap.store.encryption_convert import decrypt_database

    done = decrypt_database(_db_path(args))
    print(f"decrypted {done.path} and {done.backups} backup(s); they are readable without a passphrase")
    return 0


def _rekey(args: argparse.Namespace) -> int:
    from dn_bodymap.store import key_source
    from dn_bodymap.store.encryption import looks_encrypted
    from dn_bodymap.store.encryption_convert import rekey_database

    path = _db_path(args)
    if looks_encrypted(path):
        unlock_for_command(path)  # the current passphrase first: a wrong one is told before the new is asked
    done = rekey_database(path, _new_passphrase(key_source.NEW_PASSPHRASE_ENV), remember=args.remember)
    print(
        f"changed the passphrase of {done.path} and {done.backups} backup(s); the old passphrase no longer "
        "opens them"
    )
    return 0


def unlock_for_command(path: Path) -> None:
    """Ask for an encrypted database's passphrase once, up front (one sentence when it fails), so
    checks that open the file several times neither ask again nor bury the reason."""
    from dn_bodymap.store.encryption import require_key

    require_key(path)
