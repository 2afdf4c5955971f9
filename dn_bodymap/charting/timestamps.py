"""UTC ISO 8601 timestamps in one canonical form, so that text order is time order."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utc_now() -> str:
    """Now, as the canonical UTC timestamp the records store."""
    return format_timestamp(datetime.now(UTC))


def format_timestamp(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.ffffffZ``: fixed width, so sorting the text sorts by time."""
    if moment.tzinfo is None:
        raise ValueError("a timestamp needs a time zone (naive times are ambiguous)")
    # isoformat, not strftime: strftime does not zero-pad years below 1000 on glibc.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO 8601 timestamp that carries a time zone; naive times are refused."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a timestamp needs a time zone, e.g. 2026-03-01T09:30:00Z")
    return moment


def today_utc() -> date:
    return datetime.now(UTC).date()
