"""备份与恢复 (工具 menu): the backups of this data folder, 立即备份 and 恢复所选备份….

Copies and restores run on a worker thread (a large database takes a second or more); the
buttons wait meanwhile. A restore asks first, saying that the current data is saved before it
is replaced; afterwards the window's lists refresh through `AppEvents.sig_matters_changed`.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.backups import KEEP_DAILY, KEEP_PER_REASON, BackupError, BackupInfo, format_size
from app.services.context import DeskServices
from app.services.security.errors import SecurityError

from .background import LatestOnlyRunner
from .banner import Banner
from .events import AppEvents
from .recovery_dialog import restored_message

logger = logging.getLogger(__name__)

COLUMNS = ("时间", "类型", "大小")
BACKUP_NOW_TEXT = "立即备份"
RESTORE_TEXT = "恢复所选备份…"
BUSY_BACKUP = "正在备份…"
BUSY_RESTORE = "正在恢复…"
CONFIRM_TITLE = "从备份恢复"
CONFIRM_YES = "恢复"
CONFIRM_NO = "取消"
FAILED = "操作失败，已记录到日志。请稍后重试；如反复出现请联系管理员。"


def confirm_text(info: BackupInfo) -> str:
    return (
        f"将用 {info.created_at:%Y-%m-%d %H:%M} 的备份（{info.label}）替换当前的全部数据。\n\n"
        "恢复前会先把当前数据另存为一个“恢复前备份”，需要时可以再用它恢复回来。\n"
        "该备份之后登记或办理的信访件将不再显示。\n\n确定恢复吗？"
    )


class BackupDialog(QDialog):
    """Emits `sig_restored()` after a restore (the window then reloads what it shows)."""

    sig_restored = Signal()

    def __init__(self, services: DeskServices, events: AppEvents | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("backup_dialog")
        self.setWindowTitle("备份与恢复")
        self.services = services
        self.events = events
        self.backups: list[BackupInfo] = []
        self.runner = LatestOnlyRunner(self)
        self.info = QLabel(
            f"备份保存在：{services.backups.backup_dir}\n"
            f"每天首次启动时自动备份一次，保留最近 {KEEP_DAILY} 个每日备份，手动备份、恢复前备份、升级前备份各保留最近 {KEEP_PER_REASON} 个。"
        )
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("backup_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.banner = Banner()
        self.backup_button = QPushButton(BACKUP_NOW_TEXT)
        self.backup_button.setObjectName("backup_now_button")
        self.restore_button = QPushButton(RESTORE_TEXT)
        self.restore_button.setObjectName("restore_button")
        self.restore_button.setToolTip("用所选备份替换当前数据（当前数据会先另存为恢复前备份）")
        self.close_button = QPushButton("关闭")
        self.close_button.setObjectName("close_button")

        box = QVBoxLayout(self)
        box.addWidget(self.info)
        box.addWidget(self.table)
        box.addWidget(self.banner)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        box.addLayout(buttons)
        self.resize(640, 460)

        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.close_button.clicked.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reload()

    # --- list ------------------------------------------------------------------------

    def reload(self, select=None) -> None:
        """Read the backups folder again; select `select` (a path) when given."""
        try:
            self.backups = self.services.backups.list()
        except Exception as exc:  # e.g. a permission guard refusing
            self.backups = []
            self.banner.show_message(_message(exc), "error")
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            cells = (f"{b.created_at:%Y-%m-%d %H:%M:%S}", b.label, format_size(b.size))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(b.path))
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
            if select is not None and b.path == select:
                self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        busy = self.runner.busy
        self.backup_button.setEnabled(not busy)
        self.restore_button.setEnabled(not busy and self.selected() is not None)
        self.close_button.setEnabled(not busy)

    # --- actions ------------------------------------------------------------------------

    def backup_now(self) -> None:
        self.banner.show_message(BUSY_BACKUP, "info")
        self.runner.submit(self.services.backups.backup_now, self._on_backed_up, self._on_failed)
        self._update_buttons()

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None or not self.confirm_restore(info):
            return
        self.banner.show_message(BUSY_RESTORE, "info")
        path = info.path
        self.runner.submit(lambda: self.services.backups.restore(path), self._on_restored, self._on_failed)
        self._update_buttons()

    def confirm_restore(self, info: BackupInfo) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, CONFIRM_TITLE, confirm_text(info),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirm_restore")
        box.button(QMessageBox.StandardButton.Yes).setText(CONFIRM_YES)
        box.button(QMessageBox.StandardButton.No).setText(CONFIRM_NO)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.exec()
        return box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)

    # --- results (GUI thread) ---------------------------------------------------------

    def _on_backed_up(self, info: BackupInfo) -> None:
        self.reload(select=info.path)
        self.banner.show_message(f"已备份：{info.path.name}（{format_size(info.size)}）", "success")

    def _on_restored(self, result) -> None:
        self.reload(select=result.restored.path)
        self.banner.show_message(restored_message(result), "success")
        if self.events is not None:
            self.events.sig_matters_changed.emit("")
        self.sig_restored.emit()

    def _on_failed(self, exc: Exception) -> None:
        self._update_buttons()
        self.banner.show_message(_message(exc), "error")

    def done(self, result: int) -> None:  # noqa: D401 (Qt API)
        if self.runner.busy:  # closing mid-restore would leave the window unaware of it
            return
        super().done(result)


def _message(exc: BaseException) -> str:
    if isinstance(exc, BackupError):
        return exc.message
    if isinstance(exc, SecurityError):  # a permission refusal: its text is the Chinese sentence
        return str(exc)
    logger.error("backup operation failed", exc_info=exc)
    return FAILED


def show_backups(services: DeskServices, parent: QWidget, events: AppEvents | None = None) -> BackupDialog:
    """Window-modal and non-blocking; deletes itself when closed."""
    dialog = BackupDialog(services, events, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
