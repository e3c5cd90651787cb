"""Unexpected errors: logged in full, shown to the receptionist in Chinese, never a silent exit."""
from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

logger = logging.getLogger(__name__)

UNEXPECTED_MESSAGE = "程序遇到意外错误，已记录到日志。已填写的登记内容会自动保存为草稿，可继续工作；如再次出现请联系管理员。"


def _hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    logger.critical("unhandled exception", exc_info=(exc_type, exc, tb))
    app = QApplication.instance()
    if app is not None and threading.current_thread() is threading.main_thread():
        QMessageBox.critical(app.activeWindow(), "意外错误", UNEXPECTED_MESSAGE)


def install_excepthook() -> None:
    """Replace the default hook (which would print an English traceback nobody sees)."""
    sys.excepthook = _hook
