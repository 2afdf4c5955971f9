"""The rule "a mark at ``high`` or above needs an acknowledgement in its own session", held once.

Every mark write made by an editing session passes through ``HazardRule``: a mark that enters a
session (placed, copied from a previous session, taken over from the faded overlay, imported,
restored by undo or redo) or changes where it is (view, position, side, muscle) or becomes needled
is assessed with the session's patient factors. At ``high`` or above it needs an acknowledgement
recorded in *this* session for *this* mark, naming every hazard that made the site high and at
least as high as the site is now. A copied mark gets a new id, so an acknowledgement of another
session never covers it: acknowledgements are never copied, the clinician is asked again.

The rule also stamps a mark with a depth warning when the entered depth or needle length is beyond
the shallowest published skin-to-structure depth at its site.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dn_bodymap.charting.errors import ConflictError, RecordError
from dn_bodymap.charting.ids import SessionId
from dn_bodymap.charting.records import HazardAcknowledgement, Mark, Patient, Session
from dn_bodymap.charting.repository import Repository
from dn_bodymap.safety.levels import highest, label, needs_acknowledgement, rank
from dn_bodymap.safety.patient import Patient as Factors

if TYPE_CHECKING:
    from dn_bodymap.charting.editing.session_model import SessionModel
    from dn_bodymap.safety.assess import Assessment
    from dn_bodymap.safety.session import SessionReview, SessionWarning

# The assessment (safety.assess: the hazard zones, the locate index, shapely and numpy) is imported
# when a site is first assessed, not with this module: the session screen paints before any site is
# assessed (issue #14). Every mark write still calls ``HazardRule.require`` synchronously, which
# imports it then if the warm-up after the first paint has not yet.

#: Fields whose change puts a mark on another site: it is assessed again.
SITE_FIELDS = ("view", "x", "y", "side", "muscle_id")
MESSAGE_LIMIT = 4000
#: Assessed sites kept: well above the marks of the largest session, so that the session rules,
#: which look at every mark on each check, never assess a site twice.
CACHE_LIMIT = 50_000

Assessor = Callable[[str, tuple[float, float], Factors], "Assessment"]


def _default_assessor(view: str, point: tuple[float, float], factors: Factors) -> Assessment:
    from dn_bodymap.safety.assess import assess

    return assess(view, point, factors)


def patient_factors(patient: Patient, session: Session) -> Factors:
    """What the assessment knows of this patient in this session: sex, BMI, screening "yes" answers."""
    bmi = None
    if patient.height_cm and patient.weight_kg:
        bmi = round(patient.weight_kg / (patient.height_cm / 100) ** 2, 1)
    answers = session.screening_answers or {}
    conditions = [k for k, v in answers.items() if v in (True, "yes")]
    return Factors.from_values(sex=str(patient.sex) if patient.sex else None, bmi=bmi, conditions=conditions)


def default_label(mark: Mark) -> str:
    muscle = mark.muscle_id.replace("_", " ").capitalize() if mark.muscle_id else "Unidentified"
    return f"{muscle} ({mark.side})"


@dataclass(frozen=True, slots=True)
class AcknowledgementNeed:
    """One mark that cannot enter or change without the clinician acknowledging its hazards."""

    mark: Mark
    label: str
    assessment: Assessment
    #: Session rules this mark sets off (both sides of the thorax): the headline of the warning.
    warnings: tuple[SessionWarning, ...] = ()

    @property
    def level(self) -> str:
        return highest([self.assessment.level, *(w.level for w in self.warnings)])

    @property
    def required_ids(self) -> frozenset[str]:
        """The hazards (and session rules) an acknowledgement must name to cover this site."""
        hazards = {h.id for h in self.assessment.hazards if needs_acknowledgement(h.level)}
        modifiers = {m.id for m in self.assessment.modifiers if m.level and needs_acknowledgement(m.level)}
        return frozenset(hazards | modifiers | {w.id for w in self.warnings})

    @property
    def hazard_ids(self) -> tuple[str, ...]:
        """Everything shown: every hazard at the site, then the high-level modifiers and rules."""
        ids = [h.id for h in self.assessment.hazards]
        ids += sorted(self.required_ids - set(ids))
        return tuple(dict.fromkeys(ids))

    @property
    def message(self) -> str:
        lines = [f"{w.message} [{', '.join(w.sources)}]" for w in self.warnings]
        lines += [h.message for h in self.assessment.hazards]
        lines += [m.text for m in self.assessment.modifiers if m.level and needs_acknowledgement(m.level)]
        return " | ".join(lines)[:MESSAGE_LIMIT] or label(self.level)

    def covered_by(self, acknowledgement: HazardAcknowledgement) -> bool:
        return (
            acknowledgement.session_id == self.mark.session_id
            and acknowledgement.mark_id == self.mark.id
            and rank(str(acknowledgement.level)) >= rank(self.level)
            and self.required_ids <= set(acknowledgement.hazard_ids)
        )

    def acknowledge(
        self, by: str, technique: str | None = None, disclosed: str | None = None
    ) -> HazardAcknowledgement:
        """The record of the clinician's answer, for this mark in this session."""
        return HazardAcknowledgement(
            session_id=self.mark.session_id,
            mark_id=self.mark.id,
            hazard_ids=self.hazard_ids,
            level=self.level,
            message_shown=self.message,
            acknowledged_by=by,
            technique_chosen=technique or None,
            disclosed_text=disclosed or None,
        )


