"""A faster answer to PySide6's "does this module use PySide6?", asked after every import.

PySide6 (6.4 and later) replaces ``__import__`` so that ``from __feature__ import …`` can switch
features per module; after each import it calls ``shibokensupport.feature._mod_uses_pyside``,
which reads the module's whole source with ``inspect.getsource`` (``linecache``, which keeps every
file's lines in memory) to look for the text ``PySide6``. At start-up that is ~200 modules and
~25 ms before the patient list is painted (issue #14). ``install()`` wraps that function once:
for a module loaded from a ``.py`` file that ``linecache`` does not already hold, it reads the file
and decodes it as ``tokenize.open`` (and so ``inspect.getsource``) would — the coding cookie or
UTF-8, a BOM dropped, strict errors — and gives the same answer, False when the source cannot be
decoded (where ``getsource`` raises and PySide answers False). Every other module (built-in,
extension, zip or frozen, no file, one in ``linecache``) goes to PySide's own function.
tests/gui/test_start_qt_import_hook.py compares the two over every loaded module and over drawn
source files. If PySide renames the function or changes its signature, nothing is replaced.
"""

from __future__ import annotations

import inspect
import io
import linecache
import sys
import tokenize
from collections.abc import Callable
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"
_installed: Callable[[object], bool] | None = None


def source_mentions_pyside(module: object) -> bool | None:
    """True / False as PySide's check would answer for a plain source module; None: ask PySide."""
    if type(module) is not ModuleType:
        return None
    file = module.__dict__.get("__file__")
    if not isinstance(file, str) or not file.endswith(".py") or file in linecache.cache:
        return None
    try:
        with open(file, "rb") as handle:
            data = handle.read()
    except OSError:
        return None  # inspect may still find it through the module's loader
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return False  # getsource fails on it, which PySide answers with False
    return "PySide6" in text


def install() -> bool:
    """Wrap PySide's check once (PySide6 must be imported); False when it is not as expected."""
    global _installed
    feature = sys.modules.get(FEATURE_MODULE)
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or not callable(original):
        return False
    if original is _installed:
        return True
    try:
        if list(inspect.signature(original).parameters) != ["module"]:
            return False
    except (TypeError, ValueError):
        return False

    def _mod_uses_pyside(module: object) -> bool:
        answer = source_mentions_pyside(module)
        return original(module) if answer is None else answer

    _mod_uses_pyside.original = original  # type: ignore[attr-defined]
    feature._mod_uses_pyside = _mod_uses_pyside  # type: ignore[union-attr]
    _installed = _mod_uses_pyside
    return True
