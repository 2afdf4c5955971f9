"""Write the report pages shown in docs/ (fictitious patient): python tests/report/make_docs_pages.py

A session of neck and shoulder trigger points with the pain drawn where their patterns refer, the
acknowledgement the safety engine asks for over the lung apex, a handout and a consent form.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DOCS = Path(__file__).resolve().parents[2] / "docs"
SITES = [
    ("trapezius.1", "right"),
    ("levator_scapulae.1", "right"),
    ("infraspinatus.1", "right"),
    ("supraspinatus.1", "right"),
    ("sternocleidomastoid.1", "right"),
    ("trapezius.1", "left"),
    ("quadratus_lumborum.1", "left"),
    ("gluteus_medius.1", "left"),
]


def main() -> None:
    from report_sessions import build_session

    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.report import export_session_pdf
    from dn_bodymap.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "docs.db"
        notes = (
            "Right-sided neck and shoulder pain for three weeks after a long drive, worse at the end "
            "of the working day; sleep disturbed when lying on the right.\n\n"
            "Active range: cervical rotation to the left limited by pain at end of range; "
            "shoulder elevation full, painful beyond 150 degrees."
        )
        _, sid = build_session(
            db, sites=SITES, name="Demo Patient Alex Rivera", notes=notes, referral_areas=True
        )
        out = Path(tmp) / "report.pdf"
        with open_store(db, actor="docs") as repo:
            export_session_pdf(
                repo, default_atlas(), sid, out, clinic="Riverside Physiotherapy", handout=True
            )
        for page, name in ((1, "report-session"), (2, "report-table"), (4, "report-handout")):
            target = DOCS / name
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "90",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(out),
                    str(target),
                ],
                check=True,
            )
            print(f"{target}.png")


if __name__ == "__main__":
    main()
