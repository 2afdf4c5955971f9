"""Issue #14's table at a real clinic's size, each row as a ratio to its floor measured in this run.

Builds (once, cached under the temp folder) a 10,000-patient database with `dn-bodymap demo
--patients` and the small demo database, then measures every row: start-up to the patient list and
into the last session against a bare PySide6 window, closing after one edit, the backups kept,
click → mark shown (bench/bench_canvas.py), `db check` against SQLite's own integrity and
foreign-key checks, the "recent" patient query, `suggest` on a whole-figure drawing, and the
`dn-bodymap patients` process against a bare python + sqlite3 process. Wall times are medians of
repeated runs; peak memory is each child's ``ru_maxrss`` (``os.wait4``), taken by a small launcher
process (a child forked from this bigger process would report this one's memory as its own peak).

Every child runs with HOME and the XDG folders under the cache, so settings, backups and the audit
key never touch the user's own. Children keep compiled bytecode (in a folder under the cache, as an
installed package has it from pip): an environment with PYTHONDONTWRITEBYTECODE would otherwise
compile every dn-bodymap module from source in every child (~0.2 s of a start). ``--source-bytecode``
measures that way instead. The ``patients`` row runs the installed ``dn-bodymap`` script when there
is one (what a user runs), else ``python -m dn_bodymap.cli``.

Run: python bench/bench_scale.py [--patients 10000] [--repeat 5] [--skip-canvas] [--clinic PATH]
[--source-bytecode]
(``--clinic`` measures a database already built with ``dn-bodymap demo --patients N``: the
build takes minutes. The bench adds a clinician profile to it if it has none, and works on a copy
for the rows that write. Give it the audit key the database was written with, e.g.
``DN_BODYMAP_AUDIT_KEY=~/.config/dn-bodymap/audit.key``, or ``db check`` cannot verify the chain.)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import median_seconds, paired_medians

HERE = Path(__file__).resolve().parent
CACHE = Path(tempfile.gettempdir()) / "dn-bodymap-bench-scale"
HOME = CACHE / "home"
CLI = [sys.executable, "-m", "dn_bodymap.cli"]
SCRIPT = Path(sys.executable).with_name("dn-bodymap")
#: Children keep compiled bytecode under the cache (see the module's docstring).
BYTECODE = {"keep": True}
# Spawns the command, waits for it and appends its wall time, peak memory and exit code to stdout.
LAUNCHER = """
import os, sys, time
start, spawned = time.perf_counter(), time.time()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ)
_, status, usage = os.wait4(pid, 0)
code = os.waitstatus_to_exitcode(status)
print(f"\\n@launcher {time.perf_counter() - start} {usage.ru_maxrss} {code} {spawned}")
"""


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(HOME),
        XDG_CONFIG_HOME=str(HOME / ".config"),
        XDG_DATA_HOME=str(HOME / ".local" / "share"),
        XDG_CACHE_HOME=str(HOME / ".cache"),
        QT_QPA_PLATFORM="offscreen",
    )
    env.pop("DN_BODYMAP_DB", None)
    if BYTECODE["keep"]:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    return env


def run_child(argv: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak resident KiB and stdout of one child process."""
    seconds, peak, out, _ = _launch(argv)
    return seconds, peak, out


def _launch(argv: list[str]) -> tuple[float, int, str, float]:
    """…and the epoch time at which it was spawned."""
    result = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *argv], capture_output=True, text=True, env=child_env(), check=True
    )
    text, _, tail = result.stdout.rpartition("@launcher ")
    seconds, peak, code, spawned = tail.split()
    if int(code) not in (0, 1):  # `db check` exits 1 when it finds problems: still measured
        raise SystemExit(f"{' '.join(argv[:6])} failed with exit {code}")
    return float(seconds), int(peak), text.rstrip(), float(spawned)


# How often private memory is sampled: often enough for a run of seconds whose memory is flat, and
# rarely enough that the sampling (~0.7 ms) takes under 2 % of a core from the command measured.
SAMPLE_SECONDS = 0.05


