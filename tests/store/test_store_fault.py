"""A write that fails midway (disk full) changes nothing and can be retried."""

from __future__ import annotations

import pytest
from store_builders import make_ack, make_mark

from dn_bodymap.charting.records import Session
from dn_bodymap.store import StoreFullError
from dn_bodymap.store.repository import SqliteRepository


def dump(repo: SqliteRepository) -> list[str]:
    return list(repo.db.conn.iterdump())


def test_disk_full_changes_nothing_then_succeeds(repo: SqliteRepository, session: Session) -> None:
    repo.add_mark(make_mark(session))
    pages = repo.db.execute("PRAGMA page_count").fetchone()[0]
    before = dump(repo)
    repo.db.execute(f"PRAGMA max_page_count = {pages}")
    # Big enough to need new pages for the mark row, the acknowledgement and the audit entry.
    mark = make_mark(session, notes="n" * 6000)
    ack = make_ack(mark, disclosed_text="d" * 6000)
    with pytest.raises(StoreFullError, match="disk is full") as caught:
        repo.add_mark(mark, ack)
    assert "not saved" in str(caught.value)
    assert dump(repo) == before
    assert not repo.db.conn.in_transaction

    repo.db.execute("PRAGMA max_page_count = 1073741823")
    repo.add_mark(mark, ack)
    assert repo.get_mark(mark.id) == mark
    assert repo.list_acknowledgements(session.id) == [ack]
    assert repo.verify_audit() == []
