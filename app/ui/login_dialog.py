"""登录: who works at this desk now. The last operator's name is remembered, never a password."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.context import DeskServices
from app.services.security.errors import LoginFailed
from app.services.security.guard import Principal

from .field_error import FieldErrorLabel, field_cell
from .password_dialog import PasswordDialog, password_edit

LAST_OPERATOR_KEY = "login/last_operator"
NAME, PASSWORD = "name", "password"


def last_operator() -> str:
    value = QSettings().value(LAST_OPERATOR_KEY, "")
    return value if isinstance(value, str) else ""


def remember_operator(name: str) -> None:
    QSettings().setValue(LAST_OPERATOR_KEY, name)


class LoginDialog(QDialog):
    """操作员 / 密码, 登录 / 退出. Accepted means `principal` is logged in on `services`.

    A refusal (wrong password, lockout, disabled account) shows under 密码 in Chinese; the name
    stays, the password field is emptied and focused. An account that must change its password
    gets the 修改密码 dialog at once: its 退出 logs out and rejects this dialog too."""

    def __init__(self, services: DeskServices, parent: QWidget | None = None, *, name: str = "", intro: str = ""):
        super().__init__(parent)
        self.setObjectName("login_dialog")
        self.setWindowTitle("登录 — 信访接待台")
        self.services = services
        self.principal: Principal | None = None
        self.name_edit = QLineEdit(name or last_operator())
        self.name_edit.setObjectName("login_name")
        self.name_edit.setPlaceholderText("操作员名称")
        self.name_edit.setMaxLength(30)
        self.password_edit = password_edit()
        self.password_edit.setObjectName("login_password")
        self.errors = {NAME: FieldErrorLabel(NAME), PASSWORD: FieldErrorLabel(PASSWORD)}
        self.intro = QLabel(intro or "请输入操作员名称和密码。")
        self.intro.setObjectName("login_intro")
        self.intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("操作员(&U)", field_cell(self.name_edit, self.errors[NAME]))
        form.addRow("密码(&P)", field_cell(self.password_edit, self.errors[PASSWORD]))
        buttons = QDialogButtonBox()
        self.login_button = buttons.addButton("登录", QDialogButtonBox.ButtonRole.AcceptRole)
        self.login_button.setObjectName("login_button")
        self.login_button.setDefault(True)
        self.quit_button = buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.setObjectName("login_quit")
        buttons.accepted.connect(self._on_login)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.intro)
        box.addLayout(form)
        box.addWidget(buttons)
        self.setMinimumWidth(360)
        (self.password_edit if self.name_edit.text() else self.name_edit).setFocus()

    @property
    def message(self) -> str:
        """The refusal shown under 密码 ('' when none)."""
        return self.errors[PASSWORD].message if self.errors[PASSWORD].isVisible() else ""

    def _on_login(self) -> None:
        for label in self.errors.values():
            label.clear_message()
        name, password = self.name_edit.text().strip(), self.password_edit.text()
        if not name:
            self.errors[NAME].show_message("请输入操作员名称")
            self.name_edit.setFocus()
            return
        if not password:
            if not self.name_edit.hasFocus():  # Enter in 操作员 just moves on to 密码
                self.errors[PASSWORD].show_message("请输入密码")
            self.password_edit.setFocus()
            return
        try:
            principal = self.services.login(name, password)
        except LoginFailed as refusal:
            self.errors[PASSWORD].show_message(str(refusal))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        remember_operator(principal.name)
        if principal.must_change_password:
            change = PasswordDialog(self.services, self, forced=True, old_password=password)
            if change.exec() != QDialog.DialogCode.Accepted:
                self.services.operators.logout()
                self.reject()
                return
        self.principal = self.services.guard.current
        self.accept()
