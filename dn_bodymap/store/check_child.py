"""Part of a record check run in a second Python process (issue #14).

The audit walks are Python and hold the GIL: in one process they use one core however they are
threaded. ``db check`` shares the record-content walk with a child process while it walks the chain
itself beside SQLite's own checks (C, in a thread), so a two-core computer uses both: the records
are cut into chunks (a table's rows by rowid range) which the child asks for one at a time, and
this process takes the rest once its chain walk is done, so both end together whatever the load.
The app runs its whole background check in a child, so the walk never takes the window's GIL.

The child is ``python -m dn_bodymap.store.check_child``; what it needs comes through its stdin
pipe (never its command line or environment, which others on the computer can read): the file,
an encrypted file's passphrase, and the audit key the parent would use. It only reads. It answers
on stdout and exits when its stdin closes, so a parent that dies or is killed takes it along and a
killed child loses nothing. A chunk the child does not answer for, or a child that cannot start,
is walked in-process: the findings, and their order, are the same either way.

``dn-bodymap db check`` itself runs in a child on a big file (``db_check_in_child``), whose
connections map the file (``PRAGMA mmap_size``) as the record walk's child's do: SQLite then reads a
page from memory instead of a ``pread`` system call each. On a clinic that was more than half of
SQLite's own integrity check (8.7 of 15.9 s were system time) and a third of the record walk's
latest-entry look-ups. Only children map: an I/O error on a mapped page (a failing disk) is a
SIGBUS that ends the process, so a child that dies is done again in the parent, unmapped, where the
same error is a ``DatabaseError`` and a sentence.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# A file smaller than this is checked in-process: a child's start (~0.2 s) would cost more than
# the second core saves. Tests set it to 0.
SPLIT_MIN_BYTES = 64 * 1024 * 1024
# Rows per chunk of the record walk: ~0.5 s of work, so the last chunk ends near the rest.
CHUNK_ROWS = 32768

Chunk = tuple[str, int, int]  # kind, first rowid, last rowid

#: What a child's connections map; SQLite caps it at its own limit (2 GiB in the standard builds)
#: and at the file's size, and ignores it for an encrypted file.
MMAP_BYTES = 1 << 40


def map_pages(conn: Any) -> None:
    """Let SQLite read ``conn``'s pages from a read-only mapping of the file (children only)."""
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")


def can_spawn() -> bool:
    """A Python that can run ``-m`` (not a frozen bundle)."""
    return bool(sys.executable) and not getattr(sys, "frozen", False)


def passphrase_of(path: Path) -> str | None:
    """The passphrase that opens an encrypted file in this process (never asked for here), or None."""
    from dn_bodymap.store import encryption, key_source

    if not encryption.looks_encrypted(path):
        return None
    with key_source.never_ask():
        conn = encryption.open_connection(path, read_only=True)
    try:
        return getattr(conn, "passphrase", None)
    finally:
        conn.close()


