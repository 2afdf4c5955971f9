"""File → Export PDF…, Print… and Export patient history PDF…: the menu entries and their keys.

Built with the main window; the preview, the printer dialogs and the report itself live in
gui/report_actions.py and load when an entry is first used, so the first screen does not import
QtPrintSupport or the report (issue #14: start-up).
"""

from __future__ import annotations


def current_session(window) -> str | None:
    """The session a report is for: the open one on the session screen, else the one selected on
    the patients screen."""
    page = getattr(window, "session_page", None)
    controller = getattr(window, "controller", None)
    if page is not None and controller is not None and window.stack.currentWidget() is page:
        return str(controller.session_id)
    patients = _shown_patients(window)
    return patients.selected_session() if patients is not None else None


def current_patient(window) -> str | None:
    """The patient of the open session, else the one selected on the patients screen."""
    session_id = current_session(window)
    if session_id is not None:
        return str(window.repo.get_session(session_id).patient_id)
    patients = _shown_patients(window)
    return patients.current_patient() if patients is not None else None


def _shown_patients(window):
    """The patients screen when it is the one shown (never built just to ask: gui/main_window.py)."""
    current = window.stack.currentWidget()
    return current if current is not None and current is window._patients else None


def install_report_actions(window, menu) -> None:
    """Add File → Export PDF…, Print… and Export patient history PDF… to the main window, and wire
    the patients screen's buttons."""
    from PySide6.QtGui import QAction, QKeySequence

    def export(session_id: str | None = None) -> None:
        from dn_bodymap.gui.report_actions import ReportPreviewDialog

        sid = session_id or current_session(window)
        if not sid:
            window.statusBar().showMessage("Open or select a session to export its report.", 6000)
            return
        dialog = ReportPreviewDialog(window.repo, window.atlas, sid, window)
        if dialog.exec() and dialog.saved_path is not None:
            window.statusBar().showMessage(f"Report saved: {dialog.saved_path}", 8000)

    def print_(session_id: str | None = None) -> None:
        from dn_bodymap.gui.report_actions import ask_and_print

        sid = session_id or current_session(window)
        if not sid:
            window.statusBar().showMessage("Open or select a session to print its report.", 6000)
            return
        if ask_and_print(window, window.repo, window.atlas, sid):
            window.statusBar().showMessage("Report sent to the printer.", 8000)

    window.export_pdf_action = QAction("Export PDF…", window)
    window.export_pdf_action.setShortcuts([QKeySequence("Ctrl+E")])  # setShortcut() loads ``Qt``
    window.export_pdf_action.setStatusTip("Preview the session report and save it as a PDF")
    window.export_pdf_action.triggered.connect(lambda: export())
    window.print_action = QAction("Print…", window)
    window.print_action.setShortcuts([QKeySequence("Ctrl+Shift+P")])
    window.print_action.setStatusTip("Print the session report")
    window.print_action.triggered.connect(lambda: print_())

    def history() -> None:
        from dn_bodymap.gui.report_actions import export_history

        pid = current_patient(window)
        if not pid:
            window.statusBar().showMessage("Select a patient to export their treatment history.", 6000)
            return
        out = export_history(window, window.repo, window.atlas, pid)
        if out is not None:
            window.statusBar().showMessage(f"Treatment history saved: {out}", 8000)

    window.history_pdf_action = QAction("Export patient history PDF…", window)
    window.history_pdf_action.setStatusTip("Pain trend and every session of the patient, as a PDF")
    window.history_pdf_action.triggered.connect(history)
    menu.addSeparator()
    menu.addActions([window.export_pdf_action, window.print_action, window.history_pdf_action])

    def update() -> None:
        has = current_session(window) is not None
        window.export_pdf_action.setEnabled(has)
        window.print_action.setEnabled(has)
        window.history_pdf_action.setEnabled(current_patient(window) is not None)

    def enable() -> None:  # shortcuts stay live; the slot says what to do when there is no session
        for action in (window.export_pdf_action, window.print_action, window.history_pdf_action):
            action.setEnabled(True)

    menu.aboutToShow.connect(update)
    menu.aboutToHide.connect(enable)

    def wire(patients) -> None:
        patients.exportSession.connect(export)
        patients.printSession.connect(print_)

    window.when_patients_built(wire)
