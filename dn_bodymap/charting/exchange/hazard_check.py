"""An imported draft passes the same hazard rule as a mark placed by hand.

A draft session read from a file will be carried on in this database, so its live marks must meet
``HazardRule``: a site at ``high`` or above needs an acknowledgement recorded in that same session
for that mark. Signed sessions are left as signed: they were checked when charted, are never edited
again, and an atlas redrawn since then must not make a finished record unimportable.
"""

from __future__ import annotations

from typing import Any

from dn_bodymap.charting.editing.hazard_rule import AcknowledgementRequired, Assessor, HazardRule
from dn_bodymap.charting.exchange.bundle import ExchangeError, PatientBundle, SessionBundle
from dn_bodymap.charting.records import HazardAcknowledgement, Mark, Patient, Session


class _BundleReader:
    """The few repository reads ``HazardRule`` makes, answered from one session of a bundle."""

    def __init__(self, patient: Patient, bundle: SessionBundle) -> None:
        self._patient = patient
        self._session: Session = bundle.session.record
        self._marks = [s.record for s in bundle.marks if not s.is_deleted]
        self._acks = [s.record for s in bundle.acknowledgements]

    def get_session(self, session_id: Any, **_: Any) -> Session:
        return self._session

    def get_patient(self, patient_id: Any, **_: Any) -> Patient:
        return self._patient

    def list_marks(self, session_id: Any, **_: Any) -> list[Mark]:
        return list(self._marks)

    def list_acknowledgements(self, session_id: Any) -> list[HazardAcknowledgement]:
        return list(self._acks)


def require_acknowledged(bundle: PatientBundle, assessor: Assessor | None = None) -> None:
    """Raise ``ExchangeError`` naming the first draft whose hazardous marks lack an acknowledgement."""
    patient: Patient = bundle.patient.record
    for i, session_bundle in enumerate(bundle.sessions):
        session: Session = session_bundle.session.record
        if session.is_signed or session_bundle.session.is_deleted:
            continue
        reader = _BundleReader(patient, session_bundle)
        rule = HazardRule(reader, session.id, assessor=assessor)  # type: ignore[arg-type]
        marks = reader.list_marks(session.id)
        try:
            rule.require(marks, others=[])
        except AcknowledgementRequired as exc:
            what = "; ".join(
                f"mark {n.mark.id} ({n.label}) at {n.level.replace('_', ' ')}" for n in exc.needs
            )
            raise ExchangeError(
                f"sessions[{i}] is a draft with marks over a hazard and no acknowledgement in that "
                f"session: {what}"[:600]
            ) from None
