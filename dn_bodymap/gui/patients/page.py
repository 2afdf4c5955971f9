"""Find a patient as you type, see their sessions and pain, start a session in one click."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dn_bodymap.gui.local_time import local_text

if TYPE_CHECKING:  # the record model loads with the writer, after the first paint (issue #14)
    from dn_bodymap.charting.repository import Repository

# Qt.ItemDataRole.UserRole. The first use of PySide's ``Qt`` namespace creates its ~90 enum classes
# (~40 ms); nothing else on the first screen needs it (issue #14: start-up).
USER_ROLE = 0x0100


class PatientsPage(QWidget):
    openSession = Signal(str)
    newSession = Signal(str, str)
    newSessionFrom = Signal(str, str, str)  # patient, mode, the earlier visit to start from
    voidSession = Signal(str)
    compareVisits = Signal(str)
    newPatient = Signal()
    editPatient = Signal(str)
    showHistory = Signal(str)
    exportSession = Signal(str)  # the selected session's report: preview, then PDF
    printSession = Signal(str)

    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from dn_bodymap.gui.patients.pain_chart import PainChart

        self.repo = repo
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name or record number…")
        self.search.setAccessibleName("Search patients")
        self.search.setClearButtonEnabled(True)
        self.show_archived = QCheckBox("Show archived")
        self.patients = QListWidget()
        self.patients.setAccessibleName("Patients")
        # Every row is two lines of the same font: one height for all, so a clinic's 200 rows are not
        # each measured before the first paint.
        self.patients.setUniformItemSizes(True)
        self.list_title = QLabel("Recent patients")
        self.list_title.setStyleSheet("font-weight: 600;")
        self.new_button = QPushButton("New patient…")
        # Ctrl+Shift+N is the File menu's: a second binding here made the key do nothing.
        self.new_button.setToolTip("Create a patient (Ctrl+Shift+N)")
        self.edit_button = QPushButton("Edit…")
        self.archive_button = QPushButton("Archive")
        self.archive_button.setToolTip("Hide from the list without deleting anything")
        self.title = QLabel("Select a patient")
        self.title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.details = QLabel("")
        self.details.setWordWrap(True)
        self.sessions = QTableWidget(0, 4)
        self.sessions.setHorizontalHeaderLabels(["Date", "Status", "Marks", "Pain before → after"])
        header = self.sessions.horizontalHeader()
        header.setStretchLastSection(True)
        # the date and status are read first: always in full, the pain column takes what is left
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.sessions.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.sessions.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.sessions.setAccessibleName("Sessions of the selected patient")
        self.chart = PainChart()
        self.start_button = QPushButton("Start new session")
        # setShortcut() would create PySide's ``Qt`` namespace (~40 ms) before the first paint.
        self.start_button.setProperty("shortcut", QKeySequence("Ctrl+N"))
        self.start_button.setToolTip("Start a new session for this patient (Ctrl+N)")
        self.start_button.setDefault(True)
        self.copy_button = QToolButton()
        self.copy_button.setText("New session from previous")
        self.copy_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.copy_button.setToolTip(
            "Copy the last signed session's trigger points as a starting point; "
            "the arrow picks an earlier visit"
        )
        self.copy_menu = QMenu(self.copy_button)
        self.copy_button.setMenu(self.copy_menu)
        self.compare_button = QPushButton("Compare visits…")
        self.compare_button.setToolTip("Two visits side by side: marks, pain areas, the change in pain")
        self.void_button = QPushButton("Void draft…")
        self.void_button.setToolTip("Void the selected draft (started by mistake or empty), with a reason")
        self.overlay_button = QPushButton("New session, previous faded")
        self.overlay_button.setToolTip("Start blank with the last session shown faded underneath")
        self.open_button = QPushButton("Open session")
        self.history_button = QPushButton("Trigger-point history")
        self.export_button = QPushButton("Export PDF…")
        self.export_button.setToolTip("The selected session's report: preview, then save as PDF")
        self.print_button = QPushButton("Print…")
        self.print_button.setToolTip("Print the selected session's report")

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.addWidget(self.search)
        ll.addWidget(self.show_archived)
        ll.addWidget(self.list_title)
        ll.addWidget(self.patients, 1)
        row = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.archive_button):
            row.addWidget(b)
        ll.addLayout(row)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.title)
        rl.addWidget(self.details)
        actions = QHBoxLayout()
        for b in (self.start_button, self.copy_button, self.overlay_button):
            actions.addWidget(b)
        actions.addStretch(1)
        rl.addLayout(actions)
        rl.addWidget(self.sessions, 2)
        open_row = QHBoxLayout()
        open_row.addWidget(self.open_button)
        open_row.addWidget(self.void_button)
        open_row.addWidget(self.compare_button)
        open_row.addWidget(self.history_button)
        open_row.addWidget(self.export_button)
        open_row.addWidget(self.print_button)
        open_row.addStretch(1)
        rl.addLayout(open_row)
        rl.addWidget(QLabel("Pain across sessions (before ● / after ○)"))
        rl.addWidget(self.chart, 1)
        splitter = QSplitter()  # horizontal
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([330, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self.show_archived.toggled.connect(lambda _: self.refresh())
        self.patients.currentItemChanged.connect(lambda *_: self._show_patient())
        self.new_button.clicked.connect(self.newPatient)
        self.edit_button.clicked.connect(
            lambda: self.current_patient() and self.editPatient.emit(self.current_patient())
        )
        self.archive_button.clicked.connect(self._toggle_archive)
        self.start_button.clicked.connect(lambda: self._new_session("blank"))
        self.copy_button.clicked.connect(lambda: self._new_session("copy"))
        self.overlay_button.clicked.connect(lambda: self._new_session("overlay"))
        self.open_button.clicked.connect(self._open_selected)
        self.sessions.cellDoubleClicked.connect(lambda *_: self._open_selected())
        self.sessions.itemSelectionChanged.connect(self._update_void)
        self.void_button.clicked.connect(self._void_selected)
        self.compare_button.clicked.connect(
            lambda: self.current_patient() and self.compareVisits.emit(self.current_patient())
        )
        self.history_button.clicked.connect(
            lambda: self.current_patient() and self.showHistory.emit(self.current_patient())
        )
        self.export_button.clicked.connect(
            lambda: self.selected_session() and self.exportSession.emit(self.selected_session())
        )
        self.print_button.clicked.connect(
            lambda: self.selected_session() and self.printSession.emit(self.selected_session())
        )
        self.refresh()

    def current_patient(self) -> str | None:
        item = self.patients.currentItem()
        return item.data(USER_ROLE) if item else None

    def refresh(self, select: str | None = None) -> None:
        select = select or self.current_patient()
        text = self.search.text()
        # An empty search shows the recent patients first; typing lists the matches by name.
        rows = self.repo.search_patients(
            text,
            include_archived=self.show_archived.isChecked(),
            limit=200,
            order="name" if text.strip() else "recent",
        )
        self.list_title.setText("Matching patients" if text.strip() else "Recent patients")
        self.patients.blockSignals(True)
        self.patients.clear()
        for summary in rows:
            p = summary.patient
            last = f" · last {local_text(summary.last_session_at)[:10]}" if summary.last_session_at else ""
            text = f"{p.display_name}" + (f"  [{p.record_number}]" if p.record_number else "")
            item = QListWidgetItem(
                f"{text}\n{summary.session_count} session(s){last}" + (" · archived" if p.archived else "")
            )
            item.setData(USER_ROLE, p.id)
            self.patients.addItem(item)
        self.patients.blockSignals(False)
        target = 0
        for i in range(self.patients.count()):
            if self.patients.item(i).data(USER_ROLE) == select:
                target = i
        if self.patients.count():
            self.patients.setCurrentRow(target)
        self._show_patient()

    def _show_patient(self) -> None:
        pid = self.current_patient()
        enabled = pid is not None
        for b in (
            self.edit_button,
            self.archive_button,
            self.start_button,
            self.copy_button,
            self.overlay_button,
            self.open_button,
            self.void_button,
            self.compare_button,
            self.history_button,
            self.export_button,
            self.print_button,
        ):
            b.setEnabled(enabled)
        self.sessions.setRowCount(0)
        if pid is None:
            self.title.setText("No patient yet" if not self.search.text() else "No patient matches")
            self.details.setText("Create a patient with “New patient…”.")
            self.chart.set_points([])
            return
        patient = self.repo.get_patient(pid)
        self.title.setText(patient.display_name)
        bits = [
            f"Record {patient.record_number}" if patient.record_number else "",
            patient.date_of_birth or "",
            str(patient.sex) if patient.sex else "",
        ]
        self.details.setText(" · ".join(b for b in bits if b))
        self.archive_button.setText("Unarchive" if patient.archived else "Archive")
        summaries = sorted(self.repo.list_sessions(pid), key=lambda s: s.session.started_at, reverse=True)
        self.sessions.setRowCount(len(summaries))
        for r, s in enumerate(summaries):
            sess = s.session
            pain = f"{_fmt(sess.pain_pre)} → {_fmt(sess.pain_post)}"
            for c, text in enumerate(
                (local_text(sess.started_at), str(sess.status), str(s.mark_count), pain)
            ):
                cell = QTableWidgetItem(text)
                cell.setData(USER_ROLE, sess.id)
                self.sessions.setItem(r, c, cell)
        if summaries:
            self.sessions.selectRow(0)
        self._update_void()
        self.compare_button.setEnabled(len(summaries) >= 2)
        self.export_button.setEnabled(bool(summaries))
        self.print_button.setEnabled(bool(summaries))
        # "From previous" starts from a signed visit: a draft may be empty or mistaken.
        signed = [s.session for s in summaries if s.session.is_signed]
        self.copy_button.setEnabled(bool(signed))
        self.overlay_button.setEnabled(bool(signed))
        self.copy_menu.clear()
        for i, sess in enumerate(signed):
            label = f"{local_text(sess.started_at)}" + (" (last signed)" if i == 0 else "")
            action = self.copy_menu.addAction(f"Copy from {label}")
            action.triggered.connect(lambda _=False, sid=sess.id: self._new_session_from("copy", sid))
        if signed:
            self.copy_menu.addSeparator()
            for sess in signed:
                action = self.copy_menu.addAction(f"Blank, {local_text(sess.started_at)} faded")
                action.triggered.connect(lambda _=False, sid=sess.id: self._new_session_from("overlay", sid))
        self.chart.set_points(
            [
                (local_text(s.session.started_at)[5:10], s.session.pain_pre, s.session.pain_post)
                for s in reversed(summaries)
            ]
        )

    def _toggle_archive(self) -> None:
        pid = self.current_patient()
        if pid:
            patient = self.repo.get_patient(pid)
            self.repo.archive_patient(pid, not patient.archived)
            self.refresh(select=pid)

    def _new_session(self, mode: str) -> None:
        pid = self.current_patient()
        if pid:
            self.newSession.emit(pid, mode)

    def _new_session_from(self, mode: str, source: str) -> None:
        pid = self.current_patient()
        if pid:
            self.newSessionFrom.emit(pid, mode, source)

    def selected_session(self) -> str | None:
        row = self.sessions.currentRow()
        item = self.sessions.item(row, 0) if row >= 0 else None
        return item.data(USER_ROLE) if item else None

    def _update_void(self) -> None:
        row = self.sessions.currentRow()
        status = self.sessions.item(row, 1) if row >= 0 else None
        self.void_button.setEnabled(status is not None and status.text() == "draft")

    def _void_selected(self) -> None:
        session_id = self.selected_session()
        if session_id:
            self.voidSession.emit(session_id)

    def _open_selected(self) -> None:
        row = self.sessions.currentRow()
        if row >= 0:
            self.openSession.emit(self.sessions.item(row, 0).data(USER_ROLE))


def _fmt(value: int | None) -> str:
    return "—" if value is None else str(value)
