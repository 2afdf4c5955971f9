"""Screenshots of the Library screen (pattern browser and comparison) at 1920×1080 and 1366×768.

python docs/library_screens.py     # writes docs/library-browser-<size>.png, library-compare-<size>.png
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
SIZES = ((1920, 1080), (1366, 768))


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.atlas.trigger_points import default_library
    from dn_bodymap.charting.referral.index_cache import default_referral_index
    from dn_bodymap.gui.main_window import MainWindow
    from dn_bodymap.gui.theme import apply_palette
    from dn_bodymap.store import open_store

    apply_palette(app, False)
    tmp = Path(tempfile.mkdtemp())
    repo = open_store(tmp / "records.db")
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    try:
        for w, h in SIZES:
            atlas, library, index = default_atlas(), default_library(), default_referral_index()
            win = MainWindow(repo, atlas, library, index, settings, "Dr Demo")
            win.resize(w, h)
            win.show()
            win.show_library()
            page = win.library_page
            page.lessons_path = tmp / "lessons.json"
            page.search.setText("heel pain")
            page.select_muscle("soleus")
            app.processEvents()
            win.grab().save(str(DOCS / f"library-browser-{w}x{h}.png"))
            page.search.setText("")
            page.lesson_box.setCurrentIndex(page.lesson_box.findData("sciatica_like"))
            for muscle in ("gluteus_minimus", "piriformis", "quadratus_lumborum", "biceps_femoris"):
                page.select_muscle(muscle)
                page.add_to_comparison()
            page.set_muscles_mode("faded")
            app.processEvents()
            win.grab().save(str(DOCS / f"library-compare-{w}x{h}.png"))
            print("wrote", DOCS / f"library-browser-{w}x{h}.png", DOCS / f"library-compare-{w}x{h}.png")
            win.close()
            win.deleteLater()
    finally:
        repo.close()


if __name__ == "__main__":
    main()
