"""重复访 line: which earlier matter this visit repeats (set from the history panel)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


class RepeatLink(QWidget):
    """Read-only "关联为重复访: <number>" with a clear button; empty means not a repeat visit."""

    sig_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._number = ""
        self.label = QLabel()
        self.label.setObjectName("repeat_of_label")
        self.clear_button = QPushButton("取消关联")
        self.clear_button.setObjectName("repeat_of_clear")
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.label, 1)
        box.addWidget(self.clear_button)
        self.setFocusProxy(self.clear_button)
        self.clear_button.clicked.connect(lambda: self.set_value(""))
        self._refresh()

    def value(self) -> str:
        return self._number

    def set_value(self, number) -> None:
        number = (number or "").strip()
        if number == self._number:
            return
        self._number = number
        self._refresh()
        self.sig_changed.emit(number)

    def _refresh(self) -> None:
        if self._number:
            self.label.setText(f"关联为重复访: {self._number}")
        else:
            self.label.setText("非重复访（可在右侧“来访记录”中选择以往信访件关联）")
        self.clear_button.setVisible(bool(self._number))
