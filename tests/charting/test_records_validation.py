"""Record types refuse bad values with a ValidationError naming the field."""

from __future__ import annotations

import dataclasses
import math
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dn_bodymap.charting.enums import SessionStatus, Side, View
from dn_bodymap.charting.ids import is_record_id, new_id
from dn_bodymap.charting.records import (
    Addendum,
    AdverseEvent,
    Consent,
    HazardAcknowledgement,
    Mark,
    PainArea,
    Patient,
    Session,
)
from dn_bodymap.charting.timestamps import format_timestamp, parse_timestamp
from dn_bodymap.charting.validation import ValidationError


def mark(**kw: object) -> Mark:
    values: dict[str, object] = dict(
        session_id=new_id(),
        view="posterior",
        x=10.0,
        y=200.0,
        atlas_version="1",
        side="right",
    )
    values.update(kw)
    return Mark(**values)  # type: ignore[arg-type]


def test_ids_are_canonical_uuid4() -> None:
    ids = {Patient(display_name="A").id for _ in range(50)}
    assert len(ids) == 50
    assert all(is_record_id(i) for i in ids)
    assert not is_record_id("ABC")
    assert not is_record_id(new_id().upper())


def test_strings_become_enums_and_times_canonical_utc() -> None:
    m = mark()
    assert m.view is View.POSTERIOR and m.side is Side.RIGHT
    s = Session(patient_id=new_id(), clinician="Dr A", started_at="2026-03-01T10:30:00+02:00")
    assert s.started_at == "2026-03-01T08:30:00.000000Z"
    assert s.status is SessionStatus.DRAFT


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("x", math.nan),
        ("x", math.inf),
        ("x", 601.0),
        ("y", -51.0),
        ("y", "200"),
        ("x", True),
        ("view", "front"),
        ("side", "both"),
        ("tenderness", 11),
        ("tenderness", 5.5),
        ("needle_gauge_mm", 0.05),
        ("needle_gauge_mm", math.nan),
        ("needle_length_mm", 500.0),
        ("depth_mm", -1.0),
        ("passes", -1),
        ("needled", 1),
        ("muscle_id", "Trapezius"),
        ("muscle_id", "trapezius left"),
        ("trigger_point_id", "trapezius"),
        ("atlas_version", ""),
        ("notes", "bad\x00nul"),
        ("notes", "x" * 20_001),
        ("session_id", "not-a-uuid"),
        ("id", ""),
    ],
)
def test_mark_rejects_bad_values_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        mark(**{field: value})
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)


def test_depth_cannot_exceed_needle_length() -> None:
    mark(depth_mm=30.0, needle_length_mm=30.0)
    with pytest.raises(ValidationError, match="depth_mm"):
        mark(depth_mm=31.0, needle_length_mm=30.0)


def test_replace_revalidates() -> None:
    with pytest.raises(ValidationError):
        dataclasses.replace(mark(), tenderness=12)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"display_name": "  "}, "display_name"),
        ({"display_name": "A", "date_of_birth": "1850-01-01"}, "date_of_birth"),
        ({"display_name": "A", "date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"display_name": "A", "date_of_birth": "12/03/1984"}, "date_of_birth"),
        ({"display_name": "A", "height_cm": math.inf}, "height_cm"),
        ({"display_name": "A", "weight_kg": 0}, "weight_kg"),
        ({"display_name": "A", "sex": "m"}, "sex"),
        ({"display_name": "A", "archived": "no"}, "archived"),
    ],
)
def test_patient_rejects(kw: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Patient(**kw)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_session_rules() -> None:
    pid = new_id()
    with pytest.raises(ValidationError, match="time zone"):
        Session(patient_id=pid, clinician="A", started_at="2026-03-01T10:30:00")
    with pytest.raises(ValidationError, match="pain_pre"):
        Session(patient_id=pid, clinician="A", pain_pre=11)
    with pytest.raises(ValidationError, match="signed_by"):
        Session(patient_id=pid, clinician="A", status="signed")
    with pytest.raises(ValidationError, match="status"):
        Session(patient_id=pid, clinician="A", signed_by="A")
    with pytest.raises(ValidationError, match="screening_answers"):
        Session(patient_id=pid, clinician="A", screening_answers={"q1": math.nan})
    with pytest.raises(ValidationError, match="screening_answers"):
        Session(patient_id=pid, clinician="A", screening_answers={"Q 1": True})
    with pytest.raises(ValidationError, match=r"consent\.type"):
        Consent(type="implied", date="2026-01-01")
    with pytest.raises(ValidationError, match="consent"):
        Session(patient_id=pid, clinician="A", consent={"type": "written"})  # type: ignore[arg-type]


def test_other_records_reject() -> None:
    sid, mid = new_id(), new_id()
    with pytest.raises(ValidationError, match="hazard_ids"):
        HazardAcknowledgement(
            session_id=sid,
            mark_id=mid,
            hazard_ids=(),
            level="high",
            message_shown="m",
            acknowledged_by="A",
        )
    with pytest.raises(ValidationError, match="level"):
        HazardAcknowledgement(
            session_id=sid,
            mark_id=mid,
            hazard_ids=("lung",),
            level="extreme",
            message_shown="m",
            acknowledged_by="A",
        )
    with pytest.raises(ValidationError, match="severity"):
        AdverseEvent(session_id=sid, type="bruise", severity="minor")
    with pytest.raises(ValidationError, match="text"):
        Addendum(session_id=sid, author="A", text="")


@given(st.one_of(st.floats(), st.integers(), st.text(max_size=3), st.none(), st.booleans()))
def test_any_x_is_either_valid_or_refused(value: object) -> None:
    try:
        m = mark(x=value)
    except ValidationError as exc:
        assert exc.field == "x"
    else:
        assert isinstance(m.x, float) and math.isfinite(m.x) and -600 <= m.x <= 600
        assert not isinstance(value, bool)


@given(st.one_of(st.integers(-5, 15), st.floats(), st.booleans(), st.text(max_size=2)))
def test_any_tenderness_is_either_valid_or_refused(value: object) -> None:
    try:
        m = mark(tenderness=value)
    except ValidationError as exc:
        assert exc.field == "tenderness"
    else:
        assert type(m.tenderness) is int and 0 <= m.tenderness <= 10


@given(st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2200, 1, 1), timezones=st.timezones()))
def test_timestamps_normalise_to_sortable_utc(moment) -> None:  # type: ignore[no-untyped-def]
    text = format_timestamp(moment)
    assert text.endswith("Z") and len(text) == 27
    assert parse_timestamp(text) == moment.astimezone(UTC)
    assert format_timestamp(parse_timestamp(text)) == text


def test_pain_area_accepts_rings_or_geojson() -> None:
    sid = new_id()
    ring = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]]
    a = PainArea(session_id=sid, view="anterior", geometry=[ring], atlas_version="1")
    b = PainArea(
        session_id=sid,
        view="anterior",
        geometry={"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        atlas_version="1",
    )
    assert a.geometry == b.geometry
    assert a.geometry.to_geojson()["coordinates"][0][-1] == [0.0, 0.0]
