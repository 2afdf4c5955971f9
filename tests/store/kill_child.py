"""Crash-test child: opens the database as the app does, then performs every kind of public write of
the repository forever, chosen at random from what the file allows.

Run as ``python kill_child.py DB SEED``; the parent kills it with SIGKILL. Protocol on stdout, one
line each, written whole and flushed:

- ``stage NAME`` as each step of opening (and the background backup) begins;
- ``ready`` once the store is open;
- ``try {json}`` before an action: its name and its effect on the compared state (kill_state.py),
  worked out from the action itself, not read back from the file;
- ``done NAME`` after the action returned (it is committed: acknowledged), or ``refused NAME``
  when the repository refused it (then nothing may have changed).

``KILL_AT=stage:before|after`` makes the child SIGKILL itself at that step of opening (so some kills
land during open whatever the machine's speed); ``KILL_LIE=drop-deletes`` makes it skip every
twentieth delete (counted across children) while still reporting it done (the parent's self-test
must catch that).
Kept light (no Qt, no shapely, no numpy) so that it starts fast.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import random
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, ClassVar

sys.modules["numpy"] = None  # type: ignore[assignment]  # sqlite-utils imports it if present
sys.modules["pandas"] = None  # type: ignore[assignment]

from kill_state import read_state  # noqa: E402

from dn_bodymap.charting.enums import AnnotationKind, HazardLevel, Severity, Side, View  # noqa: E402
from dn_bodymap.charting.errors import RecordError  # noqa: E402
from dn_bodymap.charting.records import (  # noqa: E402
    Addendum,
    AdverseEvent,
    Annotation,
    HazardAcknowledgement,
    Mark,
    PainArea,
    Patient,
    Session,
)
from dn_bodymap.store import backup, chain_head, opening, records_check, repository  # noqa: E402

_out = threading.Lock()
KILL_POINT = tuple(os.environ.get("KILL_AT", ":").split(":", 1))
LIE = os.environ.get("KILL_LIE", "")
DELETES_BEFORE = int(os.environ.get("KILL_DELETES_BEFORE", "0"))  # deletes tried by earlier children


def emit(line: str) -> None:
    with _out:  # the backup thread writes too: whole lines only
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def staged(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        emit(f"stage {name}")
        if (name, "before") == KILL_POINT:
            os.kill(os.getpid(), signal.SIGKILL)
        result = fn(*args, **kwargs)
        if (name, "after") == KILL_POINT:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    return wrapper


# Every step of opening as the app runs it (checks on, the backup in the background).
opening.create_store_file = staged("create", opening.create_store_file)
opening.clean_stale_temp_files = staged("clean", opening.clean_stale_temp_files)
repository.inspect = staged("inspect", repository.inspect)
repository.apply_pragmas = staged("pragmas", repository.apply_pragmas)
repository.migrate = staged("migrate", repository.migrate)
chain_head.check_at_open = staged("chain_end", chain_head.check_at_open)
backup.make_backup = staged("backup", backup.make_backup)
records_check.run_full_check = staged("full_check", records_check.run_full_check)
STAGES = ("create", "clean", "inspect", "pragmas", "migrate", "chain_end", "backup", "full_check")


class Chart:
    """Picks a feasible action from the file's state and says what it will change."""

    def __init__(self, repo: repository.SqliteRepository, rng: random.Random) -> None:
        self.repo = repo
        self.rng = rng
        self.n = 0

    def of(self, table: str) -> dict[str, list[Any]]:
        prefix = table + "/"
        return {k[len(prefix) :]: v for k, v in self.state.items() if k.startswith(prefix)}

    def next_action(self) -> tuple[str, dict[str, Any], Callable[[], object]] | None:
        self.state = read_state(self.repo.db.conn)
        self.n += 1
        p = self.of("patients")
        s = self.of("sessions")
        live_p = [i for i, v in p.items() if not v[2]]
        drafts = [i for i, v in s.items() if v[1] == "draft" and not v[5]]
        signed = [i for i, v in s.items() if v[1] == "signed" and not v[5]]
        in_draft = lambda table, deleted: [  # noqa: E731
            i for i, v in self.of(table).items() if v[0] in drafts and bool(v[-1]) == deleted
        ]
        options: list[tuple[float, Callable[[], tuple[str, dict[str, Any], Callable[[], object]]]]] = [
            (2.0 if len(live_p) < 3 else 0.3, self.add_patient),
            (0.5 * bool(live_p), lambda: self.update_patient(self.pick(live_p))),
            (0.4 * bool(live_p), lambda: self.archive_patient(self.pick(live_p))),
            (0.3 * (len(live_p) > 1), lambda: self.delete_patient(self.pick(live_p))),
            (0.5 * any(v[2] for v in p.values()), self.restore_patient),
            (0.3 * (len(p) > 3), lambda: self.erase_patient(self.pick(list(p)))),
            (2.0 if len(drafts) < 2 else 0.2, lambda: self.create_session(live_p)),
            (0.4 * bool(drafts), lambda: self.update_session(self.pick(drafts))),
            (0.5 * bool(drafts), lambda: self.sign_session(self.pick(drafts))),
            (0.2 * bool(drafts), lambda: self.delete_session(self.pick(drafts))),
            (0.4 * any(v[5] and not v[4] for v in s.values()), self.restore_session),
            (0.15 * bool(drafts), lambda: self.void_session(self.pick(drafts))),
            (0.5 * bool(signed), lambda: self.add_addendum(self.pick(signed))),
            (0.4 * bool(signed), lambda: self.add_adverse_event(self.pick(signed))),
            (3.0 * bool(drafts), lambda: self.add_mark(self.pick(drafts))),
            (1.2 * bool(in_draft("marks", False)), lambda: self.update_mark(in_draft("marks", False))),
            (0.6 * bool(in_draft("marks", False)), lambda: self.delete("marks", in_draft("marks", False))),
            (0.6 * bool(in_draft("marks", True)), lambda: self.restore("marks", in_draft("marks", True))),
            (0.4 * bool(in_draft("marks", False)), lambda: self.add_ack(in_draft("marks", False))),
            (1.2 * bool(drafts), lambda: self.add_area(self.pick(drafts))),
            (0.6 * bool(in_draft("areas", False)), lambda: self.update_area(in_draft("areas", False))),
            (0.4 * bool(in_draft("areas", False)), lambda: self.delete("areas", in_draft("areas", False))),
            (0.4 * bool(in_draft("areas", True)), lambda: self.restore("areas", in_draft("areas", True))),
            (0.8 * bool(drafts), lambda: self.add_note(self.pick(drafts))),
            (0.5 * bool(in_draft("notes", False)), lambda: self.update_note(in_draft("notes", False))),
            (0.3 * bool(in_draft("notes", False)), lambda: self.delete("notes", in_draft("notes", False))),
            (0.3 * bool(in_draft("notes", True)), lambda: self.restore("notes", in_draft("notes", True))),
            (0.3, self.set_setting),
            (0.15, self.reopen),
        ]
        weights = [w for w, _ in options]
        return self.rng.choices([make for _, make in options], weights)[0]()

    def pick(self, items: list[str]) -> str:
        return self.rng.choice(sorted(items))

    # -- patients ---------------------------------------------------------------------------
    def add_patient(self) -> Any:
        patient = Patient(display_name=f"Kill Patient {self.rng.randrange(10**6)}")
        fields = [patient.display_name, 0, 0]
        return (
            "add_patient",
            {"set": {f"patients/{patient.id}": fields}, "audit": 1},
            lambda: self.repo.add_patient(patient),
        )

    def update_patient(self, pid: str) -> Any:
        name = f"Renamed Patient {self.rng.randrange(10**6)}"
        archived = self.of("patients")[pid][1]
        effect = {"set": {f"patients/{pid}": [name, archived, 0]}, "audit": 1}
        return (
            "update_patient",
            effect,
            lambda: self.repo.update_patient(
                dataclasses.replace(self.repo.get_patient(pid), display_name=name)
            ),
        )

    def archive_patient(self, pid: str) -> Any:
        name, archived, _ = self.of("patients")[pid]
        effect = {"set": {f"patients/{pid}": [name, 1 - archived, 0]}, "audit": 1}
        return "archive_patient", effect, lambda: self.repo.archive_patient(pid, not archived)

    def delete_patient(self, pid: str) -> Any:
        name, archived, _ = self.of("patients")[pid]
        effect = {"set": {f"patients/{pid}": [name, archived, 1]}, "audit": 1}
        return "delete_patient", effect, lambda: self.repo.delete_patient(pid)

    def restore_patient(self) -> Any:
        pid = self.pick([i for i, v in self.of("patients").items() if v[2]])
        name, archived, _ = self.of("patients")[pid]
        effect = {"set": {f"patients/{pid}": [name, archived, 0]}, "audit": 1}
        return "restore_patient", effect, lambda: self.repo.restore_patient(pid)

    def erase_patient(self, pid: str) -> Any:
        sessions = {i for i, v in self.of("sessions").items() if v[0] == pid}
        drop = [f"patients/{pid}"] + [f"sessions/{i}" for i in sessions]
        for table in ("marks", "acks", "areas", "notes", "addenda", "events"):
            drop += [f"{table}/{i}" for i, v in self.of(table).items() if v[0] in sessions]
        return "erase_patient", {"drop": drop, "audit": 1}, lambda: self.repo.erase_patient(pid)

    # -- sessions ---------------------------------------------------------------------------
    def create_session(self, live_patients: list[str]) -> Any:
        if not live_patients:
            return self.add_patient()
        session = Session(patient_id=self.pick(live_patients), clinician="Dr Kill")
        fields = [session.patient_id, "draft", None, "", 0, 0]
        return (
            "create_session",
            {"set": {f"sessions/{session.id}": fields}, "audit": 1},
            lambda: self.repo.create_session(session),
        )

    def update_session(self, sid: str) -> Any:
        notes = f"notes {self.rng.randrange(10**6)}"
        pid = self.of("sessions")[sid][0]
        effect = {"set": {f"sessions/{sid}": [pid, "draft", None, notes, 0, 0]}, "audit": 1}
        return (
            "update_session",
            effect,
            lambda: self.repo.update_session(dataclasses.replace(self.repo.get_session(sid), notes=notes)),
        )

    def sign_session(self, sid: str) -> Any:
        pid, _, _, notes, _, _ = self.of("sessions")[sid]
        effect = {"set": {f"sessions/{sid}": [pid, "signed", "Dr Kill", notes, 0, 0]}, "audit": 1}
        return "sign_session", effect, lambda: self.repo.sign_session(sid, "Dr Kill")

    def delete_session(self, sid: str) -> Any:
        pid, _, _, notes, _, _ = self.of("sessions")[sid]
        effect = {"set": {f"sessions/{sid}": [pid, "draft", None, notes, 0, 1]}, "audit": 1}
        return "delete_session", effect, lambda: self.repo.delete_session(sid)

    def restore_session(self) -> Any:
        sid = self.pick([i for i, v in self.of("sessions").items() if v[5] and not v[4]])
        fields = list(self.of("sessions")[sid])
        fields[5] = 0
        effect = {"set": {f"sessions/{sid}": fields}, "audit": 1}
        return "restore_session", effect, lambda: self.repo.restore_session(sid)

    def void_session(self, sid: str) -> Any:
        pid, _, _, notes, _, _ = self.of("sessions")[sid]
        effect = {"set": {f"sessions/{sid}": [pid, "draft", None, notes, 1, 1]}, "audit": 1}
        return "void_session", effect, lambda: self.repo.void_session(sid, "started by mistake")

    def add_addendum(self, sid: str) -> Any:
        addendum = Addendum(session_id=sid, author="Dr Kill", text=f"addendum {self.rng.randrange(10**6)}")
        effect = {"set": {f"addenda/{addendum.id}": [sid, addendum.text]}, "audit": 1}
        return "add_addendum", effect, lambda: self.repo.add_addendum(addendum)

    def add_adverse_event(self, sid: str) -> Any:
        event = AdverseEvent(session_id=sid, type="bruising", severity=Severity.MILD)
        effect = {"set": {f"events/{event.id}": [sid, "bruising"]}, "audit": 1}
        return "add_adverse_event", effect, lambda: self.repo.add_adverse_event(event)

    # -- marks, acknowledgements ------------------------------------------------------------
    def _ack(self, sid: str, mid: str) -> HazardAcknowledgement:
        return HazardAcknowledgement(
            session_id=sid,
            mark_id=mid,
            hazard_ids=("pleura_apex",),
            level=HazardLevel.HIGH,
            message_shown="Lung apex beneath.",
            acknowledged_by="kill-test",
        )

    def add_mark(self, sid: str) -> Any:
        mark = Mark(
            session_id=sid,
            view=View.POSTERIOR,
            x=self.rng.uniform(-300, 300),
            y=self.rng.uniform(0, 1000),
            atlas_version="kill-1",
            side=Side.RIGHT,
            muscle_id="trapezius",
            notes="kill",
        )
        effect: dict[str, Any] = {"set": {f"marks/{mark.id}": [sid, None, "kill", 0]}, "audit": 1}
        ack = self._ack(sid, mark.id) if self.rng.random() < 0.5 else None
        if ack is not None:
            effect["set"][f"acks/{ack.id}"] = [sid, mark.id]
            effect["audit"] = 2
        return "add_mark", effect, lambda: self.repo.add_mark(mark, ack)

    def update_mark(self, live: list[str]) -> Any:
        mid = self.pick(live)
        sid, passes, notes, _ = self.of("marks")[mid]
        rev = (passes or 0) + 1
        effect: dict[str, Any] = {"set": {f"marks/{mid}": [sid, rev, notes, 0]}, "audit": 1}
        ack = self._ack(sid, mid) if self.rng.random() < 0.3 else None
        if ack is not None:
            effect["set"][f"acks/{ack.id}"] = [sid, mid]
            effect["audit"] = 2
        return (
            "update_mark",
            effect,
            lambda: self.repo.update_mark(dataclasses.replace(self.repo.get_mark(mid), passes=rev), ack),
        )

    def add_ack(self, live: list[str]) -> Any:
        mid = self.pick(live)
        ack = self._ack(self.of("marks")[mid][0], mid)
        effect = {"set": {f"acks/{ack.id}": [ack.session_id, mid]}, "audit": 1}
        return "add_acknowledgement", effect, lambda: self.repo.add_acknowledgement(ack)

    # -- pain areas and annotations ---------------------------------------------------------
    def add_area(self, sid: str) -> Any:
        area = PainArea(
            session_id=sid,
            view=View.POSTERIOR,
            geometry=[[[0.0, 0.0], [self.rng.uniform(1, 50), 0.0], [10.0, 10.0]]],
            atlas_version="kill-1",
        )
        effect = {"set": {f"areas/{area.id}": [sid, None, 0]}, "audit": 1}
        return "add_pain_area", effect, lambda: self.repo.add_pain_area(area)

    def update_area(self, live: list[str]) -> Any:
        aid = self.pick(live)
        sid = self.of("areas")[aid][0]
        intensity = self.rng.randrange(11)
        effect = {"set": {f"areas/{aid}": [sid, intensity, 0]}, "audit": 1}
        return (
            "update_pain_area",
            effect,
            lambda: self.repo.update_pain_area(
                dataclasses.replace(self.repo.get_pain_area(aid), intensity=intensity)
            ),
        )

    def add_note(self, sid: str) -> Any:
        note = Annotation(
            session_id=sid,
            view=View.POSTERIOR,
            kind=AnnotationKind.NOTE,
            points=((self.rng.uniform(-100, 100), self.rng.uniform(100, 900)),),
            atlas_version="kill-1",
            text=f"note {self.rng.randrange(10**6)}",
        )
        effect = {"set": {f"notes/{note.id}": [sid, note.text, 0]}, "audit": 1}
        return "add_annotation", effect, lambda: self.repo.add_annotation(note)

    def update_note(self, live: list[str]) -> Any:
        nid = self.pick(live)
        sid = self.of("notes")[nid][0]
        text = f"moved note {self.rng.randrange(10**6)}"
        effect = {"set": {f"notes/{nid}": [sid, text, 0]}, "audit": 1}
        return (
            "update_annotation",
            effect,
            lambda: self.repo.update_annotation(
                dataclasses.replace(self.repo.get_annotation(nid), text=text)
            ),
        )

    # -- soft delete / restore of a session's parts -----------------------------------------
    _DELETE: ClassVar[dict[str, str]] = {"marks": "mark", "areas": "pain_area", "notes": "annotation"}

    def delete(self, table: str, live: list[str]) -> Any:
        rid = self.pick(live)
        fields = [*self.of(table)[rid][:-1], 1]
        name = f"delete_{self._DELETE[table]}"
        return name, {"set": {f"{table}/{rid}": fields}, "audit": 1}, lambda: getattr(self.repo, name)(rid)

    def restore(self, table: str, deleted: list[str]) -> Any:
        rid = self.pick(deleted)
        fields = [*self.of(table)[rid][:-1], 0]
        name = f"restore_{self._DELETE[table]}"
        return name, {"set": {f"{table}/{rid}": fields}, "audit": 1}, lambda: getattr(self.repo, name)(rid)

    def reopen(self) -> Any:
        """Not a write: the app's exit (close, then the backup of what changed) and a new start,
        so kills also land in the backup at exit and in an open after a clean close."""

        def run() -> None:
            self.repo.close()
            self.repo.backup_if_changed()  # what finish_backups does once the window is gone
            self.repo = repository.open_store(self.repo.path, actor="kill-test")

        return "reopen", {"audit": 0}, run

    def set_setting(self) -> Any:
        key, value = f"kill.{self.rng.randrange(3)}", str(self.rng.randrange(10**6))
        effect = {"set": {f"settings/{key}": [value]}, "audit": 1}
        return "set_setting", effect, lambda: self.repo.set_setting(key, value)


