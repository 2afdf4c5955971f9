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


MAX_SEARCH_CHARS = 200  # SQLite refuses LIKE patterns over 50,000 characters; names are short


def patient_search_sql(
    columns: str,
    text: str = "",
    *,
    include_archived: bool = False,
    order: str = "name",
    limit: int | None = None,
    offset: int = 0,
) -> tuple[str, list[object]]:
    """The patient list's one query (repository and the lean CLI listing both run it): every word
    must appear in the folded name or record number; ``columns`` may name ``p.*`` (patients) and
    ``v.*`` (``patient_last_visit``: session count, last visit)."""
    if len(text) > MAX_SEARCH_CHARS:
        from dn_bodymap.charting.validation import ValidationError

        raise ValidationError("search", f"at most {MAX_SEARCH_CHARS} characters")
    where = ["p.deleted_at IS NULL"]
    params: list[object] = []
    if not include_archived:
        where.append("p.archived = 0")
    for word in search_key(text).split():
        where.append("(p.name_key LIKE ? ESCAPE '\\' OR p.record_key LIKE ? ESCAPE '\\')")
        params += [like_pattern(word)] * 2
    sql = f"SELECT {columns} "
    if order == "recent":  # most recently seen first; never-seen patients (NULL) sort last
        # Driven by the last-visit index (schema 7), so a page costs its rows, not every session.
        sql += (
            "FROM patient_last_visit v CROSS JOIN patients p ON p.id = v.patient_id "
            f"WHERE {' AND '.join(where)} ORDER BY v.last_session_at DESC, p.name_key, p.id"
        )
    else:
        sql += (
            "FROM patients p JOIN patient_last_visit v ON v.patient_id = p.id "
            f"WHERE {' AND '.join(where)} ORDER BY p.name_key, p.id"
        )
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params += [-1 if limit is None else int(limit), int(offset)]
    return sql, params