class Child:
    """A started child: its request sent, its pipes open."""

    def __init__(self, request: dict[str, Any]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dn_bodymap.store.check_child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        if not self.send(request):
            self.stop()

    def send(self, message: dict[str, Any]) -> bool:
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps(message).encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except (OSError, ValueError):  # it has gone (or we closed its pipe)
            return False
        return True

    def answers(self) -> Iterator[dict[str, Any]]:
        """Its answers, one JSON document a line, until it ends or says something unreadable."""
        assert self.process.stdout is not None
        while True:
            try:
                line = self.process.stdout.readline()
                answer = json.loads(line) if line else None
            except (OSError, ValueError):  # unreadable, or stopped from the other thread
                return
            if not isinstance(answer, dict):
                return
            yield answer

    def result(self) -> dict[str, Any] | None:
        """The one answer of a "full" child (None when it failed before giving it)."""
        try:
            answer = next(self.answers(), None)
        finally:
            self.stop()  # its exit code does not matter once it has answered
        return answer if answer is not None and "problems" in answer else None

    def stop(self) -> None:
        """Close its stdin (it exits if still running), reap it and close its pipes."""
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            if self.process.stdout is not None:
                self.process.stdout.close()


def start(mode: str, path: Path, passphrase: str | None, **extra: Any) -> Child | None:
    """Start a child for ``mode`` ("chunks", "full" or "check"); None when none can be started."""
    from dn_bodymap.store import audit_key

    if not can_spawn():
        return None
    key = audit_key.load_key(create=False)
    request = {
        "mode": mode,
        "path": str(path),
        "passphrase": passphrase,
        "key": key.hex() if key is not None else None,
        **extra,
    }
    try:
        return Child(request)
    except OSError:
        return None


# -- the parent's side of ``db check`` -----------------------------------------------------------
def content_chunks(db: Any) -> list[Chunk]:
    """The record walk cut into rowid ranges, in the walk's order (kind by kind, rowid by rowid)."""
    from dn_bodymap.store import audit

    chunks: list[Chunk] = []
    for kind, table in audit._KIND_TABLES.items():
        # Apart, each is one step down the table's b-tree; together SQLite scans the table (0.16 s
        # of a clinic's check, before the walk could start).
        ends = f"SELECT (SELECT min(rowid) FROM {table}), (SELECT max(rowid) FROM {table})"
        low, high = db.execute(ends).fetchone()
        if low is not None:
            chunks += [(kind, s, min(s + CHUNK_ROWS - 1, high)) for s in range(low, high + 1, CHUNK_ROWS)]
    return chunks


class _Work:
    """The chunks not yet taken, shared by the thread serving the child and the walk here."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.chunks = chunks
        self.next = 0
        self.lock = threading.Lock()
        self.found: dict[int, list[str]] = {}
        self.lost: list[int] = []  # taken by the child, never answered

    def take(self) -> int | None:
        with self.lock:
            if self.next >= len(self.chunks):
                return None
            self.next += 1
            return self.next - 1


def _serve(child: Child, work: _Work) -> None:
    """Hand the child a chunk whenever it is ready for one; keep what it finds."""
    taken: int | None = None
    for answer in child.answers():
        if taken is not None and answer.get("chunk") == taken:
            work.found[taken] = [str(p) for p in answer.get("problems", [])]
            taken = None
        elif "ready" not in answer:
            break
        taken = work.take()
        if taken is None or not child.send({"chunk": taken, "rows": work.chunks[taken]}):
            break
    if taken is not None:
        work.lost.append(taken)
    child.stop()


def verify_chain_split(
    db: Any, path: Path, first: Callable[[], bool] | None = None, child: Child | None = None
) -> list[str]:
    """``audit.verify_chain(db)``'s findings, in its order; for a big file a child walks chunks of
    the records while this process walks the chain, then both take chunks until none are left.

    ``first`` (SQLite's own checks, in C) runs here before the chain, while the child already walks
    records: two busy cores, not three workers on two (which cost a third more CPU on a clinic's
    file); when it returns False (a damaged file) nothing is walked and the findings are empty.
    ``child``: a "chunks" child started already (``db_check`` starts one with SQLite's checks),
    stopped here if the file is not split after all."""
    from dn_bodymap.store import audit

    go_on = first or (lambda: True)
    if not audit.has_content_columns(db) or path.stat().st_size < SPLIT_MIN_BYTES:
        if child is not None:
            child.stop()
        return audit.verify_chain(db) if go_on() else []
    every = audit.every_row_audited(db)
    work = _Work(content_chunks(db))
    if child is None:
        child = start("chunks", path, getattr(db.conn, "passphrase", None))
    if child is None:
        return audit.verify_chain(db) if go_on() else []
    server = threading.Thread(target=_serve, args=(child, work), name="dn-bodymap check child", daemon=True)
    server.start()

    def walk(index: int) -> None:
        kind, low, high = work.chunks[index]
        work.found[index] = audit.table_problems(db, kind, every_row_audited=every, rowids=(low, high))

    try:
        if not go_on():
            child.stop()
            server.join()
            return []
        problems = audit.chain_problems(db)
        while (index := work.take()) is not None:
            walk(index)
    except BaseException:
        child.stop()  # a damaged file, an interrupt: the child stops too
        server.join()
        raise
    server.join()
    for index in work.lost:
        walk(index)
    for index in range(len(work.chunks)):
        problems += work.found[index]
    return problems + [f"trigger {name} was removed" for name in audit.missing_triggers(db)]


# -- `dn-bodymap db check` ----------------------------------------------------------------------
def db_check(path: Path, *, mapped: bool = False, passphrase: str | None = None) -> list[str]:
    """What ``db check`` finds: SQLite's integrity and foreign-key checks, then the audit walk (a
    keyed hash per entry, a content hash per record) in a sound file; on a big file a child walks
    records from the start, beside both (``verify_chain_split``).

    SQLite's checks start first, in a thread (C, without the GIL), and a mapped check (a child's,
    given the file's ``passphrase``) starts the record walk's child with them: the walk's imports
    and the file's opening then run beside both instead of before them."""
    from dn_bodymap.store.backup import integrity_problems

    sqlite_checks = _InThread(lambda: integrity_problems(path, mmap_bytes=MMAP_BYTES if mapped else 0))
    spare = start("chunks", path, passphrase) if mapped and _size(path) >= SPLIT_MIN_BYTES else None

    import sqlite3

    from dn_bodymap.store.anchor import anchor_problems
    from dn_bodymap.store.errors import StoreError
    from dn_bodymap.store.repository import open_read_only

    integrity: list[str] | None = None

    def sound() -> bool:
        nonlocal integrity
        integrity = sqlite_checks.result()
        return not integrity

    chain: list[str] = []
    try:
        with open_read_only(path, check=False) as repo:  # the integrity check is the full check
            if mapped:
                map_pages(repo.db)
            walk, spare = verify_chain_split(repo.db, path, first=sound, child=spare), None
            chain += [f"audit log: {p}" for p in walk]
            if integrity == []:
                chain += [f"audit log: {p}" for p in anchor_problems(repo.db, path)]
    except StoreError as exc:
        chain.append(str(exc))
    except sqlite3.DatabaseError as exc:  # a damaged file: the integrity check says where
        chain.append(f"the audit log cannot be read to the end ({exc})")
    finally:
        if spare is not None:  # the file would not open: the child it was started for is not needed
            spare.stop()
    if integrity is None:  # the file would not open for the walk: SQLite's checks say why
        sound()
    return integrity or chain


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone or unreadable: opening it for the walk says so in a sentence
        return 0


class _InThread:
    """A call run in a daemon thread from now on; ``result()`` waits for it and returns what it
    returned or raises what it raised. Not ``concurrent.futures``: its workers are joined at exit,
    so an interrupted check would wait for SQLite's to finish."""

    def __init__(self, call: Callable[[], list[str]]) -> None:
        self._call = call
        self._value: list[str] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="dn-bodymap SQLite checks", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._call()
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc

    def result(self) -> list[str]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def db_check_in_child(path: Path) -> list[str]:
    """``db_check`` in a child whose connections map the file (a big file only: a small one is done
    here); here, unmapped, when no child can start or it ends without answering (a SIGBUS)."""
    if path.stat().st_size >= SPLIT_MIN_BYTES:
        import sqlite3

        from dn_bodymap.store.errors import StoreError

        try:
            passphrase = passphrase_of(path)
        except (StoreError, sqlite3.DatabaseError, OSError):
            passphrase = None  # the check here words what is wrong with the file
        else:
            child = start("check", path, passphrase, split_min_bytes=SPLIT_MIN_BYTES, chunk_rows=CHUNK_ROWS)
            answer = child.result() if child is not None else None
            if answer is not None:
                return [str(p) for p in answer["problems"]]
    return db_check(path)


# -- the child's side ----------------------------------------------------------------------------
def _chunks(request: dict[str, Any], path: Path) -> None:
    """Walk the chunks the parent hands out, one at a time, until it says no more (or goes)."""
    from dn_bodymap.store import audit
    from dn_bodymap.store.repository import open_read_only

    with open_read_only(path, check=False) as repo:
        map_pages(repo.db)
        every = audit.every_row_audited(repo.db)  # as the parent's walk reads it: the same file
        _say({"ready": True})
        for line in sys.stdin.buffer:
            message = json.loads(line)
            kind, low, high = message["rows"]
            found = audit.table_problems(repo.db, kind, every_row_audited=every, rowids=(low, high))
            _say({"chunk": message["chunk"], "problems": found})


def _full(path: Path) -> None:
    from dn_bodymap.store.records_check import run_full_check

    _stop_with_parent()
    result = run_full_check(path, split=False, mapped=True)  # this process is already off the window's
    _say({"problems": list(result.problems), "records": result.records, "entries": result.entries})


def _check(request: dict[str, Any], path: Path) -> None:
    global SPLIT_MIN_BYTES, CHUNK_ROWS
    SPLIT_MIN_BYTES = int(request.get("split_min_bytes", SPLIT_MIN_BYTES))  # the parent's sizes
    CHUNK_ROWS = int(request.get("chunk_rows", CHUNK_ROWS))
    _stop_with_parent()
    _say({"problems": db_check(path, mapped=True, passphrase=request.get("passphrase"))})


def _say(answer: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


def _stop_with_parent() -> None:
    threading.Thread(target=_exit_when_parent_goes, args=(sys.stdin.fileno(),), daemon=True).start()


def _exit_when_parent_goes(fd: int) -> None:
    """The parent keeps our stdin open while it waits; EOF means it is gone: stop at once."""
    with contextlib.suppress(OSError):
        while os.read(fd, 4096):
            pass
    os._exit(3)


def _request(fd: int) -> dict[str, Any]:
    """The first line the parent sends, read unbuffered (so nothing after it is read ahead)."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(fd, 1)
        if not chunk:
            raise SystemExit(2)
        data += chunk
    return json.loads(data)


def main() -> int:
    request = _request(sys.stdin.fileno())
    from dn_bodymap.store import audit_key, key_source

    if request.get("passphrase"):
        key_source.remember(request["passphrase"])
    key = bytes.fromhex(request["key"]) if request.get("key") else None
    # The parent's key, or none if the parent has none: the same findings as an in-process walk.
    audit_key.load_key = lambda *, create: key  # type: ignore[assignment]
    path = Path(request["path"])
    if request["mode"] == "full":
        _full(path)
    elif request["mode"] == "check":
        _check(request, path)
    else:
        _chunks(request, path)
    return 0


if __name__ == "__main__":
    code = main()
    os._exit(code)  # not through the interpreter's shutdown, which would wait on the watchdog