def private_peak_child(argv: list[str]) -> tuple[float, int, str, int]:
    """``run_child``, and the peak of the private memory (``RssAnon``) of all the processes it runs,
    sampled every ``SAMPLE_SECONDS`` from /proc: ``ru_maxrss`` also counts the pages of a file a process maps,
    which are the page cache's, shared and given back under pressure (``db check``'s children map
    the database, store/check_child.py)."""
    import threading

    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, *argv], stdout=subprocess.PIPE, text=True, env=child_env()
    )
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], sum(_rss_anon(pid) for pid in _tree(process.pid)))
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    sampler.join()
    text, _, tail = out.rpartition("@launcher ")
    seconds, rss, code, _ = tail.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"{' '.join(argv[:6])} failed with exit {code}")
    return float(seconds), int(rss), text.rstrip(), peak[0]


def _tree(root: int) -> list[int]:
    """``root`` and every process descended from it, from each thread's ``children`` file: a dozen
    small reads. Reading every process's ``stat`` instead cost ~3 ms a sample, 15 % of a core
    taken from a measured command that keeps both busy (``db check``), not from one that keeps one
    (its floor)."""
    if not _CHILDREN_FILES:
        return _tree_by_scan(root)
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        try:
            threads = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue  # gone already
        for tid in threads:
            with contextlib.suppress(OSError):
                todo += map(int, Path(f"/proc/{pid}/task/{tid}/children").read_text().split())
    return sorted(tree)


# ``children`` needs a kernel built with CONFIG_PROC_CHILDREN; without it, every process is read.
_CHILDREN_FILES = Path(f"/proc/self/task/{os.getpid()}/children").exists()


def _tree_by_scan(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sorted(tree)


def _rss_anon(pid: int) -> int:
    """KiB of a process's private (anonymous) resident memory; 0 once it has gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def median_child(argv: list[str], repeat: int) -> tuple[float, int, str]:
    runs = [run_child(argv) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


# -- databases ---------------------------------------------------------------------------------
def build(name: str, extra: list[str]) -> Path:
    """The cached database, built through the CLI on first use (into a temporary name first)."""
    path = CACHE / f"{name}.db"
    if path.exists():
        _ensure_profile(path)
        return path
    building = CACHE / f"building-{name}.db"
    for leftover in CACHE.glob(f"building-{name}.db*"):
        leftover.unlink()
    print(f"building {path} (once; cached) …", flush=True)
    start = time.perf_counter()
    subprocess.run([*CLI, "demo", "--db", str(building), *extra], check=True, env=child_env())
    for suffix in ("-wal", "-shm", ".lock"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    building.rename(path)
    print(f"built in {time.perf_counter() - start:.0f} s", flush=True)
    _ensure_profile(path)
    return path


def _ensure_profile(path: Path) -> None:
    """A clinic's database has its clinician profile, so the app does not ask for one at start."""
    from dn_bodymap.charting.records import Clinician
    from dn_bodymap.store import open_store

    with open_store(path, actor="bench", backups=False) as repo:
        if repo.get_clinician() is None:
            repo.set_clinician(Clinician(name="Demo Clinician Robin Hale"))


def working_copy(source: Path) -> Path:
    """A copy that the edit and backup rows may change; the cached file stays as built."""
    target = CACHE / f"work-{source.name}"
    for old in CACHE.glob(f"work-{source.name}*"):
        old.unlink()
    shutil.copyfile(source, target)
    from dn_bodymap.store.paths import backup_dir

    shutil.rmtree(backup_dir(target), ignore_errors=True)
    return target


# -- children ----------------------------------------------------------------------------------
def child_main(mode: str, args: list[str]) -> None:
    """Modes run in a fresh process: each prints one JSON line."""
    if mode == "bare-window":
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QWidget

        app = QApplication([])
        window = QWidget()
        window.resize(1500, 950)
        window.show()
        QTimer.singleShot(0, lambda: _shown(app))
        app.exec()
    elif mode == "app-start":
        from PySide6.QtCore import QSettings, QTimer
        from PySide6.QtWidgets import QApplication

        from dn_bodymap.gui.app import run_app

        app = QApplication([])
        settings = QSettings("dn-bodymap", "dn-bodymap")
        settings.setValue("last_session", args[1] if len(args) > 1 else "")
        settings.sync()

        def shown() -> None:
            from dn_bodymap.gui.main_window import MainWindow

            window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))

            def facts() -> dict:  # read after the paint: reading them must not build what it did not
                on_list = window._patients is not None
                rows = window.patients.patients.count() if on_list else -1
                return {"session": window.controller is not None, "patient_rows": rows}

            _shown(app, facts)

        QTimer.singleShot(0, shown)
        run_app(db=args[0])
    elif mode == "close-after-edit":
        from dn_bodymap.charting.records import Patient
        from dn_bodymap.store import open_store

        start = time.perf_counter()
        repo = open_store(args[0])
        opened = time.perf_counter() - start
        repo.add_patient(Patient(display_name="Demo Patient Bench Edit"))
        start = time.perf_counter()
        repo.close()
        closed = time.perf_counter() - start
        # What the app then does once its window is gone (gui/backups_dialog.py finish_backups).
        from dn_bodymap.store.backup import make_backup

        start = time.perf_counter()
        make_backup(Path(args[0]), "auto")
        backed_up = time.perf_counter() - start
        print(json.dumps({"open_s": opened, "close_s": closed, "backup_s": backed_up}))
    else:
        raise SystemExit(f"unknown child mode {mode}")


