"""查看完整号码: one person's full ID number or phone, for a stated reason, audited each time.

The value is shown only inside this dialog (selectable, to copy into a call or a letter) and is
cleared when the dialog closes or another field is chosen; nothing is kept in memory here.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services.context import DeskServices
from app.services.dto import PersonView
from app.services.errors import NotFound, ValidationFailed
from app.services.security.errors import SecurityError
from app.services.security.privacy import FIELDS
from app.services.security.sealing import ID, PHONE

from .field_error import FieldErrorLabel, field_cell

REASON_HINT = "如：电话联系信访人告知办理结果"
AUDIT_NOTE = "每次查看完整号码都记入审计日志（操作员、时间、事由）。关闭本窗口后号码即隐藏。"
EMPTY_VALUE = "（未登记）"


class RevealDialog(QDialog):
    """Ask 查看事由 and which field; 显示 calls `privacy.reveal` and shows the full value here."""

    def __init__(self, services: DeskServices, number: str, position: int, person: PersonView,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reveal_dialog")
        self.setWindowTitle("查看完整号码")
        self.services, self.number, self.position = services, number, position
        self.value = ""

        self.field_buttons: dict[str, QRadioButton] = {}
        self.field_group = QButtonGroup(self)
        fields_row = QWidget()
        row = QHBoxLayout(fields_row)
        row.setContentsMargins(0, 0, 0, 0)
        masked = {ID: person.id_number_masked, PHONE: person.phone_masked}
        for key in (ID, PHONE):
            button = QRadioButton(f"{FIELDS[key]}（{masked[key]}）" if masked[key] else FIELDS[key])
            button.setObjectName(f"reveal_field_{key}")
            button.setEnabled(bool(masked[key]))
            self.field_buttons[key] = button
            self.field_group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        first = next((k for k in (ID, PHONE) if masked[k]), ID)
        self.field_buttons[first].setChecked(True)

        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reveal_reason")
        self.reason_edit.setPlaceholderText(REASON_HINT)
        self.reason_edit.setMaxLength(200)
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("reveal_value")
        self.value_edit.setReadOnly(True)  # selectable and copyable, not editable
        self.value_edit.setVisible(False)
        self.errors = {key: FieldErrorLabel(key) for key in ("field", "reason", "general")}

        who = QLabel(f"信访件 {number}　第{position + 1}位信访人：{person.name}")
        who.setObjectName("reveal_person")
        form = QFormLayout()
        form.addRow("查看项", field_cell(fields_row, self.errors["field"]))
        form.addRow("查看事由(&R)", field_cell(self.reason_edit, self.errors["reason"]))
        form.addRow("完整号码", self.value_edit)
        note = QLabel(AUDIT_NOTE)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText("关闭")
        self.close_button.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        self.show_button = QPushButton("显示")
        self.show_button.setObjectName("reveal_show")
        buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.show_button.setDefault(True)  # Enter in 查看事由 shows the number
        self.show_button.clicked.connect(self.reveal)
        for button in self.field_buttons.values():  # another field: the number shown goes
            button.toggled.connect(lambda _on: self.hide_value())
        box = QVBoxLayout(self)
        box.addWidget(who)
        box.addLayout(form)
        box.addWidget(self.errors["general"])
        box.addWidget(note)
        box.addWidget(buttons)
        self.reason_edit.setFocus()

    def field(self) -> str:
        return next(key for key, button in self.field_buttons.items() if button.isChecked())

    def reveal(self) -> str:
        """The full value (also shown), or '' when refused (the message at its field)."""
        for label in self.errors.values():
            label.clear_message()
        self.hide_value()
        try:  # the service checks the reason (two characters at least) and audits the view
            value = self.services.privacy.reveal(self.number, self.position, self.field(), self.reason_edit.text())
        except ValidationFailed as failure:
            for key, message in failure.by_field().items():
                self._refused(key if key in self.errors else "general", message)
            return ""
        except (SecurityError, NotFound) as refusal:
            self._refused("general", str(refusal))
            return ""
        self.value = value
        self.value_edit.setText(value or EMPTY_VALUE)
        self.value_edit.setVisible(True)
        self.value_edit.setFocus()
        self.value_edit.selectAll()
        self.close_button.setDefault(True)  # Enter now closes (hiding the number) rather than viewing again
        return value

    def _refused(self, key: str, message: str) -> None:
        self.errors[key].show_message(message)
        if key == "reason":
            self.reason_edit.setFocus()

    def hide_value(self) -> None:
        self.value = ""
        self.value_edit.clear()
        self.value_edit.setVisible(False)
        self.show_button.setDefault(True)

    def done(self, result: int) -> None:
        self.hide_value()
        super().done(result)
