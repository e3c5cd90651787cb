"""The idle lock: covers the window after the (injected) idle time, keeps what was typed, asks for the
operator's password; Ctrl+L; 切换操作员 builds a new window for another operator."""
from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from ui_support import press_key, type_here

from app.services.security import audit
from app.services.security.permissions import RECEPTIONIST
from app.ui.draft_store import DraftStore
from app.ui.events import AppEvents
from app.services.security.idle import DEFAULT_IDLE_MINUTES, IDLE_MINUTES_KEY
from app.ui.idle_lock import Cover
from app.ui.login_dialog import LoginDialog
from app.ui.main_window import MainWindow
from app.ui.registration_form import DRAFT_FILE
from desk_login import TEST_OPERATOR, TEST_PASSWORD

CLERK, CLERK_PASSWORD = "李明", "liming-2026"


@pytest.fixture
def windows(qtbot):
    """Main windows made by a test; closed at the end unless a switch of operator deleted them."""
    made: list[MainWindow] = []
    yield made
    for window in made:
        if shiboken6.isValid(window):
            window.close()
            window.deleteLater()


def open_window(qtbot, services, windows, idle_ms: int = 0) -> MainWindow:
    window = MainWindow(services, AppEvents(), idle_timeout_ms=idle_ms)
    windows.append(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def focused():
    return QApplication.focusWidget()


def type_visitor_name(window: MainWindow, name: str = "张三"):
    press_key(Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # 来访登记
    name_edit = window.registration_page.form.petitioner.name_edit
    assert focused() is name_edit
    type_here(name)
    return name_edit


def draft_name(services) -> str | None:
    values = DraftStore(services.data_dir / DRAFT_FILE, services.guard.cipher).load()  # sealed on disk
    return None if values is None else values.get("petitioners[0].name")


def test_idle_time_covers_the_window_and_only_the_password_unlocks_it(qtbot, services, windows):
    window = open_window(qtbot, services, windows)
    name_edit = type_visitor_name(window)
    lock = window.idle_lock
    lock.set_timeout_ms(300)
    qtbot.waitUntil(lambda: lock.locked, timeout=3000)

    # Nothing of the matters stays on screen; the panel takes the keyboard.
    assert not window.tabs.isVisible()
    assert lock.cover.isVisible() and lock.cover.geometry() == window.rect()  # menu and status bar too
    assert not window.menuBar().isEnabled()
    panel = lock.panel
    assert panel.name_label.text() == TEST_OPERATOR
    assert QApplication.activeModalWidget() is panel
    qtbot.waitUntil(lambda: focused() is panel.password_edit)
    # While locked, the draft store keeps working on what was typed.
    qtbot.waitUntil(lambda: draft_name(services) == "张三", timeout=5000)

    press_key(Qt.Key.Key_Escape)  # Esc does not unlock
    assert lock.locked and panel.isVisible()
    type_here("wrong-pass1")
    press_key(Qt.Key.Key_Return)
    assert panel.error.message == "用户名或密码错误（还可再试4次）"
    assert lock.locked and panel.password_edit.text() == "" and focused() is panel.password_edit
    type_here(TEST_PASSWORD)
    press_key(Qt.Key.Key_Return)

    assert not lock.locked and lock.cover is None
    assert window.tabs.isVisible() and window.menuBar().isEnabled()
    assert window.tabs.currentWidget() is window.registration_page
    assert name_edit.text() == "张三"  # exactly as typed
    qtbot.waitUntil(lambda: focused() is name_edit)  # the keyboard goes back where it was
    assert not [c for c in window.findChildren(Cover) if c.isVisible()]
    watched = (audit.SCREEN_LOCKED, audit.LOGIN_FAILED, audit.SCREEN_UNLOCKED)
    actions = [e.action for e in services.audit.entries(operator=TEST_OPERATOR) if e.action in watched]
    assert actions == [audit.SCREEN_UNLOCKED, audit.LOGIN_FAILED, audit.SCREEN_LOCKED]  # newest first


def test_ctrl_l_locks_at_once_and_open_dialogs_are_covered_not_closed(qtbot, services, windows):
    window = open_window(qtbot, services, windows)
    press_key(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    lock = window.idle_lock
    assert lock.locked
    qtbot.waitUntil(lambda: focused() is lock.panel.password_edit)
    type_here(TEST_PASSWORD)
    press_key(Qt.Key.Key_Return)
    assert not lock.locked

    dialog = window.change_password()  # a window-modal dialog, something typed in it
    qtbot.waitUntil(dialog.isActiveWindow)
    type_here("half-typed")
    lock.lock()  # what the idle timer does
    covers = [c for c in dialog.findChildren(Cover) if c.isVisible()]
    assert len(covers) == 1 and covers[0].geometry() == dialog.rect()
    assert dialog.isVisible()  # covered, not closed
    panel = lock.panel
    assert QApplication.activeModalWidget() is panel  # newest modal: typing reaches it
    qtbot.waitUntil(lambda: focused() is panel.password_edit)
    type_here(TEST_PASSWORD)
    press_key(Qt.Key.Key_Return)
    assert not lock.locked
    qtbot.waitUntil(lambda: not [c for c in dialog.findChildren(Cover) if shiboken6.isValid(c) and c.isVisible()])
    assert dialog.isVisible() and dialog.old_edit.text() == "half-typed"
    dialog.reject()


def test_the_idle_time_comes_from_the_setting(qtbot, services, windows):
    def timeout_ms(value: str | None) -> int:
        if value is not None:
            services.settings.change({IDLE_MINUTES_KEY: value})
        window = MainWindow(services, AppEvents())
        windows.append(window)
        return window.idle_lock.timeout_ms

    assert timeout_ms(None) == DEFAULT_IDLE_MINUTES * 60_000
    assert timeout_ms("3") == 180_000
    assert timeout_ms("半小时") == DEFAULT_IDLE_MINUTES * 60_000  # a damaged value: the default
    assert timeout_ms("0") == 0  # never by itself
    window = windows[-1]
    window.show()
    assert not window.idle_lock.timer.isActive()
    qtbot.wait(200)
    assert not window.idle_lock.locked


def log_in_when_asked(name: str, password: str, seen: dict) -> None:
    """Answer the login dialog that 切换操作员 / 退出登录 opens (it runs inside the click)."""

    def drive():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog) or not dialog.isActiveWindow():
            QTimer.singleShot(10, drive)
            return
        seen["intro"] = dialog.intro.text()
        seen["name_focused"] = QApplication.focusWidget() is dialog.name_edit
        type_here(name)  # the remembered name is selected: typing replaces it
        press_key(Qt.Key.Key_Return)
        type_here(password)
        press_key(Qt.Key.Key_Return)

    QTimer.singleShot(0, drive)


def test_switching_operator_builds_a_new_window_without_the_previous_session(qtbot, services, windows):
    services.operators.create_operator(CLERK, frozenset({RECEPTIONIST}), "chushi-2026")
    services.operators.logout()
    services.login(CLERK, "chushi-2026")
    services.operators.change_password("chushi-2026", CLERK_PASSWORD)
    services.operators.logout()
    services.login(TEST_OPERATOR, TEST_PASSWORD)

    window = open_window(qtbot, services, windows)
    assert window.windowTitle().endswith("当前操作员：测试员")
    type_visitor_name(window)
    press_key(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    seen = {}
    log_in_when_asked(CLERK, CLERK_PASSWORD, seen)
    window.idle_lock.panel.switch_button.click()  # returns after the login

    successor = window.successor
    assert successor is not None
    windows.append(successor)
    assert seen["name_focused"] and seen["intro"].startswith("已退出登录")
    assert services.guard.current.name == CLERK
    assert successor.isVisible() and not window.isVisible()
    assert successor.windowTitle().endswith("当前操作员：李明")
    assert not successor.idle_lock.locked
    form = successor.registration_page.form
    assert form.petitioner.name_edit.text() == ""  # nothing of the previous operator's session
    assert successor.statistics_page is None  # a receptionist's tabs
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))  # the old window is gone

    # 账户 → 退出登录, and the first operator again: their unsaved visitor comes back.
    seen.clear()
    log_in_when_asked(TEST_OPERATOR, TEST_PASSWORD, seen)
    third = successor.log_out()
    windows.append(third)
    assert third is not successor and third.windowTitle().endswith("当前操作员：测试员")
    assert third.registration_page.form.petitioner.name_edit.text() == "张三"
    actions = [e.action for e in services.audit.entries(action=audit.LOGOUT)]
    assert len(actions) >= 2


def test_logging_out_and_back_in_as_the_same_operator_keeps_the_window(qtbot, services, windows):
    window = open_window(qtbot, services, windows)
    name_edit = type_visitor_name(window, "王五")
    seen = {}
    log_in_when_asked(TEST_OPERATOR, TEST_PASSWORD, seen)
    assert window.log_out() is window
    assert window.successor is None and not window.idle_lock.locked
    assert window.tabs.isVisible() and name_edit.text() == "王五"
