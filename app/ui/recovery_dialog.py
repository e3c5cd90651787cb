"""数据库已损坏: shown instead of the main window (or over it) when the integrity check fails.

Two ways out: 从最近的备份恢复 (the newest backup that passes its own check replaces the
database; the damaged file is kept in backups/ first) or 退出. The window never opens on a
damaged database without this dialog having said so.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.backups import BackupError, BackupService, IntegrityReport, RestoreResult, format_size

from .banner import Banner

logger = logging.getLogger(__name__)

TITLE = "数据库已损坏"
RECOVER_TEXT = "从最近的备份恢复"
QUIT_TEXT = "退出"
CONTINUE_TEXT = "继续使用"
EXPLANATION = (
    "信访数据库文件已损坏。为避免信访件丢失或出错，程序没有继续打开。\n\n"
    "可以从最近一个完好的备份恢复：恢复前，当前（已损坏的）数据库会先另存到 backups 文件夹；"
    "最近一次备份之后登记或办理的信访件需要重新录入。\n"
    "也可以先退出，把整个数据目录复制留底后联系管理员。"
)
NO_BACKUPS = "没有找到备份，无法自动恢复。请不要删除或覆盖数据目录，先把整个目录复制留底，再联系管理员。"
ALL_DAMAGED = "所有备份都无法使用（已损坏或不是本程序的备份），无法自动恢复。请先把整个数据目录复制留底，再联系管理员。"


def restored_message(result: RestoreResult) -> str:
    """已从…恢复: the copy used, where the replaced data went, and whether it was migrated."""
    r = result.restored
    text = (f"已从 {r.created_at:%Y-%m-%d %H:%M} 的备份（{r.label}）恢复。"
            f"恢复前的数据已另存为“{result.safety_backup.name}”（在 backups 文件夹）。")
    if result.migrated:
        text += "该备份的数据版本较旧，已升级到当前版本。"
    return text


class RecoveryDialog(QDialog):
    """Accepted after a successful restore (and 继续使用); rejected on 退出."""

    def __init__(self, backups: BackupService, report: IntegrityReport | None = None, reason: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("recovery_dialog")
        self.setWindowTitle(TITLE)
        self.setModal(True)
        self.backups = backups
        self.restored: RestoreResult | None = None
        self.explanation = QLabel(EXPLANATION)
        self.explanation.setWordWrap(True)
        self.details = QPlainTextEdit()
        self.details.setObjectName("recovery_details")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(110)
        lines = [f"数据目录：{backups.data_dir}"]
        if reason:
            lines.append(reason)
        if report is not None:
            lines.append(report.summary())
            lines += [f"  {p}" for p in report.problems]
        self.details.setPlainText("\n".join(lines))
        self.backup_list = QListWidget()
        self.backup_list.setObjectName("recovery_backups")
        self.backup_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.banner = Banner()
        self.recover_button = QPushButton(RECOVER_TEXT)
        self.recover_button.setObjectName("recover_button")
        self.recover_button.setDefault(True)
        self.quit_button = QPushButton(QUIT_TEXT)
        self.quit_button.setObjectName("quit_button")
        self.continue_button = QPushButton(CONTINUE_TEXT)
        self.continue_button.setObjectName("continue_button")
        self.continue_button.setVisible(False)

        box = QVBoxLayout(self)
        box.addWidget(self.explanation)
        box.addWidget(self.details)
        box.addWidget(QLabel("备份（最新的在前）："))
        box.addWidget(self.backup_list)
        box.addWidget(self.banner)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.recover_button)
        buttons.addWidget(self.continue_button)
        buttons.addWidget(self.quit_button)
        box.addLayout(buttons)
        self.resize(620, 480)

        self.recover_button.clicked.connect(self.recover)
        self.quit_button.clicked.connect(self.reject)
        self.continue_button.clicked.connect(self.accept)
        self._load()

    def _load(self) -> None:
        listed = self.backups.list()
        for b in listed:
            item = QListWidgetItem(f"{b.created_at:%Y-%m-%d %H:%M:%S}　{b.label}　{format_size(b.size)}")
            item.setData(Qt.ItemDataRole.UserRole, str(b.path))
            self.backup_list.addItem(item)
        if not listed:
            self.recover_button.setEnabled(False)
            self.banner.show_message(NO_BACKUPS, "error")

    def recover(self) -> RestoreResult | None:
        """Restore the newest backup that passes its own check; the others are skipped and named."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        skipped: list[str] = []
        try:
            for b in self.backups.list():
                if not self.backups.check_backup(b.path).ok:
                    skipped.append(f"{b.created_at:%Y-%m-%d %H:%M}")
                    continue
                try:
                    self.restored = self.backups.restore(b.path)
                except BackupError as exc:
                    self.banner.show_message(exc.message, "error")
                    return None
                break
        finally:
            QGuiApplication.restoreOverrideCursor()
        if self.restored is None:
            self.banner.show_message(ALL_DAMAGED, "error")
            self.recover_button.setEnabled(False)
            return None
        text = restored_message(self.restored)
        if skipped:
            text += f"（跳过了已损坏的备份：{'、'.join(skipped)}）"
        self.banner.show_message(text, "success")
        self.recover_button.setVisible(False)
        self.continue_button.setVisible(True)
        self.continue_button.setDefault(True)
        self.continue_button.setFocus()
        return self.restored


def recover_if_damaged(backups: BackupService, parent: QWidget | None = None, quick: bool = True) -> bool:
    """True when the database passes its check, or was restored; False when the user chose 退出."""
    report = backups.integrity_check(quick=quick)
    if report.ok:
        return True
    logger.error("database integrity check failed: %s", "; ".join(report.problems))
    return RecoveryDialog(backups, report, parent=parent).exec() == QDialog.DialogCode.Accepted


def recover_unopenable(data_dir: Path, reason: str, parent: QWidget | None = None) -> bool | None:
    """The database could not even be opened: offer the backups. None when there are none."""
    backups = BackupService.for_data_dir(data_dir)
    try:
        if not backups.list():
            return None
        return RecoveryDialog(backups, backups.integrity_check(), reason=reason, parent=parent).exec() \
            == QDialog.DialogCode.Accepted
    finally:
        backups.engine.dispose()
