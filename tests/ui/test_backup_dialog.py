"""备份与恢复 in the window, and the recovery dialog a damaged database opens with."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from ui_support import register_matter, run_gui_to_main_window, visible_main_windows, wait_list_loaded
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox

from app.cli import main
from app.services.dto import MatterQuery
from app.ui.app import create_main_window, run_gui
from app.ui.backup_dialog import BackupDialog
from app.ui.recovery_dialog import NO_BACKUPS, RecoveryDialog


def numbers(services) -> list[str]:
    return sorted(r.number for r in services.matters.page(MatterQuery(), limit=1000))


def damage(db: Path) -> None:
    """Checkpoint the WAL into the file, then overwrite 8 KiB in its middle as a failing disk would."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = db.stat().st_size
    with open(db, "r+b") as f:
        f.seek(size // 2 // 4096 * 4096)
        f.write(b"\xa5" * 8192)


def table_rows(dialog: BackupDialog) -> list[tuple[str, str]]:
    t = dialog.table
    return [(t.item(r, 1).text(), t.item(r, 2).text()) for r in range(t.rowCount())]


def answer_confirmation(button_text: str, seen: dict) -> None:
    """Click a button of the confirmation box once it is open (it runs its own event loop)."""
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        QTimer.singleShot(10, lambda: answer_confirmation(button_text, seen))
        return
    seen["text"] = box.text()
    next(b for b in box.buttons() if b.text() == button_text).click()


@pytest.fixture
def window(qtbot, services):
    w = create_main_window(services)
    qtbot.addWidget(w)
    w.show()
    return w


def open_backups(window) -> BackupDialog:
    window.findChild(QAction, "action_backups").trigger()
    dialog = window.findChild(BackupDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_backup_now_from_the_tools_menu(qtbot, window, services):
    register_matter(services)
    menus = [a.text() for a in window.menuBar().actions()]
    assert "工具(&T)" in menus
    dialog = open_backups(window)
    assert dialog.table.rowCount() == 0 and not dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=10000)
    [made] = services.backups.list()
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "手动备份"
    assert dialog.table.item(0, 0).text() == f"{made.created_at:%Y-%m-%d %H:%M:%S}"
    assert dialog.banner.text().startswith("已备份：") and made.path.name in dialog.banner.text()
    assert dialog.selected() == made and dialog.restore_button.isEnabled()


def test_restore_asks_then_the_window_shows_the_restored_data(qtbot, window, services):
    earlier = register_matter(services, title="备份之前").number
    dialog = open_backups(window)
    dialog.backup_button.click()
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=10000)
    later = register_matter(services, title="备份之后").number
    window.events.sig_matters_changed.emit(later)
    page = window.matter_list_page
    wait_list_loaded(qtbot, page)
    assert page.count_label.text() == "共 2 件"

    seen: dict = {}
    dialog.table.selectRow(0)
    QTimer.singleShot(0, lambda: answer_confirmation("取消", seen))
    dialog.restore_button.click()
    assert "恢复前会先把当前数据另存" in seen["text"]
    assert not dialog.runner.busy and numbers(services) == sorted([earlier, later])  # cancelled: nothing

    QTimer.singleShot(0, lambda: answer_confirmation("恢复", seen))
    with qtbot.waitSignal(dialog.sig_restored, timeout=10000):
        dialog.restore_button.click()

    assert numbers(services) == [earlier]
    safety = services.backups.list()[0]
    assert dialog.banner.text().startswith("已从 ") and f"恢复前的数据已另存为“{safety.path.name}”" in dialog.banner.text()
    assert [label for label, _size in table_rows(dialog)] == ["恢复前备份", "手动备份"]
    wait_list_loaded(qtbot, page)
    assert page.count_label.text() == "共 1 件"
    assert page.model.number_at(0) == earlier
    assert window.statusBar().currentMessage() == "已从备份恢复数据"


def test_a_damaged_backup_is_refused_in_the_dialog(qtbot, window, services):
    for i in range(20):
        register_matter(services, title=f"第{i}件")
    before = numbers(services)
    info = services.backups.backup_now()
    damage(info.path)
    dialog = open_backups(window)
    dialog.table.selectRow(0)
    QTimer.singleShot(0, lambda: answer_confirmation("恢复", {}))
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=10000)
    assert dialog.banner.kind == "error"
    assert dialog.banner.text().startswith("备份文件已损坏，不能用于恢复")
    assert numbers(services) == before
    assert table_rows(dialog)[0][0] == "手动备份" and dialog.table.rowCount() == 1


