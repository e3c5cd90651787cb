"""延期办理: days and reason for an accepted matter, then the extension notice's preview."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.context import DeskServices
from app.services.errors import ValidationFailed

from .field_error import FieldErrorLabel, field_cell
from .operator_field import OperatorEdit


class ExtensionDialog(QDialog):
    """Records the extension through the services; refusals are shown at the fields, nothing is lost."""

    def __init__(self, services: DeskServices, number: str, parent: QWidget | None = None, *, actor: str = ""):
        super().__init__(parent)
        self.setObjectName("extension_dialog")
        self.setWindowTitle(f"延期办理 {number}")
        self.services, self.number = services, number
        self.operator = OperatorEdit(services, initial=actor)
        previous = services.extensions.current(number)
        self.days_spin = QSpinBox()
        self.days_spin.setObjectName("extension_days")
        max_days = services.extensions.max_days()
        self.days_spin.setRange(1, max_days)
        self.days_spin.setValue(max_days - (previous.days if previous else 0) or 1)
        self.days_spin.setSuffix(" 日")
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("extension_reason")
        self.reason_edit.setPlaceholderText("延期理由（将写入延期办理告知书）")
        self.reason_edit.setTabChangesFocus(True)
        self.errors = {
            key: FieldErrorLabel(key) for key in ("extension", "extension.days", "extension.reason", "actor")
        }
        note = QLabel(
            "《信访工作条例》第三十四条：情况复杂的，经本机关负责人批准，可以适当延长办理期限，"
            f"但延长期限不得超过{max_days}日（按所选期限规则），并告知信访人延期理由。"
            + (f"本件已延期{previous.days}日。" if previous else "")
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("延长天数", field_cell(self.days_spin, self.errors["extension.days"]))
        form.addRow("延期理由", field_cell(self.reason_edit, self.errors["extension.reason"]))
        form.addRow("经办人", field_cell(self.operator, self.errors["actor"]))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("延期并出具告知书")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(note)
        box.addWidget(self.errors["extension"])
        box.addLayout(form)
        box.addWidget(buttons)

    def submit(self) -> bool:
        for label in self.errors.values():
            label.clear_message()
        try:
            self.services.extensions.extend(
                self.number, self.days_spin.value(), self.reason_edit.toPlainText(), actor=self.operator.value()
            )
        except ValidationFailed as failure:
            for key, message in failure.by_field().items():
                self.errors.get(key, self.errors["extension"]).show_message(message)
            return False
        self.operator.remember()
        self.accept()
        return True
