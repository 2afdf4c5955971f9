"""Fictitious sessions for the report tests, the benchmark and the docs pages.

Marks sit where the library places its trigger points (so they lie on their muscles, on every
view), high-level sites carry the acknowledgement the app asks for, and names and notes can be
given in any script. Also the helpers that export a session and read a PDF back.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dn_bodymap.charting.enums import Activity, AnnotationKind, ConsentType, PainQuality, Severity
from dn_bodymap.charting.records import (
    Addendum,
    AdverseEvent,
    Annotation,
    Consent,
    HazardAcknowledgement,
    Mark,
    PainArea,
    Patient,
    Session,
)
from dn_bodymap.charting.timestamps import format_timestamp
from dn_bodymap.store import open_store

ACK_TECHNIQUE = "Pincer grip, needle directed away from the pleura"
ACK_DISCLOSED = "The risk at this site was explained in plain words; the patient agreed to proceed."
LONG_NOTE = (
    "Symptoms began after a long drive three weeks ago and are worse at the end of the working day. "
    "Sleep is disturbed when lying on the right side. Neck rotation to the left is limited by pain "
    "at end of range; shoulder elevation is full but painful beyond 150 degrees. "
)


def _library_sites(limit: int) -> list[tuple[str, str, str, str, float, float]]:
    """(trigger point id, muscle, side, view, x, y) taken from every view in turn, stable order."""
    from dn_bodymap.atlas.trigger_points import default_library

    library = default_library()
    order = ["posterior", "anterior", "lateral_right", "lateral_left"]
    by_view: dict[str, list[tuple[str, str, str, str, float, float]]] = {v: [] for v in order}
    for (tp_id, side), tp in sorted(library.instances.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        for loc in tp.locations:
            if str(loc.view) in by_view:
                by_view[str(loc.view)].append((tp_id, tp.muscle, str(side), str(loc.view), loc.x, loc.y))
                break
    out = [s for group in itertools.zip_longest(*by_view.values()) for s in group if s is not None]
    return out[:limit]


def chosen_sites(sites: list[tuple[str, str]]) -> list[tuple[str, str, str, str, float, float]]:
    """(trigger point id, side) → the library's first location of each, as ``_library_sites``."""
    from dn_bodymap.atlas.trigger_points import default_library

    library = default_library()
    out = []
    for tp_id, side in sites:
        tp = next(t for (i, sd), t in library.instances.items() if i == tp_id and str(sd) == side)
        loc = tp.locations[0]
        out.append((tp_id, tp.muscle, side, str(loc.view), loc.x, loc.y))
    return out


def build_session(
    db: Path,
    *,
    marks: int = 8,
    sites: list[tuple[str, str]] | None = None,
    name: str = "Demo Patient Alex Rivera",
    notes: str = "Demonstration session.",
    mark_note: str = "",
    sign: bool = True,
    extras: bool = True,
    referral_areas: bool = False,
) -> tuple[str, str]:
    """A session in the database at ``db``; returns (patient id, session id)."""
    from dn_bodymap.safety.assess import assess_document

    # An hour ago: a signature and an addendum carry the clock's time (never back-dated).
    started = (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)
    with open_store(db, actor="tests") as repo:
        patient = repo.add_patient(
            Patient(display_name=name, record_number="DEMO-0042", date_of_birth="1984-03-12")
        )
        session = repo.create_session(
            Session(
                patient_id=patient.id,
                clinician="Demo Clinician Robin Hale",
                started_at=format_timestamp(started),
                consent=Consent(
                    type=ConsentType.WRITTEN,
                    date=started.date().isoformat(),
                    risks_discussed=("bruising", "post-needling soreness", "fainting", "pneumothorax"),
                    pneumothorax_discussed=True,
                    patient_copy_given=True,
                ),
                screening_answers={"anticoagulants": False, "pregnancy": False},
                screening_result="clear",
                pain_pre=6,
                pain_post=3,
                patient_position="prone",
                notes=notes,
                advice_given="Heat and gentle stretching; expect soreness for 24-48 h.",
                plan="Review in one week; progress scapular control exercises.",
            )
        )
        placed: list[Mark] = []
        chosen = chosen_sites(sites) if sites else _library_sites(marks)
        for i, (tp_id, muscle, side, view, x, y) in enumerate(chosen):
            mark = Mark(
                session_id=session.id,
                view=view,
                x=x,
                y=y,
                atlas_version="1.0",
                side=side,
                muscle_id=muscle,
                trigger_point_id=tp_id,
                activity=Activity.ACTIVE if i % 3 else Activity.LATENT,
                tenderness=4 + i % 6,
                referral_reproduced=i % 2 == 0,
                local_twitch_response=i % 3 == 0,
                needled=True,
                needle_gauge_mm=0.25,
                needle_length_mm=30.0,
                depth_mm=12.0 + i % 10,
                technique="fast-in fast-out",
                passes=4 + i % 5,
                response="local twitch" if i % 3 == 0 else None,
                notes=mark_note,
            )
            doc = assess_document(view, x, y)
            ack = None
            if doc["level"] in ("high", "very_high", "no_needle"):
                ack = HazardAcknowledgement(
                    session_id=session.id,
                    mark_id=mark.id,
                    hazard_ids=tuple(h["id"] for h in doc["hazards"]),
                    level=doc["level"],
                    message_shown=" | ".join(h["message"] for h in doc["hazards"])[:4000],
                    acknowledged_by="Demo Clinician Robin Hale",
                    acknowledged_at=format_timestamp(started + timedelta(minutes=5)),
                    technique_chosen=ACK_TECHNIQUE,
                    disclosed_text=ACK_DISCLOSED,
                )
            placed.append(repo.add_mark(mark, ack))
        if extras and placed:
            _add_extras(repo, session.id, placed, started, referral_areas)
        if sign:
            repo.sign_session(session.id, "Demo Clinician Robin Hale")
            if extras:
                repo.add_addendum(
                    Addendum(
                        session_id=session.id,
                        author="Demo Clinician Robin Hale",
                        text="Patient phoned this afternoon: soreness already settling.",
                    )
                )
        return patient.id, session.id


