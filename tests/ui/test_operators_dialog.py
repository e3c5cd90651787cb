"""操作员管理: adding an operator by keys and clicks, refusals at their fields with nothing typed lost,
roles, 停用/启用, the last administrator, the recovery code, and the refusal without the permission."""
from __future__ import annotations

from desk_login import TEST_OPERATOR
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_support import type_text

from app.services.security import audit
from app.ui.operators_dialog import (
    ACTIVE_TEXT,
    INACTIVE_TEXT,
    OperatorEditDialog,
    OperatorsDialog,
    RecoveryCodeDialog,
    ResetPasswordDialog,
)

LEFT = Qt.MouseButton.LeftButton


def open_dialog(qtbot, services) -> OperatorsDialog:
    dialog = OperatorsDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def open_child(qtbot, dialog: OperatorsDialog, button, kind):
    qtbot.mouseClick(button, LEFT)
    qtbot.waitUntil(lambda: any(w.isVisible() for w in dialog.findChildren(kind)))
    return next(w for w in dialog.findChildren(kind) if w.isVisible())


def table_rows(dialog: OperatorsDialog) -> dict[str, list[str]]:
    t = dialog.table
    return {t.item(r, 0).text(): [t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())}


def select(dialog: OperatorsDialog, name: str) -> None:
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == name)
    dialog.table.selectRow(row)
    assert dialog.selected().name == name


def fill_new_operator(editor: OperatorEditDialog, name: str, password: str, confirm: str | None = None) -> None:
    """Type the name where the focus starts, tick the roles by keys, then the passwords."""
    assert editor.focusWidget() is editor.name_edit
    type_text(editor.name_edit, name)
    type_text(editor.password_edit, password)
    type_text(editor.confirm_edit, password if confirm is None else confirm)


def test_an_operator_is_added_with_roles_and_listed(qtbot, services):
    dialog = open_dialog(qtbot, services)
    assert TEST_OPERATOR in table_rows(dialog)
    editor = open_child(qtbot, dialog, dialog.add_button, OperatorEditDialog)
    fill_new_operator(editor, "李接待", "abc12345x")
    box = editor.role_boxes.boxes["receptionist"]
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_Space)  # ticked from the keyboard
    qtbot.mouseClick(editor.role_boxes.boxes["handler"], LEFT)
    assert editor.role_boxes.roles() == {"receptionist", "handler"}
    qtbot.mouseClick(editor.ok_button, LEFT)
    qtbot.waitUntil(lambda: not editor.isVisible())

    row = table_rows(dialog)["李接待"]
    assert row[1] == "接待员、承办人" and row[2] == ACTIVE_TEXT and row[3] == "是"
    assert dialog.selected().name == "李接待"
    assert "李接待" in dialog.banner.text()
    info = next(o for o in services.operators.operators() if o.name == "李接待")
    assert info.roles == {"receptionist", "handler"} and info.must_change_password


def test_bad_name_and_short_password_are_shown_at_their_fields_and_nothing_is_lost(qtbot, services):
    dialog = open_dialog(qtbot, services)
    editor = open_child(qtbot, dialog, dialog.add_button, OperatorEditDialog)
    fill_new_operator(editor, "李 接待", "abc1")
    qtbot.mouseClick(editor.ok_button, LEFT)
    assert editor.isVisible()
    assert "密码至少" in editor.errors["password"].message
    assert editor.errors["roles"].message == "至少选择一个角色"

    qtbot.mouseClick(editor.role_boxes.boxes["statistician"], LEFT)
    editor.password_edit.clear()
    editor.confirm_edit.clear()
    type_text(editor.password_edit, "abc12345x")
    type_text(editor.confirm_edit, "abc12345y")
    qtbot.mouseClick(editor.ok_button, LEFT)
    assert editor.errors["confirm"].message == "两次输入的密码不一致"
    assert not editor.errors["password"].isVisible() and not editor.errors["roles"].isVisible()

    editor.confirm_edit.clear()
    type_text(editor.confirm_edit, "abc12345x")
    qtbot.mouseClick(editor.ok_button, LEFT)  # the name is the service's refusal
    assert editor.isVisible()
    assert "操作员名称" in editor.errors["name"].message
    assert editor.focusWidget() is editor.name_edit
    assert editor.name_edit.text() == "李 接待" and editor.password_edit.text() == "abc12345x"
    assert editor.role_boxes.roles() == {"statistician"}
    assert "李 接待" not in table_rows(dialog)

    editor.name_edit.clear()
    type_text(editor.name_edit, TEST_OPERATOR)  # taken
    qtbot.mouseClick(editor.ok_button, LEFT)
    assert "已有名为" in editor.errors["name"].message


