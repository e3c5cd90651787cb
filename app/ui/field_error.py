"""Small labels shown under a form field: a red error or an amber, non-blocking warning."""
from __future__ import annotations

import re

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

_UNSAFE = re.compile(r"[.\[\]]")

ERROR_STYLE = "color: #c62828; font-size: 90%;"
WARNING_STYLE = "color: #a15c00; font-size: 90%;"


def field_object_name(field_key: str) -> str:
    """`petitioners[0].id_number` -> `petitioners_0__id_number` (usable as a Qt objectName)."""
    return _UNSAFE.sub("_", field_key)


class _MessageLabel(QLabel):
    prefix = ""
    style = ""

    def __init__(self, field_key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.field_key = field_key
        self.setObjectName(self.prefix + field_object_name(field_key))
        self.setStyleSheet(self.style)
        self.setWordWrap(True)
        self.setVisible(False)

    def show_message(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))

    def clear_message(self) -> None:
        self.show_message(None)

    @property
    def message(self) -> str:
        return self.text()


class FieldErrorLabel(_MessageLabel):
    """Red message under a field; objectName `error_<field key>`."""

    prefix = "error_"
    style = ERROR_STYLE


class FieldWarningLabel(_MessageLabel):
    """Amber message under a field; objectName `warning_<field key>`."""

    prefix = "warning_"
    style = WARNING_STYLE


def field_cell(widget: QWidget, *labels: QLabel) -> QWidget:
    """The field with its message labels stacked below it, as one layout cell."""
    cell = QWidget()
    box = QVBoxLayout(cell)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(1)
    box.addWidget(widget)
    for label in labels:
        box.addWidget(label)
    return cell
