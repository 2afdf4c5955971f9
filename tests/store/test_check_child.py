"""Part of the check in a child process (store/check_child.py, issue #14): the same findings as the
in-process walk, encrypted files included, a failed child changes nothing, and a child whose parent
has gone stops."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from audit_fixtures import private_key_fixture, tamper  # noqa: F401  (autouse: a private audit key per test)
from store_builders import make_mark, make_patient

from dn_bodymap.charting.records import Session
from dn_bodymap.cli import main
from dn_bodymap.store import audit, audit_key, check_child, open_read_only, open_store, records_check


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Every file is "big" (so a child runs), chunks are a few rows, and what children say is kept."""
    monkeypatch.setattr(check_child, "SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(check_child, "CHUNK_ROWS", 2)
    said: list[dict] = []
    real = check_child.Child.answers

    def answers(self: check_child.Child):
        for answer in real(self):
            said.append(answer)
            yield answer

    monkeypatch.setattr(check_child.Child, "answers", answers)
    return said


@pytest.fixture
def child_walks(children: list[dict], monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """This process's chain walk ends only once the child has walked a chunk (on a small file it
    would otherwise take every chunk itself before the child is ready)."""
    walked = threading.Event()
    started: list[check_child.Child] = []
    real_answers = check_child.Child.answers
    real_chain = audit.chain_problems
    real_start = check_child.start

    def start(*args, **kwargs):
        child = real_start(*args, **kwargs)
        started.extend([child] if child is not None else [])
        return child

    def answers(self: check_child.Child):
        for answer in real_answers(self):
            if "chunk" in answer:
                walked.set()
            yield answer

    def chain_problems(db):
        found = real_chain(db)
        if started:  # a walk sharing its records with a child (not the in-process walk)
            assert walked.wait(timeout=120), "the child walked no chunk"
        return found

    monkeypatch.setattr(check_child.Child, "answers", answers)
    monkeypatch.setattr(check_child, "start", start)
    monkeypatch.setattr(audit, "chain_problems", chain_problems)
    return walked


def chunks_walked_by_a_child(said: list[dict]) -> int:
    return sum("chunk" in answer for answer in said)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "records.db"
    with open_store(path, actor="Dr Test", backups=False) as repo:
        for p in range(2):
            patient = repo.add_patient(make_patient(f"Test Patient {p}"))
            session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
            for _ in range(3):
                repo.add_mark(make_mark(session))
    return path


EDITS = (
    "UPDATE marks SET notes = 'edited by hand' WHERE rowid = 2",
    "UPDATE patients SET display_name = 'Someone Else' WHERE rowid = 1",
    "DROP TRIGGER audit_log_no_update",
    "UPDATE audit_log SET actor = 'Dr Impostor' WHERE seq = 3",
)


def in_process(path: Path) -> list[str]:
    with open_read_only(path, check=False) as repo:
        return audit.verify_chain(repo.db)


def test_db_check_with_a_child_names_what_the_in_process_walk_names(
    store: Path, children: list[dict], child_walks: threading.Event
) -> None:
    tamper(store, *EDITS)
    expected = [f"audit log: {p}" for p in in_process(store)]
    assert any("changed outside dn-bodymap" in p for p in expected)
    assert any("audit entry 3 was altered" in p for p in expected)
    assert check_child.db_check(store) == expected  # the same findings in the same order
    assert chunks_walked_by_a_child(children) >= 1


def test_a_sound_file_checked_with_a_child_is_ok(
    store: Path, children: list[dict], child_walks: threading.Event
) -> None:
    assert check_child.db_check(store) == []
    assert chunks_walked_by_a_child(children) >= 1
    assert all(answer.get("problems", []) == [] for answer in children)


def test_the_command_checks_a_big_file_in_a_child_that_maps_it(
    store: Path, children: list[dict], capsys: pytest.CaptureFixture[str]
) -> None:
    """`db check` runs in a "check" child (which shares its record walk with a child of its own):
    the same findings, in the same order, as the walk in this process, unmapped."""
    tamper(store, *EDITS)
    expected = check_child.db_check(store)
    assert main(["--db", str(store), "db", "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["problems"] == expected
    assert children[-1] == {"problems": expected}  # the answer came from the check child


def test_the_check_child_maps_the_file_and_takes_the_parents_sizes(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a child maps the file (an I/O error on a mapped page ends the process); it splits and
    chunks the walk as its parent would have."""
    seen: list[tuple] = []
    said: list[dict] = []
    monkeypatch.setattr(check_child, "_stop_with_parent", lambda: None)
    monkeypatch.setattr(check_child, "_say", said.append)
    monkeypatch.setattr(
        check_child,
        "db_check",
        lambda path, *, mapped=False, passphrase=None: seen.append((path, mapped, passphrase)) or ["found"],
    )
    monkeypatch.setattr(check_child, "SPLIT_MIN_BYTES", check_child.SPLIT_MIN_BYTES)
    monkeypatch.setattr(check_child, "CHUNK_ROWS", check_child.CHUNK_ROWS)
    check_child._check({"split_min_bytes": 0, "chunk_rows": 7, "passphrase": "the file's"}, store)
    assert seen == [(store, True, "the file's")] and said == [{"problems": ["found"]}]
    assert check_child.SPLIT_MIN_BYTES == 0 and check_child.CHUNK_ROWS == 7


def test_a_mapped_check_maps_both_its_connections_and_finds_the_same(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tamper(store, *EDITS)
    mapped: list[int] = []
    real_pragmas = check_child_backup()._pragma_problems
    real_map = check_child.map_pages

    def map_pages(conn) -> None:
        real_map(conn)
        mapped.append(conn.execute("PRAGMA mmap_size").fetchone()[0])

    def pragmas(path, check, *, foreign_keys=True, mmap_bytes=0):
        mapped.append(mmap_bytes)
        return real_pragmas(path, check, foreign_keys=foreign_keys, mmap_bytes=mmap_bytes)

    monkeypatch.setattr(check_child, "map_pages", map_pages)
    monkeypatch.setattr(check_child_backup(), "_pragma_problems", pragmas)
    unmapped = check_child.db_check(store)
    assert mapped == [0]  # the parent's check maps nothing
    mapped.clear()
    assert check_child.db_check(store, mapped=True) == unmapped
    assert len(mapped) == 2 and all(size > 0 for size in mapped)  # the walk's and the integrity check's


def check_child_backup():
    from dn_bodymap.store import backup

    return backup


def test_a_check_child_that_dies_is_done_again_here_unmapped(
    store: Path, children: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child ended by a signal (a SIGBUS from a failing disk under the mapping) or gone without an
    answer: the check runs in this process, unmapped, and finds the same."""
    tamper(store, *EDITS)
    expected = check_child.db_check(store)
    here: list[bool] = []
    real_check = check_child.db_check
    monkeypatch.setattr(
        check_child,
        "db_check",
        lambda path, *, mapped=False: here.append(mapped) or real_check(path, mapped=mapped),
    )
    real_answers = check_child.Child.answers

    def killed(self: check_child.Child):
        if self.process.args[-1] == "dn_bodymap.store.check_child" and not here:
            self.process.kill()  # the check child, before it answers
            self.process.wait()
        yield from real_answers(self)

    monkeypatch.setattr(check_child.Child, "answers", killed)
    assert check_child.db_check_in_child(store) == expected
    assert here == [False]
    monkeypatch.setattr(check_child.sys, "executable", "/bin/false")  # starts, and says nothing
    here.clear()
    assert check_child.db_check_in_child(store) == expected and here == [False]


def test_a_small_file_is_checked_here(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[str] = []
    monkeypatch.setattr(check_child, "start", lambda mode, *a, **k: started.append(mode))
    assert check_child.db_check_in_child(store) == [] and started == []


def test_a_child_that_fails_changes_nothing(
    store: Path, tmp_path: Path, children: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    tamper(store, *EDITS)
    expected = in_process(store)
    real_start = check_child.start
    # A child that cannot read its file exits at once: every chunk is walked here.
    monkeypatch.setattr(
        check_child, "start", lambda mode, path, pp, **kw: real_start(mode, tmp_path / "gone.db", pp, **kw)
    )
    with open_read_only(store, check=False) as repo:
        assert check_child.verify_chain_split(repo.db, store) == expected
    assert chunks_walked_by_a_child(children) == 0
    # No Python to start at all (a frozen bundle, a removed interpreter): the same.
    monkeypatch.setattr(check_child.sys, "executable", sys.executable + "-missing")
    monkeypatch.setattr(check_child, "start", real_start)
    with open_read_only(store, check=False) as repo:
        assert check_child.verify_chain_split(repo.db, store) == expected
    assert records_check.run_full_check_in_child(store) == records_check.run_full_check(store, split=False)


def test_a_child_killed_mid_walk_loses_no_chunk(
    store: Path, children: list[dict], child_walks: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    tamper(store, *EDITS)
    expected = in_process(store)
    walking = check_child.Child.answers

    def answers(self: check_child.Child):
        for answer in walking(self):
            if "chunk" in answer:
                # Killed as its first chunk's answer arrives, so the next chunk it is handed is never
                # walked there. (Killed after that answer was handled, a quick child had sometimes
                # already walked and answered the next one: a flaky count.)
                self.process.kill()
                self.process.wait()
            yield answer

    monkeypatch.setattr(check_child.Child, "answers", answers)
    with open_read_only(store, check=False) as repo:
        assert check_child.verify_chain_split(repo.db, store) == expected
    assert chunks_walked_by_a_child(children) == 1


def test_the_full_check_in_a_child_gives_the_same_result(store: Path, children: list[dict]) -> None:
    tamper(store, *EDITS)
    here = records_check.run_full_check(store, split=False)
    there = records_check.run_full_check_in_child(store)
    assert there == here and not there.ok and there.records == there.entries == 10
    assert "records" in children[-1]  # the answer came from a child
    assert records_check.run_full_check(store) == here  # in-process, sharing its record walk


def test_a_child_uses_the_parents_audit_key_not_its_own_lookup(
    store: Path, children: list[dict], private_key: Path
) -> None:
    """The parent had the key when it started: the child is handed it through the pipe."""
    assert audit_key.load_key(create=False) is not None
    private_key.unlink()  # the file is gone; this process still holds the key it read
    assert records_check.run_full_check_in_child(store).ok
    audit_key._cache.clear()
    result = records_check.run_full_check_in_child(store)
    assert any("audit key" in p and "not on this computer" in p for p in result.problems)
    assert "records" in children[-1]


def test_an_encrypted_file_is_checked_by_a_child(
    store: Path, children: list[dict], child_walks: threading.Event
) -> None:
    pytest.importorskip("sqlcipher3")
    from encryption_fixtures import PASSPHRASE

    from dn_bodymap.store import key_source
    from dn_bodymap.store.encryption_convert import encrypt_database

    tamper(store, "UPDATE marks SET notes = 'edited by hand' WHERE rowid = 2")
    expected = in_process(store)
    assert len(expected) == 1
    encrypt_database(store, PASSPHRASE)
    key_source.forget_all()
    key_source.remember(PASSPHRASE)  # as after the app or `db check` asked for it
    env_before = os.environ.get(key_source.PASSPHRASE_ENV)
    try:
        with open_read_only(store, check=False) as repo:
            assert check_child.verify_chain_split(repo.db, store) == expected
        assert chunks_walked_by_a_child(children) >= 1
        result = records_check.run_full_check_in_child(store)
        assert "records" in children[-1] and list(result.problems) == [f"audit log: {expected[0]}"]
    finally:
        key_source.forget_all()
    assert os.environ.get(key_source.PASSPHRASE_ENV) == env_before  # never handed over that way


def test_a_child_whose_parent_has_gone_stops(store: Path) -> None:
    """Its stdin closes with its parent: it exits instead of walking on."""
    for mode in ("chunks", "full", "check"):
        child = subprocess.Popen(
            [sys.executable, "-m", "dn_bodymap.store.check_child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(json.dumps({"mode": mode, "path": str(store), "key": None}).encode() + b"\n")
        child.stdin.close()
        child.stdout.read()
        child.stdout.close()
        assert child.wait(timeout=120) in (0, 3)  # done already, or stopped by the closed pipe


def test_sqlites_checks_start_first_and_the_chain_waits_for_them(
    store: Path, children: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two busy cores, not three workers on two: SQLite's checks start before anything else (in a
    thread: the walk's imports, the file's opening and the child's start run beside them), the
    child walks records from its start, and the chain is walked here once SQLite's checks are done."""
    from dn_bodymap.store import backup

    events: list[str] = []
    sqlite_started, child_started = threading.Event(), threading.Event()
    real_start, real_integrity = check_child.start, backup.integrity_problems
    real_chain = audit.chain_problems

    def integrity(path, *, mmap_bytes=0):
        events.append("sqlite starts")
        sqlite_started.set()
        assert child_started.wait(timeout=120), "the child was not started while SQLite's checks ran"
        found = real_integrity(path, mmap_bytes=mmap_bytes)
        events.append("sqlite ends")
        return found

    def start(*args, **kwargs):
        assert sqlite_started.wait(timeout=120), "SQLite's checks had not started before the child"
        events.append("child")
        child = real_start(*args, **kwargs)
        child_started.set()
        return child

    monkeypatch.setattr(check_child, "start", start)
    monkeypatch.setattr(backup, "integrity_problems", integrity)
    monkeypatch.setattr(audit, "chain_problems", lambda db: events.append("chain") or real_chain(db))
    assert check_child.db_check(store) == []
    assert events == ["sqlite starts", "child", "sqlite ends", "chain"]


def test_a_mapped_check_starts_the_record_walks_child_before_it_opens_the_file(
    store: Path, children: list[dict], child_walks: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check child (mapped) starts the record walk's child with SQLite's checks, before its own
    imports and the file's opening, and the walk uses that child: one child, chunks walked by it."""
    from dn_bodymap.store import repository

    events: list[str] = []
    real_start, real_open = check_child.start, repository.open_read_only

    def start(*args, **kwargs):
        events.append("child")
        return real_start(*args, **kwargs)

    def open_read_only(*args, **kwargs):
        events.append("open")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(check_child, "start", start)
    monkeypatch.setattr(repository, "open_read_only", open_read_only)
    tamper(store, *EDITS)
    assert check_child.db_check(store, mapped=True) == check_child.db_check(store)
    assert events[:2] == ["child", "open"] and events.count("child") == 2  # one for each check
    assert chunks_walked_by_a_child(children) >= 1


def test_a_child_started_for_a_file_that_will_not_open_is_stopped(
    store: Path, children: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dn_bodymap.store import repository
    from dn_bodymap.store.errors import StoreError

    started: list[check_child.Child] = []
    real_start = check_child.start

    def start(*args, **kwargs):
        child = real_start(*args, **kwargs)
        started.extend([child] if child is not None else [])
        return child

    def open_read_only(*args, **kwargs):
        raise StoreError("records.db is locked by a migration")

    monkeypatch.setattr(check_child, "start", start)
    monkeypatch.setattr(repository, "open_read_only", open_read_only)
    assert check_child.db_check(store, mapped=True) == ["records.db is locked by a migration"]
    assert len(started) == 1 and started[0].process.returncode is not None  # stopped and reaped


def test_an_error_in_sqlites_checks_reaches_the_caller(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The thread that runs them hands what they raise to the walk, which stops (nothing walked)."""
    from dn_bodymap.store import backup

    walked: list[object] = []

    def integrity(path, *, mmap_bytes=0):
        raise MemoryError("no room for SQLite's checks")

    monkeypatch.setattr(backup, "integrity_problems", integrity)
    monkeypatch.setattr(audit, "verify_chain", lambda db: walked.append(db) or [])
    with pytest.raises(MemoryError, match="no room"):
        check_child.db_check(store)
    assert walked == []


@pytest.mark.parametrize("rows", [0, 1, 5, 64])
def test_the_chunks_cover_each_table_from_its_first_rowid_to_its_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    """Rowid ranges of ``CHUNK_ROWS`` rows from the first rowid to the last; an empty table has none."""
    monkeypatch.setattr(check_child, "CHUNK_ROWS", 4)
    path = tmp_path / "records.db"
    with open_store(path, actor="Dr Test", backups=False) as repo:
        patient = repo.add_patient(make_patient("Test Patient"))
        session = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
        for _ in range(rows):
            repo.add_mark(make_mark(session))
    with open_read_only(path, check=False) as repo:
        chunks = [c for c in check_child.content_chunks(repo.db) if c[0] == "mark"]
        rowids = [r for (r,) in repo.db.execute("SELECT rowid FROM marks ORDER BY rowid")]
    expected = (
        [("mark", s, min(s + 3, rowids[-1])) for s in range(rowids[0], rowids[-1] + 1, 4)] if rowids else []
    )
    assert chunks == expected


@pytest.mark.parametrize("split", [True, False])
def test_a_damaged_file_is_not_walked(
    store: Path, children: list[dict], monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    """SQLite's checks found damage: that is the finding, and the chain is not walked (its findings
    would not count), with or without a child."""
    from dn_bodymap.store import backup

    if not split:
        monkeypatch.setattr(check_child, "SPLIT_MIN_BYTES", 1 << 40)
    damage = ["*** in database main ***\nPage 7: btreeInitPage() returns error code 11"]
    walked: list[object] = []
    monkeypatch.setattr(backup, "integrity_problems", lambda path, *, mmap_bytes=0: damage)
    monkeypatch.setattr(audit, "chain_problems", lambda db: walked.append(db) or [])
    monkeypatch.setattr(audit, "verify_chain", lambda db: walked.append(db) or [])
    assert check_child.db_check(store) == damage
    assert walked == []
