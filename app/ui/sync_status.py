"""The sync corner of the status bar: state, what waits, last success, last error, 需处理, 立即同步.

Counts are read on a worker (`LatestOnlyRunner`) after every sync and every local change, so a
large outbox never stalls the window.
"""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.context import DeskServices
from app.services.vocab import EVENT_LABELS
from app.sync import config
from app.sync.runner import CLOCK_WARNING_S

from .background import LatestOnlyRunner
from .events import AppEvents
from .sync_worker import STATE_OFFLINE, STATE_ONLINE, STATE_SYNCING, STATE_UNSET, SyncScheduler

ERROR_STYLE = "color: #c62828;"
WARNING_STYLE = "color: #a15c00;"
STATE_STYLES = {
    STATE_ONLINE: "color: #1b5e20; font-weight: bold;",
    STATE_OFFLINE: "color: #c62828; font-weight: bold;",
    STATE_SYNCING: "color: #0d47a1; font-weight: bold;",
    STATE_UNSET: "color: #616161;",
}
STATE_TIPS = {
    STATE_ONLINE: "已连上县级服务器",
    STATE_OFFLINE: "连不上县级服务器；记录保存在本机，会自动重试",
    STATE_SYNCING: "正在与县级服务器同步",
    STATE_UNSET: "尚未设置县级服务器地址和令牌（设置 → 同步设置…）",
}
SHORT_ERROR_CHARS = 18
ATTENTION_COLUMNS = ("编号", "序号", "种类", "县级服务器的理由")


def clock_warning(offset_text: str) -> str:
    try:
        offset = float(offset_text)
    except ValueError:
        return ""
    if abs(offset) <= CLOCK_WARNING_S:
        return ""
    return f"本机时间与县级服务器相差约{abs(offset) / 60:.0f}分钟，请校正本机时间"


