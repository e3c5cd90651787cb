"""Composition of the GUI: the QApplication, fonts and translations, first run, the main window."""
from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.paths import APP_NAME, ORG_NAME
from app.services.context import DeskServices

from .error_dialog import install_excepthook
from .events import AppEvents
from .first_run import FirstRunDialog
from .main_window import APP_TITLE, MainWindow

logger = logging.getLogger(__name__)

# Fonts that cover Simplified Chinese, best first (Noto CJK also covers 𠮷 and 䶮).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "SimSun",
)


def create_main_window(services: DeskServices) -> MainWindow:
    """The main window over ready services (the station must be initialised)."""
    window = MainWindow(services, AppEvents())
    settle_heap()
    return window


def settle_heap() -> None:
    """Move what start-up built (Qt wrappers, SQLAlchemy, the window) out of the cyclic collector's
    reach. A full collection holds the GIL and so stops every thread, the window included: over
    the whole heap it took 120–145 ms, stalling the UI while the sync worker allocated; over what
    is allocated after this call it takes a few ms."""
    gc.collect()
    gc.freeze()


def pick_cjk_font() -> str | None:
    families = set(QFontDatabase.families())
    return next((family for family in CJK_FONTS if family in families), None)


def _install_translations(app: QApplication) -> None:
    """Qt's own dialogs (message boxes, calendars) in Chinese."""
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", path):
        app.installTranslator(translator)


def run_gui(services: DeskServices, argv: Sequence[str] | None = None) -> int:
    """Show the first-run dialog if needed, then the main window; returns the exit code."""
    app = QApplication.instance() or QApplication(list(argv or []))
    install_excepthook()
    app.setApplicationDisplayName(APP_TITLE)
    if not app.applicationName():  # keep "xfdesk": it names the data and settings folders
        app.setApplicationName(APP_NAME)
        app.setOrganizationName(ORG_NAME)
    family = pick_cjk_font()
    if family:
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 10.5))
        app.setFont(font)
    _install_translations(app)
    if services.stations.get() is None:
        dialog = FirstRunDialog(services.stations)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 1
    window = create_main_window(services)
    window.show()
    _warm_up_fonts(services.data_dir / "fonts")
    return app.exec()


def show_startup_error(message: str, argv: Sequence[str] | None = None) -> int:
    """The window cannot open its data: say so in a dialog (a desktop user sees no terminal)."""
    app = QApplication.instance() or QApplication(list(argv or []))
    app.setApplicationDisplayName(APP_TITLE)
    QMessageBox.critical(None, "无法打开数据", message)
    return 1


def _warm_up_fonts(cache_dir: Path) -> threading.Thread:
    """Find and load the receipt fonts (~0.3 s) while the receptionist types the first visitor,
    so the first slip after Ctrl+S is as quick as the others.

    Where the machine has CFF-outlined CJK fonts only, the first start also converts one to
    TrueType outlines into `cache_dir` (a minute or two, in this thread); from then on every
    render (`FontSet.default()`) prefers the converted font."""
    thread = threading.Thread(target=_load_receipt_fonts, args=(cache_dir,), name="font-warm-up",
                              daemon=True)
    thread.start()
    return thread


def _load_receipt_fonts(cache_dir: Path) -> None:
    from app.receipts.fonts import FontSet, ensure_converted_font, set_extra_font_files

    try:
        converted = ensure_converted_font(cache_dir)
    except Exception:  # never let the warm-up thread die loudly: discovery alone still works
        logger.exception("receipt font conversion failed")
        converted = None
    if converted is not None:
        set_extra_font_files([converted])
    FontSet.default()
