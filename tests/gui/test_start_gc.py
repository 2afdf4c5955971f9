"""The cycle collector waits for the first paint (gui/start_gc.py, issue #14) and always runs again
afterwards, also when the app ends without a paint; a collector someone else turned off stays off."""

from __future__ import annotations

import gc

import pytest

from dn_bodymap.gui import app as app_module
from dn_bodymap.gui import start_gc


@pytest.fixture(autouse=True)
def collector_restored():
    yield
    start_gc.resume()
    gc.enable()


def test_pause_and_resume() -> None:
    start_gc.pause()
    assert not gc.isenabled() and start_gc.paused()
    start_gc.resume()
    assert gc.isenabled() and not start_gc.paused()
    start_gc.resume()  # again: nothing to do
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off() -> None:
    gc.disable()
    start_gc.pause()
    assert not start_gc.paused()
    start_gc.resume()
    assert not gc.isenabled()


def test_the_collector_runs_again_when_the_records_cannot_open(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []

    class NoWindow:
        window = None

        def __init__(self, *args: object) -> None:
            seen.append(gc.isenabled())

    monkeypatch.setattr(app_module, "Start", NoWindow)
    monkeypatch.setattr(app_module, "install_excepthook", lambda app: None)
    monkeypatch.setattr("dn_bodymap.gui.theme.apply_palette", lambda app, dark: None)
    assert app_module.run_app(db="x.db") == 2
    assert seen == [False] and gc.isenabled()


def test_the_collector_runs_again_when_building_the_window_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("broken")

    monkeypatch.setattr(app_module, "Start", broken)
    monkeypatch.setattr(app_module, "install_excepthook", lambda app: None)
    monkeypatch.setattr("dn_bodymap.gui.theme.apply_palette", lambda app, dark: None)
    with pytest.raises(RuntimeError):
        app_module.run_app(db="x.db")
    assert gc.isenabled()