def _add_extras(repo, session_id: str, marks: list[Mark], started: datetime, referral: bool = False) -> None:
    """Pain areas of three qualities (blobs, or the marks' referral zones), a referral arrow, a
    note and an adverse event."""
    from shapely.geometry import Point, mapping

    from dn_bodymap.atlas.trigger_points import default_library

    library = default_library()
    qualities = [PainQuality.ACHE, PainQuality.SHARP, PainQuality.NUMBNESS_TINGLING]
    tips: list[tuple[float, float]] = []
    for mark, quality in zip(marks[:3], qualities, strict=False):
        shape = Point(mark.x + 18, mark.y + 30).buffer(22, quad_segs=8)
        if referral:
            tp = library.instances[(mark.trigger_point_id, mark.side)]  # type: ignore[index]
            zone = tp.zone_geometry("essential", str(mark.view))
            if not zone.is_empty:
                shape = zone.buffer(0).simplify(0.5)
        tips.append(shape.representative_point().coords[0])
        repo.add_pain_area(
            PainArea(
                session_id=session_id,
                view=mark.view,
                geometry=mapping(shape),
                atlas_version="1.0",
                quality=quality if not referral else PainQuality.ACHE,
                intensity=5,
            )
        )
    first = marks[0]
    repo.add_annotation(
        Annotation(
            session_id=session_id,
            view=first.view,
            kind=AnnotationKind.ARROW,
            points=((first.x, first.y), tips[0] if referral else (first.x + 16, first.y + 28)),
            atlas_version="1.0",
            mark_id=first.id,
        )
    )
    repo.add_annotation(
        Annotation(
            session_id=session_id,
            view=first.view,
            kind=AnnotationKind.NOTE,
            points=((first.x - 60, first.y + 80),),
            atlas_version="1.0",
            text="Tight band palpable along the upper border",
        )
    )
    repo.add_adverse_event(
        AdverseEvent(
            session_id=session_id,
            type="Bruising",
            severity=Severity.MILD,
            notes="Small bruise at site 2; advised ice.",
            occurred_at=format_timestamp(started + timedelta(minutes=30)),
        )
    )


def pdf_text(path: Path) -> list[str]:
    """Each page's text with runs of white space folded (Qt places words one by one)."""
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


def poppler_text(path: Path) -> str:
    """pdftotext's reading of the file (bidi-aware), white space folded, embedding marks dropped."""
    import subprocess

    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out).replace("\u202b", "").replace("\u202c", "")


def export(db: Path, session_id: str, out: Path, **kwargs) -> Path:
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.report import export_session_pdf
    from dn_bodymap.store import open_store

    with open_store(db, actor="tests") as repo:
        export_session_pdf(repo, default_atlas(), session_id, out, **kwargs)
    return out
