"""The first-run setup wizard, driven from the keyboard: station, first administrator, recovery code."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from ui_support import STATION_CODE, STATION_NAME, press_key, run_gui_to_main_window, type_here

from app.services.context import DeskServices
from app.services.security.permissions import ADMIN, RECEPTIONIST, STATISTICIAN
from app.sync import config as sync_config
from app.ui.setup_wizard import ADMIN_PAGE, MISMATCH, NOT_COPIED, RECOVERY_PAGE, STATION_PAGE, SetupWizard
from app.version import VERSION

ADMIN_NAME = "王芳"
ADMIN_PASSWORD = "wangfang-2026"
SERVER = "https://xf.example.gov.cn"


@pytest.fixture
def new_desk(tmp_path):
    """A brand-new database: no station, no operator, nobody logged in."""
    desk = DeskServices.open(tmp_path)
    yield desk
    desk.close()


def open_wizard(qtbot, desk) -> SetupWizard:
    wizard = SetupWizard(desk)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    return wizard


def focused():
    return QApplication.focusWidget()


def enter() -> None:
    press_key(Qt.Key.Key_Return)


def tab() -> None:
    press_key(Qt.Key.Key_Tab)


def retype(text: str) -> None:
    """Select what the focused field holds and type over it."""
    press_key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_here(text)


def test_the_wizard_sets_up_station_admin_and_a_recovery_code_that_really_recovers(qtbot, new_desk):
    wizard = open_wizard(qtbot, new_desk)
    assert wizard.page == STATION_PAGE
    assert wizard.step_label.text() == "第1步，共3步：接待站"
    assert focused() is wizard.code_edit

    # Page 1: errors at their fields, nothing typed is lost.
    type_here("36-04")
    enter()
    assert wizard.page == STATION_PAGE
    assert wizard.station_errors["station_code"].message == "接待站代码应为2至20位字母或数字（如行政区划代码）"
    assert wizard.station_errors["station_name"].message == "请填写接待站名称"
    assert focused() is wizard.code_edit
    retype(STATION_CODE)
    tab()
    assert focused() is wizard.name_edit
    type_here(STATION_NAME)
    tab()
    assert focused() is wizard.level_combo
    tab()
    assert focused() is wizard.url_edit
    type_here("xf.example.gov.cn")
    enter()
    assert wizard.page == STATION_PAGE
    assert not wizard.station_errors["station_code"].isVisible()
    assert wizard.station_errors["server_url"].message.startswith("服务器地址应以 http:// 或 https:// 开头")
    assert focused() is wizard.url_edit
    retype(SERVER)
    enter()
    assert wizard.page == ADMIN_PAGE
    assert wizard.step_label.text() == "第2步，共3步：首位管理员"
    assert new_desk.stations.get() is None  # nothing is written before the administrator exists

    # Page 2: a short password, then a mismatch, at their fields; nothing created meanwhile.
    assert focused() is wizard.admin_edit
    assert wizard.roles() == {ADMIN, RECEPTIONIST}
    assert not wizard.role_boxes[ADMIN].isEnabled()
    type_here(ADMIN_NAME)
    tab()
    type_here("abc123")
    tab()
    type_here("abc123")
    enter()
    assert wizard.page == ADMIN_PAGE
    assert wizard.admin_errors["password"].message == "密码至少8位"
    assert focused() is wizard.password_edit
    assert not new_desk.operators.has_operators()
    retype(ADMIN_PASSWORD)
    tab()
    retype("wangfang-2025")
    enter()
    assert wizard.admin_errors["confirm_password"].message == MISMATCH
    assert not wizard.admin_errors["password"].isVisible()
    assert focused() is wizard.confirm_edit
    assert wizard.admin_edit.text() == ADMIN_NAME and wizard.password_edit.text() == ADMIN_PASSWORD
    assert not new_desk.operators.has_operators()
    retype(ADMIN_PASSWORD)
    tab()  # 接待员 (checked), then 承办人 …
    assert focused() is wizard.role_boxes[RECEPTIONIST]
    for _ in range(3):
        tab()
    assert focused() is wizard.role_boxes[STATISTICIAN]
    press_key(Qt.Key.Key_Space)
    enter()

    # Page 3: the administrator exists and is logged in, the station and the server are set.
    assert wizard.page == RECOVERY_PAGE
    assert wizard.step_label.text() == "第3步，共3步：恢复码"
    principal = new_desk.guard.current
    assert principal.name == ADMIN_NAME and principal.roles == {ADMIN, RECEPTIONIST, STATISTICIAN}
    station = new_desk.stations.get()
    assert (station.code, station.name, station.level) == (STATION_CODE, STATION_NAME, "县")
    assert sync_config.load(new_desk.settings).server_url == SERVER
    code = wizard.code_label.text()
    assert code == wizard.setup.recovery_code and len(code.replace("-", "")) == 25
    font = wizard.code_label.font()
    assert font.styleHint() == QFont.StyleHint.TypeWriter and font.pointSizeF() >= 16  # large monospace
    assert "忘记全部密码时凭它恢复" in wizard.findChild(type(wizard.code_label), "recovery_explanation").text()

    # 完成 and Esc need 我已抄写恢复码 first.
    assert focused() is wizard.copied_box
    enter()
    assert wizard.isVisible() and wizard.copied_error.message == NOT_COPIED
    press_key(Qt.Key.Key_Escape)
    assert wizard.isVisible()
    press_key(Qt.Key.Key_Space)
    assert wizard.copied_box.isChecked() and not wizard.copied_error.isVisible()
    enter()
    assert wizard.result() == SetupWizard.DialogCode.Accepted

    # The code shown really opens the data key: it resets the administrator's password.
    new_desk.operators.logout()
    new_desk.operators.recover(code, ADMIN_NAME, "xinmima-2027")
    recovered = new_desk.login(ADMIN_NAME, "xinmima-2027")
    assert recovered.must_change_password and ADMIN in recovered.roles


def test_the_station_page_is_skipped_when_the_station_exists(qtbot, new_desk):
    """An upgrade from a version without operators: only the administrator and the code."""
    new_desk.stations.initialise(STATION_CODE, STATION_NAME, "乡镇")
    wizard = open_wizard(qtbot, new_desk)
    assert wizard.page == ADMIN_PAGE
    assert wizard.step_label.text() == "第1步，共2步：首位管理员"
    assert not wizard.back_button.isVisible()
    type_here("李 明")  # a space: refused by the service, at the name field
    tab()
    type_here(ADMIN_PASSWORD)
    tab()
    type_here(ADMIN_PASSWORD)
    enter()
    assert wizard.page == ADMIN_PAGE
    assert wizard.admin_errors["name"].message.startswith("操作员名称为1至30个汉字、字母或数字")
    assert focused() is wizard.admin_edit
    assert not new_desk.operators.has_operators()
    press_key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_here("李明")
    enter()
    assert wizard.page == RECOVERY_PAGE
    assert wizard.step_label.text() == "第2步，共2步：恢复码"
    assert new_desk.stations.get().level == "乡镇"  # untouched
    press_key(Qt.Key.Key_Space)
    enter()
    assert wizard.result() == SetupWizard.DialogCode.Accepted
    assert new_desk.guard.current.name == "李明"


def test_quitting_before_the_administrator_writes_nothing(qtbot, new_desk):
    wizard = open_wizard(qtbot, new_desk)
    type_here(STATION_CODE)
    tab()
    type_here(STATION_NAME)
    enter()
    assert wizard.page == ADMIN_PAGE
    press_key(Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)  # 上一步 (a mnemonic clicks after a short animation)
    qtbot.waitUntil(lambda: wizard.page == STATION_PAGE)
    assert wizard.name_edit.text() == STATION_NAME  # what was typed is still there
    press_key(Qt.Key.Key_Escape)
    assert wizard.result() == SetupWizard.DialogCode.Rejected
    assert new_desk.stations.get() is None and not new_desk.operators.has_operators()


def test_run_gui_on_a_new_database_runs_the_wizard_then_opens_the_window(qtbot, new_desk):
    def answer(wizard) -> bool:
        if not isinstance(wizard, SetupWizard):
            return False
        wizard.code_edit.setText(STATION_CODE)
        wizard.name_edit.setText(STATION_NAME)
        wizard.next_button.click()
        wizard.admin_edit.setText("admin")
        wizard.password_edit.setText(ADMIN_PASSWORD)
        wizard.confirm_edit.setText(ADMIN_PASSWORD)
        wizard.next_button.click()
        wizard.copied_box.setChecked(True)
        wizard.next_button.click()
        return True

    window = run_gui_to_main_window(new_desk, answer)
    qtbot.addWidget(window)
    assert window.windowTitle() == f"信访接待台 {VERSION} — {STATION_NAME} — 当前操作员：admin"
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["今日", "来访登记", "信访件"]


def test_quitting_the_wizard_at_start_exits_cleanly(qtbot, new_desk):
    from app.ui.app import run_gui

    def drive():
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, SetupWizard):
            QTimer.singleShot(10, drive)
            return
        wizard.quit_button.click()

    QTimer.singleShot(0, drive)
    assert run_gui(new_desk, []) == 0
    assert not new_desk.operators.has_operators()
