"""Canvas figures: click → mark shown (identification + hazard check + save + scene update), and
pan/zoom frame time with 500 marks and 50 pain areas against an empty scene in the same run; then
clicks with 0, 500 and 2,000 marks already in the session (the extra marks are saved through the
repository and the session reopened, as after a restart), as ratios to the empty session, measured
in interleaved rounds so that a busy machine's drift falls on every count alike.

Run: QT_QPA_PLATFORM=offscreen python bench/bench_canvas.py [--json]
(--json adds a last line {"clicks_ms": {"0": …, "500": …, "2000": …}} for bench/bench_scale.py)
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.charting.records import Patient
    from dn_bodymap.gui.main_window import MainWindow
    from dn_bodymap.store import open_store

    app = QApplication([])
    tmp = tempfile.mkdtemp()
    repo = open_store(os.path.join(tmp, "bench.db"), backups=False)
    settings = QSettings(os.path.join(tmp, "s.ini"), QSettings.Format.IniFormat)
    atlas = default_atlas()
    window = MainWindow(repo, atlas, None, None, settings, "Bench")
    window.resize(1500, 950)
    window.show()
    patient = Patient(display_name="Demo Patient Bench")
    repo.add_patient(patient)
    window.start_session(patient.id)
    controller, page = window.controller, window.session_page
    controller.ack_provider = lambda needs: (
        [
            __import__(
                "dn_bodymap.gui.session.controller", fromlist=["AcknowledgementAnswer"]
            ).AcknowledgementAnswer("Pincer grip", "bench")
        ]
        * len(needs)
    )
    app.processEvents()
    rng = random.Random(3)
    sil = atlas.view("posterior").silhouette
    minx, miny, maxx, maxy = sil.bounds

    def random_inside():
        from shapely.geometry import Point

        while True:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if sil.contains(Point(x, y)):
                return x, y

    view = page.canvas.views["posterior"]

    def frame_time(mode: str, n: int = 40) -> float:
        times = []
        for i in range(n):
            if mode == "zoom":
                view.zoom_by(1.07 if i % 2 == 0 else 1 / 1.07)
            else:
                bar = view.verticalScrollBar()
                bar.setValue(bar.value() + (12 if i % 8 < 4 else -12))
            t0 = time.perf_counter()
            view.viewport().repaint()  # the real paint path, item caches included
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    page.canvas.show_view("posterior")
    view.zoom_by(1.5)
    baseline = {mode: frame_time(mode) for mode in ("pan", "zoom")}

    click_times = []
    for _ in range(60):
        x, y = random_inside()
        t0 = time.perf_counter()
        page._on_view_place_requested("posterior", x, y)
        app.processEvents()
        click_times.append(time.perf_counter() - t0)
    for _ in range(440):
        x, y = random_inside()
        controller.place_mark("posterior", x, y)
    for _ in range(50):
        x, y = random_inside()
        controller.finish_stroke("posterior", "brush", [(x, y), (x + 8, y + 5), (x + 12, y + 14)])
    app.processEvents()
    loaded = {mode: frame_time(mode) for mode in ("pan", "zoom")}
    scene = page.canvas.scenes["posterior"]
    print(f"marks on canvas: {len(scene.marks)}, pain areas: {len(scene.areas)}")
    print(
        f"click → mark shown    : median {statistics.median(click_times) * 1000:.1f} ms, "
        f"p90 {sorted(click_times)[int(0.9 * len(click_times))] * 1000:.1f} ms "
        "(60 clicks, incl. locate, hazard check, save)"
    )
    for mode in ("pan", "zoom"):
        print(
            f"{mode} frame: empty scene {baseline[mode] * 1000:.1f} ms, 500 marks + 50 areas "
            f"{loaded[mode] * 1000:.1f} ms, ratio {loaded[mode] / baseline[mode]:.2f}x (median of 40)"
        )
    by_marks = clicks_by_mark_count(app, window, repo, random_inside)
    base, cpu_base = by_marks[0], CPU_MEDIANS[0]
    for count, median in by_marks.items():
        print(
            f"click → mark shown, {count:>5} marks in the session: median {median * 1000:6.1f} ms, "
            f"{median / base:5.2f}x the empty session; CPU {CPU_MEDIANS[count] * 1000:6.1f} ms, "
            f"{CPU_MEDIANS[count] / cpu_base:5.2f}x (60 clicks in 6 interleaved rounds)"
        )
    window.close()
    repo.close()
    if "--json" in sys.argv:
        print(json.dumps({"clicks_ms": {str(n): round(s * 1000, 2) for n, s in by_marks.items()}}))


def clicks_by_mark_count(
    app, window, repo, random_inside, counts=(0, 500, 2000), clicks=60, rounds=6
) -> dict:
    """Median click → mark shown in a session holding ``count`` marks saved beforehand.

    The sessions are made first; then each round opens every session in turn (as after a restart),
    makes two unmeasured clicks and times ``clicks // rounds`` more. Interleaving the counts keeps a
    busy machine's drift out of the ratios between them."""
    from dn_bodymap.charting.records import Mark, Patient

    atlas_version = window.atlas.version
    sessions = {}
    for count in counts:
        patient = Patient(display_name=f"Demo Patient Bench {count}")
        repo.add_patient(patient)
        window.start_session(patient.id)
        session_id = window.controller.session_id
        for _ in range(count):
            x, y = random_inside()
            mark = Mark(session_id=session_id, view="posterior", x=x, y=y, atlas_version=atlas_version,
                        side="right" if x >= 0 else "left")  # fmt: skip
            repo.add_mark(mark)
        sessions[count] = session_id
    times: dict[int, list[float]] = {count: [] for count in counts}
    cpu: dict[int, list[float]] = {count: [] for count in counts}
    for _ in range(rounds):
        for count, session_id in sessions.items():
            window.open_session(session_id)  # reload: the marks are "already in the session"
            page = window.session_page
            window.controller.ack_provider = lambda needs: [_answer()] * len(needs)
            page.canvas.show_view("posterior")
            app.processEvents()
            for i in range(2 + clicks // rounds):
                x, y = random_inside()
                t0, c0 = time.perf_counter(), time.process_time()
                page._on_view_place_requested("posterior", x, y)
                app.processEvents()
                if i >= 2:
                    times[count].append(time.perf_counter() - t0)
                    cpu[count].append(time.process_time() - c0)
    CPU_MEDIANS.clear()
    CPU_MEDIANS.update({count: statistics.median(values) for count, values in cpu.items()})
    return {count: statistics.median(values) for count, values in times.items()}


#: The same clicks' process CPU time (medians), which a machine busy with other jobs inflates less.
CPU_MEDIANS: dict[int, float] = {}


def _answer():
    from dn_bodymap.gui.session.controller import AcknowledgementAnswer

    return AcknowledgementAnswer("Pincer grip", "bench")


if __name__ == "__main__":
    main()
