"""The login dialog: refusals under 密码, the lockout, the remembered name, the forced password change."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication
from ui_support import press_key, run_gui_to_main_window, type_here, type_text, visible_main_windows

from app.services.security import audit
from app.services.security.permissions import RECEPTIONIST
from app.ui.login_dialog import LAST_OPERATOR_KEY, LoginDialog
from app.ui.password_dialog import MISMATCH, PasswordDialog
from desk_login import TEST_OPERATOR, TEST_PASSWORD

CLERK = "李明"
FIRST_PASSWORD = "chushi-2026"  # set by the administrator: must be changed at the first login
NEW_PASSWORD = "liming-2026"


@pytest.fixture
def desk(services):
    """The test desk with a receptionist just created by the administrator, nobody logged in."""
    services.operators.create_operator(CLERK, frozenset({RECEPTIONIST}), FIRST_PASSWORD)
    services.operators.logout()
    return services


def open_login(qtbot, desk, **kwargs) -> LoginDialog:
    dialog = LoginDialog(desk, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def focused():
    return QApplication.focusWidget()


def audit_actions(desk) -> list[str]:
    desk.login(TEST_OPERATOR, TEST_PASSWORD)  # reading the trail needs the 审计员 role (the test operator has all)
    return [e.action for e in desk.audit.entries()]


def test_wrong_passwords_show_under_the_field_then_lock_the_account(qtbot, desk):
    dialog = open_login(qtbot, desk)
    assert focused() is dialog.name_edit  # no operator remembered yet
    type_here(TEST_OPERATOR)
    press_key(Qt.Key.Key_Return)  # Enter in 操作员 moves on, no complaint
    assert focused() is dialog.password_edit and dialog.message == ""
    for left in (4, 3, 2, 1):
        type_here("wrong-pass1")
        press_key(Qt.Key.Key_Return)
        assert dialog.message == f"用户名或密码错误（还可再试{left}次）"
        assert dialog.password_edit.text() == "" and focused() is dialog.password_edit
        assert dialog.name_edit.text() == TEST_OPERATOR
        assert dialog.isVisible() and desk.guard.current is None
    type_here("wrong-pass1")
    press_key(Qt.Key.Key_Return)
    assert dialog.message.startswith("密码连续输错5次，账号已临时锁定，请于") and dialog.message.endswith("后再试")
    type_here(TEST_PASSWORD)  # even the right password waits for the lock to pass
    press_key(Qt.Key.Key_Return)
    assert dialog.message.startswith("密码连续输错5次") and desk.guard.current is None
    assert dialog.result() != LoginDialog.DialogCode.Accepted
    assert QSettings().value(LAST_OPERATOR_KEY, "") == ""  # nothing remembered from failures


def test_an_unknown_name_and_empty_fields(qtbot, desk):
    dialog = open_login(qtbot, desk)
    press_key(Qt.Key.Key_Return)
    assert dialog.errors["name"].message == "请输入操作员名称" and focused() is dialog.name_edit
    type_here("无此人")
    press_key(Qt.Key.Key_Tab)
    press_key(Qt.Key.Key_Return)
    assert dialog.message == "请输入密码"
    type_here("whatever-1")
    press_key(Qt.Key.Key_Return)
    assert dialog.message == "用户名或密码错误"
    assert dialog.name_edit.text() == "无此人"


def test_success_remembers_the_name_but_never_the_password(qtbot, desk):
    dialog = open_login(qtbot, desk)
    type_here(TEST_OPERATOR)
    press_key(Qt.Key.Key_Return)
    type_here(TEST_PASSWORD)
    press_key(Qt.Key.Key_Return)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.principal.name == TEST_OPERATOR and desk.guard.current == dialog.principal
    settings = QSettings()
    assert settings.value(LAST_OPERATOR_KEY) == TEST_OPERATOR
    assert all(TEST_PASSWORD not in str(settings.value(key)) for key in settings.allKeys())
    desk.operators.logout()

    again = open_login(qtbot, desk)
    assert again.name_edit.text() == TEST_OPERATOR and focused() is again.password_edit
    type_here(TEST_PASSWORD)
    press_key(Qt.Key.Key_Return)
    assert again.result() == LoginDialog.DialogCode.Accepted
    assert audit_actions(desk).count(audit.LOGIN) >= 3


def change_password_when_asked(qtbot, seen: dict, finish: bool = True) -> None:
    """Answer the forced 修改密码 dialog (it runs inside the login dialog's click)."""

    def drive():
        change = QApplication.activeModalWidget()
        if not isinstance(change, PasswordDialog) or not change.isActiveWindow():
            QTimer.singleShot(10, drive)
            return
        seen["forced"] = change.forced
        seen["cancel"] = change.cancel_button.text()
        seen["focus_new"] = QApplication.focusWidget() is change.new_edit
        seen["old_filled"] = change.old_edit.text() == FIRST_PASSWORD
        if not finish:
            press_key(Qt.Key.Key_Escape)
            return
        type_here(NEW_PASSWORD)
        press_key(Qt.Key.Key_Tab)
        type_here("liming-2027")
        press_key(Qt.Key.Key_Return)
        seen["mismatch"] = change.errors["confirm_password"].message
        seen["still_open"] = change.isVisible()
        seen["focus_confirm"] = QApplication.focusWidget() is change.confirm_edit
        press_key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_here(NEW_PASSWORD)
        press_key(Qt.Key.Key_Return)

    QTimer.singleShot(0, drive)


def test_a_first_login_must_change_the_password_at_once(qtbot, desk):
    dialog = open_login(qtbot, desk)
    type_text(dialog.name_edit, CLERK)
    dialog.password_edit.setFocus()
    type_here(FIRST_PASSWORD)
    seen = {}
    change_password_when_asked(qtbot, seen)
    press_key(Qt.Key.Key_Return)  # returns once the forced change is done
    assert seen == {
        "forced": True, "cancel": "退出", "focus_new": True, "old_filled": True,
        "mismatch": MISMATCH, "still_open": True, "focus_confirm": True,
    }
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.principal.name == CLERK and not dialog.principal.must_change_password
    desk.operators.logout()
    assert not desk.login(CLERK, NEW_PASSWORD).must_change_password  # the new password works
    desk.operators.logout()
    assert audit.PASSWORD_CHANGED in audit_actions(desk)


def test_quitting_the_forced_change_logs_out_and_refuses_the_login(qtbot, desk):
    dialog = open_login(qtbot, desk)
    type_text(dialog.name_edit, CLERK)
    dialog.password_edit.setFocus()
    type_here(FIRST_PASSWORD)
    seen = {}
    change_password_when_asked(qtbot, seen, finish=False)
    press_key(Qt.Key.Key_Return)
    assert seen["forced"] is True
    assert dialog.result() == LoginDialog.DialogCode.Rejected and dialog.principal is None
    assert desk.guard.current is None
    desk.login(CLERK, FIRST_PASSWORD)  # the first password still stands, still to be changed
    assert desk.guard.current.must_change_password


def test_the_password_dialog_shows_each_refusal_at_its_field(qtbot, services):
    dialog = PasswordDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert focused() is dialog.old_edit and dialog.cancel_button.text() == "取消"
    type_here("not-my-pass1")
    press_key(Qt.Key.Key_Tab)
    type_here("short1")
    press_key(Qt.Key.Key_Tab)
    type_here("short1")
    press_key(Qt.Key.Key_Return)
    assert dialog.errors["new_password"].message == "密码至少8位" and focused() is dialog.new_edit
    press_key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_here(NEW_PASSWORD)
    press_key(Qt.Key.Key_Tab)
    press_key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_here(NEW_PASSWORD)
    press_key(Qt.Key.Key_Return)
    assert dialog.errors["old_password"].message == "原密码不正确" and focused() is dialog.old_edit
    assert not dialog.errors["new_password"].isVisible()
    assert dialog.new_edit.text() == NEW_PASSWORD  # nothing typed is lost
    type_here(TEST_PASSWORD)  # the wrong old password is selected: typing replaces it
    press_key(Qt.Key.Key_Return)
    assert dialog.result() == PasswordDialog.DialogCode.Accepted
    services.operators.logout()
    services.login(TEST_OPERATOR, NEW_PASSWORD)


def test_run_gui_asks_for_a_login_and_quitting_it_exits_cleanly(qtbot, desk):
    from app.ui.app import run_gui

    seen = {}

    def drive():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog):
            QTimer.singleShot(10, drive)
            return
        seen["title"] = dialog.windowTitle()
        dialog.quit_button.click()

    QTimer.singleShot(0, drive)
    assert run_gui(desk, []) == 0
    assert seen == {"title": "登录 — 信访接待台"}
    assert visible_main_windows() == [] and desk.guard.current is None


def test_run_gui_logs_the_operator_in_then_opens_their_window(qtbot, desk):
    def answer(dialog) -> bool:
        if not (isinstance(dialog, LoginDialog) and dialog.isActiveWindow()):
            return False
        type_here(TEST_OPERATOR)
        press_key(Qt.Key.Key_Return)
        type_here(TEST_PASSWORD)
        press_key(Qt.Key.Key_Return)
        return True

    window = run_gui_to_main_window(desk, answer)
    qtbot.addWidget(window)
    assert window.windowTitle().endswith("当前操作员：测试员")
    assert desk.guard.current.name == TEST_OPERATOR
