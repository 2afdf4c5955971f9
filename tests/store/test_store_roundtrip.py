"""Every record type comes back from the database exactly as it was saved."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_builders import make_ack, make_area, make_mark, make_patient

from dn_bodymap.charting.enums import Activity, PainQuality, Severity, Sex, View
from dn_bodymap.charting.errors import NotFoundError
from dn_bodymap.charting.records import Addendum, AdverseEvent, Consent, Patient, Session
from dn_bodymap.charting.validation import ValidationError
from dn_bodymap.store.repository import SqliteRepository


def test_patient_roundtrip(repo: SqliteRepository) -> None:
    p = make_patient(
        "José Álvarez-Núñez",
        record_number="MRN 42/b",
        date_of_birth="1980-02-29",
        sex=Sex.MALE,
        height_cm=180.3,
        weight_kg=81.25,
        notes="line 1\nline 2 — ünïcode",
    )
    repo.add_patient(p)
    assert repo.get_patient(p.id) == p


def test_session_roundtrip_with_consent_and_screening(repo: SqliteRepository, patient: Patient) -> None:
    s = Session(
        patient_id=patient.id,
        clinician="Dr Test",
        started_at="2026-03-01T09:30:00Z",
        consent=Consent(
            type="written",
            date="2026-03-01",
            risks_discussed=("bruising", "pneumothorax"),
            pneumothorax_discussed=True,
            patient_copy_given=True,
        ),
        screening_answers={"anticoagulants": False, "bmi": 22.5, "other": "none", "n": 3},
        screening_result="clear",
        pain_pre=7,
        pain_post=3,
        patient_position="prone",
        notes="n",
        advice_given="a",
        plan="p",
    )
    repo.create_session(s)
    assert repo.get_session(s.id) == s


def test_mark_ack_area_event_addendum_roundtrip(repo: SqliteRepository, session: Session) -> None:
    m = make_mark(
        session,
        activity=Activity.ACTIVE,
        tenderness=8,
        referral_reproduced=True,
        local_twitch_response=True,
        needled=True,
        needle_gauge_mm=0.16,
        needle_length_mm=30.0,
        depth_mm=12.345678901234567,
        technique="fast-in fast-out",
        passes=7,
        duration_s=12.5,
        patient_position="prone",
        response="twitch",
        notes="ok",
        x=0.1 + 0.2,
    )
    ack = make_ack(m, technique_chosen="pincer", disclosed_text="explained")
    repo.add_mark(m, ack)
    area = make_area(session, mark_id=m.id, quality=PainQuality.BURNING, intensity=6)
    repo.add_pain_area(area)
    event = AdverseEvent(session_id=session.id, type="bruising", severity=Severity.MILD, notes="x")
    repo.add_adverse_event(event)
    add = Addendum(session_id=session.id, author="Dr Test", text="called back")
    repo.add_addendum(add)

    assert repo.get_mark(m.id) == m
    assert repo.get_mark(m.id).x == 0.1 + 0.2  # exact double, not rounded
    assert repo.get_pain_area(area.id) == area
    record = repo.load_session(session.id)
    assert record.marks == (m,)
    assert record.pain_areas == (area,)
    assert record.acknowledgements == (ack,)
    assert record.adverse_events == (event,)
    assert record.addenda == (add,)


def test_multipolygon_geometry_is_lossless(repo: SqliteRepository, session: Session) -> None:
    tiny = 1e-300
    geo = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[0.1, 0.2], [1 / 3, 0.0], [2 / 3, 2 / 7], [0.1, 0.2]]],
            [[[100.0, 100.0], [200.0, 100.0], [200.0, 200.0 + tiny], [100.0, 100.0]]],
        ],
    }
    area = make_area(session, geometry=geo)
    repo.add_pain_area(area)
    stored = repo.get_pain_area(area.id)
    assert stored.geometry.to_geojson() == geo
    assert repo.db.execute("SELECT atlas_version FROM pain_areas").fetchone()[0] == "test-1"


def test_load_patient_chart_groups_by_session(repo: SqliteRepository, patient: Patient) -> None:
    sessions = [
        repo.create_session(
            Session(patient_id=patient.id, clinician="Dr", started_at=f"2026-03-0{i}T09:00:00Z")
        )
        for i in (3, 1, 2)
    ]
    for s in sessions:
        for _ in range(3):
            repo.add_mark(make_mark(s))
    chart = repo.load_patient_chart(patient.id)
    assert [r.session.started_at[:10] for r in chart.sessions] == [
        "2026-03-01",
        "2026-03-02",
        "2026-03-03",
    ]
    assert all(len(r.marks) == 3 for r in chart.sessions)
    assert all(m.session_id == r.session.id for r in chart.sessions for m in r.marks)


def test_search_by_name_or_record_number(repo: SqliteRepository) -> None:
    a = repo.add_patient(make_patient("José Álvarez", record_number="AB-100"))
    b = repo.add_patient(make_patient("Joanna Smith", record_number="ZZ_9%"))
    repo.add_patient(make_patient("Archie Old", archived=True))
    ids = lambda text: {s.patient.id for s in repo.search_patients(text)}  # noqa: E731
    assert ids("jose") == {a.id}
    assert ids("ÁLVAREZ") == {a.id}
    assert ids("alvarez jose") == {a.id}
    assert ids("ab-1") == {a.id}
    assert ids("jo") == {a.id, b.id}
    assert ids("_9%") == {b.id}
    assert ids("%") == {b.id}  # taken literally, not as a wildcard
    assert ids("") == {a.id, b.id}
    assert len(repo.search_patients("archie", include_archived=True)) == 1


def test_update_and_missing(repo: SqliteRepository, session: Session) -> None:
    m = repo.add_mark(make_mark(session))
    moved = dataclasses.replace(m, x=-12.0, tenderness=3)
    repo.update_mark(moved)
    assert repo.get_mark(m.id) == moved
    with pytest.raises(NotFoundError):
        repo.get_mark(make_mark(session).id)
    with pytest.raises(NotFoundError):
        repo.update_mark(make_mark(session))


def test_bad_values_store_nothing(repo: SqliteRepository, session: Session) -> None:
    before = _counts(repo.db.conn)
    with pytest.raises(ValidationError):
        repo.add_mark(make_mark(session, x=float("nan")))
    m = make_mark(session)
    wrong_ack = make_ack(make_mark(session))  # for a different mark
    with pytest.raises(ValidationError, match="mark_id"):
        repo.add_mark(m, wrong_ack)
    with pytest.raises(ValidationError, match="mark_id"):
        repo.add_pain_area(make_area(session, mark_id=m.id))  # mark was never saved
    assert _counts(repo.db.conn) == before


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


finite_x = st.floats(-600, 600, allow_nan=False)
finite_y = st.floats(-50, 1050, allow_nan=False)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    x=finite_x,
    y=finite_y,
    view=st.sampled_from(list(View)),
    tenderness=st.none() | st.integers(0, 10),
    gauge=st.none() | st.floats(0.1, 0.5),
    notes=st.text(max_size=50).filter(lambda t: "\x00" not in t),
)
def test_any_valid_mark_roundtrips(
    repo: SqliteRepository,
    session: Session,
    x: float,
    y: float,
    view: View,
    tenderness: int | None,
    gauge: float | None,
    notes: str,
) -> None:
    m = make_mark(session, x=x, y=y, view=view, tenderness=tenderness, needle_gauge_mm=gauge, notes=notes)
    repo.add_mark(m)
    assert repo.get_mark(m.id) == m
    assert repo.list_marks(session.id)[-1] == m


def _assert_same_types(a: object, b: object) -> None:
    for f in dataclasses.fields(a):  # type: ignore[arg-type]
        x, y = getattr(a, f.name), getattr(b, f.name)
        assert type(x) is type(y), (f.name, x, y)
        assert x == y, f.name


def test_bulk_loads_restore_exact_types(repo: SqliteRepository, session: Session) -> None:
    m = make_mark(session, activity="latent", tenderness=3, needled=True, depth_mm=5)
    ack = make_ack(m)
    repo.add_mark(m, ack)
    area = repo.add_pain_area(make_area(session, mark_id=m.id, intensity=4))
    event = repo.add_adverse_event(AdverseEvent(session_id=session.id, type="t", severity="mild"))
    record = repo.load_session(session.id)
    chart = repo.load_patient_chart(session.patient_id)
    for loaded in (record, chart.sessions[0]):
        _assert_same_types(loaded.marks[0], m)
        _assert_same_types(loaded.acknowledgements[0], ack)
        _assert_same_types(loaded.pain_areas[0], area)
        _assert_same_types(loaded.adverse_events[0], event)
        _assert_same_types(loaded.session, session)
    _assert_same_types(repo.list_sessions()[0].session, session)
    _assert_same_types(repo.search_patients()[0].patient, repo.get_patient(session.patient_id))