def test_roles_are_changed_and_the_table_refreshes(qtbot, services):
    services.operators.create_operator("王统计", frozenset({"statistician"}), "abc12345x")
    dialog = open_dialog(qtbot, services)
    select(dialog, "王统计")
    editor = open_child(qtbot, dialog, dialog.roles_button, OperatorEditDialog)
    assert editor.role_boxes.roles() == {"statistician"}
    qtbot.mouseClick(editor.role_boxes.boxes["statistician"], LEFT)
    qtbot.mouseClick(editor.ok_button, LEFT)
    assert editor.errors["roles"].message == "至少选择一个角色"
    qtbot.mouseClick(editor.role_boxes.boxes["leader"], LEFT)
    qtbot.mouseClick(editor.ok_button, LEFT)
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert table_rows(dialog)["王统计"][1] == "领导"
    assert services.audit.entries(action=audit.ROLES_CHANGED)[0].target == "王统计"


def test_disable_and_enable_an_operator(qtbot, services):
    services.operators.create_operator("李接待", frozenset({"receptionist"}), "abc12345x")
    dialog = open_dialog(qtbot, services)
    select(dialog, "李接待")
    assert dialog.active_button.text() == "停用"
    qtbot.mouseClick(dialog.active_button, LEFT)
    assert table_rows(dialog)["李接待"][2] == INACTIVE_TEXT
    assert dialog.selected().name == "李接待" and dialog.active_button.text() == "启用"
    assert not next(o for o in services.operators.operators() if o.name == "李接待").active
    qtbot.mouseClick(dialog.active_button, LEFT)
    assert table_rows(dialog)["李接待"][2] == ACTIVE_TEXT


def test_the_last_administrator_cannot_lose_the_role_or_be_disabled(qtbot, services):
    services.operators.create_operator("赵管理", frozenset({"admin"}), "abc12345x")
    dialog = open_dialog(qtbot, services)
    select(dialog, TEST_OPERATOR)
    qtbot.mouseClick(dialog.active_button, LEFT)
    assert dialog.banner.kind == "error" and "不能停用自己" in dialog.banner.text()

    select(dialog, "赵管理")
    qtbot.mouseClick(dialog.active_button, LEFT)  # another admin (myself) remains: allowed
    assert table_rows(dialog)["赵管理"][2] == INACTIVE_TEXT

    select(dialog, TEST_OPERATOR)  # now the only active administrator
    editor = open_child(qtbot, dialog, dialog.roles_button, OperatorEditDialog)
    qtbot.mouseClick(editor.role_boxes.boxes["admin"], LEFT)
    qtbot.mouseClick(editor.ok_button, LEFT)
    assert editor.isVisible()
    assert "最后一位在用的管理员" in editor.errors["roles"].message
    assert "admin" not in editor.role_boxes.roles()  # what was ticked stays as it was
    assert "管理员" in table_rows(dialog)[TEST_OPERATOR][1]


def test_reset_password_asks_twice_and_marks_must_change(qtbot, services):
    services.operators.create_operator("李接待", frozenset({"receptionist"}), "abc12345x")
    services.operators.reset_password("李接待", "abc12345x")  # (already must change)
    dialog = open_dialog(qtbot, services)
    select(dialog, "李接待")
    editor = open_child(qtbot, dialog, dialog.reset_button, ResetPasswordDialog)
    type_text(editor.password_edit, "12345678")
    type_text(editor.confirm_edit, "12345678")
    qtbot.mouseClick(editor.ok_button, LEFT)
    assert "字母和数字" in editor.errors["password"].message
    editor.password_edit.clear()
    type_text(editor.password_edit, "new-pass-9")
    qtbot.mouseClick(editor.ok_button, LEFT)
    assert editor.errors["confirm"].message == "两次输入的密码不一致"
    editor.confirm_edit.clear()
    type_text(editor.confirm_edit, "new-pass-9")
    qtbot.mouseClick(editor.ok_button, LEFT)
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert services.audit.entries(action=audit.PASSWORD_RESET)[0].target == "李接待"
    services.login("李接待", "new-pass-9")
    assert services.guard.current.must_change_password


def test_a_new_recovery_code_is_shown_once_with_a_warning(qtbot, services):
    dialog = open_dialog(qtbot, services)
    codes = open_child(qtbot, dialog, dialog.recovery_button, RecoveryCodeDialog)
    assert "原来的恢复码立即失效" in codes.warning.text()
    assert not codes.code_edit.isVisible()
    qtbot.mouseClick(codes.generate_button, LEFT)
    code = codes.code_edit.text()
    assert code and code == codes.code and codes.code_edit.isReadOnly()
    assert "只显示这一次" in codes.banner.text()
    qtbot.mouseClick(codes.close_button, LEFT)
    qtbot.waitUntil(lambda: not codes.isVisible())
    assert "原来的恢复码已失效" in dialog.banner.text()


def test_without_the_permission_the_dialog_shows_the_refusal_only(qtbot, services):
    services.operators.create_operator("李接待", frozenset({"receptionist"}), "abc12345x")
    services.login("李接待", "abc12345x")
    dialog = open_dialog(qtbot, services)
    assert dialog.refusal.isVisible()
    assert "无权管理操作员和角色" in dialog.refusal.text()
    assert not dialog.table.isVisible() and dialog.table.rowCount() == 0
    assert not dialog.add_button.isVisible()
