"""First start: the reception station, the first administrator, and the recovery code.

Three pages on a QStackedWidget, driven from the keyboard: Enter is 下一步 (the default button)
on every page, Alt+B goes back. Nothing is written until page 2 is accepted: then the
administrator is created (and logged in), the station initialised and the county server address
saved (changing a setting needs the administrator's permission). Page 3 shows the recovery code
once and cannot be left until 我已抄写恢复码 is ticked. On a database whose station already
exists (an upgrade from a version without operators), page 1 is skipped.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services import vocab
from app.services.context import DeskServices
from app.services.errors import ValidationFailed
from app.services.security.errors import SecurityError
from app.services.security.operators import SetupResult
from app.services.security.passwords import password_problem
from app.services.security.permissions import ADMIN, RECEPTIONIST, ROLES
from app.services.station import validate_station
from app.sync import config as sync_config

from .field_error import FieldErrorLabel, field_cell
from .form_fields import ChoiceCombo, make_line_edit
from .password_dialog import PASSWORD_HINT, password_edit

STATION_PAGE, ADMIN_PAGE, RECOVERY_PAGE = range(3)
CONFIRM = "confirm_password"
MISMATCH = "两次输入的密码不一致"
NOT_COPIED = "请先抄写恢复码，再勾选“我已抄写恢复码”"
RECOVERY_TEXT = (
    "这是本机的恢复码，只显示这一次。请抄写在纸上后妥善保管（不要存放在这台电脑里）；"
    "忘记全部密码时凭它恢复。恢复码丢失且密码全部遗忘时，已加密的证件号码和电话将无法再打开。"
)


class SetupWizard(QDialog):
    """Accepted: `setup` holds the logged-in administrator and the recovery code shown."""

    def __init__(self, services: DeskServices, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("setup_wizard")
        self.setWindowTitle("初始化信访接待台")
        self.services = services
        self.setup: SetupResult | None = None
        self.station_needed = services.stations.get() is None
        self._steps = [STATION_PAGE, ADMIN_PAGE, RECOVERY_PAGE] if self.station_needed else [ADMIN_PAGE, RECOVERY_PAGE]

        self.stack = QStackedWidget()
        self.stack.addWidget(self._station_page())
        self.stack.addWidget(self._admin_page())
        self.stack.addWidget(self._recovery_page())
        self.back_button = QPushButton("上一步(&B)")
        self.back_button.setObjectName("wizard_back")
        self.back_button.setAutoDefault(False)
        self.next_button = QPushButton("下一步(&N)")
        self.next_button.setObjectName("wizard_next")
        self.next_button.setDefault(True)
        self.quit_button = QPushButton("退出")
        self.quit_button.setObjectName("wizard_quit")
        self.quit_button.setAutoDefault(False)
        self.back_button.clicked.connect(lambda: self._go(STATION_PAGE))
        self.next_button.clicked.connect(self._on_next)
        self.quit_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in (self.back_button, self.next_button, self.quit_button):
            row.addWidget(button)
        self.step_label = QLabel()
        self.step_label.setObjectName("wizard_step")
        box = QVBoxLayout(self)
        box.addWidget(self.step_label)
        box.addWidget(self.stack, 1)
        box.addLayout(row)
        self.setMinimumWidth(520)
        self._go(STATION_PAGE if self.station_needed else ADMIN_PAGE)

    # --- pages ------------------------------------------------------------------------------

    def _station_page(self) -> QWidget:
        self.code_edit = make_line_edit("如 360426（本县行政区划代码）", 20)
        self.code_edit.setObjectName("station_code_edit")
        self.name_edit = make_line_edit("如 德安县信访局", 100)
        self.name_edit.setObjectName("station_name_edit")
        self.level_combo = ChoiceCombo(vocab.STATION_LEVELS)
        self.level_combo.setObjectName("station_level_combo")
        self.url_edit = make_line_edit("可不填，以后在“设置 → 同步设置”中填写，如 https://xf.example.gov.cn")
        self.url_edit.setObjectName("server_url_edit")
        self.station_fields = {
            "station_code": self.code_edit, "station_name": self.name_edit, "level": self.level_combo,
            "server_url": self.url_edit,
        }
        self.station_errors = {key: FieldErrorLabel(key) for key in self.station_fields}
        intro = QLabel("本机第一次使用，请设置所属接待站。接待站代码设置后不能更改。")
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("接待站代码(&C)", field_cell(self.code_edit, self.station_errors["station_code"]))
        form.addRow("接待站名称(&M)", field_cell(self.name_edit, self.station_errors["station_name"]))
        form.addRow("级别(&L)", field_cell(self.level_combo, self.station_errors["level"]))
        form.addRow("县级服务器地址(&U)", field_cell(self.url_edit, self.station_errors["server_url"]))
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(intro)
        box.addLayout(form)
        box.addStretch(1)
        return page

    def _admin_page(self) -> QWidget:
        self.admin_edit = make_line_edit("如 王芳（登录时输入的名称）")
        self.admin_edit.setObjectName("admin_name_edit")
        self.password_edit = password_edit(PASSWORD_HINT)
        self.password_edit.setObjectName("admin_password_edit")
        self.confirm_edit = password_edit("再输入一次密码")
        self.confirm_edit.setObjectName("admin_confirm_edit")
        self.role_boxes: dict[str, QCheckBox] = {}
        roles_row = QWidget()
        roles_box = QHBoxLayout(roles_row)
        roles_box.setContentsMargins(0, 0, 0, 0)
        for key, label in ROLES.items():
            check = QCheckBox(label)
            check.setObjectName(f"role_{key}")
            if key == ADMIN:
                check.setChecked(True)
                check.setEnabled(False)
                check.setToolTip("首位操作员总是管理员")
            check.setChecked(key in (ADMIN, RECEPTIONIST))
            self.role_boxes[key] = check
            roles_box.addWidget(check)
        roles_box.addStretch(1)
        self.admin_fields = {
            "name": self.admin_edit, "password": self.password_edit, CONFIRM: self.confirm_edit, "roles": roles_row,
        }
        self.admin_errors = {key: FieldErrorLabel(key) for key in self.admin_fields}
        self.general_error = FieldErrorLabel("general")
        intro = QLabel(
            "设置首位管理员。管理员负责操作员、设置和备份；若您本人也在接待台登记来访，请保留“接待员”。"
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("管理员名称(&A)", field_cell(self.admin_edit, self.admin_errors["name"]))
        form.addRow("密码(&P)", field_cell(self.password_edit, self.admin_errors["password"]))
        form.addRow("确认密码(&R)", field_cell(self.confirm_edit, self.admin_errors[CONFIRM]))
        form.addRow("同时担任", field_cell(roles_row, self.admin_errors["roles"]))
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.general_error)
        box.addStretch(1)
        return page

    def _recovery_page(self) -> QWidget:
        self.code_label = QLabel()
        self.code_label.setObjectName("recovery_code")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10) * 2)
        font.setWeight(QFont.Weight.Bold)
        font.setStyleHint(QFont.StyleHint.TypeWriter)  # monospace even where the fixed font is unknown
        self.code_label.setFont(font)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setStyleSheet("padding: 12px; border: 1px solid #999; background: #fff;")
        explanation = QLabel(RECOVERY_TEXT)
        explanation.setObjectName("recovery_explanation")
        explanation.setWordWrap(True)
        self.copied_box = QCheckBox("我已抄写恢复码(&Y)")
        self.copied_box.setObjectName("recovery_copied")
        self.copied_error = FieldErrorLabel("recovery_copied")
        self.copied_box.toggled.connect(lambda _on: self.copied_error.clear_message())
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(QLabel("恢复码"))
        box.addWidget(self.code_label)
        box.addWidget(explanation)
        box.addWidget(self.copied_box)
        box.addWidget(self.copied_error)
        box.addStretch(1)
        return page

    # --- navigation -------------------------------------------------------------------------

    @property
    def page(self) -> int:
        return self.stack.currentIndex()

    def _go(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        titles = {STATION_PAGE: "接待站", ADMIN_PAGE: "首位管理员", RECOVERY_PAGE: "恢复码"}
        self.step_label.setText(f"第{self._steps.index(index) + 1}步，共{len(self._steps)}步：{titles[index]}")
        self.back_button.setVisible(index == ADMIN_PAGE and self.station_needed and self.setup is None)
        self.quit_button.setVisible(index != RECOVERY_PAGE)
        self.next_button.setText("完成(&F)" if index == RECOVERY_PAGE else "下一步(&N)")
        first = {STATION_PAGE: self.code_edit, ADMIN_PAGE: self.admin_edit, RECOVERY_PAGE: self.copied_box}[index]
        first.setFocus()

    def _on_next(self) -> None:
        if self.page == STATION_PAGE:
            self._station_next()
        elif self.page == ADMIN_PAGE:
            self._admin_next()
        else:
            self._finish()

    def reject(self) -> None:
        """退出 / Esc / closing the window; on the recovery page the code must be copied first."""
        if self.page == RECOVERY_PAGE:
            self.copied_error.show_message(NOT_COPIED)
            self.copied_box.setFocus()
            return
        super().reject()

    @staticmethod
    def _show_errors(fields: dict, labels: dict, messages: dict[str, str], general: FieldErrorLabel | None) -> None:
        first = None
        for key in fields:  # in the order of the form
            if key in messages:
                labels[key].show_message(messages[key])
                first = first or fields[key]
        rest = [m for k, m in messages.items() if k not in fields]
        if rest and general is not None:
            general.show_message("；".join(rest))
        if first is not None:
            first.setFocus()

    # --- page 1 -----------------------------------------------------------------------------

    def _station_messages(self) -> dict[str, str]:
        messages = {}
        try:
            validate_station(self.code_edit.text(), self.name_edit.text(), self.level_combo.value())
        except ValidationFailed as failure:
            messages.update(failure.by_field())
        url = self.url_edit.text().strip()
        if url:
            problem = sync_config.server_url_problem(url)
            if problem:
                messages["server_url"] = problem
        return messages

    def _station_next(self) -> None:
        for label in self.station_errors.values():
            label.clear_message()
        messages = self._station_messages()
        if messages:
            self._show_errors(self.station_fields, self.station_errors, messages, None)
            return
        self._go(ADMIN_PAGE)

    # --- page 2 -----------------------------------------------------------------------------

    def roles(self) -> frozenset[str]:
        return frozenset(key for key, box in self.role_boxes.items() if box.isChecked())

    def _admin_next(self) -> None:
        for label in (*self.admin_errors.values(), self.general_error):
            label.clear_message()
        if self.setup is None:
            password, confirm = self.password_edit.text(), self.confirm_edit.text()
            if password != confirm:
                messages = {CONFIRM: MISMATCH}
                problem = password_problem(password)
                if problem:
                    messages["password"] = problem
                self._show_errors(self.admin_fields, self.admin_errors, messages, self.general_error)
                return
            try:
                self.setup = self.services.operators.setup_first_admin(self.admin_edit.text(), password, self.roles())
            except ValidationFailed as failure:
                self._show_errors(self.admin_fields, self.admin_errors, failure.by_field(), self.general_error)
                return
            except SecurityError as refusal:  # another administrator appeared meanwhile
                self.general_error.show_message(str(refusal))
                return
            for widget in (self.admin_edit, self.password_edit, self.confirm_edit, *self.role_boxes.values()):
                widget.setEnabled(False)
        if self.station_needed and not self._save_station():
            return
        self.code_label.setText(self.setup.recovery_code)
        self._go(RECOVERY_PAGE)

    def _save_station(self) -> bool:
        """After the administrator exists: the station, then the server address (a setting)."""
        try:
            self.services.stations.initialise(self.code_edit.text(), self.name_edit.text(), self.level_combo.value())
            url = self.url_edit.text().strip()
            if url:
                sync_config.save(self.services.settings, server_url=url, token=None)
        except ValidationFailed as failure:
            self._go(STATION_PAGE)
            self._show_errors(self.station_fields, self.station_errors, failure.by_field(), None)
            return False
        self.station_needed = self.services.stations.get() is None
        return True

    # --- page 3 -----------------------------------------------------------------------------

    def _finish(self) -> None:
        if not self.copied_box.isChecked():
            self.copied_error.show_message(NOT_COPIED)
            self.copied_box.setFocus()
            return
        self.accept()
