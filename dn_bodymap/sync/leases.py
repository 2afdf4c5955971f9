"""Draft leases: one workstation at a time edits a draft session (charting's ``DraftLeases``).

The server's ``dn_leases`` says who holds each draft: the workstation, its name ("Room 2"), the
clinician, since when, and until when (renewed at every sync round while the draft is open, so a
workstation that vanishes frees its drafts after ``LEASE_SECONDS``). ``check`` answers from the
leases seen at the last exchange and never waits on the network; ``exchange`` (part of each sync
round) acquires the drafts opened here, renews them and refreshes what is known of the others'.

Offline, a workstation keeps editing the drafts it holds, and any draft whose last known lease
has expired. Expiry is judged on the server's clock, never the workstation's: each exchange reads
how long every lease has left by the server's ``now()`` and counts that time down on this computer's
boot-time clock (which wall-clock changes and wrong time zones do not move, and which keeps counting
through sleep), so a room whose clock is ten minutes fast cannot think a colleague's lease ran out.
What happens when two rooms edited one draft while apart is in docs/clinic-server.md
("Leases"): the records merge as any other, and the versions that lost stay in the server's feed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from dn_bodymap.charting.editing.session import DraftHeldElsewhere
from dn_bodymap.charting.ids import SessionId
from dn_bodymap.sync.errors import SyncError

if TYPE_CHECKING:  # psycopg loads with the first round, not with the application's window
    import psycopg

LEASE_SECONDS = 120


def elapsed_clock() -> float:
    """Seconds on a clock that only moves forward: boot time where the system has one (it counts
    through suspend, so a lease seen before a laptop slept is not thought alive for the whole nap)."""
    boot = getattr(time, "CLOCK_BOOTTIME", None)
    return time.clock_gettime(boot) if boot is not None else time.monotonic()


@dataclass(frozen=True)
class Lease:
    session_id: str
    workstation: str
    workstation_name: str
    clinician: str
    since: datetime
    expires_at: datetime


class LeaseKeeper:
    """This workstation's view of the leases; thread-safe (the GUI exchanges in a worker thread)."""

    def __init__(
        self,
        workstation: str,
        name: str,
        clinician: str,
        *,
        seconds: int = LEASE_SECONDS,
        clock: Callable[[], float] = elapsed_clock,
    ) -> None:
        self.workstation, self.name, self.clinician = workstation, name, clinician
        self.seconds = seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._others: dict[str, Lease] = {}  # live leases of other workstations, as last seen
        self._deadlines: dict[str, float] = {}  # when each runs out, on ``clock``
        self._open: set[str] = set()  # drafts open here: acquired and renewed at each exchange

    # -- charting's DraftLeases ---------------------------------------------------------------
    def check(self, session_id: SessionId) -> None:
        holder = self.holder(session_id)
        if holder is not None:
            raise DraftHeldElsewhere(holder.workstation_name, holder.since, holder.clinician)

    def holder(self, session_id: str) -> Lease | None:
        """Another workstation's live lease on this draft, as last seen; None when it is ours or free."""
        with self._lock:
            lease = self._others.get(session_id)
            deadline = self._deadlines.get(session_id)
        if lease is None or deadline is None or deadline <= self._clock():
            return None
        return lease

    # -- local bookkeeping ----------------------------------------------------------------------
    def open(self, session_id: str) -> None:
        """A draft opened here for editing: acquired at the next exchange (instantly, no network)."""
        with self._lock:
            self._open.add(session_id)

    def close(self, session_id: str) -> None:
        with self._lock:
            self._open.discard(session_id)

    @property
    def wanted(self) -> set[str]:
        with self._lock:
            return set(self._open)

    # -- on the server (each a short transaction on ``conn``) -----------------------------------
    def exchange(self, conn: psycopg.Connection) -> list[Lease]:
        """Acquire or renew the drafts open here, release the others we hold, and learn the other
        workstations' leases; returns the open drafts another workstation holds (refused here)."""
        wanted = sorted(self.wanted)
        with conn.transaction():
            self._register(conn)
            conn.execute(
                "DELETE FROM dn_leases WHERE workstation = %s AND NOT (session_id = ANY(%s))",
                (self.workstation, wanted),
            )
            for session_id in wanted:
                conn.execute(
                    "INSERT INTO dn_leases AS l"
                    " (session_id, workstation, workstation_name, clinician, expires_at)"
                    " VALUES (%s, %s, %s, %s, now() + make_interval(secs => %s))"
                    " ON CONFLICT (session_id) DO UPDATE SET"
                    "  since = CASE WHEN l.workstation = excluded.workstation THEN l.since ELSE now() END,"
                    "  workstation = excluded.workstation, workstation_name = excluded.workstation_name,"
                    "  clinician = excluded.clinician, expires_at = excluded.expires_at"
                    " WHERE l.workstation = excluded.workstation OR l.expires_at < now()",
                    (session_id, self.workstation, self.name, self.clinician, self.seconds),
                )
        self._refresh(conn)
        return [lease for session_id in wanted if (lease := self.holder(session_id)) is not None]

    def take_over(self, conn: psycopg.Connection, session_id: str) -> Lease | None:
        """Hold this draft whoever held it; recorded in ``dn_lease_events``. Returns the lease it
        replaced (None when it was free). The caller records it in the local audit log too."""
        with conn.transaction():
            self._register(conn)
            found = conn.execute(
                "SELECT session_id, workstation::text, workstation_name, clinician, since, expires_at"
                " FROM dn_leases WHERE session_id = %s FOR UPDATE",
                (session_id,),
            ).fetchone()
            previous = Lease(*found) if found else None
            conn.execute(
                "INSERT INTO dn_leases (session_id, workstation, workstation_name, clinician, expires_at)"
                " VALUES (%s, %s, %s, %s, now() + make_interval(secs => %s))"
                " ON CONFLICT (session_id) DO UPDATE SET workstation = excluded.workstation,"
                "  workstation_name = excluded.workstation_name, clinician = excluded.clinician,"
                "  since = now(), expires_at = excluded.expires_at",
                (session_id, self.workstation, self.name, self.clinician, self.seconds),
            )
            conn.execute(
                "INSERT INTO dn_lease_events (session_id, action, workstation, workstation_name, clinician,"
                " previous_workstation, previous_name) VALUES (%s, 'take_over', %s, %s, %s, %s, %s)",
                (
                    session_id,
                    self.workstation,
                    self.name,
                    self.clinician,
                    previous.workstation if previous else None,
                    previous.workstation_name if previous else None,
                ),
            )
        self.open(session_id)
        self._refresh(conn)
        return previous

    def release(self, conn: psycopg.Connection, session_id: str) -> None:
        self.close(session_id)
        conn.execute(
            "DELETE FROM dn_leases WHERE session_id = %s AND workstation = %s", (session_id, self.workstation)
        )

    def _register(self, conn: psycopg.Connection) -> None:
        conn.execute(
            "INSERT INTO dn_workstations (id, name) VALUES (%s, %s)"
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name",
            (self.workstation, self.name),
        )

    def _refresh(self, conn: psycopg.Connection) -> None:
        rows = conn.execute(
            "SELECT session_id, workstation::text, workstation_name, clinician, since, expires_at,"
            " extract(epoch FROM expires_at - now())::float8"  # time left, on the server's clock
            " FROM dn_leases WHERE expires_at > now() AND workstation <> %s",
            (self.workstation,),
        ).fetchall()
        seen = self._clock()  # after the answer: a lease is never thought to end before the server says
        with self._lock:
            self._others = {row[0]: Lease(*row[:6]) for row in rows}
            self._deadlines = {row[0]: seen + float(row[6]) for row in rows}


def take_over_draft(keeper: LeaseKeeper, url: str, session_id: str) -> Lease | None:
    """``LeaseKeeper.take_over`` on a connection of its own (the GUI's Take over button)."""
    import psycopg

    from dn_bodymap.sync.connection import connect

    try:
        with connect(url) as conn:
            return keeper.take_over(conn, session_id)
    except psycopg.Error as exc:
        raise SyncError(f"the draft could not be taken over: {' '.join(str(exc).split())}") from None
