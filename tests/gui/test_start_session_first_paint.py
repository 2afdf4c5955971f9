"""Reopening the last session at start on a database the writer would open unchanged (gui/app.py
``Start``, issue #14): the session screen is painted from the read-only store, every record it read
there equals the writer's, the writer opens in the first step after the paint, a mark placed before
that step is checked by the hazard rule and written through the writer, and a writer refused after
the paint gives the old message and exit and changes no byte."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scale.session_first_records import identical
from start_support import starts, writer_refused_after_the_paint

from dn_bodymap.charting.records import Clinician
from dn_bodymap.gui.session.controller import AcknowledgementAnswer
from dn_bodymap.gui.session.page import CHECKING_TEXT
from dn_bodymap.store import SqliteRepository, open_store
from dn_bodymap.store.demo import fill_demo
from dn_bodymap.store.first_screen import FirstScreenStore


@pytest.fixture
def draft(db_path: Path, settings) -> str:
    """The demo clinic, its last draft with marks to be reopened; closed cleanly (stamped)."""
    with open_store(db_path, backups=False) as repo:
        repo.set_clinician(Clinician(name="Demo Clinician Robin Hale"))
        fill_demo(repo)
        session_id = next(
            s.session.id for s in repo.list_sessions() if s.mark_count and not s.session.is_signed
        )
    settings.setValue("last_session", session_id)
    return session_id


@pytest.fixture
def start(qtbot, db_path: Path, draft: str, settings):
    yield from starts(qtbot, db_path, settings)


@pytest.fixture
def served(monkeypatch) -> list[tuple[str, tuple, dict, Any]]:
    """Every call the read-only repository answered (before the writer opened), with its result."""
    calls: list[tuple[str, tuple, dict, Any]] = []

    def recording(method: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            calls.append((method.__name__, args, kwargs, result))
            return result

        return call

    lookup, served_by = FirstScreenStore.__getattr__, FirstScreenStore._served

    def wrap(store: FirstScreenStore, found: Any) -> Any:
        by_records = store._records is not None and getattr(found, "__self__", None) is store._records
        return recording(found) if by_records else found

    monkeypatch.setattr(FirstScreenStore, "__getattr__", lambda self, name: wrap(self, lookup(self, name)))
    monkeypatch.setattr(FirstScreenStore, "_served", lambda self, name: wrap(self, served_by(self, name)))
    return calls


def test_the_session_is_painted_read_only_with_the_writers_records(start, served, draft, qtbot) -> None:
    started = start()
    window = started.window
    assert isinstance(window.repo, FirstScreenStore) and started.first.writer is None
    assert window.controller is not None and window.controller.session_id == draft
    assert window.stack.currentWidget() is window.session_page and window.controller.marks()
    assert window.session_page.session_banner.text() == CHECKING_TEXT  # never "no warnings" yet
    read = {name for name, *_ in served}
    assert {"get_session", "list_marks", "list_pain_areas", "list_annotations", "get_patient"} <= read
    qtbot.waitUntil(lambda: started.first.writer is not None)
    writer = started.first.writer
    assert isinstance(writer, SqliteRepository) and not writer.read_only
    assert window.repo is writer and window.patients.repo is writer
    for name, args, kwargs, result in list(served):
        identical(result, getattr(writer, name)(*args, **kwargs), name)  # same classes, same fields
    count = len(served)
    assert window.controller.repo.list_marks(draft) == writer.list_marks(draft)  # now the writer's
    assert len(served) == count  # nothing served read-only once the writer is open


def test_a_mark_placed_before_the_writer_opens_passes_the_rule_and_the_writer(start, draft) -> None:
    started = start()
    window = started.window
    assert started.first.writer is None  # no turn of the event loop yet
    before = len(window.controller.marks())
    asked: list[list[str]] = []
    window.controller.ack_provider = lambda needs: (
        asked.append([str(n.level) for n in needs])
        or [AcknowledgementAnswer("Pincer grip", "discussed")] * len(needs)
    )
    window.session_page.canvas.views["posterior"].placeRequested.emit("posterior", 45.0, 280.0)
    assert asked and asked[0][0] in ("high", "very_high")  # the hazard rule ran, and asked
    writer = started.first.writer
    assert writer is not None  # opened for the write, synchronously
    stored = writer.list_marks(draft)
    assert len(stored) == before + 1 == len(window.controller.marks())
    new = next(m for m in stored if m.x == 45.0 and m.y == 280.0)
    assert new.id in {a.mark_id for a in writer.list_acknowledgements(draft)}


def test_a_writer_refused_after_the_paint_gives_the_same_message_and_exit(
    start, qtbot, db_path: Path, monkeypatch
) -> None:
    started = writer_refused_after_the_paint(start, db_path, qtbot, monkeypatch)
    assert started.window.controller is not None  # the session screen was painted


def test_a_last_session_that_is_gone_shows_the_list_from_the_read_only_store(start, settings, qtbot) -> None:
    settings.setValue("last_session", "no-such-session")
    started = start()
    window = started.window
    assert isinstance(window.repo, FirstScreenStore) and started.first.writer is None
    assert window.controller is None and window.stack.currentWidget() is window.patients
    assert window.patients.patients.count() > 0
    qtbot.waitUntil(lambda: window.repo is started.first.writer and started.first.writer is not None)
