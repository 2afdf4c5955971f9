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
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# A file smaller than this is checked in-process: a child's start (~0.2 s) would cost more than
# the second core saves. Tests set it to 0.
SPLIT_MIN_BYTES = 64 * 1024 * 1024
# Rows per chunk of the record walk: ~0.5 s of work, so the last chunk ends near the rest.
CHUNK_ROWS = 32768

Chunk = tuple[str, int, int]  # kind, first rowid, last rowid


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
    """Start a child for ``mode`` ("chunks" or "full"); None when none can be started."""
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
        low, high = db.execute(f"SELECT min(rowid), max(rowid) FROM {table}").fetchone()
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


def verify_chain_split(db: Any, path: Path) -> list[str]:
    """``audit.verify_chain(db)``'s findings, in its order; for a big file a child walks chunks of
    the records while this process walks the chain, then both take chunks until none are left."""
    from dn_bodymap.store import audit

    if not audit.has_content_columns(db) or path.stat().st_size < SPLIT_MIN_BYTES:
        return audit.verify_chain(db)
    every = audit.every_row_audited(db)
    work = _Work(content_chunks(db))
    child = start("chunks", path, getattr(db.conn, "passphrase", None), every_row_audited=every)
    if child is None:
        return audit.verify_chain(db)
    server = threading.Thread(target=_serve, args=(child, work), name="dn-bodymap check child", daemon=True)
    server.start()

    def walk(index: int) -> None:
        kind, low, high = work.chunks[index]
        work.found[index] = audit.table_problems(db, kind, every_row_audited=every, rowids=(low, high))

    try:
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


# -- the child's side ----------------------------------------------------------------------------
def _chunks(request: dict[str, Any], path: Path) -> None:
    """Walk the chunks the parent hands out, one at a time, until it says no more (or goes)."""
    from dn_bodymap.store import audit
    from dn_bodymap.store.repository import open_read_only

    every = bool(request.get("every_row_audited"))
    with open_read_only(path, check=False) as repo:
        _say({"ready": True})
        for line in sys.stdin.buffer:
            message = json.loads(line)
            kind, low, high = message["rows"]
            found = audit.table_problems(repo.db, kind, every_row_audited=every, rowids=(low, high))
            _say({"chunk": message["chunk"], "problems": found})


def _full(path: Path) -> None:
    from dn_bodymap.store.records_check import run_full_check

    threading.Thread(target=_exit_when_parent_goes, args=(sys.stdin.fileno(),), daemon=True).start()
    result = run_full_check(path, split=False)  # this process is already off the window's
    _say({"problems": list(result.problems), "records": result.records, "entries": result.entries})


def _say(answer: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


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
    else:
        _chunks(request, path)
    return 0


if __name__ == "__main__":
    code = main()
    os._exit(code)  # not through the interpreter's shutdown, which would wait on the watchdog
