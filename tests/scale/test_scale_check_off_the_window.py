"""The app's background check runs in a child process (issue #14): on a clinic's file the walk is
~45 s of Python, which in a thread of the app would hold the window's GIL all that while."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dn_bodymap.store import check_child, records_check


def test_the_window_starts_the_check_in_a_child_process() -> None:
    pytest.importorskip("PySide6")
    from dn_bodymap.gui import records_check as gui_check

    assert gui_check.run_full_check is records_check.run_full_check_in_child


def test_the_check_in_a_child_reads_the_file_in_another_process(
    clinic: tuple[Path, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = clinic
    pids: list[int] = []
    real = check_child.Child.__init__

    def started(self: check_child.Child, request: dict) -> None:
        real(self, request)
        pids.append(self.process.pid)

    monkeypatch.setattr(check_child.Child, "__init__", started)
    result = records_check.run_full_check_in_child(path)
    assert result.ok and result.records > 0 and result.entries >= result.records
    assert pids and os.getpid() not in pids
    assert result == records_check.run_full_check(path, split=False)
