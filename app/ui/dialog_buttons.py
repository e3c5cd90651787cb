"""The OK / Cancel row of a form dialog, in Chinese, with OK the default button (Enter)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialogButtonBox, QPushButton


def ok_cancel(on_ok: Callable[[], None], on_cancel: Callable[[], None], *, ok_text: str = "确定",
              cancel_text: str = "取消", ok_name: str = "") -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """The button box and its two buttons; `ok_name` is the OK button's objectName (tests find it)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setDefault(True)
    if ok_name:
        ok.setObjectName(ok_name)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    cancel.setText(cancel_text)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(on_cancel)
    return buttons, ok, cancel
