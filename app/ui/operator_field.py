"""经办人: who records a step on a matter, remembered for the desk between dialogs and restarts."""
from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from app.services.context import DeskServices

OPERATOR_KEY = "desk.operator"
MAX_OPERATOR = 50


class OperatorEdit(QLineEdit):
    """Prefilled with the last operator who acted at this desk; `remember()` stores what was used."""

    def __init__(self, services: DeskServices, parent: QWidget | None = None, *, initial: str = ""):
        super().__init__(parent)
        self.services = services
        self.setObjectName("operator_edit")
        self.setMaxLength(MAX_OPERATOR)
        self.setPlaceholderText("经办人姓名")
        self.setText(initial or services.settings.get(OPERATOR_KEY, ""))

    def value(self) -> str:
        return self.text().strip()

    def remember(self) -> None:
        """Keep the operator for the next dialog (only after the step was recorded)."""
        name = self.value()
        if name and name != self.services.settings.get(OPERATOR_KEY, ""):
            self.services.settings.set_many({OPERATOR_KEY: name})
