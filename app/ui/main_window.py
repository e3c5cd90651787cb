"""The main window: four tabs (今日, 来访登记, 信访件, 统计), a menu and a status bar; the pages do the work."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from app.services.context import DeskServices

from .events import AppEvents
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


class MainWindow(QMainWindow):
    def __init__(self, services: DeskServices, events: AppEvents | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.events = events or AppEvents()
        self.events.setParent(self)
        self.preview: DocumentPreviewDialog | None = None  # the slip preview opened after a save
        station = services.stations.require()
        self.setWindowTitle(f"{APP_TITLE} — {station.name}")
        self.resize(1400, 900)

        self.registration_page = RegistrationPage(services)
        self.matter_list_page = MatterListPage(services)
        self.today_page = TodayPage(services, self.events)  # the home page
        self.statistics_page = StatisticsPage(services, self.events)  # counts when first shown
        self.tabs = QTabWidget()
        self.tabs.setObjectName("main_tabs")
        self.tabs.addTab(self.today_page, "今日")
        self.tabs.addTab(self.registration_page, "来访登记")
        self.tabs.addTab(self.matter_list_page, "信访件")
        self.tabs.addTab(self.statistics_page, "统计")
        self.tabs.setTabToolTip(0, "今日概况：登记、到期、超期、待评价、待同步（Alt+0）")
        self.tabs.setTabToolTip(1, "来访登记（Alt+1）")
        self.tabs.setTabToolTip(2, "信访件（Alt+2）")
        self.tabs.setTabToolTip(3, "统计：按月、季度、年或自定义期间统计，点击数字查看信访件（Alt+3）")
        self.setCentralWidget(self.tabs)

        self.station_label = QLabel(f"接待站：{station.name}（{station.code}）")
        self.station_label.setObjectName("station_label")
        self.statusBar().addPermanentWidget(self.station_label)
        self.sync = SyncScheduler(services, self.events, self)
        self.sync_status = SyncStatusWidget(services, self.sync, self.events)
        self.statusBar().addPermanentWidget(self.sync_status)
        self._build_menu()

        self.registration_page.form.sig_saved.connect(self._on_saved)
        self.events.sig_matters_changed.connect(lambda _number: self.matter_list_page.refresh())
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.today_page.sig_open_list.connect(self.open_special_list)
        self.statistics_page.sig_open_cell.connect(self.open_cell_list)
        self.matter_list_page.sig_matter_changed.connect(self.events.sig_matters_changed)  # today, sync
        self.registration_page.sig_matter_changed.connect(self.events.sig_matters_changed)
        self.sync.sig_sync_finished.connect(lambda *_args: self.today_page.refresh())  # 待同步 moves
        self.today_page.focus_primary()
        self.sync.start()

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
        tabs = (("今日", "Alt+0"), ("来访登记", "Alt+1"), ("信访件", "Alt+2"), ("统计", "Alt+3"))
        for index, (text, key) in enumerate(tabs):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, i=index: self.show_tab(i))
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
        dialog.sig_changed.connect(self.registration_page.form.refresh_leaders)
        dialog.sig_matter_changed.connect(self.events.sig_matters_changed)
        return dialog

    def export_bundle(self):
        from .sync_export import ask_and_export

        return ask_and_export(self.services, self)

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self._on_tab_changed(index)

    def open_special_list(self, special: str, label: str, today=None) -> None:
        """A today tile was clicked: the 信访件 tab, showing that tile's list."""
        self.matter_list_page.show_special(special, label, today)
        self.show_tab(self.tabs.indexOf(self.matter_list_page))

    def open_cell_list(self, drill) -> None:
        """A statistics number was clicked: the 信访件 tab, showing the matters it counts."""
        self.matter_list_page.show_cell(drill.cell, drill.label, form=drill.form)
        self.show_tab(self.tabs.indexOf(self.matter_list_page))

    def _on_tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
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
        if self.tabs.currentWidget() is self.registration_page:
            self.registration_page.focus_primary()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.registration_page.form.flush_draft()
        self.sync.shutdown()
        super().closeEvent(event)
