"""The arrow and note gestures, without Qt (CONVENTIONS §6)."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import Point, box

from dn_bodymap.charting.editing.annotate import (
    MIN_ARROW_LENGTH,
    AnnotationGestureError,
    area_at,
    arrow_from_drag,
    note_anchor,
    note_text,
    snap_to_mark,
)

MARKS = [("near", 10.0, 10.0), ("far", 100.0, 100.0), ("nearer", 12.0, 11.0)]


def test_snap_picks_the_nearest_mark_within_tolerance() -> None:
    assert snap_to_mark((12.5, 11.0), MARKS, 5.0) == ("nearer", (12.0, 11.0))
    assert snap_to_mark((50.0, 50.0), MARKS, 5.0) == (None, (50.0, 50.0))


def test_arrow_starts_at_the_mark_and_finds_the_area_at_its_tip() -> None:
    areas = [
        ("big", box(0, 50, 100, 150)),
        ("small", box(20, 60, 40, 80)),
        ("other", box(-90, 0, -50, 9)),
    ]
    draft = arrow_from_drag([(13.0, 12.0), (25.0, 40.0), (30.123456, 70.0)], MARKS, areas, 4.0)
    assert draft.mark_id == "nearer" and draft.start == (12.0, 11.0)
    assert draft.tip == (30.12, 70.0) and draft.points == ((12.0, 11.0), (30.12, 70.0))
    assert draft.pain_area_id == "small"  # the smaller patch it points into
    loose = arrow_from_drag([(300.0, 300.0), (330.0, 200.0)], MARKS, areas)
    assert loose.mark_id is None and loose.pain_area_id is None


def test_too_short_or_empty_drags_are_refused_with_a_reason() -> None:
    with pytest.raises(AnnotationGestureError, match="drag"):
        arrow_from_drag([(10.5, 10.5), (11.0, 11.0)], MARKS, (), 5.0)  # snaps, then no length
    with pytest.raises(AnnotationGestureError, match="drag"):
        arrow_from_drag([(0.0, 0.0), (MIN_ARROW_LENGTH / 2, 0.0)])
    with pytest.raises(AnnotationGestureError):
        arrow_from_drag([(math.nan, 1.0), (math.inf, 2.0)])
    with pytest.raises(AnnotationGestureError):
        arrow_from_drag([])


def test_area_at_uses_a_tolerance() -> None:
    disc = Point(0, 0).buffer(10)
    assert area_at((12.0, 0.0), [("d", disc)]) is None
    assert area_at((12.0, 0.0), [("d", disc)], tolerance=3.0) == "d"


def test_note_text_and_anchor() -> None:
    assert note_text("  Worse at night \n") == "Worse at night"
    with pytest.raises(AnnotationGestureError, match="no text"):
        note_text(" \t ")
    assert note_anchor(1.23456, -7.891) == (1.23, -7.89)
    with pytest.raises(AnnotationGestureError):
        note_anchor(math.nan, 1.0)
