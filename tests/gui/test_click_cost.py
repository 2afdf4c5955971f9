"""A click in a session holding 500 marks touches only what changed: the session is not listed
from the store again, the marks list keeps its rows (same items, same places) but the changed
one, and the canvas updates only the changed mark's item."""

from __future__ import annotations

import pytest

from dn_bodymap.charting.records import Mark, Patient
from dn_bodymap.gui.canvas.items import MarkItem
from dn_bodymap.gui.session.controller import AcknowledgementAnswer

THIGH = ("anterior", 60.0, 620.0)  # no mapped hazard


def _trapezius(atlas, side: str) -> tuple[float, float]:
    post = atlas.view("posterior")
    c7, acr = post.landmark("c7"), post.landmark("acromion", side)
    return (c7.x + acr.x) / 2, (c7.y + acr.y) / 2 + 3


@pytest.fixture
def busy_session(make_window, monkeypatch):
    """A session with 500 marks saved before it was opened, with whole-session listings counted."""
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Busy", height_cm=170, weight_kg=65))
    window.start_session(patient.id)
    session_id = window.controller.session_id
    for i in range(500):
        repo.add_mark(
            Mark(
                session_id=session_id,
                view="anterior",
                x=40.0 + i % 20,
                y=600.0 + i // 20,
                atlas_version=window.atlas.version,
                side="left",
                muscle_id="rectus_femoris",
            )
        )
    window.open_session(session_id)
    window.controller.ack_provider = lambda needs: (
        [AcknowledgementAnswer("Pincer grip", "discussed")] * len(needs)
    )
    calls: dict[str, int] = {}
    for name in ("list_marks", "list_pain_areas", "list_annotations", "list_acknowledgements"):
        original = getattr(repo, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] = calls.get(_name, 0) + 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(repo, name, counted)
    return window, repo, calls


def _rows(page) -> list[tuple[str, object, str]]:
    items = [page.marks_list.item(i) for i in range(page.marks_list.count())]
    return [(item.data(256), item, item.text()) for item in items]


def test_a_click_among_500_marks_lists_nothing_and_adds_one_row(busy_session) -> None:
    window, _repo, calls = busy_session
    page = window.session_page
    before = _rows(page)
    assert len(before) == 500
    page._on_view_place_requested(*THIGH)
    after = _rows(page)
    assert len(after) == 501
    assert [(i, item) for i, item, _ in after[:500]] == [(i, item) for i, item, _ in before]
    new_id = after[500][0]
    assert page.marks_list.current_mark() == new_id
    assert calls.get("list_marks", 0) == 0
    assert calls.get("list_pain_areas", 0) == 0 and calls.get("list_annotations", 0) == 0
    assert [m.id for m in window.controller.marks()] == [row[0] for row in after]


def test_editing_deleting_and_undoing_touch_only_that_row(busy_session) -> None:
    window, repo, calls = busy_session
    controller, page = window.controller, window.session_page
    before = _rows(page)
    target = before[123][0]
    other_muscle = next(m for m in window.atlas.muscles if m != "rectus_femoris")
    assert controller.edit_mark(target, muscle_id=other_muscle)
    edited = _rows(page)
    assert [(i, item) for i, item, _ in edited] == [(i, item) for i, item, _ in before]
    changed = [k for k, (b, e) in enumerate(zip(before, edited, strict=True)) if b[2] != e[2]]
    assert changed == [123]
    assert controller.delete_mark(target)
    deleted = _rows(page)
    assert [i for i, _, _ in deleted] == [i for i, _, _ in before if i != target]
    assert all(d[1] is b[1] for d, b in zip(deleted, [b for b in edited if b[0] != target], strict=True))
    controller.undo()
    restored = _rows(page)
    assert [i for i, _, _ in restored] == [i for i, _, _ in before]  # back in its own row
    assert all(r[1] is e[1] for r, e in zip(restored, edited, strict=True) if r[0] != target)
    assert calls.get("list_marks", 0) == 0
    assert [m.id for m in controller.marks()] == [m.id for m in repo.list_marks(controller.session_id)]


def test_an_acknowledged_mark_updates_only_its_own_canvas_item(busy_session, monkeypatch) -> None:
    window, _repo, calls = busy_session
    page = window.session_page
    scene = page.canvas.scenes["anterior"]
    items_before = dict(scene.marks)
    updated: list[str] = []
    original = MarkItem.set_state

    def counting(self, *args, **kwargs):
        updated.append(self.mark_id)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(MarkItem, "set_state", counting)
    mark = window.controller.place_mark("posterior", *_trapezius(window.atlas, "right"))
    assert mark is not None
    assert window.controller.acknowledgements()  # acknowledged: every mark's level is re-read
    assert updated == [mark.id]
    assert all(scene.marks[k] is v for k, v in items_before.items())
    assert mark.id in page.canvas.scenes["posterior"].marks
    assert calls.get("list_marks", 0) == 0