def _shown(app, facts=dict) -> None:
    app.processEvents()  # the first paint of what was shown
    shown_at = time.time()
    print(json.dumps({"shown_at": shown_at, **facts()}), flush=True)
    app.quit()


def start_times(starts: dict[str, list[str]], rounds: int) -> dict[str, tuple[float, int, dict]]:
    """Per start: the median seconds from spawning the process to its first screen painted, peak
    memory and the last run's facts; the starts run in turn, round after round."""
    times: dict[str, list[float]] = {name: [] for name in starts}
    peaks = dict.fromkeys(starts, 0)
    facts: dict[str, dict] = {}
    for _ in range(rounds):
        for name, argv in starts.items():
            _, rss, out, spawned = _launch(argv)
            facts[name] = json.loads(out.strip().splitlines()[-1])
            times[name].append(facts[name].pop("shown_at") - spawned)
            peaks[name] = max(peaks[name], rss)
    return {name: (statistics.median(times[name]), peaks[name], facts[name]) for name in starts}


# -- the table ---------------------------------------------------------------------------------
class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, what: str, value: str, floor: str, ratio: str, goal: str) -> None:
        self.rows.append((what, value, floor, ratio, goal))
        print(f"  {what}: {value} | floor {floor} | {ratio} | goal {goal}", flush=True)

    def markdown(self) -> str:
        head = ("what", "measured", "floor (same run)", "ratio", "goal")
        lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.2f} ms"


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs per median (heavy rows: fewer)")
    parser.add_argument("--skip-canvas", action="store_true", help="leave out the click row")
    parser.add_argument(
        "--clinic", metavar="PATH", type=Path, help="an existing `demo --patients N` database to measure"
    )
    parser.add_argument(
        "--source-bytecode",
        action="store_true",
        help="children compile from source when PYTHONDONTWRITEBYTECODE is set (no bytecode cache)",
    )
    parser.add_argument(
        "--only", choices=["check"], help="measure one row only (check: `db check` against SQLite's checks)"
    )
    opts = parser.parse_args()
    BYTECODE["keep"] = not opts.source_bytecode
    CACHE.mkdir(exist_ok=True)
    HOME.mkdir(exist_ok=True)
    os.environ.update(child_env())  # this process too: one audit key and backup folder for all
    repeat, heavy = opts.repeat, max(1, (opts.repeat + 1) // 2)

    demo = build("demo", []) if opts.only is None else None
    from dn_bodymap.store.migrations import LATEST_VERSION

    # Keyed by the schema version: a database built by an older schema is rebuilt, not migrated.
    if opts.clinic is not None:
        clinic = opts.clinic.resolve()
        _ensure_profile(clinic)
        with sqlite3.connect(f"{clinic.as_uri()}?mode=ro", uri=True) as conn:
            opts.patients = conn.execute("SELECT count(*) FROM patients").fetchone()[0]
    else:
        clinic = build(f"clinic-{opts.patients}-schema{LATEST_VERSION}", ["--patients", str(opts.patients)])
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    table = Table()
    print(f"machine: {machine()}", flush=True)
    with_sizes = _sizes(clinic)
    print(f"clinic database: {with_sizes}", flush=True)

    if opts.only == "check":
        _check_row(table, clinic, opts.patients, heavy)
        print(table.markdown())
        return
    assert demo is not None
    last = _last_session(demo)
    starts = {
        "bare": [*me, "bare-window"],
        "demo": [*me, "app-start", str(demo)],
        "session": [*me, "app-start", str(demo), last],
        "clinic": [*me, "app-start", str(clinic)],
    }
    for argv in starts.values():  # warm the atlas, geometry and figure caches and the bytecode once
        run_child(argv)
    # Interleaved rounds, at least 9: this machine's speed drifts by a fifth within a minute, and
    # blocks of one kind of start after another turned that drift into the ratios.
    timed = start_times(starts, max(repeat, 9))
    (bare, bare_rss, _), (demo_start, demo_rss, _) = timed["bare"], timed["demo"]
    table.add(
        "start to the patient list, demo database",
        f"{ms(demo_start)}, {mib(demo_rss)}",
        f"bare PySide6 window {ms(bare)}, {mib(bare_rss)}",
        f"{demo_start / bare:.1f} ×",
        "≤ 2 ×",
    )
    session_start, session_rss, facts = timed["session"]
    assert facts.get("session"), "the app did not reopen the last session"
    table.add(
        "start straight into the last session",
        f"{ms(session_start)}, {mib(session_rss)}",
        f"bare window {ms(bare)}",
        f"{session_start / bare:.1f} ×",
        "≤ 3 ×",
    )
    clinic_start, clinic_rss, facts = timed["clinic"]
    table.add(
        f"start to the patient list, {opts.patients:,}-patient database",
        f"{ms(clinic_start)}, {mib(clinic_rss)}",
        f"demo database's start {ms(demo_start)}",
        f"{clinic_start / demo_start:.2f} × ({clinic_start / bare:.1f} × bare)",
        "≤ 1.2 × the demo's",
    )

    work = working_copy(clinic)
    closes, backups = [], []
    for _ in range(heavy):
        _, _, out = run_child([*me, "close-after-edit", str(work)])
        timings = json.loads(out.strip().splitlines()[-1])
        closes.append(timings["close_s"])
        backups.append(timings["backup_s"])
    close = statistics.median(closes)
    table.add(
        f"close after one edit, {opts.patients:,} database",
        ms(close),
        "—",
        f"{close / 0.3:.1f} × the goal",
        "≤ 0.3 s",
    )
    from dn_bodymap.store.paths import backup_dir

    kept = sum(p.stat().st_size for p in backup_dir(work).glob("*") if p.is_file())
    size = work.stat().st_size
    table.add(
        f"automatic backups kept after {heavy} open/edit/close/backup, {opts.patients:,} database",
        f"{kept / 2**20:.0f} MiB (each backup {statistics.median(backups):.0f} s, after the window is gone)",
        f"the database {size / 2**20:.0f} MiB",
        f"{kept / size:.2f} ×",
        "≤ 2 × the database",
    )

    if not opts.skip_canvas:
        _, _, out = run_child([sys.executable, str(HERE / "bench_canvas.py"), "--json"])
        clicks = json.loads(out.strip().splitlines()[-1])["clicks_ms"]
        empty = clicks["0"]
        for count in ("500", "2000"):
            table.add(
                f"click → mark shown, {int(count):,} marks in the session",
                f"{clicks[count]:.0f} ms",
                f"empty session {empty:.0f} ms",
                f"{clicks[count] / empty:.1f} ×",
                "≤ 2 × the empty session",
            )

    _check_row(table, clinic, opts.patients, heavy)

    recent, bare_query = _recent_query(clinic, repeat * 4)
    table.add(
        f'patient list "recent" query (200 rows), {opts.patients:,}',
        ms(recent),
        f"bare sqlite3 SELECT of 200 patients {ms(bare_query)}",
        f"{recent / bare_query:.1f} ×",
        "≤ 5 ms",
    )

    suggest_s = _suggest_whole_figure(repeat)
    table.add(
        "`suggest` on a whole-figure drawing",
        ms(suggest_s),
        "—",
        f"{suggest_s / 0.05:.1f} × the goal",
        "≤ 50 ms",
    )

    listing = [*([str(SCRIPT)] if SCRIPT.is_file() else CLI), "--db", str(demo), "patients"]
    run_child(listing)  # compiles once, like the first run after an install
    patients_cmd, patients_rss, _ = median_child(listing, repeat)
    floor_code = (
        "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('SELECT * FROM patients').fetchall()"
    )
    run_child([sys.executable, "-c", floor_code, str(demo)])
    bare_process, bare_process_rss, _ = median_child([sys.executable, "-c", floor_code, str(demo)], repeat)
    table.add(
        "`dn-bodymap patients` process (demo database)",
        f"{ms(patients_cmd)}, {mib(patients_rss)}",
        f"bare python + sqlite3 {ms(bare_process)}, {mib(bare_process_rss)}",
        f"{patients_cmd / bare_process:.1f} ×",
        "≤ 3 ×",
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print()
    print(table.markdown())
    print()
    print(f"bench process peak memory: {mib(peak)}; medians of {repeat} runs ({heavy} for the heavy rows)")


def _check_row(table: Table, clinic: Path, patients: int, pairs: int) -> None:
    """`db check` against SQLite's own integrity + foreign-key checks, run as interleaved pairs (so
    both meet the same load on a shared machine); medians. Peak memory is the largest process's
    (``wait4`` reports the maximum over the child and the processes it waited for)."""
    floor_code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('PRAGMA integrity_check').fetchall(); c.execute('PRAGMA foreign_key_check').fetchall()"
    )
    floors, checks = [], []
    for _ in range(pairs):
        floors.append(private_peak_child([sys.executable, "-c", floor_code, str(clinic)]))
        checks.append(private_peak_child([*CLI, "--db", str(clinic), "db", "check"]))
    sqlite_check, sqlite_rss = statistics.median(f[0] for f in floors), max(f[1] for f in floors)
    check, check_rss = statistics.median(c[0] for c in checks), max(c[1] for c in checks)
    sqlite_private, check_private = max(f[3] for f in floors), max(c[3] for c in checks)
    print(f"db check runs {[round(c[0], 1) for c in checks]}, floor runs {[round(f[0], 1) for f in floors]}")
    print(f"db check said: {checks[-1][2].splitlines()[-1] if checks[-1][2] else ''}", flush=True)
    print(
        f"db check peak resident {mib(check_rss)} (largest process, mapped database pages included), "
        f"floor {mib(sqlite_rss)}",
        flush=True,
    )
    table.add(
        f"`db check`, {patients:,} database",
        f"{check:.1f} s, {mib(check_private)} private (all processes)",
        f"SQLite integrity + foreign-key check {sqlite_check:.1f} s, {mib(sqlite_private)} private",
        f"{check / sqlite_check:.2f} × time, {check_private / max(sqlite_private, 1):.1f} × private memory",
        "≤ 1.2 ×; memory flat",
    )


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, {platform.system()}"


def _sizes(path: Path) -> str:
    import sqlite3

    with sqlite3.connect(path) as conn:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("patients", "sessions", "marks")
        }
        entries = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    parts = ", ".join(f"{n:,} {t}" for t, n in counts.items())
    return f"{parts}, {entries:,} audit entries, {path.stat().st_size / 2**20:.0f} MiB"


