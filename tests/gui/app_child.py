"""Child process for the app kill test: charts marks through the real window and controller,
printing each mark id once the app shows it as saved; the parent kills it at a random moment."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(db: str, settings_file: str) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from dn_bodymap.atlas.loader import default_atlas
    from dn_bodymap.charting.records import Patient
    from dn_bodymap.gui.main_window import MainWindow
    from dn_bodymap.store import open_store

    app = QApplication([])
    repo = open_store(db)
    settings = QSettings(settings_file, QSettings.Format.IniFormat)
    window = MainWindow(repo, default_atlas(), None, None, settings, "Dr Kill")
    if not window.reopen_last():
        patient = Patient(display_name="Demo Patient Kill Test")
        repo.add_patient(patient)
        window.start_session(patient.id)
        settings.sync()
    print("session", window.controller.session_id, flush=True)
    controller = window.controller
    controller.ack_provider = lambda needs: None  # refuse hazards: stay on plain sites
    view = window.atlas.view("anterior")
    knee = view.landmark("patella", "left")
    i = 0
    while True:
        i += 1
        mark = controller.place_mark("anterior", knee.x + (i % 7) - 3, knee.y - 60 - (i % 40))
        if mark is not None and window.save_label.text() == "All changes saved":
            print("saved", mark.id, flush=True)
        app.processEvents()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
