"""Canvas figures: click → mark shown (identification + hazard check + save + scene update), and
pan/zoom frame time with 500 marks and 50 pain areas against an empty scene in the same run.

Run: QT_QPA_PLATFORM=offscreen python bench/bench_canvas.py
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QImage, QPainter
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
    controller.ack_provider = lambda a, w: __import__(
        "dn_bodymap.gui.session.controller", fromlist=["AcknowledgementAnswer"]
    ).AcknowledgementAnswer("Pincer grip", "bench")
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
    scene_empty_image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)

    def frame_time(n: int = 40) -> float:
        times = []
        for i in range(n):
            view.zoom_by(1.07 if i % 2 == 0 else 1 / 1.07)
            view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + (5 if i % 4 < 2 else -5))
            t0 = time.perf_counter()
            painter = QPainter(scene_empty_image)
            view.render(painter)
            painter.end()
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    page.canvas.show_view("posterior")
    view.zoom_by(1.5)
    baseline = frame_time()

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
    loaded = frame_time()
    print(f"marks on canvas: {len(page.canvas.scenes['posterior'].marks)}, pain areas: {len(page.canvas.scenes['posterior'].areas)}")
    print(f"click → mark shown    : median {statistics.median(click_times) * 1000:.1f} ms, "
          f"p90 {sorted(click_times)[int(0.9 * len(click_times))] * 1000:.1f} ms (60 clicks, incl. locate, hazard check, save)")
    print(f"pan/zoom frame, empty : {baseline * 1000:.1f} ms")
    print(f"pan/zoom frame, 500+50: {loaded * 1000:.1f} ms  ratio {loaded / baseline:.2f}x")
    window.close()
    repo.close()


if __name__ == "__main__":
    main()
