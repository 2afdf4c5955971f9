"""PDF documents built on render/: the session report (with an optional patient handout and
consent form), painted by one path onto a PDF writer, a printer or preview images.

``export_session_pdf`` is what the CLI and the GUI call: it loads the session, writes the PDF and
records the export in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dn_bodymap.atlas.model import Atlas
from dn_bodymap.charting.repository import Repository

#: The database setting that holds the clinic's name (the first-start dialog stores it).
CLINIC_SETTING = "clinic_name"


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    pages: int
    bytes: int


def clinic_name(repo: Repository, override: str | None = None) -> str:
    """The clinic name for page headers: an explicit one, else the database's setting, else ''."""
    if override is not None:
        return override.strip()
    getter = getattr(repo, "get_setting", None)
    if getter is None:
        return ""
    value = getter(CLINIC_SETTING)
    return value.strip() if value else ""


def clinic_logo(repo: Repository) -> bytes | None:
    """The logo stored with the database, if any (older stores have none)."""
    getter = getattr(repo, "get_clinic_logo", None)
    return getter() if getter is not None else None


def record_fingerprint(repo: Repository) -> str:
    """'#<seq> <first 16 hex of the chain head>': short enough to read out, long enough to check."""
    newest = repo.list_audit(limit=1)
    return f"#{newest[0].seq} {newest[0].hash[:16]}" if newest else ""


def report_context(repo: Repository, clinic: str | None = None):
    """What a report prints from outside the record: clinic, logo, version, record fingerprint."""
    from dn_bodymap import __version__
    from dn_bodymap.report.content import ReportContext

    return ReportContext(
        clinic=clinic_name(repo, clinic),
        app_version=__version__,
        logo=clinic_logo(repo),
        fingerprint=record_fingerprint(repo),
    )


def build_session_document(
    repo: Repository,
    atlas: Atlas,
    session_id: str,
    *,
    clinic: str | None = None,
    handout: bool = False,
    consent: bool = False,
):
    """The paged document of a session (for a PDF, the printer or a preview)."""
    from dn_bodymap.report.session_report import session_report

    record = repo.load_session(session_id)  # type: ignore[arg-type]
    patient = repo.get_patient(record.session.patient_id)
    context = report_context(repo, clinic)
    return session_report(patient, record, atlas, context, handout=handout, consent=consent)


def export_session_pdf(
    repo: Repository,
    atlas: Atlas,
    session_id: str,
    out: Path,
    *,
    clinic: str | None = None,
    handout: bool = False,
    consent: bool = False,
) -> ExportResult:
    """Write the session's PDF to ``out`` and audit the export; the file appears whole or not at all."""
    from dn_bodymap.report.document import write_pdf

    doc = build_session_document(repo, atlas, session_id, clinic=clinic, handout=handout, consent=consent)
    pages = write_pdf(doc, Path(out))
    _audit(repo, "session", session_id, Path(out))
    return ExportResult(Path(out), pages, Path(out).stat().st_size)


def _audit(repo: Repository, kind: str, record_id: str, out: Path) -> None:
    """Record the export; a PDF whose export cannot be audited does not stay behind."""
    try:
        repo.record_export(kind, record_id)
    except BaseException:
        out.unlink(missing_ok=True)
        raise


def export_history_pdf(
    repo: Repository, atlas: Atlas, patient_id: str, out: Path, *, clinic: str | None = None
) -> ExportResult:
    """Write the patient's treatment history (pain trend, one block per session); audited."""
    from dn_bodymap.report.document import write_pdf
    from dn_bodymap.report.history_report import history_report

    chart = repo.load_patient_chart(patient_id)  # type: ignore[arg-type]
    context = report_context(repo, clinic)
    pages = write_pdf(history_report(chart, atlas, context), Path(out))
    _audit(repo, "patient", patient_id, Path(out))
    return ExportResult(Path(out), pages, Path(out).stat().st_size)