@pytest.fixture
def crowded_session(make_window):
    """A session with 2,000 marks saved before it was opened (the issue's size)."""
    window, repo = make_window()
    patient = repo.add_patient(Patient(display_name="Demo Patient Crowded", height_cm=170, weight_kg=65))
    window.start_session(patient.id)
    session_id = window.controller.session_id
    for i in range(2000):
        repo.add_mark(
            Mark(session_id=session_id, view="anterior", x=35.0 + i % 40 * 0.5, y=590.0 + i // 40 * 1.0,
                 atlas_version=window.atlas.version, side="left", muscle_id="rectus_femoris")
        )  # fmt: skip
    window.open_session(session_id)
    window.controller.ack_provider = lambda needs: (
        [AcknowledgementAnswer("Pincer grip", "discussed")] * len(needs)
    )
    return window, repo


def _count_calls(monkeypatch, owner, name: str, record) -> None:
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        record(*args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)


@pytest.mark.parametrize("where", ["thigh", "trapezius"])  # no hazard; a high one (acknowledged)
def test_a_click_among_2000_marks_touches_only_its_own_item_row_and_site(
    crowded_session, monkeypatch, where
) -> None:
    from dn_bodymap.gui.canvas import scene as scene_module
    from dn_bodymap.gui.canvas.scene import BodyMapScene
    from dn_bodymap.gui.session import marks_list as marks_list_module
    from dn_bodymap.gui.session.marks_list import MarksList
    from dn_bodymap.safety.session import SessionTally

    window, _repo = crowded_session
    page = window.session_page
    window.controller.session_warnings()  # the session rules reviewed once, as on opening
    created: list[str] = []

    class CountingMarkItem(MarkItem):
        def __init__(self, mark_id: str, *args) -> None:
            created.append(mark_id)
            super().__init__(mark_id, *args)

    monkeypatch.setattr(scene_module, "MarkItem", CountingMarkItem)
    upserted: list[str] = []
    _count_calls(
        monkeypatch, BodyMapScene, "upsert_mark", lambda _scene, mark_id, *a: upserted.append(mark_id)
    )
    states: list[str] = []
    _count_calls(monkeypatch, MarkItem, "set_state", lambda item, *a: states.append(item.mark_id))
    rows_shown: list[str] = []
    _count_calls(monkeypatch, marks_list_module, "_show", lambda item, *a: rows_shown.append(item.text()))
    full_rows: list[int] = []
    _count_calls(monkeypatch, MarksList, "set_rows", lambda *a: full_rows.append(1))
    assessed: list[str] = []
    _count_calls(monkeypatch, SessionTally, "put", lambda _tally, key, *a: assessed.append(key))

    point = THIGH if where == "thigh" else ("posterior", *_trapezius(window.atlas, "right"))
    page._on_view_place_requested(*point)

    new_id = page.marks_list.current_mark()
    assert new_id is not None and new_id not in {m.id for m in window.controller.marks()[:2000]}
    assert created == [new_id]  # one item made; the 2,000 others neither rebuilt nor updated
    assert upserted == [new_id] and states == [new_id]
    assert len(rows_shown) == 1 and full_rows == []  # one row shown, the list not rebuilt
    assert page.marks_list.count() == 2001 and page.marks_list.row_ids()[-1] == new_id
    assert assessed == [new_id]  # the session rules re-assessed the new site only
    if where == "trapezius":
        assert window.controller.acknowledgements() and "⚠" in page.marks_list.item(2000).text()


def test_a_mark_item_answers_its_bounding_rect_without_python(qtbot) -> None:
    """Marks ignore the zoom, so Qt asks every mark for its bounding rect on each paint and hit
    test; the rect must come from C++ (a widget's frame margins), not a Python override."""
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtWidgets import QGraphicsScene

    assert "boundingRect" not in vars(MarkItem)
    scene = QGraphicsScene()
    item = MarkItem("m")
    scene.addItem(item)
    item.set_state("Trapezius (right)", "high", True)
    r = MarkItem.RADIUS + 10
    assert item.boundingRect() == QRectF(-r, -r, 2 * r + 6, 2 * r)  # the ring, the badge to the right
    assert item.shape().contains(QPointF(0, 0)) and not item.shape().contains(QPointF(r, -r))
