"""The main window: patients and session screens, menus and shortcuts, the save indicator."""

from __future__ import annotations

import dataclasses
import getpass

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from dn_bodymap.atlas.locate import AtlasIndex
from dn_bodymap.atlas.model import Atlas
from dn_bodymap.charting.records import Mark, Session
from dn_bodymap.charting.repository import Repository
from dn_bodymap.gui.patients.page import PatientsPage
from dn_bodymap.gui.patients.patient_dialog import PatientDialog
from dn_bodymap.gui.session.ack_dialog import ask_acknowledgement
from dn_bodymap.gui.session.controller import SessionController
from dn_bodymap.gui.session.page import SessionPage
from dn_bodymap.gui.theme import apply_palette
from dn_bodymap.render.style import DARK, LIGHT
from dn_bodymap.render.view_painter import RenderOptions


class MainWindow(QMainWindow):
    def __init__(
        self,
        repo: Repository,
        atlas: Atlas,
        library=None,
        referral_index=None,
        settings: QSettings | None = None,
        clinician: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.atlas = atlas
        self.index = AtlasIndex(atlas)
        self.library = library
        self.referral_index = referral_index
        self.settings = settings or QSettings("dn-bodymap", "dn-bodymap")
        self.clinician = clinician or str(self.settings.value("clinician", "") or getpass.getuser())
        self.dark = self.settings.value("dark", False, type=bool)
        self.setWindowTitle("dn-bodymap")
        self.setObjectName("mainWindow")
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.patients = PatientsPage(repo)
        self.stack.addWidget(self.patients)
        self.session_page: SessionPage | None = None
        self.controller: SessionController | None = None
        self.save_label = QLabel("Ready")
        self.save_label.setAccessibleName("Save status")
        self.statusBar().addPermanentWidget(self.save_label)
        self._build_actions()
        self.patients.newPatient.connect(self.create_patient)
        self.patients.editPatient.connect(self.edit_patient)
        self.patients.newSession.connect(self.start_session)
        self.patients.openSession.connect(self.open_session)
        self.patients.showHistory.connect(self.show_history)
        self.resize(1400, 900)
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._update_actions()

    # -- actions -------------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setToolTip(tip)
            act.setStatusTip(tip)
        act.triggered.connect(slot)
        return act

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_patient_action = self._action("New patient…", self.create_patient, "Ctrl+Shift+N")
        self.patients_action = self._action(
            "Patients", self.show_patients, "Ctrl+P", "Back to the patient list"
        )
        self.backup_action = self._action(
            "Back up now", self.backup_now, tip="Write a checked backup copy now"
        )
        file_menu.addActions([self.new_patient_action, self.patients_action, self.backup_action])
        file_menu.addSeparator()
        file_menu.addAction(self._action("Quit", self.close, QKeySequence.StandardKey.Quit))
        edit = bar.addMenu("&Edit")
        self.undo_action = self._action("Undo", self.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action("Redo", self.redo, QKeySequence.StandardKey.Redo)
        self.delete_action = self._action(
            "Delete selected", self.delete_selected, QKeySequence.StandardKey.Delete
        )
        edit.addActions([self.undo_action, self.redo_action, self.delete_action])
        view = bar.addMenu("&View")
        self.dark_action = self._action("Dark palette", self.toggle_dark)
        self.dark_action.setCheckable(True)
        self.dark_action.setChecked(self.dark)
        self.zoom_in_action = self._action(
            "Zoom in", lambda: self._zoom(1.25), QKeySequence.StandardKey.ZoomIn
        )
        self.zoom_out_action = self._action(
            "Zoom out", lambda: self._zoom(0.8), QKeySequence.StandardKey.ZoomOut
        )
        self.fit_action = self._action("Fit to window", self._fit, "Ctrl+0")
        view.addActions([self.zoom_in_action, self.zoom_out_action, self.fit_action])
        view.addSeparator()
        view.addAction(self.dark_action)
        session = bar.addMenu("&Session")
        self.sign_action = self._action("Sign session…", self.sign_session, "Ctrl+Shift+S")
        self.screening_action = self._action("Screening checklist…", self.screening)
        self.adverse_action = self._action("Record adverse event…", self.adverse_event)
        self.addendum_action = self._action("Add addendum…", self.addendum)
        session.addActions(
            [self.screening_action, self.adverse_action, self.addendum_action, self.sign_action]
        )
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("About dn-bodymap", self.about))

    def _update_actions(self) -> None:
        in_session = self.controller is not None and self.stack.currentWidget() is self.session_page
        signed = in_session and self.controller.is_signed
        for act in (
            self.undo_action,
            self.redo_action,
            self.delete_action,
            self.sign_action,
            self.screening_action,
            self.adverse_action,
        ):
            act.setEnabled(in_session and not signed)
        if in_session and not signed:
            self.undo_action.setEnabled(self.controller.editing.can_undo)
            self.redo_action.setEnabled(self.controller.editing.can_redo)
            self.undo_action.setText(f"Undo {self.controller.editing.undo_text}".strip())
            self.redo_action.setText(f"Redo {self.controller.editing.redo_text}".strip())
        self.addendum_action.setEnabled(bool(signed))
        for act in (self.zoom_in_action, self.zoom_out_action, self.fit_action):
            act.setEnabled(in_session)

    # -- patients ------------------------------------------------------------------------------
    def show_patients(self) -> None:
        self.stack.setCurrentWidget(self.patients)
        self.patients.refresh()
        self.setWindowTitle("dn-bodymap — patients")
        self.settings.setValue("last_session", "")
        self._update_actions()

    def create_patient(self) -> None:
        dialog = PatientDialog(parent=self)
        if dialog.exec() and dialog.result_patient is not None:
            self._save(lambda: self.repo.add_patient(dialog.result_patient))
            self.show_patients()
            self.patients.refresh(select=dialog.result_patient.id)

    def edit_patient(self, patient_id: str) -> None:
        dialog = PatientDialog(self.repo.get_patient(patient_id), parent=self)
        if dialog.exec() and dialog.result_patient is not None:
            self._save(lambda: self.repo.update_patient(dialog.result_patient))
            self.patients.refresh(select=patient_id)

    def show_history(self, patient_id: str) -> None:
        from dn_bodymap.gui.patients.history_dialog import TriggerPointHistoryDialog

        TriggerPointHistoryDialog(self.repo, self.atlas, patient_id, self).exec()

    # -- sessions ------------------------------------------------------------------------------
    def start_session(self, patient_id: str, mode: str = "blank") -> str | None:
        previous = sorted(self.repo.list_sessions(patient_id), key=lambda s: s.session.started_at)
        session = Session(patient_id=patient_id, clinician=self.clinician)
        if not self._save(lambda: self.repo.create_session(session)):
            return None
        if mode in ("copy", "overlay") and previous:
            last = self.repo.load_session(previous[-1].session.id)
            if mode == "copy":
                for m in last.marks:
                    fields = {f.name: getattr(m, f.name) for f in dataclasses.fields(Mark)}
                    fields.pop("id")
                    fields.update(
                        session_id=session.id,
                        needled=False,
                        depth_mm=None,
                        passes=None,
                        duration_s=None,
                        response=None,
                    )
                    self._save(lambda f=fields: self.repo.add_mark(Mark(**f)))
        self.open_session(
            session.id,
            overlay_from=previous[-1].session.id if mode == "overlay" and previous else None,
        )
        return session.id

    def open_session(self, session_id: str, overlay_from: str | None = None) -> None:
        if self.session_page is not None:
            self.stack.removeWidget(self.session_page)
            self.session_page.deleteLater()
        self.controller = SessionController(
            self.repo,
            self.atlas,
            self.index,
            self.library,
            session_id,
            self.clinician,
            ask_acknowledgement(self),
            self,
        )
        self.session_page = SessionPage(self.controller, self._render_options, self.referral_index)
        layout = self.settings.value("session_splitter")
        if layout is not None:
            self.session_page.splitter.restoreState(layout)
        self.session_page.splitter.splitterMoved.connect(
            lambda *_: self.settings.setValue("session_splitter", self.session_page.splitter.saveState())
        )
        self.stack.addWidget(self.session_page)
        self.stack.setCurrentWidget(self.session_page)
        self.controller.changed.connect(lambda *_: self._update_actions())
        self.controller.saveStateChanged.connect(self._on_save_state)
        self.controller.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.controller.refused.connect(self._on_refused)
        self.session_page.signRequested.connect(self.sign_session)
        self.session_page.screeningRequested.connect(self.screening)
        if overlay_from:
            self._show_overlay(overlay_from)
        patient = self.repo.get_patient(self.controller.session.patient_id)
        self.setWindowTitle(f"dn-bodymap — {patient.display_name}")
        self.settings.setValue("last_session", session_id)
        self.save_label.setText("All changes saved")
        self._update_actions()

    def _show_overlay(self, session_id: str) -> None:
        from dn_bodymap.charting.editing.sketch import from_record

        record = self.repo.load_session(session_id)
        marks = [(str(m.view), m.x, m.y, self.controller.mark_label(m)) for m in record.marks]
        areas = [(str(a.view), from_record(a.geometry), str(a.quality)) for a in record.pain_areas]
        self.session_page.set_previous_overlay(marks, areas)

    def reopen_last(self) -> bool:
        """After a crash or a normal close in mid-session, come back to the same session."""
        last = str(self.settings.value("last_session", "") or "")
        if not last:
            return False
        try:
            self.repo.get_session(last)
        except Exception:
            return False
        self.open_session(last)
        return True

    def _render_options(self, layers) -> RenderOptions:
        return RenderOptions(layers=layers, palette=DARK if self.dark else LIGHT)

    # -- edit ----------------------------------------------------------------------------------
    def undo(self) -> None:
        if self.controller is not None:
            self.controller.undo()
            self._update_actions()

    def redo(self) -> None:
        if self.controller is not None:
            self.controller.redo()
            self._update_actions()

    def delete_selected(self) -> None:
        if self.session_page is not None:
            self.session_page.delete_selected()

    def _zoom(self, factor: float) -> None:
        if self.session_page is not None:
            for name in self.session_page.canvas.visible_views():
                self.session_page.canvas.views[name].zoom_by(factor)

    def _fit(self) -> None:
        if self.session_page is not None:
            self.session_page.canvas.fit_all()

    def toggle_dark(self) -> None:
        self.dark = self.dark_action.isChecked()
        self.settings.setValue("dark", self.dark)
        apply_palette(QApplication.instance(), self.dark)
        if self.session_page is not None:
            self.session_page.canvas.refresh_palette()

    # -- session actions -----------------------------------------------------------------------
    def sign_session(self) -> None:
        if self.controller is None or self.controller.is_signed:
            return
        name, ok = QInputDialog.getText(
            self, "Sign session", "Sign this note as (it becomes read-only):", text=self.clinician
        )
        if ok and name.strip() and self.controller.sign(name.strip()):
            self.settings.setValue("clinician", name.strip())
            self._update_actions()

    def screening(self) -> None:
        if self.controller is None:
            return
        from dn_bodymap.gui.session.screening_dialog import ScreeningDialog

        dialog = ScreeningDialog(self.controller.session, self)
        if dialog.exec():
            answers, result = dialog.result_values()
            self.controller.edit_session(
                None, "Screening", screening_answers=answers, screening_result=result
            )

    def adverse_event(self) -> None:
        if self.controller is None:
            return
        from dn_bodymap.gui.session.adverse_event_dialog import AdverseEventDialog

        dialog = AdverseEventDialog(self.controller.session_id, self)
        if dialog.exec() and dialog.event is not None:
            from dn_bodymap.charting.editing import AddAdverseEvent

            self.controller._execute(AddAdverseEvent(dialog.event))

    def addendum(self) -> None:
        if self.controller is None:
            return
        from dn_bodymap.charting.records import Addendum

        text, ok = QInputDialog.getMultiLineText(self, "Addendum", "Addendum to the signed note:")
        if ok and text.strip():
            self._save(
                lambda: self.repo.add_addendum(
                    Addendum(
                        session_id=self.controller.session_id,
                        author=self.clinician,
                        text=text.strip(),
                    )
                )
            )

    def backup_now(self) -> None:
        backup = getattr(self.repo, "backup_now", None)
        if backup is None:
            self.backup_action.setEnabled(False)
            return
        try:
            path = backup()
        except Exception as exc:
            QMessageBox.warning(self, "Backup", f"The backup failed: {exc}")
            return
        self.statusBar().showMessage(f"Backup written: {path}", 8000)

    def about(self) -> None:
        from dn_bodymap import __version__

        QMessageBox.about(
            self,
            "About dn-bodymap",
            f"dn-bodymap {__version__}\nAtlas {self.atlas.version}\n\nTrigger-point charting and teaching. "
            "Supports clinical judgement; never replaces it. Patient data stays on this computer.",
        )

    # -- feedback ------------------------------------------------------------------------------
    def _save(self, fn) -> bool:
        try:
            fn()
        except ValueError as exc:
            QMessageBox.warning(self, "Not saved", str(exc))
            return False
        except Exception as exc:
            QMessageBox.warning(self, "Not saved", f"The change could not be saved: {exc}")
            return False
        self.save_label.setText("All changes saved")
        return True

    def _on_save_state(self, text: str, ok: bool) -> None:
        self.save_label.setText(text)
        self.save_label.setStyleSheet("" if ok else "color:#c62828;font-weight:600;")

    def _on_refused(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)
        self.save_label.setToolTip(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.controller is not None and self.controller.pending:
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                "Some changes could not be saved yet. Try once more before closing?",
                QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Close,
            )
            if answer == QMessageBox.StandardButton.Retry:
                self.controller.retry_pending()
                if self.controller.pending:
                    event.ignore()
                    return
        self.settings.setValue("geometry", self.saveGeometry())
        super().closeEvent(event)
