"""The hazard level a trigger point's own hazard note claims, read from how the note opens.

A note that claims a level opens with it ("Very high risk: …", "High risk to the median nerve …",
"Highest pneumothorax risk …", "Caution: …"). Notes that only mention a structure nearby (often to
say the site keeps clear of it) claim no level. The engine must assess a library point at least
at the claimed level at its own location on every view (tests/safety/test_library_agreement.py).
"""

from __future__ import annotations

import re

_OPENINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*very high risk\b", re.IGNORECASE), "very_high"),
    (re.compile(r"^\s*high(est)?\b[^.:;]{0,20}\brisk\b", re.IGNORECASE), "high"),
    (re.compile(r"^\s*caution\b", re.IGNORECASE), "caution"),
)


def note_level(note: str | None) -> str | None:
    """The level a hazard note opens with, or None when it claims none."""
    for pattern, level in _OPENINGS:
        if note and pattern.search(note):
            return level
    return None
