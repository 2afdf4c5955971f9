"""What the start tests share (gui/app.py ``Start``, issue #14)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from dn_bodymap.gui.app import Start, open_repository
from dn_bodymap.store.first_screen import FirstScreenStore
from dn_bodymap.store.locking import WriterLock


def starts(qtbot, path: Path, settings):
    """For a ``start`` fixture (``yield from``): ``make()`` starts the app on ``path`` as ``run_app``
    does, without its event loop; every start is finished at the end."""
    started_ones: list[Start] = []

    def make() -> Start:
        started = Start(str(path), False, settings)
        started_ones.append(started)
        if started.window is not None:
            qtbot.addWidget(started.window)
        return started

    yield make
    for started in started_ones:
        started.finish()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def writer_refused_after_the_paint(start, path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> Start:
    """Starts on ``path`` (painted from the read-only store); another window takes the file before
    the writer's step: the old message and exit 2, the window hidden, no writer, no byte changed."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(f"{title}: {text}"))
    exits: list[int] = []
    monkeypatch.setattr(Start, "exit_app", staticmethod(exits.append))  # no event loop of ours runs
    started = start()
    assert isinstance(started.window.repo, FirstScreenStore)
    before = digest(path)
    other = WriterLock(path)  # another window took the file between the look and the writer
    other.acquire()
    try:
        with pytest.raises(Exception) as refused:
            open_repository(str(path), False)  # what the old start said
        qtbot.waitUntil(lambda: started.aborted)
        assert shown == [f"Cannot open the records: {refused.value}"] and exits == [2]
        assert not started.window.isVisible()
        assert started.first.writer is None
        started.finish()  # closes the read-only connection; no backup, nothing written
        assert digest(path) == before
    finally:
        other.release()
    return started