def _hhmm(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%H:%M")
    except ValueError:
        return ""


class SyncStatusWidget(QWidget):
    def __init__(
        self,
        services: DeskServices,
        scheduler: SyncScheduler,
        events: AppEvents | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("sync_status")
        self.services = services
        self.scheduler = scheduler
        self.counts = None
        self.runner = LatestOnlyRunner(self)

        self.state_label = QLabel()
        self.state_label.setObjectName("sync_state")
        self.waiting_label = QLabel()
        self.waiting_label.setObjectName("sync_waiting")
        self.waiting_label.setToolTip("尚未被县级服务器确认收到的信访件")
        self.last_label = QLabel()
        self.last_label.setObjectName("sync_last")
        self.error_label = QLabel()
        self.error_label.setObjectName("sync_error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setVisible(False)
        self.clock_label = QLabel()
        self.clock_label.setObjectName("sync_clock")
        self.clock_label.setStyleSheet(WARNING_STYLE)
        self.clock_label.setVisible(False)
        self.attention_button = QPushButton()
        self.attention_button.setObjectName("sync_attention")
        self.attention_button.setFlat(True)
        self.attention_button.setStyleSheet(ERROR_STYLE + " text-decoration: underline;")
        self.attention_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.attention_button.setToolTip("县级服务器拒收的记录：查看理由，处理后重新提交")
        self.attention_button.setVisible(False)
        self.sync_button = QPushButton("立即同步")
        self.sync_button.setObjectName("sync_now")
        self.sync_button.setToolTip("现在就与县级服务器同步（不等自动重试）")

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.state_label, self.waiting_label, self.last_label, self.error_label,
                       self.clock_label, self.attention_button, self.sync_button):
            row.addWidget(widget)

        self.sync_button.clicked.connect(self.scheduler.sync_now)
        self.attention_button.clicked.connect(self.open_attention)
        scheduler.sig_state_changed.connect(self._on_state_changed)
        scheduler.sig_sync_finished.connect(self._on_sync_finished)
        if events is not None:
            events.sig_matters_changed.connect(lambda _number: self.refresh_counts())
        self._on_state_changed(scheduler.state)
        self.refresh_counts()

    # --- refreshing ------------------------------------------------------------------------

    def refresh_counts(self) -> None:
        outbox, settings = self.services.sync.outbox, self.services.settings
        self.runner.submit(lambda: (outbox.counts(), settings.all("sync.")), self._apply_counts)

    def _apply_counts(self, loaded) -> None:
        counts, values = loaded
        self.counts = counts
        self.waiting_label.setText(f"待上报 {counts.waiting_matters} 件")
        last = _hhmm(values.get(config.LAST_SUCCESS_KEY, ""))
        self.last_label.setText(f"上次同步 {last}" if last else "尚未同步")
        self.last_label.setToolTip(values.get(config.LAST_SUCCESS_KEY, ""))
        self.attention_button.setText(f"需处理 {counts.needs_attention} 条")
        self.attention_button.setVisible(counts.needs_attention > 0)
        warning = clock_warning(values.get(config.CLOCK_OFFSET_KEY, ""))
        self.clock_label.setText("本机时间不准" if warning else "")
        self.clock_label.setToolTip(warning)
        self.clock_label.setVisible(bool(warning))

    def _on_state_changed(self, state: str) -> None:
        self.state_label.setText(state)
        self.state_label.setStyleSheet(STATE_STYLES.get(state, ""))
        self.state_label.setToolTip(STATE_TIPS.get(state, ""))
        self.sync_button.setEnabled(state not in (STATE_SYNCING,))
        if state == STATE_UNSET:
            self.show_error("")

    def _on_sync_finished(self, report, error: str, _unreachable: bool) -> None:
        if error:
            self.show_error(error)
        else:
            notes = [report.mismatch] if report is not None and report.mismatch else []
            notes += list(report.warnings) if report is not None else []
            self.show_error("；".join(notes))
        self.refresh_counts()

    def show_error(self, message: str) -> None:
        """Short red text in the bar, the whole message as its tooltip."""
        short = message if len(message) <= SHORT_ERROR_CHARS else message[: SHORT_ERROR_CHARS - 1] + "…"
        self.error_label.setText(short)
        self.error_label.setToolTip(message)
        self.error_label.setVisible(bool(message))

    @property
    def error_message(self) -> str:
        return self.error_label.toolTip() if self.error_label.isVisible() else ""

    # --- 需处理 ------------------------------------------------------------------------------

    def open_attention(self) -> SyncAttentionDialog:
        dialog = SyncAttentionDialog(self.services, self.scheduler, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.refresh_counts())
        dialog.open()
        return dialog


class SyncAttentionDialog(QDialog):
    """The events the county refused, with its reasons; 重新提交 sends them again."""

    def __init__(self, services: DeskServices, scheduler: SyncScheduler, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sync_attention_dialog")
        self.setWindowTitle("需处理的记录")
        self.services = services
        self.scheduler = scheduler
        note = QLabel(
            "以下记录被县级服务器拒收，其余记录不受影响。请根据理由与县级管理员核对；"
            "问题解决后点“重新提交”。"
        )
        note.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("attention_items")
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(list(ATTENTION_COLUMNS))
        for item in services.sync.outbox.attention_items():
            row = QTreeWidgetItem([item.matter_number, str(item.seq), EVENT_LABELS.get(item.kind, item.kind), item.reason])
            row.setToolTip(3, item.reason)
            self.tree.addTopLevelItem(row)
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        self.retry_button = QPushButton("重新提交")
        self.retry_button.setObjectName("retry_attention")
        self.retry_button.setEnabled(self.tree.topLevelItemCount() > 0)
        buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.retry_button.clicked.connect(self.retry)
        box = QVBoxLayout(self)
        box.addWidget(note)
        box.addWidget(self.tree, 1)
        box.addWidget(buttons)
        self.resize(760, 360)

    def retry(self) -> int:
        count = self.services.sync.outbox.retry_attention()
        self.scheduler.sync_now()
        self.accept()
        return count
