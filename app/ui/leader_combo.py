"""接访领导: an editable list of the active leaders, today's on-duty leaders first and marked."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt

from app.services.leaders import ON_DUTY_SUFFIX, ReceiverChoice

from .form_fields import TextCombo


class LeaderCombo(TextCombo):
    """Shows "张县长（今日接访）" but its value is the leader's name; any typed name is kept as typed
    (the registration service refuses names that are not active leaders)."""

    def set_choices(self, choices: Sequence[ReceiverChoice]) -> None:
        """Replace the list, keeping what the field holds now."""
        current = self.value()
        self.blockSignals(True)
        try:
            self.clear()
            for choice in choices:
                self.addItem(choice.label, choice.name)
                if choice.title:
                    self.setItemData(self.count() - 1, choice.title, Qt.ItemDataRole.ToolTipRole)
            self.set_value(current)
        finally:
            self.blockSignals(False)

    def names(self) -> list[str]:
        """The leaders offered, in list order."""
        return [str(self.itemData(i)) for i in range(self.count())]

    def value(self) -> str:
        text = self.currentText().strip()
        index = self.findText(text, Qt.MatchFlag.MatchExactly)
        if index >= 0:
            return str(self.itemData(index))
        return text.removesuffix(ON_DUTY_SUFFIX).strip()

    def set_value(self, value: str) -> None:
        name = (value or "").strip()
        index = self.findData(name) if name else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText(name)