# --- at start: the integrity check ----------------------------------------------------------


def damaged_desk(services) -> list[str]:
    """Matters, a good backup, then the live file damaged; returns the backed-up numbers."""
    for i in range(30):
        register_matter(services, title=f"第{i}件")
    kept = numbers(services)
    services.backups.backup_now()
    services.close()
    damage(services.data_dir / "xfdesk.sqlite3")
    assert not services.backups.integrity_check(quick=True).ok
    return kept


def test_a_damaged_database_is_not_opened_and_quit_leaves(qtbot, services):
    damaged_desk(services)
    seen = {}

    def drive():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RecoveryDialog):
            QTimer.singleShot(10, drive)
            return
        seen["title"] = dialog.windowTitle()
        seen["details"] = dialog.details.toPlainText()
        seen["backups"] = dialog.backup_list.count()
        seen["windows"] = visible_main_windows()
        dialog.quit_button.click()

    QTimer.singleShot(0, drive)
    assert run_gui(services, []) == 1
    assert seen["title"] == "数据库已损坏" and "数据库已损坏（发现" in seen["details"]
    assert seen["backups"] == 1 and seen["windows"] == []
    assert visible_main_windows() == []


def test_recovering_at_start_restores_the_newest_good_backup_then_opens(qtbot, services):
    kept = damaged_desk(services)
    older_damaged = services.backups.list()[0].path.with_name("xfdesk-20990101-000000-000000-daily.sqlite3")
    older_damaged.write_bytes(b"\xa5" * 65536)  # the newest-looking backup is damaged: it must be skipped
    seen = {}

    def answer(dialog) -> bool:
        if not isinstance(dialog, RecoveryDialog):
            return False
        dialog.recover_button.click()
        seen["banner"] = dialog.banner.text()
        dialog.continue_button.click()
        return True

    qtbot.addWidget(run_gui_to_main_window(services, answer))
    assert seen["banner"].startswith("已从 ") and "跳过了已损坏的备份：2099-01-01 00:00" in seen["banner"]
    assert services.backups.integrity_check().ok
    assert numbers(services) == kept


def test_a_database_that_cannot_be_opened_offers_its_backups(qtbot, tmp_path, services):
    register_matter(services)
    services.backups.backup_now()
    services.close()
    (services.data_dir / "xfdesk.sqlite3").write_bytes(b"not a database" * 1000)
    seen = {}

    def drive():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RecoveryDialog):
            QTimer.singleShot(10, drive)
            return
        seen["details"] = dialog.details.toPlainText()
        seen["enabled"] = dialog.recover_button.isEnabled()
        dialog.quit_button.click()

    QTimer.singleShot(0, drive)
    assert main(["--data-dir", str(services.data_dir)]) == 1
    assert seen["enabled"] and "数据库无法读写" in seen["details"]


def test_without_backups_the_recovery_dialog_says_what_to_do(qtbot, services):
    for i in range(30):
        register_matter(services, title=f"第{i}件")
    services.close()
    damage(services.data_dir / "xfdesk.sqlite3")
    dialog = RecoveryDialog(services.backups, services.backups.integrity_check())
    qtbot.addWidget(dialog)
    assert not dialog.recover_button.isEnabled()
    assert dialog.banner.text() == NO_BACKUPS


def test_the_daily_backup_runs_after_start_off_the_gui_thread(qtbot, window, services):
    from app.ui.app import start_daily_backup

    register_matter(services)
    daily = start_daily_backup(services, window)
    status = window.statusBar()
    qtbot.waitUntil(lambda: status.currentMessage().startswith("已完成今日自动备份"), timeout=10000)
    [info] = services.backups.list()
    assert info.label == "每日自动备份"
    assert daily.thread.name == "daily-backup"
    assert status.currentMessage() == f"已完成今日自动备份：{info.path.name}"
    status.clearMessage()
    again = start_daily_backup(services, window)  # the second start of the day copies nothing
    again.thread.join(10)
    qtbot.wait(50)  # let the queued result arrive
    assert status.currentMessage() == "" and services.backups.list() == [info]
