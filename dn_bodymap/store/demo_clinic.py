"""A fictitious, clinic-sized record database (``dn-bodymap demo --patients N``), for benchmarks
and for anyone evaluating the app at the size of a real practice.

Deterministic: the same seed, size and end date give the same records, ids included. Every name
says "Demo Patient". Rows are encoded by the store's own codec from records built with the record
classes (so they are valid by construction), then written in large ``executemany`` transactions;
only ids, times and a few varying fields are substituted per row. Each record gets the audit entry
the repository would write, through ``audit.append`` so the chain verifies whatever its hash is.

Marks sit on library trigger-point locations that need no hazard acknowledgement for these
patients (no thoracic site), so the bulk records need no acknowledgement rows to be complete.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from dn_bodymap.charting.enums import Activity, AuditAction, ConsentType, SessionStatus, Sex, Side, View
from dn_bodymap.charting.records import Consent, Mark, Patient, Session
from dn_bodymap.charting.timestamps import format_timestamp
from dn_bodymap.store import audit, codec
from dn_bodymap.store.repository import SqliteRepository

DEFAULT_SEED = 14
# A fixed end date, so the same seed gives the same file on any day.
DEFAULT_END = datetime(2026, 6, 1, 17, 0, tzinfo=UTC)
CLINICIANS = ("Demo Clinician Robin Hale", "Demo Clinician Ada Marsh", "Demo Clinician Kai Brandt")
FIRST_NAMES = (
    "Alex", "Sam", "Jordan", "Morgan", "Casey", "Riley", "Taylor", "Jamie", "Avery", "Quinn",
    "Rowan", "Sage", "Noel", "Remy", "Ellis", "Harper", "Kit", "Lane", "Marlo", "Parker",
)  # fmt: skip
LAST_NAMES = (
    "Rivera", "Okafor", "Lee", "Ito", "Novak", "Haddad", "Silva", "Berg", "Costa", "Dubois",
    "Fischer", "Garcia", "Hansen", "Ivanova", "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura",
    "Olsen", "Petrov", "Quintero", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Weber", "Yilmaz",
    "Zhang",
)  # fmt: skip
SEXES = (Sex.FEMALE, Sex.MALE, Sex.OTHER, Sex.UNSPECIFIED)
MEAN_SESSIONS = 10  # per patient: 1..19, so about 10 on average
MEAN_MARKS = 10  # per session: 1..19
BATCH_PATIENTS = 500  # patients per transaction
SPAN_DAYS = 3 * 365  # the clinic's history
MARK_VARIANTS = ("fast-in fast-out", "static", "pistoning")
# A valid id for records built only to be encoded or assessed (never written).
_PROBE_ID = str(uuid.UUID(int=0, version=4))


@dataclass(frozen=True)
class Site:
    view: View
    side: Side
    x: float
    y: float
    muscle_id: str
    trigger_point_id: str


def plain_sites() -> list[Site]:
    """Library trigger-point locations where the safety engine asks nothing of these patients."""
    from dn_bodymap.atlas.trigger_points import default_library
    from dn_bodymap.charting.editing.hazard_rule import AcknowledgementNeed, patient_factors
    from dn_bodymap.safety.assess import assess
    from dn_bodymap.safety.levels import needs_acknowledgement

    library = default_library()
    session = Session(patient_id=_PROBE_ID, clinician=CLINICIANS[0], screening_answers={})
    factors = [
        patient_factors(
            Patient(display_name="Demo Patient", sex=sex, height_cm=170.0, weight_kg=68.0), session
        )
        for sex in SEXES
    ]
    sites = []
    for (tp_id, side), tp in sorted(
        library.instances.items(), key=lambda item: (item[0][0], str(item[0][1]))
    ):
        for loc in tp.locations:
            site = Site(View(loc.view), Side(side), loc.x, loc.y, tp.muscle, tp_id)
            probe = Mark(
                session_id=_PROBE_ID,
                view=site.view,
                x=site.x,
                y=site.y,
                atlas_version="probe",
                side=site.side,
            )
            assessments = [assess(str(site.view), (site.x, site.y), f) for f in factors]
            if any(a.thoracic for a in assessments):
                continue
            if any(needs_acknowledgement(AcknowledgementNeed(probe, "", a, ()).level) for a in assessments):
                continue
            sites.append(site)
    return sites


def _atlas_version() -> str:
    from dn_bodymap.atlas.loader import default_atlas

    return default_atlas().version


class _Writer:
    """Queues codec-encoded rows per table and their audit entries, for one transaction per batch."""

    def __init__(self, repo: SqliteRepository) -> None:
        self.repo = repo
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.columns: dict[str, tuple[str, ...]] = {}
        self.audit: list[tuple[str, AuditAction, str, str]] = []

    def add(self, record: codec.Record, at: str) -> None:
        row = codec.to_row(record)
        row["created_at"] = at
        row["updated_at"] = at
        table = codec.TABLES[type(record)]
        self.columns.setdefault(table, tuple(row))
        self.rows.setdefault(table, []).append(tuple(row.values()))
        self.audit.append((at, AuditAction.CREATE, codec.KINDS[type(record)], record.id))

    def add_row(self, table: str, kind: str, columns: tuple[str, ...], row: tuple[Any, ...], at: str) -> None:
        """A row already encoded by the codec (a template with fields substituted); id first."""
        self.columns.setdefault(table, columns)
        self.rows.setdefault(table, []).append(row)
        self.audit.append((at, AuditAction.CREATE, kind, row[0]))

    def flush(self, signed: list[tuple[str, str, str]]) -> None:
        """One transaction: rows (parents first), signatures, then the audit entries in order."""
        db = self.repo.db
        with db.atomic():
            for table in ("patients", "sessions", "marks"):
                columns = self.columns.get(table)
                if columns is None:
                    continue
                db.conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                    self.rows[table],
                )
            db.conn.executemany(
                "UPDATE sessions SET status = ?, signed_by = ?, signed_at = ?, updated_at = ? WHERE id = ?",
                [(SessionStatus.SIGNED.value, by, at, at, sid) for sid, by, at in signed],
            )
            actor = self.repo.actor
            for at, action, kind, entity_id in self.audit:
                audit.append(db, actor=actor, action=action, kind=kind, entity_id=entity_id, at=at)
        self.rows.clear()
        self.audit.clear()


def fill_clinic(
    repo: SqliteRepository,
    patients: int,
    *,
    seed: int = DEFAULT_SEED,
    end: datetime = DEFAULT_END,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Add ``patients`` fictitious patients with their sessions and marks; returns counts."""
    if patients < 1:
        raise ValueError("the number of patients must be at least 1")
    rng = random.Random(seed)
    marks = mark_templates(plain_sites(), _atlas_version())
    counts = {"patients": 0, "sessions": 0, "marks": 0}
    writer = _Writer(repo)
    signed: list[tuple[str, str, str]] = []
    for number in range(1, patients + 1):
        _add_patient(writer, signed, rng, number, marks, end, counts)
        if number % BATCH_PATIENTS == 0 or number == patients:
            writer.flush(signed)
            signed.clear()
            if progress is not None:
                progress(number)
    return counts


