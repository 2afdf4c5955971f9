"""Times a user action states must be the clock's: a signature or addendum is never back-dated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dn_bodymap.charting.validation import ValidationError

CLOCK_TOLERANCE = timedelta(minutes=10)  # a dialog left open a while, a clock a little off


def check_clock_time(field: str, value: str) -> None:
    """Refuse a timestamp more than CLOCK_TOLERANCE away from now."""
    try:
        when = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(field, "must be an ISO 8601 time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if abs(datetime.now(UTC) - when) > CLOCK_TOLERANCE:
        raise ValidationError(field, "must be the current time (records are never back- or post-dated)")
