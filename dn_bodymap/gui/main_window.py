"""The main window: patients and session screens, menus and shortcuts, the save indicator."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from dn_bodymap.gui.screen_fit import resize_within_screen
from dn_bodymap.gui.theme import apply_palette

if TYPE_CHECKING:  # the atlas, the session screen and the record model load when first needed (#14)
    from dn_bodymap.atlas.locate import AtlasIndex
    from dn_bodymap.atlas.model import Atlas
    from dn_bodymap.charting.records import Clinician
    from dn_bodymap.charting.repository import Repository
    from dn_bodymap.gui.patients.page import PatientsPage
    from dn_bodymap.gui.session.controller import SessionController
    from dn_bodymap.gui.session.page import SessionPage
    from dn_bodymap.render.view_painter import RenderOptions


def __getattr__(name: str):
    """``PatientDialog`` loads when first used (its date field and combo boxes are not on the first
    screen); ``main_window.PatientDialog`` still names it."""
    if name == "PatientDialog":
        from dn_bodymap.gui.patients.patient_dialog import PatientDialog

        return PatientDialog
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class MainWindow(QMainWindow):
    def __init__(
        self,
        repo: Repository,
        atlas: Atlas | Callable[[], Atlas],
        library=None,
        referral_index=None,
        settings: QSettings | None = None,
        clinician: str | None = None,
        parent: QWidget | None = None,
        *,
        defer: bool = False,
    ) -> None:
        """``defer``: the backup, clinic sync and idle lock menus (and the idle lock's application-wide
        input filter) are built by ``finish_start``, which gui/app.py calls just after the first paint
        (issue #14); ``repo`` may then be store/first_screen.py's read-only store (``use_repository``)."""
        super().__init__(parent)
        self.repo = repo
        self._atlas = atlas  # or the function that loads it: the patient list shows without it
        self._index: AtlasIndex | None = None
        self._library = library  # these two may also be functions that load them on first use
        self._referral_index = referral_index
        self.settings = settings or QSettings("dn-bodymap", "dn-bodymap")
        # Who writes the record belongs to the database (File → Clinician…), never the OS login.
        self.profile: Clinician | None = repo.get_clinician()
        if self.profile is None and clinician:
            from dn_bodymap.charting.records import Clinician

            self.profile = repo.set_clinician(Clinician(name=clinician))
        self.dark = self.settings.value("dark", False, type=bool)
        self.setWindowTitle("dn-bodymap")
        self.setObjectName("mainWindow")
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self._patients: PatientsPage | None = None  # built when first shown (the ``patients`` property)
        self._patients_hooks: list[Callable[[PatientsPage], None]] = []
        self.session_page: SessionPage | None = None
        self.controller: SessionController | None = None
        self.library_page = None  # the Library screen, built when first shown
        self._idle_lock = None
        self.save_label = QLabel("Ready")
        self.save_label.setAccessibleName("Save status")
        self.clinician_label = QLabel()
        self.clinician_label.setAccessibleName("Clinician")
        self.statusBar().addPermanentWidget(self.clinician_label)
        self.statusBar().addPermanentWidget(self.save_label)
        self._build_actions(defer)
        self._show_clinician(tooltip=not defer)  # the first screen's profile is read as stored
        if self.profile is None:  # first start on this database: ask once, after the window shows
            QTimer.singleShot(0, self.first_start)
        resize_within_screen(self, 1400, 900)
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._update_actions()

    @property
    def patients(self) -> PatientsPage:
        """The patient list, built at its first use: a start into the last session paints without it
        (its widgets, their Qt enum classes and its listing cost ~35 ms, issue #14); the warm-up after
        the first paint builds it before the clinician goes back to the list."""
        if self._patients is None:
            from dn_bodymap.gui.patients.page import PatientsPage

            page = PatientsPage(self.repo)
            self.stack.insertWidget(0, page)
            page.newPatient.connect(self.create_patient)
            page.editPatient.connect(self.edit_patient)
            page.newSession.connect(self.start_session)
            page.newSessionFrom.connect(self.start_session)
            page.voidSession.connect(self.void_draft)
            page.compareVisits.connect(self.compare_visits)
            page.openSession.connect(self.open_session)
            page.showHistory.connect(self.show_history)
            self._patients = page
            for hook in self._patients_hooks:
                hook(page)
        return self._patients

    def when_patients_built(self, hook: Callable[[PatientsPage], None]) -> None:
        """Call ``hook`` with the patients screen once it exists (now, if it does)."""
        self._patients_hooks.append(hook)
        if self._patients is not None:
            hook(self._patients)

    # -- actions -------------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            # The same as setShortcut(); that overload makes PySide create its ``Qt`` namespace (~90 enum
            # classes, ~40 ms) before the first paint (issue #14: start-up).
            act.setShortcuts([QKeySequence(shortcut)])
        if tip:
            act.setToolTip(tip)
            act.setStatusTip(tip)
        act.triggered.connect(slot)
        return act

    def _build_actions(self, defer: bool = False) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_patient_action = self._action("New patient…", self.create_patient, "Ctrl+Shift+N")
        self.patients_action = self._action(
            "Patients", self.show_patients, "Ctrl+P", "Back to the patient list"
        )
        self.library_action = self._action(
            "Library",
            self.show_library,
            "Ctrl+L",
            "Trigger-point library: referral patterns, comparison, reverse lookup, lessons",
        )
        self.backup_action = self._action(
            "Back up now", self.backup_now, tip="Write a checked backup copy now"
        )
        self.clinician_action = self._action(
            "Clinician…", self.change_clinician, tip="Who writes this database's record"
        )
        self.clinic_action = self._action(
            "Clinic details…", self.edit_clinic, tip="The clinic's name and logo printed on reports"
        )
        self.save_action = self._action("Save", self.save_feedback, QKeySequence.StandardKey.Save)
        file_menu.addActions(
            [
                self.new_patient_action,
                self.patients_action,
                self.library_action,
                self.save_action,
                self.backup_action,
                self.clinician_action,
                self.clinic_action,
            ]
        )
        from dn_bodymap.gui.report_menu import install_report_actions

        install_report_actions(self, file_menu)  # Export PDF… and Print… of the current session
        self._file_menu = file_menu
        self._file_tail = [file_menu.addSeparator()]
        self.quit_action = self._action("Quit", self.close, QKeySequence.StandardKey.Quit)
        file_menu.addAction(self.quit_action)
        self._file_tail.append(self.quit_action)
        # File → Backups…, Clinic server…, Idle lock… and Lock now go before the separator
        # (``finish_start``); until then Lock now's key is held by a stand-in, so Ctrl+Shift+L locks
        # from the first paint (the others have no key).
        self._started = False
        self._lock_now_stand_in: QAction | None = None
        if defer:
            self._lock_now_stand_in = self._action("Lock now", self._lock_now, "Ctrl+Shift+L")
            self.addAction(self._lock_now_stand_in)
        else:
            self.finish_start()
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
        self.void_action = self._action(
            "Void this draft…", lambda: self.void_draft(self.controller.session_id if self.controller else "")
        )
        session.addActions(
            [
                self.screening_action,
                self.adverse_action,
                self.addendum_action,
                self.sign_action,
                self.void_action,
            ]
        )
        # The Teaching menu comes before Help once built (``teaching_menu``: after the first paint).
        self._teaching_menu = None
        self.help_menu = help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("Chart legend…", self.show_legend))
        help_menu.addAction(self._action("About dn-bodymap", self.about))

    def finish_start(self) -> None:
        """What the first screen does not show, built once just after the first paint (gui/app.py,
        with the writer open) or on first use: File → Backups… and the background backup worker,
        Clinic server… and background sync, Idle lock… and Lock now with the idle lock's
        application-wide input filter (their modules and that filter cost ~60 ms before the list
        could show: issue #14). The menu ends up as a window built at once would have it."""
        if self._started:
            return
        self._started = True
        from dn_bodymap.gui.backups_dialog import install_backups
        from dn_bodymap.gui.idle_lock import install_idle_lock
        from dn_bodymap.gui.sync_status import install_clinic_sync

        for action in self._file_tail:
            self._file_menu.removeAction(action)
        install_backups(self, self._file_menu)  # File → Backups…, and the background backup worker
        install_clinic_sync(self, self._file_menu)  # File → Clinic server…, background sync, its status
        install_idle_lock(self, self._file_menu)  # sets ``self.idle_lock``
        self._file_menu.addActions(self._file_tail)
        if self._lock_now_stand_in is not None:
            self.removeAction(self._lock_now_stand_in)  # one action per key, or neither fires
            self._lock_now_stand_in.deleteLater()
            self._lock_now_stand_in = None

    @property
    def idle_lock(self):
        """Hides the records after idle minutes (gui/idle_lock.py); built by ``finish_start``."""
        if self._idle_lock is None:
            self.finish_start()
        return self._idle_lock

    @idle_lock.setter
    def idle_lock(self, lock) -> None:
        self._idle_lock = lock

    def _lock_now(self) -> None:
        self.idle_lock.lock()

    def use_repository(self, repo: Repository) -> None:
        """The writer, once open after the first paint (gui/app.py), replaces the read-only store
        the first screen was painted from, everywhere the window handed it out. A session screen
        reopened at start keeps that store in its controller and editing session: with the writer
        open, the store hands every call to it (store/first_screen.py)."""
        self.repo = repo
        if self._patients is not None:  # else built later, on the writer
            self._patients.repo = repo
        self.profile = repo.get_clinician()
        self._show_clinician()
        backup = getattr(self, "background_backup", None)
        if backup is not None:
            backup.repo = repo
        sync = getattr(self, "clinic_sync", None)
        if sync is not None:
            sync.repo = repo
            sync.reconfigure()

    def _update_actions(self) -> None:
        in_session = self.controller is not None and self.stack.currentWidget() is self.session_page
        signed = in_session and self.controller.is_signed
        locked = in_session and not self.controller.can_edit()  # signed, or held by another room
        for act in (
            self.undo_action,
            self.redo_action,
            self.delete_action,
            self.sign_action,
            self.screening_action,
            self.void_action,
        ):
            act.setEnabled(in_session and not locked)
        self.adverse_action.setEnabled(in_session and (signed or not locked))  # after signing too
        if in_session and not locked:
            self.undo_action.setEnabled(self.controller.editing.can_undo)
            self.redo_action.setEnabled(self.controller.editing.can_redo)
            self.undo_action.setText(f"Undo {self.controller.editing.undo_text}".strip())
            self.redo_action.setText(f"Redo {self.controller.editing.redo_text}".strip())
        self.addendum_action.setEnabled(bool(signed))
        for act in (self.zoom_in_action, self.zoom_out_action, self.fit_action):
            act.setEnabled(in_session)

    @property
    def teaching_menu(self):
        """Built just after the first paint (gui/app.py) or on first use: it needs the atlas."""
        if self._teaching_menu is None:
            from dn_bodymap.gui.teaching.teaching_menu import TeachingMenu

            self._teaching_menu = TeachingMenu(self, self.atlas, self.library)
            self.menuBar().insertMenu(self.help_menu.menuAction(), self._teaching_menu)
        return self._teaching_menu

    @property
    def figure_palette(self):
        """The figure's colours for the window's palette (render/style.py loads when first needed)."""
        from dn_bodymap.render.style import DARK, LIGHT

        return DARK if self.dark else LIGHT

    @property
    def atlas(self) -> Atlas:
        """Loaded on first use (gui/app.py loads it just after the patient list is painted)."""
        if callable(self._atlas):
            self._atlas = self._atlas()
        return self._atlas

    @property
    def library(self):
        if callable(self._library):
            self._library = self._library()
        return self._library

    @property
    def referral_index(self):
        if callable(self._referral_index):
            self._referral_index = self._referral_index()
        return self._referral_index

    @property
    def index(self) -> AtlasIndex:
        if self._index is None:
            from dn_bodymap.atlas.locate import AtlasIndex

            self._index = AtlasIndex(self.atlas)
        return self._index

    # -- patients ------------------------------------------------------------------------------
    def leave_session(self) -> bool:
        """Before the session screen goes: strokes still being worked out are applied first."""
        return self.controller is None or self.controller.leave()

    def show_patients(self, *, refresh: bool = True) -> None:
        """``refresh=False`` at start-up only: the page has just listed the patients when it was built
        (listing 200 patients twice before the first paint was a third of a clinic's start)."""
        self.leave_session()
        listed = self._patients is None  # built now: it has just listed them
        self.stack.setCurrentWidget(self.patients)
        if refresh and not listed:
            self.patients.refresh()
        self.setWindowTitle("dn-bodymap — patients")
        self.settings.setValue("last_session", "")
        self._update_actions()

    def show_library(self) -> None:
        from dn_bodymap.gui.teaching.library_page import LibraryPage

        if self.library_page is None:
            from dn_bodymap.atlas.trigger_points import default_library
            from dn_bodymap.charting.referral.index_cache import default_referral_index

            self.library_page = LibraryPage(
                self.atlas,
                self.library or default_library(),
                self.referral_index or default_referral_index(),
                parent=self,
            )
            self.library_page.set_palette(self.figure_palette)
            self.library_page.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
            self.stack.addWidget(self.library_page)
        self.leave_session()
        self.stack.setCurrentWidget(self.library_page)
        self.setWindowTitle("dn-bodymap — library")
        self.library_page.search.setFocus()
        self._update_actions()

    def create_patient(self) -> None:
        from dn_bodymap.gui.patients.patient_dialog import PatientDialog

        dialog = PatientDialog(parent=self)
        if dialog.exec() and dialog.result_patient is not None:
            self._save(lambda: self.repo.add_patient(dialog.result_patient))
            self.show_patients()
            self.patients.refresh(select=dialog.result_patient.id)

    def edit_patient(self, patient_id: str) -> None:
        from dn_bodymap.gui.patients.patient_dialog import PatientDialog

        dialog = PatientDialog(self.repo.get_patient(patient_id), parent=self)
        if dialog.exec() and dialog.result_patient is not None:
            self._save(lambda: self.repo.update_patient(dialog.result_patient))
            self.patients.refresh(select=patient_id)

    def show_history(self, patient_id: str) -> None:
        from dn_bodymap.gui.patients.history_dialog import TriggerPointHistoryDialog

        TriggerPointHistoryDialog(self.repo, self.atlas, patient_id, self).exec()

    # -- sessions ------------------------------------------------------------------------------
    def start_session(self, patient_id: str, mode: str = "blank", source: str | None = None) -> str | None:
        """``source``: the visit to start from; by default the last signed one (never a draft)."""
        signed = [
            s
            for s in sorted(self.repo.list_sessions(patient_id), key=lambda s: s.session.started_at)
            if s.session.is_signed
        ]
        previous = [s for s in signed if s.session.id == source] if source else signed
        from dn_bodymap.charting.records import Session

        session = Session(patient_id=patient_id, clinician=self.clinician)
        if not self._save(lambda: self.repo.create_session(session)):
            return None
        self.open_session(
            session.id,
            overlay_from=previous[-1].session.id if mode == "overlay" and previous else None,
        )
        if mode == "copy" and previous and self.controller is not None:
            # Through the session's hazard rule: hazardous marks are acknowledged again, in one dialog.
            self.controller.copy_marks(self.repo.load_session(previous[-1].session.id).marks)
        return session.id

    def open_session(self, session_id: str, overlay_from: str | None = None) -> None:
        from dn_bodymap.gui.session.ack_provider import ask_acknowledgement  # the dialog loads when asked
        from dn_bodymap.gui.session.controller import SessionController
        from dn_bodymap.gui.session.page import SessionPage

        self.leave_session()
        if self.session_page is not None:
            self.stack.removeWidget(self.session_page)
            self.session_page.deleteLater()
        self.controller = SessionController(
            self.repo,
            self.atlas,
            lambda: self.index,  # loaded at the first click or just after the first paint (issue #14)
            lambda: self.library,
            session_id,
            self.clinician,
            ask_acknowledgement(self),
            self,
        )
        self.session_page = SessionPage(self.controller, self._render_options, lambda: self.referral_index)
        layout = self.settings.value("session_splitter")
        if layout is not None:
            self.session_page.splitter.restoreState(layout)
        self.session_page.splitter.splitterMoved.connect(
            lambda *_: self.settings.setValue("session_splitter", self.session_page.splitter.saveState())
        )
        self.stack.addWidget(self.session_page)
        self.stack.setCurrentWidget(self.session_page)
        self.controller.changed.connect(lambda *_: self._update_actions())
        self.controller.editableChanged.connect(lambda _: self._update_actions())
        self.controller.saveStateChanged.connect(self._on_save_state)
        self.controller.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.session_page.canvas.viewChanged.connect(self._forget_hazard_here)
        self.controller.refused.connect(self._on_refused)
        self.session_page.signRequested.connect(self.sign_session)
        self.session_page.screeningRequested.connect(self.screening)
        self.session_page.addendumRequested.connect(self.addendum)
        self.session_page.adverseEventRequested.connect(self.adverse_event)
        if overlay_from:  # kept with the session, so it is still there when the draft reopens
            self.repo.set_setting(f"overlay:{session_id}", overlay_from)
        else:
            overlay_from = self.repo.get_setting(f"overlay:{session_id}")
        if overlay_from:
            self._show_overlay(overlay_from)
        patient = self.repo.get_patient(self.controller.session.patient_id)
        self.setWindowTitle(f"dn-bodymap — {patient.display_name}")
        self.settings.setValue("last_session", session_id)
        self.save_label.setText("All changes saved")
        self._update_actions()

    def _forget_hazard_here(self, _view: str) -> None:
        """ "Hazard here: …" speaks of the mark just placed; on another view it would seem to name a
        hazard of what is now shown."""
        from dn_bodymap.gui.session.controller import HAZARD_HERE

        if self.statusBar().currentMessage().startswith(HAZARD_HERE):
            self.statusBar().clearMessage()

    def show_pulled_records(self, patient_ids: frozenset[str | None]) -> None:
        """A sync round applied another workstation's records (an addendum, a late adverse event,
        an erase): the open session screen shows them, or closes with why when the session is gone."""
        if self.controller is None or self.stack.currentWidget() is not self.session_page:
            return
        gone = self.controller.gone()
        if gone is not None:
            self.controller.abandon()  # nothing can be saved into it any more
            self.show_patients()
            self.statusBar().showMessage(gone, 15000)
            return
        if self.controller.session.patient_id in patient_ids or None in patient_ids:
            self.controller.reload_from_store()
            self.session_page.reload()
            self.session_page.header.refresh()
            self._update_actions()

    def _show_overlay(self, session_id: str) -> None:
        record = self.repo.load_session(session_id)
        marks = [(str(m.view), m.x, m.y, self.controller.mark_label(m), m) for m in record.marks]
        areas = [(str(a.view), a.geometry, str(a.quality)) for a in record.pain_areas]
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
        from dn_bodymap.render.view_painter import RenderOptions

        return RenderOptions(layers=layers, palette=self.figure_palette)

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
        if self.library_page is not None:
            self.library_page.set_palette(self.figure_palette)

    # -- session actions -----------------------------------------------------------------------
    def sign_session(self) -> None:
        if self.controller is None or self.controller.is_signed:
            return
        if self.profile is None and not self.change_clinician():
            return
        from dn_bodymap.charting.sign_check import presign_findings
        from dn_bodymap.gui.sign_dialog import SignDialog

        record = self.repo.load_session(self.controller.session_id)
        findings = presign_findings(record, self.controller.mark_label)
        dialog = SignDialog(self.profile, findings, self.change_clinician, self)
        if dialog.exec() and self.controller.sign(self.clinician):
            self._update_actions()
            self.statusBar().showMessage(f"Signed by {self.clinician}", 8000)

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

        signed = self.controller.is_signed
        dialog = AdverseEventDialog(
            self.controller.session_id, self, recorded_by=self.clinician, signed=signed
        )
        if dialog.exec() and dialog.event is not None:
            if signed:  # a dated entry under the signed note; the note stays signed
                if self._save(lambda: self.repo.add_adverse_event(dialog.event)):
                    self._refresh_entries()
                return
            from dn_bodymap.charting.editing import AddAdverseEvent

            self.controller._execute(AddAdverseEvent(dialog.event))
            self._refresh_entries()

    def addendum(self) -> None:
        if self.controller is None:
            return
        from dn_bodymap.charting.records import Addendum
        from dn_bodymap.gui.record_dialogs import AddendumDialog

        dialog = AddendumDialog(self.clinician, self)
        if dialog.exec() and dialog.value():
            addendum = Addendum(
                session_id=self.controller.session_id, author=self.clinician, text=dialog.value()
            )
            if self._save(lambda: self.repo.add_addendum(addendum)):
                self._refresh_entries()

    def _refresh_entries(self) -> None:
        if self.session_page is not None:
            self.session_page.header.refresh_entries()

    # -- the clinician and the database ----------------------------------------------------------
    @property
    def clinician(self) -> str:
        """The name every new entry carries: the profile's signature line."""
        return self.profile.signature if self.profile is not None else ""

    def _show_clinician(self, tooltip: bool = True) -> None:
        if self.profile is None:
            self.clinician_label.setText("No clinician set")
        else:
            self.clinician_label.setText(f"Clinician: {self.profile.name} ({self.profile.initials})")
            if tooltip:  # the full signature needs the record model (store/first_screen.py)
                self.clinician_label.setToolTip(self.profile.signature)
        if self.controller is not None:
            self.controller.clinician = self.clinician
            if self.session_page is not None:
                self.session_page.header.refresh()

    def change_clinician(self) -> Clinician | None:
        from dn_bodymap.gui.clinician_dialog import ClinicianDialog

        dialog = ClinicianDialog(self.profile, self)
        if not dialog.exec() or dialog.result_clinician is None:
            return None
        if not self._save(lambda: self.repo.set_clinician(dialog.result_clinician)):
            return None
        self.profile = dialog.result_clinician
        self._show_clinician()
        self.statusBar().showMessage(f"New entries are recorded as {self.clinician}", 8000)
        return self.profile

    def edit_clinic(self) -> bool:
        from dn_bodymap.gui.clinic_dialog import ClinicDialog

        dialog = ClinicDialog(self.repo.get_setting("clinic_name") or "", self.repo.get_clinic_logo(), self)
        if not dialog.exec():
            return False
        return self.apply_clinic_details(dialog.result_name, dialog.result_logo)

    def apply_clinic_details(self, name: str, logo: bytes | None) -> bool:
        """Store what the clinic dialog returned; the store refuses a bad logo with a message."""
        if not self._save(lambda: self.repo.set_clinic_logo(logo)):
            return False
        if not self._save(lambda: self.repo.set_setting("clinic_name", name)):
            return False
        self.statusBar().showMessage("Reports now print the clinic's name and logo.", 6000)
        return True

    def first_start(self) -> None:
        """On an empty database: the clinician, the clinic's name and where backups go, once."""
        if self.profile is not None:
            return
        from dn_bodymap.gui.first_start_dialog import FirstStartDialog
        from dn_bodymap.store.paths import backup_dir

        path = getattr(self.repo, "path", None)
        folder = str(backup_dir(path)) if path is not None else "the folder beside the database"
        dialog = FirstStartDialog(folder, self)
        if dialog.exec() and dialog.result_clinician is not None:
            self._save(lambda: self.repo.set_clinician(dialog.result_clinician))
            if dialog.result_clinic_name:
                self._save(lambda: self.repo.set_setting("clinic_name", dialog.result_clinic_name))
            self.profile = dialog.result_clinician
            self._show_clinician()
        else:  # "Quit": nothing can be recorded without an author
            self.close()

    def compare_visits(self, patient_id: str) -> None:
        from dn_bodymap.gui.compare_dialog import CompareVisitsDialog

        CompareVisitsDialog(self.repo, self.atlas, patient_id, self.figure_palette, self).exec()

    def save_feedback(self) -> None:
        """Ctrl+S: there is nothing to save by hand; say so rather than do nothing."""
        self.statusBar().showMessage("All changes are saved as you go.", 6000)

    def void_draft(self, session_id: str) -> None:
        """A draft started by mistake is voided with a reason, not deleted."""
        if not session_id:
            return
        from dn_bodymap.gui.local_time import local_text
        from dn_bodymap.gui.record_dialogs import VoidDraftDialog

        session = self.repo.get_session(session_id)
        if session.is_signed:
            self.statusBar().showMessage("A signed session cannot be voided; add an addendum.", 8000)
            return
        if self.controller is not None and self.controller.session_id == session_id:
            self.leave_session()  # what is drawn is saved with the draft, then voided with it
        dialog = VoidDraftDialog(f"of {local_text(session.started_at)}", self)
        if dialog.exec() and self._save(lambda: self.repo.void_session(session_id, dialog.value())):
            if self.controller is not None and self.controller.session_id == session_id:
                self.show_patients()
            else:
                self.patients.refresh(select=session.patient_id)
            self.statusBar().showMessage("The draft was voided; its reason is kept.", 8000)

    def backup_now(self) -> None:
        from PySide6.QtWidgets import QMessageBox

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

    def show_legend(self) -> None:
        from dn_bodymap.gui.legend_dialog import LegendDialog

        LegendDialog(self.dark_action.isChecked(), self).open()

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from dn_bodymap import __version__

        QMessageBox.about(
            self,
            "About dn-bodymap",
            f"dn-bodymap {__version__}\nAtlas {self.atlas.version}\n\nTrigger-point charting and teaching. "
            "Supports clinical judgement; never replaces it. Patient data stays on this computer.",
        )

    # -- feedback ------------------------------------------------------------------------------
    def _save(self, fn) -> bool:
        from PySide6.QtWidgets import QMessageBox

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
        from PySide6.QtWidgets import QMessageBox

        if not self.leave_session():  # a drawing is still being worked out: it would be lost
            event.ignore()
            return
        sync = getattr(self, "clinic_sync", None)
        if sync is not None:
            sync.wait()  # a stroke saved just now nudged a round: none starts while closing
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
