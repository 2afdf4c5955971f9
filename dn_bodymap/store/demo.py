"""Fictitious demonstration patients, for screenshots, teaching and trying the app safely.

Every name says "Demo Patient" so nobody mistakes it for a real record. The mark positions are one
table (``DEMO_MARKS``) so they can be corrected against the atlas in one place.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dn_bodymap.charting.enums import (
    Activity,
    ConsentType,
    HazardLevel,
    PainQuality,
    Severity,
    Sex,
    Side,
    View,
)
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
from dn_bodymap.charting.timestamps import format_timestamp
from dn_bodymap.store.repository import SqliteRepository

DEMO_ATLAS_VERSION = "demo-1"
DEMO_CLINICIAN = "Demo Clinician Robin Hale"

# (view, x, y, patient side, muscle id, trigger point id). Posterior view: the patient's right is at
# x > 0. Approximate positions on a 1000-unit figure; to be snapped onto the atlas muscles.
DEMO_MARKS: tuple[tuple[View, float, float, Side, str, str], ...] = (
    (View.POSTERIOR, 72.0, 188.0, Side.RIGHT, "trapezius", "trapezius.1"),
    (View.POSTERIOR, -72.0, 188.0, Side.LEFT, "trapezius", "trapezius.1"),
    (View.POSTERIOR, 52.0, 172.0, Side.RIGHT, "levator_scapulae", "levator_scapulae.1"),
    (View.POSTERIOR, 88.0, 252.0, Side.RIGHT, "infraspinatus", "infraspinatus.1"),
    (View.POSTERIOR, 46.0, 430.0, Side.RIGHT, "quadratus_lumborum", "quadratus_lumborum.1"),
    (View.POSTERIOR, -82.0, 505.0, Side.LEFT, "gluteus_medius", "gluteus_medius.1"),
)
# Index into DEMO_MARKS of the mark charted with a hazard acknowledgement (upper trapezius over
# the lung apex). The hazard id is the safety layer's pleura zone.
DEMO_HAZARD_MARK = 0
DEMO_HAZARD_IDS = ("pleura_apex",)

# Pain drawings (view, outline in atlas units): right posterolateral neck to the temple, and the
# right buttock, the referral zones of upper trapezius and gluteus medius.
DEMO_AREAS: tuple[tuple[View, tuple[tuple[float, float], ...]], ...] = (
    (View.POSTERIOR, ((40.0, 60.0), (75.0, 70.0), (80.0, 150.0), (55.0, 175.0), (38.0, 120.0))),
    (View.POSTERIOR, ((-60.0, 480.0), (-120.0, 490.0), (-125.0, 560.0), (-70.0, 570.0))),
)

# name, record number, date of birth, sex, height, weight, marks used (indexes into DEMO_MARKS)
DEMO_PATIENTS = (
    ("Demo Patient Alex Rivera", "DEMO-0001", "1984-03-12", Sex.FEMALE, 168.0, 61.0, (0, 2, 3)),
    ("Demo Patient Sam Okafor", "DEMO-0002", "1971-09-30", Sex.MALE, 181.0, 88.0, (4, 5)),
    ("Demo Patient Jordan Lee", "DEMO-0003", "1996-06-05", Sex.OTHER, 174.0, 70.0, (1, 2)),
    ("Demo Patient Morgan Ito", None, "1959-11-21", Sex.UNSPECIFIED, None, None, (5,)),
)
SESSIONS_PER_PATIENT = 4
WEEKS_BETWEEN_SESSIONS = 1


def fill_demo(repo: SqliteRepository, now: datetime | None = None) -> dict[str, int]:
    """Add the demo patients with weekly sessions ending at ``now``; returns counts."""
    now = now or datetime.now(UTC)
    counts = {"patients": 0, "sessions": 0, "marks": 0, "pain_areas": 0}
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
            screening_answers={"anticoagulants": False, "pregnancy": False, "needle_phobia": False},
            screening_result="no contraindication found",
            pain_pre=pain_pre,
            pain_post=max(0, pain_pre - 2),
            patient_position="prone",
            notes="Demonstration session.",
            advice_given="Heat and gentle stretching; expect soreness for 24-48 h.",
            plan="Review in one week.",
        )
    )
    counts["sessions"] += 1
    placed: list[Mark] = []
    for i in marks:
        view, x, y, side, muscle, trigger_point = DEMO_MARKS[i]
        mark = Mark(
            session_id=session.id,
            view=view,
            x=x,
            y=y,
            atlas_version=DEMO_ATLAS_VERSION,
            side=side,
            muscle_id=muscle,
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
        acknowledgement = None
        if i == DEMO_HAZARD_MARK:
            acknowledgement = HazardAcknowledgement(
                session_id=session.id,
                mark_id=mark.id,
                hazard_ids=DEMO_HAZARD_IDS,
                level=HazardLevel.HIGH,
                message_shown="Lung apex beneath: risk of pneumothorax.",
                acknowledged_by=DEMO_CLINICIAN,
                acknowledged_at=format_timestamp(started + timedelta(minutes=5)),
                technique_chosen="pincer grip, needle directed posteriorly away from the lung",
                disclosed_text="Pneumothorax risk explained; patient agreed.",
            )
        placed.append(repo.add_mark(mark, acknowledgement))
        counts["marks"] += 1
    for area_index, (view, outline) in enumerate(DEMO_AREAS):
        repo.add_pain_area(
            PainArea(
                session_id=session.id,
                view=view,
                geometry=[list(outline)],
                atlas_version=DEMO_ATLAS_VERSION,
                quality=PainQuality.ACHE,
                intensity=pain_pre,
                mark_id=placed[0].id if area_index == 0 else None,
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
            )
        )
    if sign:
        repo.sign_session(
            session.id, DEMO_CLINICIAN, format_timestamp(started + timedelta(minutes=45))
        )
        if week == 0:
            repo.add_addendum(
                Addendum(
                    session_id=session.id,
                    author=DEMO_CLINICIAN,
                    text="Patient phoned next day: soreness settled.",
                    written_at=format_timestamp(started + timedelta(days=1)),
                )
            )
