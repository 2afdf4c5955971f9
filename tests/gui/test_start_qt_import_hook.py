"""gui/qt_import_hook.py answers PySide6's "does this module use PySide6?" exactly as PySide does."""

from __future__ import annotations

import importlib.util
import itertools
import linecache
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dn_bodymap.gui.app  # noqa: F401 - installs the hook, as the app does
from dn_bodymap.gui import qt_import_hook

feature = sys.modules[qt_import_hook.FEATURE_MODULE]
original = feature._mod_uses_pyside.original


def test_the_app_installs_it_once_and_keeps_pysides_function() -> None:
    assert feature._mod_uses_pyside is qt_import_hook._installed
    assert qt_import_hook.install()  # a second call changes nothing
    assert feature._mod_uses_pyside.original is original
    assert original.__module__ == feature.__name__


def test_same_answer_as_pyside_for_every_loaded_module() -> None:
    # a few hundred modules: the standard library, PySide, ours
    import dn_bodymap.gui.main_window
    import dn_bodymap.store.first_screen  # noqa: F401

    linecache.clearcache()  # PySide's own check leaves every source it read in linecache
    assert qt_import_hook.source_mentions_pyside(sys.modules["dn_bodymap.gui.main_window"]) is True
    assert qt_import_hook.source_mentions_pyside(sys.modules["dn_bodymap.store.first_screen"]) is False
    assert qt_import_hook.source_mentions_pyside(sys) is None  # built-in: PySide decides
    answered = 0
    for module in list(sys.modules.values()):
        fast = qt_import_hook.source_mentions_pyside(module)
        if fast is not None:
            answered += 1
            assert fast == original(module), module
        assert feature._mod_uses_pyside(module) == original(module), module
    assert answered > 100  # the fast path is the common one


def test_a_changed_pyside_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feature, "_mod_uses_pyside", lambda module, extra=None: False)
    monkeypatch.setattr(qt_import_hook, "_installed", None)
    assert not qt_import_hook.install()
    monkeypatch.delattr(feature, "_mod_uses_pyside")
    assert not qt_import_hook.install()


PIECES = st.sampled_from(
    [
        "x = 1\n",
        "import PySide6\n",
        "# PySide6 in a comment\n",
        "s = 'Py' 'Side6'\n",
        "t = 'PySide6'\r\n",
        "u = 'é ü ß'\n",
        "v = '\u00a0'\n",
        "\n",
        "PySide",
        "6\n",
    ]
)
COOKIES = st.sampled_from(
    [
        b"",
        b"# -*- coding: utf-8 -*-\n",
        b"# -*- coding: latin-1 -*-\n",
        b"# coding: cp1252\n",
        b"# coding: shift_jis\n",
        b"# coding: no-such-codec\n",
        b"\xef\xbb\xbf",
        b"\xef\xbb\xbf# coding: latin-1\n",
    ]
)
_names = itertools.count()


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cookie=COOKIES, pieces=st.lists(PIECES, max_size=8), raw=st.binary(max_size=6))
def test_same_answer_for_drawn_source_files(
    tmp_path: Path, cookie: bytes, pieces: list[str], raw: bytes
) -> None:
    """Encodings, cookies, a BOM, CRLF, undecodable bytes: the file is decoded as inspect does."""
    body = "".join(pieces).encode("utf-8", "surrogatepass") + raw
    path = tmp_path / f"drawn_{next(_names)}.py"
    path.write_bytes(cookie + body)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)  # not executed: only its source is read
    fast = qt_import_hook.source_mentions_pyside(module)
    assert fast is not None  # a .py file not in linecache
    assert fast == original(module)
