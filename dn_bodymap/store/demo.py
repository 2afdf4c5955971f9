"""Fictitious demonstration patients, for screenshots, teaching and trying the app safely.

Every name says "Demo Patient" so nobody mistakes it for a real record. The mark positions are one
table (``DEMO_MARKS``) so they can be corrected against the atlas in one place.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dn_bodymap.charting.enums import (
    Activity,
    ConsentType,
    PainQuality,
    Severity,
    Sex,
    Side,
    View,
)
from dn_bodymap.charting.records import (
    Addendum,
    AdverseEvent,
    Clinician,
    Consent,
    HazardAcknowledgement,
    Mark,
    PainArea,
    Patient,
    Session,
)
from dn_bodymap.charting.timestamps import format_timestamp
from dn_bodymap.store.repository import SqliteRepository

# The database's clinician profile: the session, acknowledgements, events, addenda and signatures
# carry its signature line.
DEMO_PROFILE = Clinician(
    name="Demo Clinician Robin Hale", profession="Physiotherapist", registration_number="DEMO-0000"
)
DEMO_CLINICIAN = DEMO_PROFILE.signature
DEMO_CLINIC = "Demo Clinic (fictitious)"

# (view, patient side, library trigger point): each mark sits where the library places that
# trigger point on the atlas, so it lies on its muscle; the first one is over the lung apex and is
# charted with the hazard acknowledgement the safety engine asks for there.
DEMO_MARKS: tuple[tuple[View, Side, str], ...] = (
    (View.POSTERIOR, Side.RIGHT, "trapezius.1"),
    (View.POSTERIOR, Side.LEFT, "trapezius.1"),
    (View.POSTERIOR, Side.RIGHT, "levator_scapulae.1"),
    (View.POSTERIOR, Side.RIGHT, "infraspinatus.1"),
    (View.POSTERIOR, Side.RIGHT, "quadratus_lumborum.1"),
    (View.POSTERIOR, Side.LEFT, "gluteus_medius.1"),
)
# Marks whose essential referral zone is drawn as the session's pain area (by DEMO_MARKS index).
DEMO_AREA_MARKS = (0, 3, 4, 5)

# name, record number, date of birth, sex, height, weight, marks used (indexes into DEMO_MARKS)
DEMO_PATIENTS = (
    ("Demo Patient Alex Rivera", "DEMO-0001", "1984-03-12", Sex.FEMALE, 168.0, 61.0, (0, 2, 3)),
    ("Demo Patient Sam Okafor", "DEMO-0002", "1971-09-30", Sex.MALE, 181.0, 88.0, (4, 5)),
    ("Demo Patient Jordan Lee", "DEMO-0003", "1996-06-05", Sex.OTHER, 174.0, 70.0, (1, 2)),
    ("Demo Patient Morgan Ito", None, "1959-11-21", Sex.UNSPECIFIED, None, None, (5,)),
)
SESSIONS_PER_PATIENT = 4
WEEKS_BETWEEN_SESSIONS = 1


def _atlas_and_library():
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.atlas.trigger_points import default_library

    return default_atlas(), default_library()


def to_geojson(geom) -> dict:
    from shapely.geometry import mapping

    return mapping(geom)


def _acknowledgement(
    repo: SqliteRepository, mark: Mark, placed: list[Mark], started: datetime
) -> HazardAcknowledgement | None:
    """The acknowledgement the editing session's hazard rule asks for at this site, or None."""
    from dataclasses import replace

    from dn_bodymap.charting.editing import HazardRule

    need = HazardRule(repo, mark.session_id).need(mark, placed)
    if need is None:
        return None
    ack = need.acknowledge(
        DEMO_CLINICIAN,
        "Pincer grip, needle directed away from the pleura",
        "Pneumothorax risk explained; patient agreed.",
    )
    return replace(ack, acknowledged_at=format_timestamp(started + timedelta(minutes=5)))


def fill_demo(repo: SqliteRepository, now: datetime | None = None) -> dict[str, int]:
    """Add the demo patients with weekly sessions ending at ``now``; returns counts."""
    with repo.fictitious_history():  # weeks of signed sessions: times before today, by design
        return _fill_demo(repo, now)


def _fill_demo(repo: SqliteRepository, now: datetime | None) -> dict[str, int]:
    now = now or datetime.now(UTC)
    counts = {"patients": 0, "sessions": 0, "marks": 0, "pain_areas": 0}
    repo.set_clinician(DEMO_PROFILE)
    repo.set_setting("clinic_name", DEMO_CLINIC)
    for index, (name, number, dob, sex, height, weight, marks) in enumerate(DEMO_PATIENTS):
        patient = repo.add_patient(
            Patient(
                display_name=name,
                record_number=number,
                date_of_birth=dob,
                sex=sex,
                height_cm=height,
                weight_kg=weight,
                notes="Fictitious patient for demonstration.",
            )
        )
        counts["patients"] += 1
        for week in range(SESSIONS_PER_PATIENT):
            started = now - timedelta(
                weeks=WEEKS_BETWEEN_SESSIONS * (SESSIONS_PER_PATIENT - 1 - week), hours=index
            )
            last = week == SESSIONS_PER_PATIENT - 1
            _demo_session(repo, patient, started, week, marks, counts, sign=not last)
        if index == 0:  # a draft opened by mistake, voided with its reason (hidden from lists)
            mistaken = repo.create_session(Session(patient_id=patient.id, clinician=DEMO_CLINICIAN))
            repo.void_session(mistaken.id, "Opened by mistake: the patient had not arrived yet.")
    return counts


