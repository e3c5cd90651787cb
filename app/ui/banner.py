"""A one-line message strip at the top of a page (success, error summary, restored draft)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

_STYLES = {
    "info": "background: #e3f2fd; color: #0d47a1;",
    "success": "background: #e8f5e9; color: #1b5e20;",
    "error": "background: #ffebee; color: #b71c1c;",
    "warning": "background: #fff8e1; color: #7a4f00;",
}


class Banner(QLabel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setWordWrap(True)
        self.kind = ""
        self.setVisible(False)

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        self.setText(text)
        self.setStyleSheet(f"QLabel {{ {_STYLES.get(kind, '')} padding: 6px; border-radius: 3px; }}")
        self.setVisible(True)

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        self.setVisible(False)