class AcknowledgementRequired(RecordError):
    """Marks at ``high`` or above without an acknowledgement of this session; nothing was changed."""

    def __init__(self, needs: Sequence[AcknowledgementNeed]) -> None:
        self.needs = tuple(needs)
        what = "; ".join(f"{n.label}: {label(n.level)}" for n in self.needs)
        super().__init__(f"Acknowledge the hazard first ({what}). Nothing was changed.")


def with_technique(mark: Mark, acknowledgement: HazardAcknowledgement | None) -> Mark:
    """The technique chosen in the acknowledgement is the mark's technique: the latest choice made
    for this site, in this session."""
    if acknowledgement is None or not acknowledgement.technique_chosen:
        return mark
    if mark.technique == acknowledgement.technique_chosen:
        return mark
    return dataclasses.replace(mark, technique=acknowledgement.technique_chosen)


class HazardRule:
    """Assesses marks of one session with that session's patient factors (read afresh each time,
    since screening answers change during the session) and decides what needs acknowledging."""

    def __init__(
        self,
        repo: Repository,
        session_id: SessionId,
        *,
        assessor: Assessor | None = None,
        labeller: Callable[[Mark], str] | None = None,
        model: SessionModel | None = None,
    ) -> None:
        self.repo = repo
        self.session_id = session_id
        #: The open session in memory: when set, checks read marks and acknowledgements from it
        #: instead of listing the whole session from the repository on every mark write.
        self.model = model
        self.assessor: Assessor = assessor or _default_assessor
        self.labeller = labeller or default_label
        self._cache: dict[Factors, dict[tuple[str, float, float], Assessment]] = {}

    def factors(self) -> Factors:
        session = self.repo.get_session(self.session_id)
        return patient_factors(self.repo.get_patient(session.patient_id), session)

    def assess(self, view: str, x: float, y: float, factors: Factors | None = None) -> Assessment:
        factors = factors if factors is not None else self.factors()
        sites = self._sites(factors)
        key = (str(view), x, y)
        found = sites.get(key)
        if found is None:
            if len(sites) > CACHE_LIMIT:
                sites.clear()
            found = sites[key] = self.assessor(key[0], (x, y), factors)
        return found

    def _sites(self, factors: Factors) -> dict[tuple[str, float, float], Assessment]:
        """The assessed sites for these factors (a change of screening answers starts afresh)."""
        sites = self._cache.get(factors)
        if sites is None:
            if len(self._cache) >= 4:
                self._cache.clear()
            sites = self._cache[factors] = {}
        return sites

    def live_review(self, factors: Factors | None = None) -> SessionReview:
        """The session rules over the session's live marks, each site assessed once; with a model,
        kept until the marks or the factors change."""
        factors = factors if factors is not None else self.factors()
        if self.model is not None:  # kept up to date mark by mark (session_model.site_review)
            return self.model.site_review(factors, lambda m: self.assess(str(m.view), m.x, m.y, factors))
        from dn_bodymap.safety.session import review_assessments

        return review_assessments(self.assess(str(m.view), m.x, m.y, factors) for m in self._live_marks())

    def need(
        self, mark: Mark, others: Iterable[Mark] | None = None, factors: Factors | None = None
    ) -> AcknowledgementNeed | None:
        """What ``mark`` needs acknowledging among ``others`` (default: the session's live marks)."""
        factors = factors if factors is not None else self.factors()
        site = self.assess(str(mark.view), mark.x, mark.y, factors)
        warnings: tuple[SessionWarning, ...] = ()
        if site.thoracic:
            from dn_bodymap.safety.session import review_adding, review_assessments

            if others is None and self.model is not None and self.model.mark(mark.id) is None:
                current = self.live_review(factors)  # a new mark: the session as it stands
                after = review_adding(current, site)
            else:
                others = others if others is not None else self._live_marks()
                around = [self.assess(str(m.view), m.x, m.y, factors) for m in others if m.id != mark.id]
                current, after = review_assessments(around), review_assessments([*around, site])
            before = {w.id for w in current.warnings}
            warnings = tuple(w for w in after.warnings if w.id not in before)
        need = AcknowledgementNeed(mark, self.labeller(mark), site, warnings)
        return need if needs_acknowledgement(need.level) else None

    def require(
        self,
        entering: Sequence[Mark],
        supplied: Iterable[HazardAcknowledgement] = (),
        others: Iterable[Mark] | None = None,
    ) -> None:
        """Raise ``AcknowledgementRequired`` listing every mark of ``entering`` not covered by an
        acknowledgement of this session (stored, or ``supplied`` with the change)."""
        for mark in entering:
            if mark.session_id != self.session_id:
                raise ConflictError(f"mark {mark.id} belongs to another session than the one being edited")
        factors = self.factors()
        entering_ids = {m.id for m in entering}
        # The first of new marks is checked against the session as it stands (its review cached).
        as_it_stands = (
            others is None
            and self.model is not None
            and all(self.model.mark(i) is None for i in entering_ids)
        )
        if as_it_stands and len(entering) == 1:
            around: list[Mark] = []  # one new mark (a click): no pass over the session's marks
        else:
            live = list(others) if others is not None else self._live_marks()
            around = [m for m in live if m.id not in entering_ids]
        acks = [*self.stored_acknowledgements(), *supplied]
        missing: list[AcknowledgementNeed] = []
        for i, mark in enumerate(entering):
            need = self.need(mark, None if i == 0 and as_it_stands else around, factors)
            if need is not None and not any(need.covered_by(a) for a in acks):
                missing.append(need)
            around.append(mark)
        if missing:
            raise AcknowledgementRequired(missing)

    def _live_marks(self) -> list[Mark]:
        return self.model.marks() if self.model is not None else self.repo.list_marks(self.session_id)

    def stored_acknowledgements(self) -> list[HazardAcknowledgement]:
        if self.model is not None:
            return self.model.acknowledgements()
        return self.repo.list_acknowledgements(self.session_id)

    def stamp_depth(self, mark: Mark) -> Mark:
        """The mark with its depth warning set (or cleared) for the depth and needle length entered."""
        text = self.depth_warning(mark)
        return mark if text == mark.depth_warning else dataclasses.replace(mark, depth_warning=text)

    def depth_warning(self, mark: Mark) -> str | None:
        if mark.depth_mm is None and mark.needle_length_mm is None:
            return None
        from dn_bodymap.safety.depth import depth_warning

        site = self.assess(str(mark.view), mark.x, mark.y)
        for what, value in (("Depth", mark.depth_mm), ("Needle length", mark.needle_length_mm)):
            if value:
                warning = depth_warning(site, value)
                if warning is not None:
                    return f"{what}: {warning.message}"[:MESSAGE_LIMIT]
        return None


