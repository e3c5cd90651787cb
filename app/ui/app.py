"""Composition of the GUI: the QApplication, fonts and translations, first run, login, the main window."""
from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.paths import APP_NAME, ORG_NAME
from app.resources import resource_path
from app.services.context import DeskServices

from .error_dialog import install_excepthook
from .events import AppEvents
from .first_run import FirstRunDialog
from .main_window import APP_TITLE, MainWindow
from .recovery_dialog import recover_if_damaged

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


def app_icon() -> QIcon:
    """The app's icon (resources/icons, the same PNGs the Linux menu entry uses)."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        path = resource_path("icons", f"xfdesk-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
    return icon


def _install_translations(app: QApplication) -> None:
    """Qt's own dialogs (message boxes, calendars) in Chinese."""
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", path):
        app.installTranslator(translator)


def run_gui(services: DeskServices, argv: Sequence[str] | None = None) -> int:
    """The integrity check, then the setup wizard (no operator yet) or the login dialog, then the
    main window; returns the exit code (0 also when the user chose 退出 at setup or login).

    Services already logged in (a caller that logged in itself, tests) skip the login."""
    app = QApplication.instance() or QApplication(list(argv or []))
    install_excepthook()
    app.setApplicationDisplayName(APP_TITLE)
    app.setWindowIcon(app_icon())
    if not app.applicationName():  # keep "xfdesk": it names the data and settings folders
        app.setApplicationName(APP_NAME)
        app.setOrganizationName(ORG_NAME)
    family = pick_cjk_font()
    if family:
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 10.5))
        app.setFont(font)
    _install_translations(app)
    if not recover_if_damaged(services.backups):  # quick check; the full one runs with the daily backup
        return 1
    if services.guard.current is None and not log_in_at_start(services):
        return 0
    if services.stations.get() is None:  # operators created on the command line, no station yet
        dialog = FirstRunDialog(services.stations)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
    window = create_main_window(services)
    window.show()
    _warm_up_fonts(services.data_dir / "fonts")
    start_daily_backup(services, window)
    return app.exec()


def log_in_at_start(services: DeskServices) -> bool:
    """The setup wizard on a desk with no operator yet, else the login dialog; False: 退出."""
    if not services.operators.has_operators():
        from .setup_wizard import SetupWizard

        return SetupWizard(services).exec() == QDialog.DialogCode.Accepted
    from .login_dialog import LoginDialog

    return LoginDialog(services).exec() == QDialog.DialogCode.Accepted


def start_daily_backup(services: DeskServices, window: MainWindow):
    """The day's check and copy on a worker thread; failures in the status bar, damage in a dialog."""
    from .daily_backup import DailyBackup

    daily = DailyBackup(services.backups, window)
    status = window.statusBar()
    daily.sig_done.connect(lambda info: info and status.showMessage(f"已完成今日自动备份：{info.path.name}", 5000))
    daily.sig_failed.connect(lambda message: status.showMessage(message, 120000))
    daily.sig_damaged.connect(lambda report: _damaged_while_open(services, window, report))
    daily.start()
    return daily


def _damaged_while_open(services: DeskServices, window: MainWindow, report) -> None:
    from .recovery_dialog import RecoveryDialog

    if RecoveryDialog(services.backups, report, parent=window).exec() == QDialog.DialogCode.Accepted:
        window.events.sig_matters_changed.emit("")  # the lists show the restored data
    else:
        window.close()


def recover_at_start(exc: BaseException, data_dir: Path, reason: str, argv: Sequence[str] | None = None) -> bool | None:
    """The database could not be opened: offer its backups. True: restored; False: 退出;
    None: not a damaged database (a full disk, a folder it cannot write…) or no backup to offer."""
    from app.services.storage_errors import classify

    from .recovery_dialog import recover_unopenable

    if isinstance(exc, OSError) or classify(exc) is not None:
        return None
    app = QApplication.instance() or QApplication(list(argv or []))
    app.setApplicationDisplayName(APP_TITLE)
    family = pick_cjk_font()
    if family:
        app.setFont(QFont(family))
    return recover_unopenable(data_dir, reason)


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
