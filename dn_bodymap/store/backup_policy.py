"""Which backups to keep: the newest few, then one per day, week and month, within a size budget.

Pure (no files, no Qt) so the policy can be proved with generated backup sets. The tiers follow
Anki's thinning (rslib/src/collection/backup.rs: newest first, each stage keeps the newest backup
of a period older than the last one kept), with two changes: the tiers are calendar windows
counted back from ``now`` (so "one per month for 3 months" ends at a date that can be told to the
clinician, e.g. after erasing a patient), and a size budget drops the oldest kept copies first
and never the newest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class RetentionPolicy:
    last: int = 3  # the newest copies, whatever their age
    daily: int = 7  # one per calendar day for this many days (today included)
    weekly: int = 4  # one per ISO week for this many weeks
    monthly: int = 3  # one per calendar month for this many months
    # All kept copies together ≤ this × the database's size (issue #14): automatic copies of a database
    # in the clear are compressed (store/backup.py), so the tiers fit; the oldest go first when not.
    budget_factor: float = 2.0


DEFAULT_POLICY = RetentionPolicy()


@dataclass(frozen=True)
class BackupStamp:
    """One backup as the policy sees it: when it was made and what it costs."""

    key: str
    made_at: datetime
    size: int


def _week(day: date) -> date:
    return day - timedelta(days=day.weekday())  # the Monday that starts its ISO week


def _month(day: date) -> tuple[int, int]:
    return (day.year, day.month)


def _months_before(day: date, count: int) -> tuple[int, int]:
    index = day.year * 12 + (day.month - 1) - count
    return (index // 12, index % 12 + 1)


def tier_keys(stamps: Sequence[BackupStamp], now: datetime, policy: RetentionPolicy) -> set[str]:
    """The backups each tier keeps, before the budget: the ``last`` newest, then the newest of each
    day, week and month inside its window (a period already represented by a newer kept copy adds
    nothing)."""
    ordered = sorted(stamps, key=lambda s: (s.made_at, s.key), reverse=True)
    today = now.date()
    first_day = today - timedelta(days=policy.daily - 1)
    first_week = _week(today) - timedelta(weeks=policy.weekly - 1)
    first_month = _months_before(today, policy.monthly - 1)
    kept: set[str] = {s.key for s in ordered[: max(policy.last, 0)]}
    days: set[date] = set()
    weeks: set[date] = set()
    months: set[tuple[int, int]] = set()
    for stamp in ordered:
        day = stamp.made_at.date()
        # A day already represented has its week and month represented too, so "or" is a cascade.
        if (
            (policy.daily > 0 and day >= first_day and day not in days)
            or (policy.weekly > 0 and _week(day) >= first_week and _week(day) not in weeks)
            or (policy.monthly > 0 and _month(day) >= first_month and _month(day) not in months)
        ):
            kept.add(stamp.key)
        if stamp.key in kept:
            days.add(day)
            weeks.add(_week(day))
            months.add(_month(day))
    return kept


def kept_backups(
    stamps: Iterable[BackupStamp], now: datetime, db_size: int, policy: RetentionPolicy = DEFAULT_POLICY
) -> set[str]:
    """The keys to keep: the tiers, then the oldest dropped until the budget holds; the newest
    backup is always kept, even alone over the budget (a backup too big for the budget beats
    none)."""
    stamps = list(stamps)
    if not stamps:
        return set()
    newest = max(stamps, key=lambda s: (s.made_at, s.key))
    tiers = tier_keys(stamps, now, policy)
    chosen = sorted((s for s in stamps if s.key in tiers), key=lambda s: (s.made_at, s.key), reverse=True)
    budget = policy.budget_factor * max(db_size, 0)
    kept: set[str] = {newest.key}
    total = newest.size
    for stamp in chosen:
        if stamp.key == newest.key:
            continue
        if total + stamp.size > budget:
            break  # everything older goes too: the budget trims history from its old end
        kept.add(stamp.key)
        total += stamp.size
    return kept


def leaves_backups_by(made_at: datetime, policy: RetentionPolicy = DEFAULT_POLICY) -> datetime:
    """The first moment no tier window still holds a backup made at ``made_at`` (provided
    ``policy.last`` newer backups exist by then and a backup or listing thins the folder)."""
    day = made_at.date()
    ends: list[date] = [day + timedelta(days=1)]
    if policy.daily > 0:
        ends.append(day + timedelta(days=policy.daily))
    if policy.weekly > 0:
        ends.append(_week(day) + timedelta(weeks=policy.weekly))
    if policy.monthly > 0:
        year, month = _months_before(day, -policy.monthly)
        ends.append(date(year, month, 1))
    end = max(ends)
    return datetime(end.year, end.month, end.day, tzinfo=made_at.tzinfo)


def erasure_sentence(policy: RetentionPolicy = DEFAULT_POLICY, erased_at: datetime | None = None) -> str:
    """What to tell the clinician at an erase: the automatic backups made before it still hold
    the patient until the tiers rotate them out."""
    at = (erased_at or datetime.now().astimezone()).astimezone()
    until = leaves_backups_by(at, policy)
    return (
        f"A patient erased on {at:%Y-%m-%d} remains in the automatic backups made before the erase "
        f"until {until:%Y-%m-%d} at the latest (the retention tiers rotate them out once "
        f"{policy.last} newer backups exist); manual and before-restore copies keep the patient "
        "until they are deleted."
    )
