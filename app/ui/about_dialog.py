"""帮助 → 关于信访接待台…: name, version, the Qt and Python underneath, the data folder, the notice.

What a support call asks for first; 复制 puts the same lines on the clipboard as plain text.
"""
from __future__ import annotations

import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.version import APP_NAME, version

NOTICE = "专有软件，仅供授权的信访接待机构内部使用。信访人的个人信息依法保密，不得向无关人员提供。"


def about_fields(data_dir: Path) -> list[tuple[str, str, str]]:
    """(objectName, label, value) of each line the dialog shows."""
    return [
        ("about_version", "版本", version()),
        ("about_qt", "Qt", f"{qVersion()}（PySide6 {PySide6.__version__}）"),
        ("about_python", "Python", f"{platform.python_version()}（{platform.python_implementation()}）"),
        ("about_system", "操作系统", platform.platform(terse=True)),
        ("about_data_dir", "数据目录", str(data_dir)),
    ]


def about_text(data_dir: Path) -> str:
    """The dialog's content as plain text (what 复制 copies)."""
    lines = [APP_NAME, *(f"{label}：{value}" for _name, label, value in about_fields(data_dir)), NOTICE]
    return "\n".join(lines)


class AboutDialog(QDialog):
    def __init__(self, data_dir: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(f"关于{APP_NAME}")
        self.data_dir = Path(data_dir)

        title = QLabel(f"{APP_NAME} {version()}")
        title.setObjectName("about_title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)

        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for name, label, value in about_fields(self.data_dir):
            field = QLabel(value)
            field.setObjectName(name)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[name] = field
            form.addRow(f"{label}：", field)

        notice = QLabel(NOTICE)
        notice.setObjectName("about_notice")
        notice.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.copy_button = buttons.addButton("复制(&C)", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setObjectName("about_copy")
        self.copy_button.setToolTip("把以上信息复制到剪贴板，便于报告问题")
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(notice)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def copy_to_clipboard(self) -> None:
        QApplication.clipboard().setText(about_text(self.data_dir))