def _last_session(path: Path) -> str:
    import sqlite3

    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT s.id FROM sessions s WHERE s.deleted_at IS NULL ORDER BY "
            "(SELECT count(*) FROM marks m WHERE m.session_id = s.id) DESC, s.started_at DESC LIMIT 1"
        ).fetchone()
    return row[0]


def _recent_query(path: Path, repeat: int) -> tuple[float, float]:
    import sqlite3

    from dn_bodymap.store import open_read_only

    with open_read_only(path) as repo:
        conn = sqlite3.connect(path)
        try:

            def recent() -> object:
                return repo.search_patients(limit=200, order="recent")

            def bare() -> object:
                return conn.execute("SELECT * FROM patients LIMIT 200").fetchall()

            recent(), bare()
            return paired_medians(recent, bare, repeat)
        finally:
            conn.close()


def _suggest_whole_figure(repeat: int) -> float:
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.atlas.trigger_points import default_library
    from dn_bodymap.charting.referral.drawing import PainDrawing
    from dn_bodymap.charting.referral.suggest import ReferralIndex, suggest

    atlas = default_atlas()
    index = ReferralIndex(atlas, default_library())
    drawing = PainDrawing()
    for view in ("anterior", "posterior"):
        drawing.add(view, atlas.view(view).silhouette)
    drawing = drawing.clipped(atlas)
    suggest(drawing, index, top=10)
    return median_seconds(lambda: suggest(drawing, index, top=10), repeat)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child_main(sys.argv[2], sys.argv[3:])
    else:
        main()
