"""Where the passphrase of an encrypted record database comes from, in order.

1. passphrases that already opened a file in this process (a backup has the database's passphrase);
2. the ``DN_BODYMAP_PASSPHRASE`` environment variable (scripts and the command line);
3. the system keyring (``keyring``), when a backend is available and the clinician chose to keep it
   there; any keyring failure simply means "not there";
4. the asker the front end installed (the GUI's passphrase dialog, a TTY prompt on the command
   line), asked again after a wrong answer, at most ``ASK_ATTEMPTS`` times.

Nothing here imports ``keyring`` until a file turns out to be encrypted, so plain databases cost
nothing. The asker is only ever called from the main thread (a backup in a worker thread uses what
was already given).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

PASSPHRASE_ENV = "DN_BODYMAP_PASSPHRASE"
#: The new passphrase of ``db rekey`` when a script changes it (the current one stays in PASSPHRASE_ENV).
NEW_PASSPHRASE_ENV = "DN_BODYMAP_NEW_PASSPHRASE"
KEYRING_SERVICE = "dn-bodymap"
ASK_ATTEMPTS = 3

#: ``asker(path, wrong)`` returns a passphrase, or None when the person declines.
Asker = Callable[[Path, bool], "str | None"]

_known: list[str] = []
_asker: Asker | None = None
_quiet = threading.local()


def remember(passphrase: str) -> None:
    """Keep a passphrase that opened a file, for this process's later connections."""
    if passphrase in _known:
        _known.remove(passphrase)
    _known.insert(0, passphrase)


def is_known(passphrase: str) -> bool:
    """True once the passphrase opened a file in this process."""
    return passphrase in _known


def forget(passphrase: str) -> None:
    """Drop one remembered passphrase (the old one, once ``db rekey`` has replaced it everywhere)."""
    if passphrase in _known:
        _known.remove(passphrase)


def forget_all() -> None:
    """Drop every remembered passphrase (tests; after ``db decrypt``)."""
    _known.clear()


def set_asker(asker: Asker | None) -> Asker | None:
    """Install the front end's way of asking; returns the previous one."""
    global _asker
    previous, _asker = _asker, asker
    return previous


def quiet() -> bool:
    """True while nothing may be asked (building an error message, probing a backup)."""
    return bool(getattr(_quiet, "depth", 0))


class never_ask:
    """Context in which the asker is not called (probes that may fail without bothering anyone)."""

    def __enter__(self) -> None:
        _quiet.depth = getattr(_quiet, "depth", 0) + 1

    def __exit__(self, *exc: object) -> None:
        _quiet.depth -= 1


def env_passphrase() -> str | None:
    value = os.environ.get(PASSPHRASE_ENV)
    return value if value else None


def _account(path: Path) -> str:
    return os.path.realpath(path)


def keyring_passphrase(path: Path) -> str | None:
    """The passphrase kept in the system keyring for this database; None on any failure."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, _account(path)) or None
    except Exception:  # no backend, locked keyring, D-Bus gone: all mean "ask instead"
        return None


def store_in_keyring(path: Path, passphrase: str) -> bool:
    """Keep the passphrase in the system keyring; False when no keyring can hold it."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, _account(path), passphrase)
        return keyring.get_password(KEYRING_SERVICE, _account(path)) == passphrase
    except Exception:
        return False


def delete_from_keyring(path: Path) -> None:
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, _account(path))
    except Exception:
        return


def candidates(path: Path) -> Iterator[str]:
    """Passphrases to try for ``path``, cheapest first; the asker last, after each wrong answer."""
    tried: set[str] = set()
    for found in _offered(path):
        if found and found not in tried:
            tried.add(found)
            yield found
    if _asker is None or quiet() or threading.current_thread() is not threading.main_thread():
        return
    wrong = bool(tried)
    for _ in range(ASK_ATTEMPTS):
        answer = _asker(path, wrong)
        if not answer:
            return
        wrong = True
        if answer not in tried:
            tried.add(answer)
            yield answer


def _offered(path: Path) -> Iterator[str | None]:
    """Lazily: the keyring is only asked when nothing remembered or given works."""
    yield from list(_known)
    yield env_passphrase()
    yield keyring_passphrase(path)


def tty_asker(path: Path, wrong: bool) -> str | None:
    """The command line's asker: a hidden prompt when a person is at a terminal, else nothing."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    import getpass

    if wrong:
        print("dn-bodymap: that passphrase does not open the records", file=sys.stderr)
    try:
        return getpass.getpass(f"Passphrase for {path.name}: ") or None
    except (EOFError, KeyboardInterrupt):
        return None
