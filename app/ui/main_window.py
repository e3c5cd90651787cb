"""The main window: four tabs (今日, 来访登记, 信访件, 统计), a menu and a status bar; the pages do the work.

Only the tabs the logged-in operator may use are built (来访登记: register; 今日 and 信访件: view;
统计: statistics); an operator with none of them (an administrator or auditor only) gets a short
explanation and the menus. The 账户 menu changes the password, locks the screen (Ctrl+L; also
after idle time, see idle_lock.py) and logs out; when another operator logs in, a new window is
built for them (`sig_replaced`) and this one closes, so nothing of the previous session stays.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QTabWidget, QWidget

from app.services.context import DeskServices
from app.version import VERSION
from app.services.security.guard import Principal
from app.services.security.permissions import (
    AUDIT,
    BACKUP,
    OPERATORS,
    REGISTER,
    SETTINGS,
    STATISTICS,
    SYNC,
    VIEW,
    role_labels,
)

from .events import AppEvents
from .idle_lock import IdleLock
from .matter_list_page import MatterListPage
from .print_preview import DocumentPreviewDialog, print_slip_after_save
from .print_settings import PrintSettingsDialog
from .registration_page import RegistrationPage
from .statistics_page import StatisticsPage
from .sync_settings import SyncSettingsDialog
from .sync_status import SyncStatusWidget
from .sync_worker import SyncScheduler
from .today_page import TodayPage

APP_TITLE = "信访接待台"
STATUS_TIMEOUT_MS = 15000


def window_title(station_name: str, operator: str) -> str:
    return f"{APP_TITLE} {VERSION} — {station_name} — 当前操作员：{operator}"


class MainWindow(QMainWindow):
    """Built for the operator logged in on `services`; `idle_timeout_ms` overrides the
    `security.idle_lock_minutes` setting (tests)."""

    sig_replaced = Signal(object)  # the MainWindow built for the operator who logged in after this one

    def __init__(
        self,
        services: DeskServices,
        events: AppEvents | None = None,
        parent: QWidget | None = None,
        *,
        idle_timeout_ms: int | None = None,
    ):
        super().__init__(parent)
        self.services = services
        self.events = events or AppEvents()
        self.events.setParent(self)
        self.preview: DocumentPreviewDialog | None = None  # the slip preview opened after a save
        self.successor: MainWindow | None = None  # set when another operator took over
        station = services.stations.require()
        self.principal: Principal = services.guard.principal()
        self.setWindowTitle(window_title(station.name, self.principal.name))
        self.resize(1400, 900)

        can = self.principal.can
        self.registration_page = RegistrationPage(services) if can(REGISTER) else None
        self.matter_list_page = MatterListPage(services) if can(VIEW) else None
        self.today_page = TodayPage(services, self.events) if can(VIEW) else None  # the home page
        self.statistics_page = StatisticsPage(services, self.events) if can(STATISTICS) else None  # counts when shown
        self.tabs = QTabWidget()
        self.tabs.setObjectName("main_tabs")
        for page, text, tip in (
            (self.today_page, "今日", "今日概况：登记、到期、超期、待评价、待同步（Alt+0）"),
            (self.registration_page, "来访登记", "来访登记（Alt+1）"),
            (self.matter_list_page, "信访件", "信访件（Alt+2）"),
            (self.statistics_page, "统计", "统计：按月、季度、年或自定义期间统计，点击数字查看信访件（Alt+3）"),
        ):
            if page is not None:
                self.tabs.setTabToolTip(self.tabs.addTab(page, text), tip)
        self.no_pages: QLabel | None = None
        if self.tabs.count():
            self.setCentralWidget(self.tabs)
        else:
            self.no_pages = _no_pages_page(self.principal)
            self.setCentralWidget(self.no_pages)

        self.station_label = QLabel(f"接待站：{station.name}（{station.code}）")
        self.station_label.setObjectName("station_label")
        self.statusBar().addPermanentWidget(self.station_label)
        self.sync = SyncScheduler(services, self.events, self)
        self.sync_status = SyncStatusWidget(services, self.sync, self.events)
        self.statusBar().addPermanentWidget(self.sync_status)
        self.idle_lock = IdleLock(self, services, idle_timeout_ms)
        self.idle_lock.sig_switch_requested.connect(self.log_out)
        self._build_menu()

        if self.registration_page is not None:
            self.registration_page.form.sig_saved.connect(self._on_saved)
            self.registration_page.sig_matter_changed.connect(self.events.sig_matters_changed)
        if self.matter_list_page is not None:
            self.events.sig_matters_changed.connect(lambda _number: self.matter_list_page.refresh())
            self.matter_list_page.sig_matter_changed.connect(self.events.sig_matters_changed)  # today, sync
        self.tabs.currentChanged.connect(self._on_tab_changed)
        if self.today_page is not None:
            self.today_page.sig_open_list.connect(self.open_special_list)
            self.sync.sig_sync_finished.connect(lambda *_args: self.today_page.refresh())  # 待同步 moves
        if self.statistics_page is not None:
            self.statistics_page.sig_open_cell.connect(self.open_cell_list)
        self._on_tab_changed(self.tabs.currentIndex())  # the first page takes the keyboard
        if can(SYNC):
            self.sync.start()
        else:  # nothing this operator may send: no sync runs, no sync status shown
            self.sync.shutdown()
            self.sync_status.setVisible(False)

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        export_action = QAction("导出离线包(&E)…", self)
        export_action.setObjectName("action_export_bundle")
        export_action.setToolTip("把尚未上报的记录导出为签名文件，用U盘交县级导入（长时间断网时）")
        export_action.triggered.connect(self.export_bundle)
        file_menu.addAction(export_action)
        file_menu.addSeparator()
        quit_action = QAction("退出(&X)", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("视图(&V)")
        tabs = (
            (self.today_page, "今日", "Alt+0"), (self.registration_page, "来访登记", "Alt+1"),
            (self.matter_list_page, "信访件", "Alt+2"), (self.statistics_page, "统计", "Alt+3"),
        )
        for page, text, key in tabs:
            if page is None:  # a tab this operator does not have
                continue
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, p=page: self.show_tab(self.tabs.indexOf(p)))
            view_menu.addAction(action)
            self.addAction(action)
        view_menu.addSeparator()
        leaders_action = QAction("领导接访安排(&L)…", self)
        leaders_action.setObjectName("action_leaders")
        leaders_action.setToolTip("哪些领导在哪几天接访，各位领导接访和包案的信访件")
        leaders_action.triggered.connect(self.open_leaders)
        view_menu.addAction(leaders_action)
        settings_menu = self.menuBar().addMenu("设置(&S)")
        settings_action = QAction("单位与文书设置(&D)…", self)
        settings_action.setObjectName("action_print_settings")
        settings_action.triggered.connect(self.open_print_settings)
        settings_menu.addAction(settings_action)
        sync_action = QAction("同步设置(&Y)…", self)
        sync_action.setObjectName("action_sync_settings")
        sync_action.triggered.connect(self.open_sync_settings)
        settings_menu.addAction(sync_action)
        tools_menu = self.menuBar().addMenu("工具(&T)")
        backup_action = self._menu_action(tools_menu, "备份与恢复(&B)…", "action_backups", self.open_backups,
                                          tip="立即备份、查看备份，或从备份恢复数据")
        self._build_account_menus()
        help_menu = self.menuBar().addMenu("帮助(&H)")
        help_menu.menuAction().setObjectName("menu_help")
        self._menu_action(help_menu, "关于信访接待台(&A)…", "action_about", self.open_about,
                          tip="版本号、Qt 与 Python 版本、数据目录")
        # What the operator may not do is not offered (the services refuse it anyway).
        can = self.principal.can
        leaders_action.setVisible(can(VIEW) or can(SETTINGS))
        export_action.setVisible(can(SYNC))
        sync_action.setVisible(can(SETTINGS))
        backup_action.setVisible(can(BACKUP))
        for menu in (view_menu, tools_menu):
            menu.menuAction().setVisible(any(a.isVisible() and not a.isSeparator() for a in menu.actions()))

    def _build_account_menus(self) -> None:
        account_menu = self.menuBar().addMenu("账户(&A)")
        self._menu_action(account_menu, "修改密码(&P)…", "action_change_password", self.change_password)
        self._menu_action(account_menu, "锁定屏幕(&L)", "action_lock_screen", self.idle_lock.lock,
                          tip="离开座位时锁定，输入密码后继续（已填写的内容保留）", shortcut="Ctrl+L")
        account_menu.addSeparator()
        self._menu_action(account_menu, "退出登录(&O)", "action_log_out", self.log_out,
                          tip="退出当前操作员，由本人或其他操作员重新登录")
        admin_menu = self.menuBar().addMenu("管理(&M)")
        admin_menu.setObjectName("menu_admin")
        operators_action = self._menu_action(admin_menu, "操作员管理(&O)…", "action_operators", self.open_operators,
                                             tip="新建操作员、分配角色、停用账号、重设密码")
        operators_action.setVisible(self.principal.can(OPERATORS))
        audit_action = self._menu_action(admin_menu, "审计日志(&U)…", "action_audit", self.open_audit,
                                         tip="查看和核验审计日志")
        audit_action.setVisible(self.principal.can(AUDIT))
        admin_menu.menuAction().setVisible(operators_action.isVisible() or audit_action.isVisible())

    def _menu_action(self, menu, text: str, name: str, slot, *, tip: str = "", shortcut: str = "") -> QAction:
        """A named menu entry; with a shortcut it works anywhere in this window."""
        action = QAction(text, self)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        menu.addAction(action)
        return action

    # --- account ----------------------------------------------------------------------------

    def change_password(self):
        """修改密码, window-modal and non-blocking; deletes itself when closed."""
        from .password_dialog import PasswordDialog

        dialog = PasswordDialog(self.services, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.statusBar().showMessage("密码已修改", STATUS_TIMEOUT_MS))
        dialog.open()
        return dialog

    def log_out(self) -> MainWindow | None:
        """退出登录 (and 切换操作员 on the lock panel): cover the window, log out, ask for a login.
        The same operator gets this window back as it was; another one gets a new window
        (returned; `sig_replaced`); 退出 closes the window (and so quits)."""
        from .login_dialog import LoginDialog

        previous = self.services.guard.current
        self.idle_lock.cover_all()
        self.idle_lock.hide_panel()
        self.services.operators.logout()
        dialog = LoginDialog(self.services, self, intro="已退出登录。请登录以继续使用本机（其他操作员请输入自己的名称）。")
        dialog.name_edit.selectAll()
        dialog.name_edit.setFocus()
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.principal is None:
            self.close()
            return None
        if previous is not None and dialog.principal.operator_id == previous.operator_id:
            self.idle_lock.release()
            return self
        return self._hand_over(previous, dialog.principal)

    def _hand_over(self, previous: Principal | None, principal: Principal) -> MainWindow:
        """Another operator logged in: a new window built for their roles; this one closes.
        The previous operator's unsaved registration is set aside for them (and theirs restored)."""
        from .draft_store import park_draft, unpark_draft
        from .registration_form import DRAFT_FILE

        draft = self.services.data_dir / DRAFT_FILE
        if self.registration_page is not None:
            self.registration_page.form.flush_draft()
        if previous is not None:
            park_draft(draft, str(previous.operator_id))
        unpark_draft(draft, str(principal.operator_id))
        for widget in QApplication.topLevelWidgets():  # the previous session's dialogs
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        successor = MainWindow(self.services, AppEvents(), idle_timeout_ms=self.idle_lock.timeout_ms)
        successor.setGeometry(self.geometry())
        if self.isMaximized():
            successor.showMaximized()
        else:
            successor.show()
        successor.activateWindow()
        self.successor = successor
        self.idle_lock.shutdown()
        self.sig_replaced.emit(successor)
        self.close()
        self.deleteLater()
        return successor

    # --- administration ---------------------------------------------------------------------

    def open_operators(self):
        """操作员管理 (administrators only), modal."""
        from .operators_dialog import OperatorsDialog

        dialog = OperatorsDialog(self.services, self)
        dialog.exec()
        return dialog

    def open_audit(self):
        """审计日志 (auditors only), modal."""
        from .audit_viewer import AuditViewerDialog

        dialog = AuditViewerDialog(self.services, self)
        dialog.exec()
        return dialog

    def open_about(self):
        """关于信访接待台, window-modal and non-blocking; deletes itself when closed."""
        from .about_dialog import AboutDialog

        dialog = AboutDialog(self.services.data_dir, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_print_settings(self) -> PrintSettingsDialog:
        """Window-modal, non-blocking; deletes itself when closed."""
        dialog = PrintSettingsDialog(self.services, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_sync_settings(self) -> SyncSettingsDialog:
        """Window-modal, non-blocking; a saved address or token restarts the sync."""
        dialog = SyncSettingsDialog(self.services, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_saved.connect(self.sync.config_changed)
        dialog.open()
        return dialog

    def open_leaders(self):
        """领导接访安排, window-modal and non-blocking; schedule changes reload the form's 接访领导 list."""
        from .leaders_dialog import show_leaders

        dialog = show_leaders(self.services, self)
        if self.registration_page is not None:
            dialog.sig_changed.connect(self.registration_page.form.refresh_leaders)
        dialog.sig_matter_changed.connect(self.events.sig_matters_changed)
        return dialog

    def open_backups(self):
        """备份与恢复, window-modal and non-blocking; after a restore every page shows the restored data."""
        from .backup_dialog import show_backups

        dialog = show_backups(self.services, self, self.events)  # a restore emits sig_matters_changed
        dialog.sig_restored.connect(self._after_restore)
        return dialog

    def _after_restore(self) -> None:
        page = self.registration_page
        if page is not None:
            page.form.refresh_leaders()
            page.history.lookup(*page.form.petitioner.identity())
        self.statusBar().showMessage("已从备份恢复数据", STATUS_TIMEOUT_MS)

    def export_bundle(self):
        from .sync_export import ask_and_export

        return ask_and_export(self.services, self)

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self._on_tab_changed(index)

    def open_special_list(self, special: str, label: str, today=None) -> None:
        """A today tile was clicked: the 信访件 tab, showing that tile's list."""
        if self.matter_list_page is None:
            return
        self.matter_list_page.show_special(special, label, today)
        self.show_tab(self.tabs.indexOf(self.matter_list_page))

    def open_cell_list(self, drill) -> None:
        """A statistics number was clicked: the 信访件 tab, showing the matters it counts."""
        if self.matter_list_page is None:
            return
        self.matter_list_page.show_cell(drill.cell, drill.label, form=drill.form)
        self.show_tab(self.tabs.indexOf(self.matter_list_page))

    def _on_tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if page is None:
            return
        if page is self.today_page:
            self.today_page.focus_primary()
        elif page is self.registration_page:
            self.registration_page.focus_primary()
        elif page is self.matter_list_page:
            self.matter_list_page.focus_search()
        elif page is self.statistics_page:
            self.statistics_page.focus_primary()

    def _on_saved(self, number: str) -> None:
        self.statusBar().showMessage(f"已登记：{number}", STATUS_TIMEOUT_MS)
        self.events.sig_matters_changed.emit(number)
        printed, preview = print_slip_after_save(self.services, number, self, actor=self.registration_page.form.actor)
        if printed:
            self.statusBar().showMessage(f"已登记：{number}；{printed}", STATUS_TIMEOUT_MS)
        if preview is not None:
            self.preview = preview
            preview.finished.connect(self._on_preview_closed)

    def _on_preview_closed(self, _result: int) -> None:
        """Back to the form for the next visitor (Qt does not always re-activate the window itself)."""
        self.preview = None
        self.activateWindow()
        if self.registration_page is not None and self.tabs.currentWidget() is self.registration_page:
            self.registration_page.focus_primary()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self.registration_page is not None:
            self.registration_page.form.flush_draft()
        self.idle_lock.shutdown()
        self.sync.shutdown()
        super().closeEvent(event)


def _no_pages_page(principal: Principal) -> QLabel:
    """For an operator whose roles open no tab (an administrator or auditor only)."""
    can = principal.can
    offers = [text for allowed, text in (
        (can(OPERATORS), "“管理 → 操作员管理…”：新建操作员、分配角色、重设密码"),
        (can(AUDIT), "“管理 → 审计日志…”：查看和核验审计日志"),
        (can(BACKUP), "“工具 → 备份与恢复…”：立即备份或从备份恢复"),
        (can(SETTINGS), "“设置”：单位与文书、同步设置"),
    ) if allowed]
    lines = [
        f"操作员“{principal.name}”（{role_labels(principal.roles) or '无角色'}）不能登记、查看或统计信访件。",
        "如需这些功能，请管理员在“操作员管理”中增加角色（接待员、承办人、领导、统计员）。",
    ]
    if offers:
        lines += ["", "可使用菜单：", *(f"· {text}" for text in offers)]
    label = QLabel("\n".join(lines))
    label.setObjectName("no_pages")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setMargin(40)
    return label
