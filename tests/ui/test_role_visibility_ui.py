"""The main window shows each operator only the tabs and menus their roles allow."""
from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.services.context import DeskServices
from app.services.security.permissions import ADMIN, AUDITOR, HANDLER, LEADER, RECEPTIONIST, STATISTICIAN
from app.ui.app import create_main_window
from app.ui.main_window import MainWindow
from desk_login import TEST_OPERATOR, TEST_PASSWORD, ready
from ui_support import STATION_CODE, STATION_NAME

PASSWORD = "mima-2026x"


@pytest.fixture
def admin_desk(tmp_path):
    """A desk whose first operator is an administrator only (no matter work at all)."""
    desk = ready(DeskServices.open(tmp_path), roles=frozenset({ADMIN}))
    desk.stations.initialise(STATION_CODE, STATION_NAME, "县")
    yield desk
    desk.close()


@pytest.fixture
def made(qtbot):
    windows: list[MainWindow] = []
    yield windows
    for window in windows:
        if shiboken6.isValid(window):
            window.close()
            window.deleteLater()


def window_as(desk, made, name: str, roles: set[str]) -> MainWindow:
    """Log in as a new operator holding exactly `roles` and build their window."""
    if name != TEST_OPERATOR:
        desk.login(TEST_OPERATOR, TEST_PASSWORD)  # the administrator creates the account
        desk.operators.create_operator(name, frozenset(roles), PASSWORD)
        desk.login(name, PASSWORD)
    window = create_main_window(desk)
    made.append(window)
    window.show()
    return window


def tab_names(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def menu_titles(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menuBar().actions() if a.isVisible()]


def action(window: MainWindow, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def test_a_receptionist_registers_but_sees_no_statistics_and_no_admin_menu(admin_desk, made):
    window = window_as(admin_desk, made, "接待甲", {RECEPTIONIST})
    assert tab_names(window) == ["今日", "来访登记", "信访件"]
    assert window.statistics_page is None and window.no_pages is None
    assert "管理(&M)" not in menu_titles(window)
    assert not window.findChild(QMenu, "menu_admin").menuAction().isVisible()
    assert {"账户(&A)", "文件(&F)", "视图(&V)"} <= set(menu_titles(window))
    assert not action(window, "action_backups").isVisible()
    assert action(window, "action_export_bundle").isVisible()  # a receptionist may sync
    assert window.windowTitle().endswith("当前操作员：接待甲")


def test_a_statistician_sees_statistics_but_cannot_register(admin_desk, made):
    window = window_as(admin_desk, made, "统计乙", {STATISTICIAN})
    assert tab_names(window) == ["今日", "信访件", "统计"]
    assert window.registration_page is None
    assert window.tabs.currentWidget() is window.today_page
    window.show_tab(window.tabs.indexOf(window.statistics_page))
    assert window.tabs.currentWidget() is window.statistics_page
    assert not window.sync_status.isVisible()  # no sync permission: no sync runs
    assert "管理(&M)" not in menu_titles(window)


def test_a_leader_and_a_handler(admin_desk, made):
    leader = window_as(admin_desk, made, "领导丙", {LEADER})
    assert tab_names(leader) == ["今日", "信访件", "统计"]
    handler = window_as(admin_desk, made, "承办丁", {HANDLER})
    assert tab_names(handler) == ["今日", "信访件"]


def test_an_auditor_sees_the_audit_log_and_nothing_of_the_matters(admin_desk, made):
    window = window_as(admin_desk, made, "审计戊", {AUDITOR})
    assert tab_names(window) == [] and window.centralWidget() is window.no_pages
    assert "不能登记、查看或统计信访件" in window.no_pages.text()
    assert "管理 → 审计日志" in window.no_pages.text()
    assert "管理(&M)" in menu_titles(window)
    assert action(window, "action_audit").isVisible()
    assert not action(window, "action_operators").isVisible()
    assert window.today_page is None and window.matter_list_page is None


def test_an_administrator_only_gets_a_working_window_with_the_admin_menu(admin_desk, made):
    window = window_as(admin_desk, made, TEST_OPERATOR, {ADMIN})
    assert tab_names(window) == [] and window.centralWidget() is window.no_pages
    assert "操作员管理" in window.no_pages.text()
    assert action(window, "action_operators").isVisible()
    assert not action(window, "action_audit").isVisible()
    assert action(window, "action_backups").isVisible()
    assert action(window, "action_sync_settings").isVisible()
    window.show_tab(0)  # no tab at all: nothing breaks
    window.idle_lock.lock()
    assert window.idle_lock.locked and not window.no_pages.isVisible()
    assert window.idle_lock.try_unlock("wrong-pass1") is False
    window.idle_lock.release()
    assert window.no_pages.isVisible()
