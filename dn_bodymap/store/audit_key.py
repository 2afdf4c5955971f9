"""The key of the audit chain's HMAC, kept outside the database file.

Anyone with the file could otherwise rewrite records and recompute the whole chain with the public
recipe. The key is 32 random bytes in the user's config folder (0600); a copy of the database
without the key can still be read, but its keyed entries cannot be verified (``db check`` says so).
``DN_BODYMAP_AUDIT_KEY`` names another key file (a clinic may keep it on managed storage).
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
from pathlib import Path

import platformdirs

from dn_bodymap.store.paths import APP_NAME, PRIVATE_FILE_MODE, ensure_private_dir

KEY_ENV = "DN_BODYMAP_AUDIT_KEY"
_cache: dict[Path, bytes] = {}


def key_path() -> Path:
    override = os.environ.get(KEY_ENV)
    if override:
        return Path(override).expanduser()
    return _default_key_path(os.environ.get("XDG_CONFIG_HOME"), os.environ.get("HOME"))


@functools.lru_cache(maxsize=4)
def _default_key_path(_config_home: str | None, _home: str | None) -> Path:
    """Asked for every audit entry written (a sync applies thousands): platformdirs is looked up
    once per configuration folder, which is all its answer depends on."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "audit.key"


def load_key(*, create: bool) -> bytes | None:
    """The key, made on first use when ``create``; None when there is none (or it cannot be made)."""
    path = key_path()
    if path in _cache:
        return _cache[path]
    key = _read(path)
    if key is None and create:
        with contextlib.suppress(OSError):
            _write_new(path)
        key = _read(path)
    if key is not None:
        _cache[path] = key
    return key


def _read(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError):
        return None
    return key if len(key) >= 32 else None


def _write_new(path: Path) -> None:
    """Written beside, then linked into place: a concurrent first use keeps one key, never two."""
    ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
