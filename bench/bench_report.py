"""Session report figures: time to export a 40-mark session as PDF, the file size and page count,
with a 1-mark session measured in the same run as the baseline.

Run: python bench/bench_report.py  (prints medians of repeated exports)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from timing import median_seconds

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "report"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from report_sessions import LONG_NOTE, build_session

    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.render.export import ensure_gui_app
    from dn_bodymap.report import export_session_pdf
    from dn_bodymap.store import open_store

    ensure_gui_app()
    atlas = default_atlas()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        figures = {}
        for label, marks in (("1 mark (baseline)", 1), ("40 marks", 40)):
            db = folder / f"{marks}.db"
            _, sid = build_session(db, marks=marks, notes=LONG_NOTE * 4)
            out = folder / f"{marks}.pdf"
            with open_store(db, actor="bench", backups=False) as repo:
                export_session_pdf(repo, atlas, sid, out)  # warm caches (atlas paths, fonts)
                seconds = median_seconds(lambda r=repo, s=sid, o=out: export_session_pdf(r, atlas, s, o), 5)
            from pypdf import PdfReader

            figures[label] = (seconds, out.stat().st_size, len(PdfReader(str(out)).pages))
    base = figures["1 mark (baseline)"][0]
    for label, (seconds, size, pages) in figures.items():
        print(
            f"{label:18s} export {seconds * 1000:7.0f} ms (median of 5)  {size / 1024:7.0f} KiB  "
            f"{pages} pages  ×{seconds / base:.2f} of baseline"
        )


if __name__ == "__main__":
    main()
