"""Times are stored in UTC and shown in the computer's local time, in one format everywhere."""

from __future__ import annotations

from PySide6.QtCore import QDateTime

from dn_bodymap.charting.timestamps import format_timestamp, parse_timestamp


def local_text(timestamp: str | None, *, seconds: bool = False) -> str:
    """``2026-03-01 10:30`` in local time; empty for no time, the raw text if it cannot be read."""
    if not timestamp:
        return ""
    try:
        moment = parse_timestamp(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return timestamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else ""))


def utc_text(value: QDateTime) -> str:
    """A date-time from a widget (local) as the canonical UTC timestamp."""
    return format_timestamp(value.toPython().astimezone())
