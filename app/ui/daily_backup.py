"""The day's automatic backup, after the window is shown, on its own thread.

Once a day (the first start of the day) the full integrity check runs and, when it passes, the
database is copied (`BackupService.ensure_daily(check=True)`). The outcome comes back to the GUI
thread as a signal: a copy made or not needed, a Chinese failure, or a damaged database.
Never touch widgets in `_run`: it runs on the worker thread.
"""
from __future__ import annotations

import logging
import threading
from datetime import date

from PySide6.QtCore import QObject, Signal

from app.services.backups import BackupError, BackupService, DatabaseDamaged

logger = logging.getLogger(__name__)

FAILED = "今日自动备份失败，已记录到日志；可在“工具 → 备份与恢复”中立即备份"


class DailyBackup(QObject):
    sig_done = Signal(object)  # the BackupInfo made, or None when today's copy already existed
    sig_failed = Signal(str)  # why no copy could be made (Chinese)
    sig_damaged = Signal(object)  # the IntegrityReport of a damaged database (no copy was made)

    def __init__(self, backups: BackupService, parent: QObject | None = None):
        super().__init__(parent)
        self.backups = backups
        self.thread: threading.Thread | None = None

    def start(self, today: date | None = None) -> threading.Thread:
        self.thread = threading.Thread(target=self._run, args=(today,), name="daily-backup", daemon=True)
        self.thread.start()
        return self.thread

    def _run(self, today: date | None) -> None:
        try:
            info = self.backups.ensure_daily(today, check=True)
        except DatabaseDamaged as exc:
            logger.error("daily check found the database damaged: %s", "; ".join(exc.report.problems))
            self._emit(self.sig_damaged, exc.report)
        except BackupError as exc:
            logger.warning("daily backup failed: %s", exc.message)
            self._emit(self.sig_failed, exc.message)
        except Exception:
            logger.exception("daily backup failed")
            self._emit(self.sig_failed, FAILED)
        else:
            self._emit(self.sig_done, info)

    def _emit(self, signal, value) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the window (our parent) was closed while the copy ran
            logger.debug("daily backup finished after its window closed")
