"""File → Backups… and the background backup after the window shows, with real widgets."""

from __future__ import annotations

from pathlib import Path

from dn_bodymap.store.backup import backups_of


def test_background_backup_after_the_window_shows_only_when_changed(
    qtbot, make_window, db_path: Path
) -> None:
    from dn_bodymap.gui.backups_dialog import after_first_paint

    window, repo = make_window()
    assert backups_of(db_path) == []  # opening made no copy
    repo.set_setting("clinic", "Fictitious Clinic")
    with qtbot.waitSignal(window.background_backup.done, timeout=20000) as made:
        after_first_paint(window)
    assert made.args[0] is not None and backups_of(db_path) == [made.args[0]]
    with qtbot.waitSignal(window.background_backup.done, timeout=20000) as again:
        window.background_backup.start()
    assert again.args[0] is None  # nothing changed since: no copy
    assert len(backups_of(db_path)) == 1


def test_backups_dialog_lists_backs_up_and_changes_location(
    qtbot, make_window, db_path: Path, tmp_path: Path
) -> None:
    from dn_bodymap.gui.backups_dialog import BackupsDialog

    window, repo = make_window()
    dialog = BackupsDialog(repo, window.background_backup, window)
    qtbot.addWidget(dialog)
    assert dialog.location.text() == str(db_path.parent / "records-backups")
    assert dialog.table.rowCount() == 0 and "No backups yet" in dialog.status.text()
    assert "erased" in dialog.erasure_label.text()
    with qtbot.waitSignal(window.background_backup.done, timeout=20000):
        dialog.backup_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert "Backup written" in dialog.status.text()
    assert "KB" in dialog.table.item(0, 1).text() or "MB" in dialog.table.item(0, 1).text()
    other = tmp_path / "usb"
    other.mkdir()
    assert dialog.set_location(other)
    assert dialog.location.text() == str(other)
    assert dialog.table.rowCount() == 1  # the older copy stays listed
    with qtbot.waitSignal(window.background_backup.done, timeout=20000):
        dialog.backup_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    assert backups_of(db_path)[0].parent == other
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(tmp_path / "backups_dialog.png"))


def test_the_menu_has_backups(make_window) -> None:
    window, _repo = make_window()
    assert window.backups_action in window.menuBar().actions()[0].menu().actions()


def test_a_read_only_database_says_why_once_the_window_shows(make_window) -> None:
    from PySide6.QtWidgets import QLabel

    from dn_bodymap.gui.backups_dialog import after_first_paint

    window, repo = make_window()
    repo.read_only_reason = "records.db opened read-only: the disk is full; changes cannot be saved"
    after_first_paint(window)
    shown = [label.text() for label in window.statusBar().findChildren(QLabel)]
    assert repo.read_only_reason in shown


def test_at_exit_what_changed_is_copied_once_the_window_is_gone(make_window, db_path: Path) -> None:
    from dn_bodymap.gui.backups_dialog import finish_backups

    window, repo = make_window()
    finish_backups(window)  # a database with no backup yet gets its first
    assert len(backups_of(db_path)) == 1
    finish_backups(window)
    assert len(backups_of(db_path)) == 1  # nothing changed since
    repo.set_setting("clinic", "Fictitious Clinic")
    window.close()
    finish_backups(window)
    assert len(backups_of(db_path)) == 2
