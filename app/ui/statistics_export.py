"""统计 page → 导出Excel… / 导出PDF报告…: the statistics shown, written to a file off the GUI thread.

The user picks the file (`ask_path`, a `QFileDialog` by default; tests set their own); the
statistics value currently shown is written by `app.reports.write_report` on a worker thread.
Its `progress(done, total)` calls reach a window-modal `QProgressDialog` through a signal; 取消
makes the next call raise, so the writer stops and the file that was there stays as it was (the
reports write under a temporary name and rename only when complete). The outcome is shown in a
banner under the page's controls: 已导出 with a button that opens the folder, 已取消, or 导出失败.
The folder of the last successful export is remembered (`statistics.export_dir`).
"""
from __future__ import annotations

import errno
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRunnable, QStandardPaths, Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QProgressDialog, QPushButton, QWidget

from app.reports import FORMATS, PDF, XLSX, report_format, write_report
from app.services.security.errors import SecurityError
from app.reports.common import period_title
from app.services.context import DeskServices
from app.services.statistics.model import Statistics
from app.services.statistics.periods import REGISTERED

from .banner import Banner

logger = logging.getLogger(__name__)

EXPORT_DIR_KEY = "statistics.export_dir"
XLSX_BUTTON, PDF_BUTTON = "导出Excel…", "导出PDF报告…"
FILE_STEMS = {XLSX: "信访统计", PDF: "信访统计报告"}
DIALOG_TITLES = {XLSX: "导出Excel", PDF: "导出PDF报告"}
PROGRESS_TITLE = "导出统计"
PROGRESS_TEXT = "正在导出…"
CANCEL_TEXT = "取消"
OPEN_FOLDER_TEXT = "打开所在文件夹"
CANCELLING_TEXT = "正在取消导出…"
CANCELLED_TEXT = "已取消导出，目标位置原有的文件（如有）未改动。"
DONE_PREFIX = "已导出："
WRITE_FAILED = "导出失败：无法写入文件“{path}”（{reason}）。请换一个文件夹或文件名再试；如文件正在 Excel 或 WPS 中打开，请先关闭。"
OTHER_FAILED = "导出失败：生成报告时出错，已记录到日志。请稍后重试；如反复出现请联系管理员。"
OPEN_FOLDER_FAILED = "无法打开文件夹，请自行查看：{folder}"
SHOW_PROGRESS_AFTER_MS = 500  # quick exports never flash a dialog
OS_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "所选位置不是文件夹",
    errno.EISDIR: "已有同名文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘为只读",
    errno.EBUSY: "文件正被占用",
}
DONE, CANCELLED, FAILED = "done", "cancelled", "failed"

AskPath = Callable[[QWidget, str, str, str], str]  # (parent, caption, suggested path, filter) → chosen path or ""