_VERSION_MASK = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_BITS = (0x4000 << 64) | (0x8000 << 48)


def _uuid(rng: random.Random) -> str:
    """``str(uuid.UUID(int=rng.getrandbits(128), version=4))``, five times faster."""
    h = f"{(rng.getrandbits(128) & _VERSION_MASK) | _VERSION_BITS:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# Mark fields varied per row, with the values they take; the templates are validated records, and
# every value here is one the record class accepts (tests decode the rows with validation).
_MARK_VARIATIONS: dict[str, Callable[[random.Random], Any]] = {
    "activity": lambda rng: (Activity.ACTIVE if rng.random() < 0.6 else Activity.LATENT).value,
    "tenderness": lambda rng: rng.randint(2, 9),
    "local_twitch_response": lambda rng: int(rng.random() < 0.7),
    "depth_mm": lambda rng: float(5 + rng.randrange(10)),
    "technique": lambda rng: rng.choice(MARK_VARIANTS),
    "passes": lambda rng: rng.randint(3, 8),
}


@dataclass(frozen=True)
class MarkTemplates:
    """One codec-encoded mark row per site, and where the varying fields sit in it."""

    columns: tuple[str, ...]
    rows: list[list[Any]]
    varying: tuple[tuple[int, Callable[[random.Random], Any]], ...]


