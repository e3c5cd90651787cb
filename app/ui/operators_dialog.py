"""操作员管理: accounts and roles, for operators holding 管理操作员和角色.

The table lists every operator; 新增… / 修改角色… / 重置密码… open small editors that keep
what was typed when the service refuses (the message stands under its field); 停用/启用 acts at
once on the selected row; 生成新恢复码… shows a new recovery code once. The table is reloaded
after every change. Without the permission the dialog shows the refusal instead of any data.
"""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.context import DeskServices
from app.services.errors import ValidationFailed
from app.services.security.errors import SecurityError
from app.services.security.operators import OperatorInfo
from app.services.security.passwords import password_problem
from app.services.security.permissions import ROLES

from .banner import Banner
from .dialog_buttons import ok_cancel
from .field_error import FieldErrorLabel, field_cell
from .password_dialog import PASSWORD_HINT, password_edit

OPERATOR_COLUMNS = ("名称", "角色", "状态", "须改密码", "锁定至")
ACTIVE_TEXT, INACTIVE_TEXT = "在用", "停用"
DISABLE_TEXT, ENABLE_TEXT = "停用", "启用"
MISMATCH = "两次输入的密码不一致"
NO_ROLE = "至少选择一个角色"
NAME_HINT = "1至30个汉字、字母或数字，如：李接待"
GENERAL = "general"
RECOVERY_WARNING = (
    "生成新恢复码后，原来的恢复码立即失效，不能再用。\n"
    "恢复码是所有管理员都忘记密码时进入系统、找回数据的唯一办法：请抄写在纸上，"
    "与本机分开、妥善保管（如锁进档案柜），不要拍照或保存在电脑里。"
)
RECOVERY_SHOWN = "新恢复码只显示这一次，关闭本窗口后无法再查看。原来的恢复码已失效。"


def _attempt(call, labels: dict[str, FieldErrorLabel], fields: dict[str, QWidget]) -> bool:
    """Run a service call; its refusal goes under the fields it names (or at the top). True if done."""
    try:
        call()
    except ValidationFailed as failure:
        _show_errors(failure.by_field(), labels, fields)
        return False
    except SecurityError as refusal:
        labels[GENERAL].show_message(str(refusal))
        return False
    return True


def _show_errors(messages: dict[str, str], labels: dict[str, FieldErrorLabel], fields: dict[str, QWidget]) -> None:
    """Each message under its field (unknown keys under `general`); focus the first field in error."""
    first = None
    rest = []
    for key, message in messages.items():
        if key in labels and key != GENERAL:
            labels[key].show_message(message)
            if first is None and key in fields:
                first = fields[key]
        else:
            rest.append(message)
    if rest:
        labels[GENERAL].show_message("；".join(rest))
    if first is not None:
        first.setFocus()
        if isinstance(first, QLineEdit):
            first.selectAll()


class RoleBoxes(QWidget):
    """One check box per role, with the Chinese labels of ROLES; objectNames `role_<key>`."""

    def __init__(self, checked: frozenset[str] = frozenset(), parent: QWidget | None = None):
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for key, label in ROLES.items():
            box = QCheckBox(label)
            box.setObjectName(f"role_{key}")
            box.setChecked(key in checked)
            self.boxes[key] = box
            row.addWidget(box)
        row.addStretch(1)

    def roles(self) -> frozenset[str]:
        return frozenset(key for key, box in self.boxes.items() if box.isChecked())

    def first_box(self) -> QCheckBox:
        return next(iter(self.boxes.values()))