def ask_save_path(parent: QWidget, caption: str, suggested: str, name_filter: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(parent, caption, suggested, name_filter)
    return path


def default_file_name(stats: Statistics, fmt: str) -> str:
    """"信访统计_2025年11月.xlsx", "信访统计报告_2025年第4季度.pdf" (a business month or range: its dates)."""
    basis = "_按登记日期" if stats.basis == REGISTERED else ""
    return f"{FILE_STEMS[fmt]}_{period_title(stats.period)}{basis}{fmt}"


def failure_message(exc: BaseException, path: Path) -> str:
    if isinstance(exc, OSError):
        reason = OS_REASONS.get(exc.errno or 0, f"系统错误{exc.errno}" if exc.errno else "系统错误")
        return WRITE_FAILED.format(path=path, reason=reason)
    return OTHER_FAILED


class ExportCancelled(Exception):
    """Raised from the progress callback after 取消: the writer stops and removes its temporary file."""


class _ExportJob(QRunnable):
    def __init__(self, owner: StatisticsExport, stats: Statistics, path: Path, cancel: threading.Event):
        super().__init__()
        self.owner, self.stats, self.path, self.cancel = owner, stats, path, cancel
        self.services = owner.services

    def run(self) -> None:  # the worker thread: signals only, no widgets
        def progress(done: int, total: int) -> None:
            if self.cancel.is_set():
                raise ExportCancelled
            self.owner._sig_progress.emit(done, total)

        try:
            station_name = self.services.stations.require().name
            written = write_report(self.stats, self.path, station_name, progress)
        except ExportCancelled:
            self.owner._sig_finished.emit(CANCELLED, self.path)
            return
        except Exception as exc:  # shown in Chinese on the GUI thread
            logger.warning("statistics export to %s failed", self.path, exc_info=True)
            self.owner._sig_finished.emit(FAILED, exc)
            return
        try:
            self.services.settings.set_many({EXPORT_DIR_KEY: str(written.parent)})
        except Exception:  # the file is written; only the remembered folder is lost
            logger.exception("could not remember the export folder")
        self.owner._sig_finished.emit(DONE, written)


class StatisticsExport(QWidget):
    """The two export buttons (`xlsx_button`, `pdf_button`) and `message_bar`, the outcome's banner.

    `set_statistics(stats)`: what an export writes (the page calls it with each result shown).
    `ask_path`: asks where to save; replace it to answer without a dialog.
    `sig_progress(done, total)` as the writer reports; `sig_finished(outcome)`: "done",
    "cancelled" or "failed", after the outcome is shown.
    """

    sig_progress = Signal(int, int)
    sig_finished = Signal(str)
    _sig_progress = Signal(int, int)
    _sig_finished = Signal(str, object)

    def __init__(self, services: DeskServices, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.statistics: Statistics | None = None
        self.ask_path: AskPath = ask_save_path
        self.show_progress_after_ms = SHOW_PROGRESS_AFTER_MS
        self.progress_dialog: QProgressDialog | None = None
        self.last_path: Path | None = None  # the file of the last successful export
        self._target: Path | None = None
        self._cancel: threading.Event | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

        self.xlsx_button = QPushButton(XLSX_BUTTON)
        self.xlsx_button.setObjectName("stats_export_xlsx")
        self.xlsx_button.setToolTip("把当前显示的统计结果导出为 Excel 工作簿（.xlsx）")
        self.pdf_button = QPushButton(PDF_BUTTON)
        self.pdf_button.setObjectName("stats_export_pdf")
        self.pdf_button.setToolTip("把当前显示的统计结果生成可打印的信访工作统计报告（PDF）")
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.xlsx_button)
        box.addWidget(self.pdf_button)

        self.message_bar = QWidget()
        self.message_bar.setObjectName("stats_export_bar")
        self.banner = Banner()
        self.banner.setObjectName("stats_export_message")
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder_button = QPushButton(OPEN_FOLDER_TEXT)
        self.open_folder_button.setObjectName("stats_export_open_folder")
        bar = QHBoxLayout(self.message_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.banner, 1)
        bar.addWidget(self.open_folder_button)
        self.message_bar.setVisible(False)

        self.xlsx_button.clicked.connect(lambda: self.export(XLSX))
        self.pdf_button.clicked.connect(lambda: self.export(PDF))
        self.open_folder_button.clicked.connect(self.open_folder)
        self._sig_progress.connect(self._on_progress)
        self._sig_finished.connect(self._on_finished)
        self._update_buttons()

    # --- behaviour -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._cancel is not None

    def set_statistics(self, stats: Statistics | None) -> None:
        self.statistics = stats
        self._update_buttons()

    def export(self, fmt: str) -> bool:
        """Ask where, then write the statistics shown as `fmt` (".xlsx"/".pdf"); False if not started."""
        stats = self.statistics
        if stats is None or self.busy:
            return False
        suggested = self._start_folder() / default_file_name(stats, fmt)
        chosen = self.ask_path(self.window(), DIALOG_TITLES[fmt], str(suggested), f"{FORMATS[fmt]} (*{fmt})")
        if not chosen:
            return False
        path = Path(chosen)
        if report_format(path) != fmt:  # typed without the extension (or another one)
            path = path.with_name(path.name + fmt)
        self.start(stats, path)
        return True

    def start(self, stats: Statistics, path: Path) -> None:
        """Write `stats` to `path` on the worker thread, with the progress dialog."""
        try:
            self.services.statistics.authorize_export(report_format(path) or path.suffix, str(path))
        except SecurityError as exc:
            self._show(str(exc), "error")
            return
        self._target = path
        self._cancel = threading.Event()
        self.message_bar.setVisible(False)
        self._update_buttons()
        self.progress_dialog = self._make_progress_dialog(path)
        self._pool.start(_ExportJob(self, stats, path, self._cancel))

    def cancel(self) -> None:
        """What 取消 does: the writer stops at its next step."""
        if self._cancel is not None and not self._cancel.is_set():
            self._cancel.set()
            self._close_progress()
            self._show(CANCELLING_TEXT, "info")

    def open_folder(self) -> bool:
        """Open the folder of the last exported file in the system's file manager."""
        if self.last_path is None:
            return False
        folder = self.last_path.parent
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return True
        self._show(OPEN_FOLDER_FAILED.format(folder=folder), "error")
        return False

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until no export runs (on quit)."""
        return self._pool.waitForDone(msecs)

    # --- helpers ---------------------------------------------------------------------------

    def _start_folder(self) -> Path:
        remembered = self.services.settings.get(EXPORT_DIR_KEY, "")
        if remembered and Path(remembered).is_dir():
            return Path(remembered)
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents else Path.home()

    def _make_progress_dialog(self, path: Path) -> QProgressDialog:
        dialog = QProgressDialog(f"{PROGRESS_TEXT}\n{path.name}", CANCEL_TEXT, 0, 1, self)
        dialog.setObjectName("stats_export_progress")
        dialog.setWindowTitle(PROGRESS_TITLE)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        dialog.setMinimumDuration(self.show_progress_after_ms)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)  # starts the clock: shown once the export takes longer than the delay
        return dialog

    def _close_progress(self) -> None:
        dialog, self.progress_dialog = self.progress_dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.reset()
            dialog.hide()
            dialog.deleteLater()

    def _show(self, text: str, kind: str, *, folder_button: bool = False) -> None:
        self.banner.show_message(text, kind)
        self.open_folder_button.setVisible(folder_button)
        self.message_bar.setVisible(True)

    def _update_buttons(self) -> None:
        enabled = self.statistics is not None and not self.busy
        self.xlsx_button.setEnabled(enabled)
        self.pdf_button.setEnabled(enabled)

    # --- slots (GUI thread) ----------------------------------------------------------------

    def _on_progress(self, done: int, total: int) -> None:
        if self._cancel is None or self._cancel.is_set():
            return  # late news from a cancelled export
        self.sig_progress.emit(done, total)
        dialog = self.progress_dialog
        if dialog is not None:  # last: a shown modal dialog's setValue runs the event loop (later steps, the end)
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, total))

    def _on_finished(self, outcome: str, value: object) -> None:
        path = self._target
        self._close_progress()
        self._cancel = self._target = None
        self._update_buttons()
        if outcome == DONE:
            self.last_path = Path(value)
            self._show(f"{DONE_PREFIX}{value}", "success", folder_button=True)
        elif outcome == CANCELLED:
            self._show(CANCELLED_TEXT, "info")
        else:
            self._show(failure_message(value, path), "error")
        self.sig_finished.emit(outcome)
