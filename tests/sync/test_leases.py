"""Draft leases against the real server: a draft open in one room cannot be edited in another until
it is released or explicitly taken over (recorded locally and on the server); offline, a room keeps
editing; two rooms that edited one draft while apart converge and lose nothing."""

from __future__ import annotations

import dataclasses
import functools
import random
from datetime import datetime, timedelta

import psycopg
import pytest
from test_sync_rounds import _assert_converged, _mark, _sync_all

from dn_bodymap.charting.editing.commands import PlaceMark
from dn_bodymap.charting.editing.session import DraftHeldElsewhere, EditingSession
from dn_bodymap.charting.records import Mark, Patient, Session
from dn_bodymap.store.demo_clinic import Site, plain_sites
from dn_bodymap.store.repository import SqliteRepository
from dn_bodymap.sync.engine import record_versions, sync_once
from dn_bodymap.sync.leases import LEASE_SECONDS, LeaseKeeper, take_over_draft


def _keeper(repo: SqliteRepository, room: str) -> LeaseKeeper:
    return LeaseKeeper(repo.sync_workstation_id(), room, repo.actor)


def _shared_draft(a: SqliteRepository, b: SqliteRepository, url: str) -> Session:
    patient = a.add_patient(Patient(display_name="Lee Fictional"))
    session = a.create_session(Session(patient_id=patient.id, clinician="Dr Room1"))
    _sync_all([a, b], url)
    return session


@functools.cache
def _sites() -> list[Site]:
    return plain_sites()


def _place(repo: SqliteRepository, session: Session, keeper: LeaseKeeper, n: int) -> None:
    """A mark through the editing session, at a library site that needs no acknowledgement."""
    site = _sites()[n % len(_sites())]
    mark = Mark(
        session_id=session.id,
        view=site.view,
        x=site.x,
        y=site.y,
        atlas_version="test-1",
        side=site.side,
        muscle_id=site.muscle_id,
    )
    EditingSession(repo, session.id, leases=keeper).execute(PlaceMark(mark))


def test_a_draft_open_in_one_room_is_refused_in_another_until_taken_over(
    stations: list[SqliteRepository], server_url: str
) -> None:
    a, b = stations[:2]
    session = _shared_draft(a, b, server_url)
    room1, room2 = _keeper(a, "Room 1"), _keeper(b, "Room 2")
    room1.open(session.id)
    assert sync_once(a, server_url, leases=room1).held_elsewhere == []
    _place(a, session, room1, 1)

    room2.open(session.id)
    assert sync_once(b, server_url, leases=room2).held_elsewhere == [session.id]
    with pytest.raises(DraftHeldElsewhere, match=r"^open in Room 1 \(since \d\d:\d\d\)$") as refused:
        _place(b, session, room2, 2)
    assert refused.value.clinician == "Dr Room1"
    assert b.load_session(session.id).marks == ()  # nothing written

    previous = take_over_draft(room2, server_url, session.id)
    assert previous is not None and previous.workstation_name == "Room 1"
    b.record_take_over(session.id, previous.workstation_name)
    _place(b, session, room2, 3)
    entry = b.list_audit(session.id, limit=1)[0]
    assert entry.entity_kind == "lease" and "took over the draft from Room 1" in entry.actor
    with psycopg.connect(server_url) as conn:
        events = conn.execute(
            "SELECT workstation_name, previous_name, clinician FROM dn_lease_events WHERE session_id = %s",
            (session.id,),
        ).fetchall()
    assert events == [("Room 2", "Room 1", "Dr Room2")]

    # Room 1 learns it at its next round and may no longer edit; Room 2 closing frees the draft.
    assert sync_once(a, server_url, leases=room1).held_elsewhere == [session.id]
    with pytest.raises(DraftHeldElsewhere, match="open in Room 2"):
        _place(a, session, room1, 4)
    room2.close(session.id)
    sync_once(b, server_url, leases=room2)
    assert sync_once(a, server_url, leases=room1).held_elsewhere == []
    _place(a, session, room1, 5)
    _sync_all([a, b], server_url)
    _assert_converged([a, b])
    assert len(a.load_session(session.id).marks) == 3


def test_a_lease_not_renewed_expires_so_an_offline_room_keeps_working(
    stations: list[SqliteRepository], server_url: str
) -> None:
    a, b = stations[:2]
    session = _shared_draft(a, b, server_url)
    room1 = _keeper(a, "Room 1")
    room1.open(session.id)
    sync_once(a, server_url, leases=room1)
    clock = {"t": 1000.0}
    room2 = LeaseKeeper(b.sync_workstation_id(), "Room 2", b.actor, clock=lambda: clock["t"])
    room2.open(session.id)
    assert sync_once(b, server_url, leases=room2).held_elsewhere == [session.id]
    # Room 2 now goes offline; Room 1 never renews. Before the lease's time is up it is still held…
    clock["t"] += LEASE_SECONDS - 5
    assert room2.holder(session.id) is not None
    # …and once it has run out (counted here from the server's answer), Room 2 edits.
    clock["t"] += 10
    assert room2.holder(session.id) is None
    _place(b, session, room2, 1)


def test_a_fast_or_slow_wall_clock_does_not_end_a_live_lease(
    stations: list[SqliteRepository], server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Expiry is the server's: a room whose wall clock is ten minutes fast (or whose time zone is
    wrong) still sees the colleague's live lease and cannot edit the draft."""
    import dn_bodymap.sync.leases as leases

    a, b = stations[:2]
    session = _shared_draft(a, b, server_url)
    room1 = _keeper(a, "Room 1")
    room1.open(session.id)
    sync_once(a, server_url, leases=room1)

    class FastClock(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return datetime.now(tz) + timedelta(minutes=10)

    monkeypatch.setattr(leases, "datetime", FastClock)
    room2 = _keeper(b, "Room 2")
    room2.open(session.id)
    sync_once(b, server_url, leases=room2)
    assert room2.holder(session.id) is not None
    with pytest.raises(DraftHeldElsewhere):
        room2.check(session.id)


def test_a_draft_edited_in_two_rooms_while_apart_converges_and_keeps_both_versions(
    stations: list[SqliteRepository], server_url: str
) -> None:
    a, b = stations[:2]
    session = _shared_draft(a, b, server_url)
    shared = a.add_mark(_mark(session.id, random.Random(7)))
    _sync_all([a, b], server_url)
    # Apart (no server): each room adds a mark and edits the shared one; Room 2 edits it last.
    only_a = a.add_mark(_mark(session.id, random.Random(8)))
    a.update_mark(dataclasses.replace(shared, notes="Room 1: tender, twitch"))
    only_b = b.add_mark(_mark(session.id, random.Random(9)))
    b.update_mark(dataclasses.replace(shared, notes="Room 2: referral reproduced"))
    _sync_all([a, b], server_url)
    _assert_converged([a, b])
    marks = {m.id: m for m in a.load_session(session.id).marks}
    assert {only_a.id, only_b.id, shared.id} <= set(marks)  # both rooms' new marks are kept
    assert marks[shared.id].notes == "Room 2: referral reproduced"  # the later edit of one mark wins
    notes = [v["row"]["notes"] for v in record_versions(server_url, "mark", shared.id)]
    assert "Room 1: tender, twitch" in notes  # the one that lost is still on the server