class OperatorEditDialog(QDialog):
    """新增操作员 (operator is None: name, roles, first password twice) or 修改角色 (roles only)."""

    def __init__(self, services: DeskServices, operator: OperatorInfo | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.operator = services, operator
        adding = operator is None
        self.setObjectName("operator_add_dialog" if adding else "operator_roles_dialog")
        self.setWindowTitle("新增操作员" if adding else f"修改角色：{operator.name}")
        self.saved_name = ""
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("operator_name")
        self.name_edit.setPlaceholderText(NAME_HINT)
        self.role_boxes = RoleBoxes(frozenset() if adding else operator.roles)
        self.password_edit = password_edit(PASSWORD_HINT)
        self.password_edit.setObjectName("operator_password")
        self.confirm_edit = password_edit("再输入一次")
        self.confirm_edit.setObjectName("operator_confirm")
        self.fields: dict[str, QWidget] = {"roles": self.role_boxes.first_box()}
        if adding:
            self.fields = {"name": self.name_edit, "roles": self.role_boxes.first_box(),
                           "password": self.password_edit, "confirm": self.confirm_edit}
        self.errors = {key: FieldErrorLabel(key) for key in ("name", "roles", "password", "confirm", GENERAL)}

        form = QFormLayout()
        if adding:
            form.addRow("名称(&N)", field_cell(self.name_edit, self.errors["name"]))
        else:
            name = QLabel(operator.name)
            name.setObjectName("operator_name_label")
            form.addRow("名称", name)
        form.addRow("角色", field_cell(self.role_boxes, self.errors["roles"]))
        if adding:
            form.addRow("初始密码(&P)", field_cell(self.password_edit, self.errors["password"]))
            form.addRow("确认密码(&R)", field_cell(self.confirm_edit, self.errors["confirm"]))
        note = QLabel("新操作员首次登录时须改为只有自己知道的密码。" if adding
                      else "角色变更在该操作员下次登录时生效。")
        note.setWordWrap(True)
        buttons, self.ok_button, _ = ok_cancel(self.submit, self.reject, ok_text="保存", ok_name="operator_save")
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(note)
        box.addWidget(self.errors[GENERAL])
        box.addWidget(buttons)
        (self.name_edit if adding else self.role_boxes.first_box()).setFocus()

    def submit(self) -> bool:
        for label in self.errors.values():
            label.clear_message()
        roles = self.role_boxes.roles()
        local: dict[str, str] = {}
        if not roles:
            local["roles"] = NO_ROLE
        if self.operator is None:
            password = self.password_edit.text()
            problem = password_problem(password)
            if problem:
                local["password"] = problem
            elif password != self.confirm_edit.text():
                local["confirm"] = MISMATCH
        if local:
            _show_errors(local, self.errors, self.fields)
            return False
        ops = self.services.operators
        if self.operator is None:
            done = _attempt(lambda: ops.create_operator(self.name_edit.text(), roles, self.password_edit.text()),
                            self.errors, self.fields)
            self.saved_name = self.name_edit.text().strip()
        else:
            done = _attempt(lambda: ops.set_roles(self.operator.name, roles), self.errors, self.fields)
            self.saved_name = self.operator.name
        if done:
            self.accept()
        return done


class ResetPasswordDialog(QDialog):
    """重置密码: a new first password (twice) for an operator who forgot theirs."""

    def __init__(self, services: DeskServices, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("operator_reset_dialog")
        self.setWindowTitle(f"重置密码：{name}")
        self.services, self.name = services, name
        self.password_edit = password_edit(PASSWORD_HINT)
        self.password_edit.setObjectName("reset_password")
        self.confirm_edit = password_edit("再输入一次")
        self.confirm_edit.setObjectName("reset_confirm")
        self.fields = {"password": self.password_edit, "confirm": self.confirm_edit}
        self.errors = {key: FieldErrorLabel(key) for key in ("password", "confirm", GENERAL)}
        form = QFormLayout()
        form.addRow("新初始密码(&P)", field_cell(self.password_edit, self.errors["password"]))
        form.addRow("确认密码(&R)", field_cell(self.confirm_edit, self.errors["confirm"]))
        note = QLabel(f"“{name}”下次登录时须改为只有自己知道的密码；账号的临时锁定同时解除。")
        note.setWordWrap(True)
        buttons, self.ok_button, _ = ok_cancel(self.submit, self.reject, ok_text="重置", ok_name="reset_save")
        box = QVBoxLayout(self)
        box.addWidget(note)
        box.addLayout(form)
        box.addWidget(self.errors[GENERAL])
        box.addWidget(buttons)
        self.password_edit.setFocus()

    def submit(self) -> bool:
        for label in self.errors.values():
            label.clear_message()
        password = self.password_edit.text()
        problem = password_problem(password)
        if problem:
            _show_errors({"password": problem}, self.errors, self.fields)
            return False
        if password != self.confirm_edit.text():
            _show_errors({"confirm": MISMATCH}, self.errors, self.fields)
            return False
        if not _attempt(lambda: self.services.operators.reset_password(self.name, password), self.errors, self.fields):
            return False
        self.accept()
        return True


class RecoveryCodeDialog(QDialog):
    """生成新恢复码: the warning first; 生成 makes the code and shows it once (selectable)."""

    def __init__(self, services: DeskServices, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("recovery_code_dialog")
        self.setWindowTitle("生成新恢复码")
        self.services = services
        self.code = ""
        self.warning = QLabel(RECOVERY_WARNING)
        self.warning.setObjectName("recovery_code_warning")
        self.warning.setWordWrap(True)
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("recovery_code")
        self.code_edit.setReadOnly(True)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(font.pointSize() + 4 if font.pointSize() > 0 else 14)
        self.code_edit.setFont(font)
        self.code_edit.setVisible(False)
        self.banner = Banner()
        self.generate_button = QPushButton("生成新恢复码")
        self.generate_button.setObjectName("generate_recovery_code")
        self.generate_button.clicked.connect(self.generate)
        self.close_button = QPushButton("取消")
        self.close_button.setObjectName("recovery_code_close")
        self.close_button.clicked.connect(self._close)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.generate_button)
        row.addWidget(self.close_button)
        box = QVBoxLayout(self)
        box.addWidget(self.warning)
        box.addWidget(self.code_edit)
        box.addWidget(self.banner)
        box.addLayout(row)
        self.resize(520, 240)

    def generate(self) -> str:
        try:
            self.code = self.services.operators.new_recovery_code()
        except SecurityError as refusal:
            self.banner.show_message(str(refusal), "error")
            return ""
        self.code_edit.setText(self.code)
        self.code_edit.setVisible(True)
        self.code_edit.selectAll()
        self.code_edit.setFocus()
        self.banner.show_message(RECOVERY_SHOWN, "warning")
        self.generate_button.setVisible(False)
        self.close_button.setText("我已抄下，关闭")
        return self.code

    def _close(self) -> None:
        self.accept() if self.code else self.reject()

    def done(self, result: int) -> None:
        self.code_edit.clear()  # shown once: nothing stays in the widget after closing
        super().done(result)


class OperatorsDialog(QDialog):
    """The accounts table and its actions; `refusal` stands alone when the operator may not manage."""

    def __init__(self, services: DeskServices, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("operators_dialog")
        self.setWindowTitle("操作员管理")
        self.services = services
        self.operators: list[OperatorInfo] = []
        self.refusal = QLabel()
        self.refusal.setObjectName("operators_refusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color: #b71c1c; padding: 12px;")
        self.refusal.setVisible(False)
        self.banner = Banner()
        self.table = QTableWidget(0, len(OPERATOR_COLUMNS))
        self.table.setObjectName("operators_table")
        self.table.setHorizontalHeaderLabels(list(OPERATOR_COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_roles())

        self.add_button = self._button("新增…", "operator_add", self.open_add)
        self.roles_button = self._button("修改角色…", "operator_roles", self.open_roles)
        self.active_button = self._button(DISABLE_TEXT, "operator_active", self.toggle_active)
        self.reset_button = self._button("重置密码…", "operator_reset", self.open_reset)
        self.recovery_button = self._button("生成新恢复码…", "operator_recovery_code", self.open_recovery_code)
        self.row_buttons = (self.roles_button, self.active_button, self.reset_button)
        buttons = QHBoxLayout()
        for b in (self.add_button, *self.row_buttons):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.recovery_button)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.table, 1)
        body.addLayout(buttons)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.refusal)
        box.addWidget(self.banner)
        box.addWidget(self.body, 1)
        box.addWidget(close)
        self.resize(720, 420)
        self.refresh()

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # --- the table ------------------------------------------------------------------------
    def refresh(self, select: str = "") -> bool:
        """Reload the table, keeping (or moving to) the selected operator; False when refused."""
        select = select or self.selected_name()
        try:
            self.operators = self.services.operators.operators()
        except SecurityError as refusal:
            self.refusal.setText(str(refusal))
            self.refusal.setVisible(True)
            self.body.setVisible(False)
            self.operators = []
            return False
        now = datetime.now()
        self.table.setRowCount(len(self.operators))
        for row, op in enumerate(self.operators):
            locked = op.locked_until.strftime("%Y-%m-%d %H:%M") if op.locked_until and op.locked_until > now else ""
            texts = (op.name, op.role_text, ACTIVE_TEXT if op.active else INACTIVE_TEXT,
                     "是" if op.must_change_password else "", locked)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if not op.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        self.table.resizeColumnToContents(0)
        names = [op.name for op in self.operators]
        if select in names:
            self.table.selectRow(names.index(select))
        elif names and not self.table.selectedItems():
            self.table.selectRow(0)
        self._update_buttons()
        return True

    def selected(self) -> OperatorInfo | None:
        rows = {i.row() for i in self.table.selectedItems()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.operators[row] if row < len(self.operators) else None

    def selected_name(self) -> str:
        op = self.selected() if self.operators else None
        return op.name if op else ""

    def select(self, name: str) -> None:
        names = [op.name for op in self.operators]
        self.table.selectRow(names.index(name))

    def _update_buttons(self) -> None:
        op = self.selected()
        for b in self.row_buttons:
            b.setEnabled(op is not None)
        self.active_button.setText(ENABLE_TEXT if op is not None and not op.active else DISABLE_TEXT)

    # --- actions ----------------------------------------------------------------------------
    def _open(self, dialog: QDialog, on_accepted) -> QDialog:
        """Window-modal, non-blocking (deleted when closed); `on_accepted` runs once it was saved."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(on_accepted)
        dialog.open()
        return dialog

    def open_add(self) -> OperatorEditDialog:
        dialog = OperatorEditDialog(self.services, None, self)

        def saved() -> None:
            self.refresh(dialog.saved_name)
            self.banner.show_message(f"已新增操作员“{dialog.saved_name}”，首次登录时须修改密码", "success")

        return self._open(dialog, saved)

    def open_roles(self) -> OperatorEditDialog | None:
        op = self.selected()
        if op is None:
            return None

        def saved() -> None:
            self.refresh(op.name)
            self.banner.show_message(f"已修改“{op.name}”的角色", "success")

        return self._open(OperatorEditDialog(self.services, op, self), saved)

    def toggle_active(self) -> bool:
        op = self.selected()
        if op is None:
            return False
        self.banner.clear_message()
        try:
            self.services.operators.set_active(op.name, not op.active)
        except ValidationFailed as failure:
            self.banner.show_message("；".join(failure.by_field().values()), "error")
            return False
        except SecurityError as refusal:
            self.banner.show_message(str(refusal), "error")
            return False
        self.refresh(op.name)
        self.banner.show_message(f"已{ENABLE_TEXT if not op.active else DISABLE_TEXT}操作员“{op.name}”", "success")
        return True

    def open_reset(self) -> ResetPasswordDialog | None:
        op = self.selected()
        if op is None:
            return None

        def saved() -> None:
            self.refresh(op.name)
            self.banner.show_message(f"已重置“{op.name}”的密码，其下次登录时须修改", "success")

        return self._open(ResetPasswordDialog(self.services, op.name, self), saved)

    def open_recovery_code(self) -> RecoveryCodeDialog:
        dialog = RecoveryCodeDialog(self.services, self)
        return self._open(dialog, lambda: self.banner.show_message("已生成新恢复码，原来的恢复码已失效", "success"))