def enters_site(before: Mark, after: Mark) -> bool:
    """An edit that puts the mark on another site, or records that it was needled."""
    moved = any(getattr(before, f) != getattr(after, f) for f in SITE_FIELDS)
    return moved or (after.needled and not before.needled)


class RuleBoundRepository:
    """The repository as the editing session hands it to commands: every mark write passes the rule.

    Reads and other writes go straight through. ``supplied`` holds acknowledgements the clinician
    gave for the action being run (undo and redo have no command of their own to carry them).
    """

    def __init__(self, repo: Repository, rule: HazardRule) -> None:
        self._repo = repo
        self.rule = rule
        self.supplied: dict[str, HazardAcknowledgement] = {}
        self.used_supplied = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._repo, name)

    def _ack(self, mark: Mark, given: HazardAcknowledgement | None) -> HazardAcknowledgement | None:
        return given if given is not None else self.supplied.get(mark.id)

    def require_all(self, marks: Sequence[Mark], acknowledgements: Iterable[HazardAcknowledgement]) -> None:
        """Check a batch at once (a copy), so one question lists every hazardous mark."""
        given = [*acknowledgements, *(self.supplied[m.id] for m in marks if m.id in self.supplied)]
        self.rule.require(marks, given)

    def add_mark(self, mark: Mark, acknowledgement: HazardAcknowledgement | None = None) -> Mark:
        ack = self._ack(mark, acknowledgement)
        self.rule.require([mark], [ack] if ack else [])
        self.used_supplied |= acknowledgement is None and ack is not None
        return self._wrote(self._repo.add_mark(self.rule.stamp_depth(with_technique(mark, ack)), ack), ack)

    def update_mark(self, mark: Mark, acknowledgement: HazardAcknowledgement | None = None) -> Mark:
        before = self._repo.get_mark(mark.id)
        ack = self._ack(mark, acknowledgement)
        if enters_site(before, mark):
            self.rule.require([mark], [ack] if ack else [])
        else:
            ack = acknowledgement  # an unchanged site: nothing to acknowledge, store only what was given
        self.used_supplied |= acknowledgement is None and ack is not None
        return self._wrote(self._repo.update_mark(self.rule.stamp_depth(with_technique(mark, ack)), ack), ack)

    def _wrote(self, mark: Mark, ack: HazardAcknowledgement | None) -> Mark:
        """Keep the rule's model in step within a command (a batch or macro checks mark after mark)."""
        if self.rule.model is not None:
            self.rule.model.wrote_mark(mark)
            if ack is not None:
                self.rule.model.wrote_acknowledgement(ack)
        return mark

    def delete_mark(self, mark_id: Any) -> None:
        self._repo.delete_mark(mark_id)
        if self.rule.model is not None:
            self.rule.model.deleted_mark(mark_id)

    def restore_mark(self, mark_id: Any) -> Mark:
        mark = self._repo.get_mark(mark_id, include_deleted=True)
        ack = self.supplied.get(mark.id)
        self.rule.require([mark], [ack] if ack else [])
        restored = self._repo.restore_mark(mark_id)
        if ack is not None and not any(a.id == ack.id for a in self.rule.stored_acknowledgements()):
            try:
                self._repo.add_acknowledgement(ack)
            except Exception:
                self._repo.delete_mark(mark_id)  # never leave the mark back without its acknowledgement
                raise
            self.used_supplied = True
        else:
            ack = None
        return self._wrote(restored, ack)