def _demo_session(
    repo: SqliteRepository,
    patient: Patient,
    started: datetime,
    week: int,
    marks: tuple[int, ...],
    counts: dict[str, int],
    *,
    sign: bool,
) -> None:
    pain_pre = max(1, 7 - week)
    session = repo.create_session(
        Session(
            patient_id=patient.id,
            clinician=DEMO_CLINICIAN,
            started_at=format_timestamp(started),
            consent=Consent(
                type=ConsentType.WRITTEN if week == 0 else ConsentType.VERBAL,
                date=started.date().isoformat(),
                risks_discussed=("bruising", "post-needling soreness", "fainting", "pneumothorax"),
                pneumothorax_discussed=True,
                patient_copy_given=week == 0,
            ),
            screening_answers={
                "anticoagulants": False,
                "pregnancy": False,
                "needle_phobia": False,
                "lung_disease": False,
                "thoracic_surgery": False,
            },
            screening_result="clear",
            pain_pre=pain_pre,
            pain_post=max(0, pain_pre - 2),
            patient_position="prone",
            notes="Demonstration session.",
            advice_given="Heat and gentle stretching; expect soreness for 24-48 h.",
            plan="Review in one week.",
        )
    )
    counts["sessions"] += 1
    atlas, library = _atlas_and_library()
    placed: list[Mark] = []
    for i in marks:
        view, side, trigger_point = DEMO_MARKS[i]
        tp = library.instances[(trigger_point, side)]
        loc = next(loc for loc in tp.locations if loc.view == view)
        mark = Mark(
            session_id=session.id,
            view=view,
            x=loc.x,
            y=loc.y,
            atlas_version=atlas.version,
            side=side,
            muscle_id=tp.muscle,
            trigger_point_id=trigger_point,
            activity=Activity.ACTIVE if week < 2 else Activity.LATENT,
            tenderness=max(2, 8 - week),
            referral_reproduced=week == 0,
            local_twitch_response=True,
            needled=True,
            needle_gauge_mm=0.25,
            needle_length_mm=30.0,
            depth_mm=15.0,
            technique="fast-in fast-out",
            passes=6,
            duration_s=20.0,
            patient_position="prone",
            response="local twitch, referral reproduced" if week == 0 else "local twitch",
        )
        placed.append(repo.add_mark(mark, _acknowledgement(repo, mark, placed, started)))
        counts["marks"] += 1
    for i, mark in zip(marks, placed, strict=True):
        if i not in DEMO_AREA_MARKS:
            continue
        view, side, trigger_point = DEMO_MARKS[i]
        zone = library.instances[(trigger_point, side)].zone_geometry("essential", view)
        if zone.is_empty:
            continue
        repo.add_pain_area(
            PainArea(
                session_id=session.id,
                view=view,
                geometry=to_geojson(zone.simplify(0.5)),
                atlas_version=atlas.version,
                quality=PainQuality.ACHE,
                intensity=pain_pre,
                mark_id=mark.id,
            )
        )
        counts["pain_areas"] += 1
    if week == 1:
        repo.add_adverse_event(
            AdverseEvent(
                session_id=session.id,
                type="bruising",
                severity=Severity.MILD,
                notes="Small bruise at the needling site; resolved within days.",
                occurred_at=format_timestamp(started + timedelta(minutes=40)),
                recorded_by=DEMO_CLINICIAN,
                recorded_at=format_timestamp(started + timedelta(minutes=42)),
            )
        )
    if sign:
        repo.sign_session(session.id, DEMO_CLINICIAN, format_timestamp(started + timedelta(minutes=45)))
        if week == 0:
            repo.add_addendum(
                Addendum(
                    session_id=session.id,
                    author=DEMO_CLINICIAN,
                    text="Patient phoned next day: soreness settled.",
                    written_at=format_timestamp(started + timedelta(days=1)),
                )
            )
            # Reported after signing: a dated entry under the signed note, which stays signed.
            repo.add_adverse_event(
                AdverseEvent(
                    session_id=session.id,
                    type="Drowsiness or fatigue",
                    severity=Severity.MILD,
                    notes="Reported by phone the next day: tired the evening after treatment.",
                    occurred_at=format_timestamp(started + timedelta(hours=6)),
                    recorded_by=DEMO_CLINICIAN,
                    recorded_at=format_timestamp(started + timedelta(days=1, minutes=5)),
                )
            )
