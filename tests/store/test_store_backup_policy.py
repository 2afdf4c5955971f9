"""The retention policy, proved over generated backup sets: tiers, budget, newest always kept."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dn_bodymap.store.backup_policy import (
    BackupStamp,
    RetentionPolicy,
    erasure_sentence,
    kept_backups,
    leaves_backups_by,
    tier_keys,
)

NOW = datetime(2026, 12, 6, 15, 30)

policies = st.builds(
    RetentionPolicy,
    last=st.integers(0, 5),
    daily=st.integers(0, 10),
    weekly=st.integers(0, 6),
    monthly=st.integers(0, 6),
    budget_factor=st.floats(0.5, 20),
)
ages = st.integers(0, 400 * 24 * 60)  # minutes before NOW, up to 400 days
backup_sets = st.lists(
    st.tuples(ages, st.integers(1, 5000)), min_size=0, max_size=60, unique_by=lambda t: t[0]
)


def stamps_of(raw: list[tuple[int, int]]) -> list[BackupStamp]:
    return [BackupStamp(f"b{age}", NOW - timedelta(minutes=age), size) for age, size in raw]


@settings(deadline=None, max_examples=300)
@given(backup_sets, policies, st.integers(1, 20000))
def test_kept_set_obeys_tiers_budget_and_keeps_the_newest(
    raw: list[tuple[int, int]], policy: RetentionPolicy, db_size: int
) -> None:
    stamps = stamps_of(raw)
    kept = kept_backups(stamps, NOW, db_size, policy)
    by_key = {s.key: s for s in stamps}
    assert kept <= set(by_key)
    if not stamps:
        assert kept == set()
        return
    newest = max(stamps, key=lambda s: s.made_at)
    assert newest.key in kept
    # The budget: within it, or only the newest is left (a too-big backup beats none).
    total = sum(by_key[k].size for k in kept)
    assert total <= policy.budget_factor * db_size or kept == {newest.key}
    # Every kept copy is one a tier wants; the budget only ever trims the oldest end.
    tiers = tier_keys(stamps, NOW, policy)
    assert kept <= tiers | {newest.key}
    dropped_for_budget = tiers - kept
    if dropped_for_budget:
        oldest_kept = min(by_key[k].made_at for k in kept)
        assert all(by_key[k].made_at <= oldest_kept for k in dropped_for_budget)
    # The tiers: the `last` newest, then at most one per day/week/month inside the windows.
    ordered = sorted(stamps, key=lambda s: s.made_at, reverse=True)
    assert {s.key for s in ordered[: policy.last]} <= tiers
    older = [by_key[k] for k in tiers - {s.key for s in ordered[: policy.last]}]
    assert len({s.made_at.date() for s in older}) == len(older)  # one per day at most
    assert len(tiers) <= policy.last + policy.daily + policy.weekly + policy.monthly
    for s in older:
        assert leaves_backups_by(s.made_at, policy) > NOW  # still inside some window
    # Each day in the daily window that has backups keeps its newest one.
    for day_offset in range(policy.daily):
        day = (NOW - timedelta(days=day_offset)).date()
        that_day = [s for s in ordered if s.made_at.date() == day]
        if that_day:
            assert that_day[0].key in tiers
    # Thinning is stable: applying it again removes nothing more.
    again = kept_backups([by_key[k] for k in kept], NOW, db_size, policy)
    assert again == kept


@settings(deadline=None, max_examples=200)
@given(ages, policies, st.integers(0, 500 * 24 * 60))
def test_a_backup_is_gone_from_the_tiers_once_its_date_passes(
    age: int, policy: RetentionPolicy, later: int
) -> None:
    """After ``leaves_backups_by`` no tier keeps it, whatever newer backups exist (once ``last``
    newer ones do): what the erase message promises."""
    made = NOW - timedelta(minutes=age)
    gone = leaves_backups_by(made, policy)
    then = gone + timedelta(minutes=later)
    newer = [BackupStamp(f"n{i}", then - timedelta(seconds=i), 1) for i in range(policy.last)]
    old = BackupStamp("old", made, 1)
    assert "old" not in tier_keys([old, *newer], then, policy)


def test_anki_like_example() -> None:
    policy = RetentionPolicy(last=2, daily=3, weekly=2, monthly=2, budget_factor=100)
    days = [0, 0, 0, 1, 1, 2, 5, 9, 10, 20, 40, 70]
    stamps = [BackupStamp(f"d{d}-{i}", NOW - timedelta(days=d, hours=i), 1) for i, d in enumerate(days)]
    kept = kept_backups(stamps, NOW, 1, policy)
    # two newest (today), yesterday's and the day before's newest, then one per week and month
    assert {"d0-0", "d0-1", "d1-3", "d2-5"} <= kept
    assert "d0-2" not in kept and "d1-4" not in kept
    assert "d70-11" not in kept  # beyond the two months


def test_a_small_budget_keeps_the_newest_alone() -> None:
    stamps = [BackupStamp(f"b{i}", NOW - timedelta(days=i), 100) for i in range(5)]
    assert kept_backups(stamps, NOW, 10, RetentionPolicy(budget_factor=2)) == {"b0"}
    assert kept_backups(stamps, NOW, 100, RetentionPolicy(budget_factor=3)) == {"b0", "b1", "b2"}


def test_the_erasure_sentence_names_the_date() -> None:
    policy = RetentionPolicy(last=3, daily=7, weekly=4, monthly=3)
    at = datetime(2026, 12, 6, 10, 0).astimezone()
    text = erasure_sentence(policy, at)
    assert "2027-03-01" in text and "2026-12-06" in text