def after_first_paint(repo: repository.SqliteRepository) -> None:
    """What the app runs in workers once its window shows, while the clinician charts: the backup
    (a failure there is not this test's) and the full check, which must find nothing."""
    try:
        repo.backup_if_changed()
    except RecordError as exc:
        emit(f"stage backup-failed {exc}")
    result = records_check.run_full_check(repo.path)
    if not result.ok:
        emit(f"check-failed {result.sentence()}")


def main() -> None:
    db_path, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    repo = repository.open_store(db_path, actor="kill-test")  # as the app: checks on
    if repo.integrity_warning:
        emit(f"check-failed {repo.integrity_warning}")
    emit("ready")
    threading.Thread(target=after_first_paint, args=(repo,), daemon=True).start()
    chart = Chart(repo, rng)
    deletes = DELETES_BEFORE
    while True:
        name, effect, run = chart.next_action()
        emit("try " + json.dumps({"op": name, **effect}))
        deletes += name.startswith("delete_")
        if LIE == "drop-deletes" and name.startswith("delete_") and deletes % 20 == 0:
            emit(f"done {name}")  # reported, never saved
            continue
        try:
            run()
        except RecordError as exc:
            emit(f"refused {name} {exc}")
            continue
        emit(f"done {name}")


if __name__ == "__main__":
    main()
