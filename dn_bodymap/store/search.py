"""Search keys: names and record numbers folded so that "José" finds "jose" and "JOSE"."""

from __future__ import annotations

import unicodedata


def search_key(text: str | None) -> str:
    """Casefolded, accents removed, whitespace collapsed; stored in an indexed column."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def like_pattern(text: str) -> str:
    """A ``LIKE ... ESCAPE '\\'`` pattern matching ``text`` anywhere, with %, _ taken literally."""
    key = search_key(text)
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