def mark_templates(sites: list[Site], atlas_version: str) -> MarkTemplates:
    rows = []
    columns: tuple[str, ...] = ()
    for site in sites:
        mark = Mark(
            session_id=_PROBE_ID,
            view=site.view,
            x=site.x,
            y=site.y,
            atlas_version=atlas_version,
            side=site.side,
            muscle_id=site.muscle_id,
            trigger_point_id=site.trigger_point_id,
            activity=Activity.ACTIVE,
            tenderness=5,
            needled=True,
            needle_gauge_mm=0.25,
            needle_length_mm=30.0,
            depth_mm=10.0,
            technique=MARK_VARIANTS[0],
            passes=5,
            duration_s=20.0,
            patient_position="prone",
            id=_PROBE_ID,
        )
        row = {"id": mark.id, "session_id": mark.session_id}
        row.update(codec.to_row(mark))
        row["created_at"] = row["updated_at"] = ""
        columns = tuple(row)
        rows.append(list(row.values()))
    varying = tuple((columns.index(name), choose) for name, choose in _MARK_VARIATIONS.items())
    return MarkTemplates(columns, rows, varying)


def _times(rng: random.Random, count: int, end: datetime) -> Iterator[datetime]:
    """``count`` session starts, oldest first, within the clinic's history, in opening hours."""
    days = sorted(rng.sample(range(SPAN_DAYS), count), reverse=True)
    for day in days:
        yield (end - timedelta(days=day)).replace(hour=8 + rng.randrange(10), minute=rng.choice((0, 20, 40)))


def _add_patient(
    writer: _Writer,
    signed: list[tuple[str, str, str]],
    rng: random.Random,
    number: int,
    marks: MarkTemplates,
    end: datetime,
    counts: dict[str, int],
) -> None:
    sessions = rng.randint(1, 2 * MEAN_SESSIONS - 1)
    starts = list(_times(rng, sessions, end))
    sex = SEXES[rng.randrange(len(SEXES))]
    year = 1940 + rng.randrange(65)
    patient = Patient(
        display_name=f"Demo Patient {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        record_number=f"DEMO-{number:05d}",
        date_of_birth=f"{year:04d}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}",
        sex=sex,
        height_cm=float(150 + rng.randrange(45)),
        weight_kg=float(48 + rng.randrange(60)),
        notes="Fictitious patient for demonstration.",
        id=_uuid(rng),
    )
    writer.add(patient, format_timestamp(starts[0] - timedelta(days=1)))
    counts["patients"] += 1
    clinician = rng.choice(CLINICIANS)
    # About one patient in twenty has today's note still open (a draft).
    open_last = rng.random() < 0.05
    for index, started in enumerate(starts):
        pain_pre = rng.randint(3, 9)
        session = Session(
            patient_id=patient.id,
            clinician=clinician,
            started_at=format_timestamp(started),
            consent=Consent(
                type=ConsentType.WRITTEN if index == 0 else ConsentType.VERBAL,
                date=started.date().isoformat(),
                risks_discussed=("bruising", "post-needling soreness", "fainting"),
                patient_copy_given=index == 0,
            ),
            screening_answers={"anticoagulants": False, "pregnancy": False, "needle_phobia": False},
            screening_result="clear",
            pain_pre=pain_pre,
            pain_post=max(0, pain_pre - rng.randint(0, 3)),
            patient_position="prone",
            notes="Demonstration session.",
            plan="Review in one week.",
            id=_uuid(rng),
        )
        writer.add(session, format_timestamp(started))
        counts["sessions"] += 1
        for m in range(rng.randint(1, 2 * MEAN_MARKS - 1)):
            at = format_timestamp(started + timedelta(minutes=2 + m))
            template = marks.rows[rng.randrange(len(marks.rows))]
            row = template.copy()
            row[0] = _uuid(rng)
            row[1] = session.id
            for column, choose in marks.varying:
                row[column] = choose(rng)
            row[-2] = row[-1] = at
            writer.add_row("marks", "mark", marks.columns, tuple(row), at)
            counts["marks"] += 1
        if not (open_last and index == len(starts) - 1):
            at = format_timestamp(started + timedelta(minutes=45))
            signed.append((session.id, clinician, at))
            writer.audit.append((at, AuditAction.SIGN, "session", session.id))
