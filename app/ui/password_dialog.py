"""修改密码: the logged-in operator's own password (also forced at a first login after a reset)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.context import DeskServices
from app.services.errors import ValidationFailed
from app.services.security.passwords import MIN_LENGTH, password_problem

from .dialog_buttons import ok_cancel
from .field_error import FieldErrorLabel, field_cell

OLD, NEW, CONFIRM = "old_password", "new_password", "confirm_password"
MISMATCH = "两次输入的新密码不一致"
PASSWORD_HINT = f"至少{MIN_LENGTH}位，须同时包含字母和数字（或其他符号）"
FORCED_INTRO = "管理员为您设置的是初始密码。请先设置只有您自己知道的新密码，然后才能使用本系统。"


def password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


class PasswordDialog(QDialog):
    """原密码 / 新密码 / 确认新密码; each refusal under its field, nothing typed is cleared.

    `forced`: the account must change its password before going on (the cancel button reads 退出
    and the caller quits or logs out on it); `old_password` prefills 原密码 (just typed at login)."""

    def __init__(
        self, services: DeskServices, parent: QWidget | None = None, *, forced: bool = False, old_password: str = ""
    ):
        super().__init__(parent)
        self.setObjectName("password_dialog")
        self.setWindowTitle("修改密码")
        self.services = services
        self.forced = forced
        self.old_edit = password_edit()
        self.old_edit.setObjectName("old_password_edit")
        self.old_edit.setText(old_password)
        self.new_edit = password_edit(PASSWORD_HINT)
        self.new_edit.setObjectName("new_password_edit")
        self.confirm_edit = password_edit("再输入一次新密码")
        self.confirm_edit.setObjectName("confirm_password_edit")
        self.fields = {OLD: self.old_edit, NEW: self.new_edit, CONFIRM: self.confirm_edit}
        self.errors = {key: FieldErrorLabel(key) for key in self.fields}
        self.general_error = FieldErrorLabel("general")

        principal = services.guard.current
        who = QLabel(f"操作员：{principal.name}" if principal else "")
        who.setObjectName("password_operator")
        intro = QLabel(FORCED_INTRO if forced else PASSWORD_HINT)
        intro.setObjectName("password_intro")
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("原密码(&O)", field_cell(self.old_edit, self.errors[OLD]))
        form.addRow("新密码(&N)", field_cell(self.new_edit, self.errors[NEW]))
        form.addRow("确认新密码(&R)", field_cell(self.confirm_edit, self.errors[CONFIRM]))
        buttons, self.ok_button, self.cancel_button = ok_cancel(
            self._on_accept, self.reject, cancel_text="退出" if forced else "取消"
        )
        box = QVBoxLayout(self)
        box.addWidget(who)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.general_error)
        box.addWidget(buttons)
        (self.new_edit if old_password else self.old_edit).setFocus()

    def _clear_errors(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.clear_message()

    def _show(self, messages: dict[str, str]) -> None:
        first = None
        for key in self.fields:  # in the order of the form
            if key in messages:
                self.errors[key].show_message(messages[key])
                first = first or self.fields[key]
        rest = [m for k, m in messages.items() if k not in self.fields]
        if rest:
            self.general_error.show_message("；".join(rest))
        if first is not None:
            first.setFocus()
            first.selectAll()

    def _on_accept(self) -> None:
        self._clear_errors()
        old, new, confirm = self.old_edit.text(), self.new_edit.text(), self.confirm_edit.text()
        local = {}
        if not old:
            local[OLD] = "请输入原密码"
        problem = password_problem(new)
        if problem:
            local[NEW] = problem
        if new != confirm:
            local[CONFIRM] = MISMATCH
        if local:
            self._show(local)
            return
        try:
            self.services.operators.change_password(old, new)
        except ValidationFailed as failure:
            self._show(failure.by_field())
            return
        self.accept()
