"""设置 → 单位与文书设置…: the unit's letterhead and the wording of receipts and notices.

Every key of `DocumentService.templates()` is editable here; only changed values are saved
(a text left at its default keeps following the default). 保存后直接打印回执 lives in
QSettings with the printers, because it belongs to this desk, not to the unit.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.context import DeskServices
from app.services.document_templates import DEFAULTS, TITLES
from app.services.errors import ValidationFailed

from .banner import Banner
from .print_output import SLIP, NOTICE, PrintPrefs

UNIT_LABELS = {
    "unit.name": "单位名称",
    "unit.address": "单位地址",
    "unit.phone": "联系电话",
    "unit.seal_text": "印章文字",
    "unit.handler": "经办人",
    "unit.handler_phone": "经办人电话",
}
TEXT_LABELS = {
    "text.query": "查询说明",
    "text.rights": "权利告知",
}
DEADLINE_LABELS = {
    "deadline.pending": "期限（尚未决定是否受理）",
    "deadline.accept": "期限（受理）",
    "deadline.forward": "期限（转送、交办）",
    "deadline.extend": "期限（延期办理）",
}
PLACEHOLDER_NOTE = (
    "花括号中的占位符在打印时换成本件的内容：{信访日期} {标题} {去向单位} {理由} {法定途径} "
    "{期限日期} {延期天数} {单位}。写错的占位符会按原样印出，请保存后预览核对。"
)
DIRECT_PRINT_TEXT = "保存后直接打印回执（发送到上次打印回执所用的打印机，不再预览）"


def label_for(key: str) -> str:
    """The Chinese caption of a template key (unknown keys show as themselves)."""
    for table in (UNIT_LABELS, TEXT_LABELS, DEADLINE_LABELS):
        if key in table:
            return table[key]
    if key.startswith("body."):
        kind = key.removeprefix("body.")
        return f"{TITLES.get(kind, kind)}正文"
    return key


class PrintSettingsDialog(QDialog):
    def __init__(self, services: DeskServices, parent: QWidget | None = None, *, prefs: PrintPrefs | None = None):
        super().__init__(parent)
        self.setObjectName("print_settings")
        self.setWindowTitle("单位与文书设置")
        self.services = services
        self.prefs = prefs or PrintPrefs()
        self.saved_values = services.documents.templates()
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        station = services.stations.require()

        self.banner = Banner()
        unit_box = QGroupBox("单位信息（印在回执和告知书上）")
        unit_form = QFormLayout(unit_box)
        text_box = QGroupBox("告知文字")
        text_form = QFormLayout(text_box)
        for key in DEFAULTS:
            if key.startswith("unit."):
                editor = QLineEdit()
                if key == "unit.name":
                    editor.setPlaceholderText(f"留空则用接待站名称：{station.name}")
                elif key == "unit.seal_text":
                    editor.setPlaceholderText("留空则为“单位名称（印章）”")
                elif key == "unit.handler":
                    editor.setPlaceholderText("留空则为登记人")
                elif key == "unit.handler_phone":
                    editor.setPlaceholderText("留空则用联系电话")
                unit_form.addRow(label_for(key), editor)
            else:
                editor = QPlainTextEdit()
                editor.setTabChangesFocus(True)
                editor.setMinimumHeight(60)
                editor.setMaximumHeight(110)
                text_form.addRow(label_for(key), editor)
            editor.setObjectName(f"template_{key}")
            self.editors[key] = editor
        note = QLabel(PLACEHOLDER_NOTE)
        note.setObjectName("placeholder_note")
        note.setWordWrap(True)
        text_form.insertRow(0, note)

        print_box = QGroupBox("本机打印")
        print_column = QVBoxLayout(print_box)
        self.direct_check = QCheckBox(DIRECT_PRINT_TEXT)
        self.direct_check.setObjectName("direct_print")
        print_column.addWidget(self.direct_check)
        for group, caption in ((SLIP, "回执打印机"), (NOTICE, "告知书打印机")):
            name = self.prefs.printer(group) or "（尚未打印过，打印时选择）"
            print_column.addWidget(QLabel(f"{caption}：{name}"))

        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(unit_box)
        column.addWidget(text_box)
        column.addWidget(print_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.defaults_button = QPushButton("恢复默认文字")
        self.defaults_button.setObjectName("restore_defaults")
        buttons.addButton(self.defaults_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.defaults_button.clicked.connect(self.restore_default_texts)

        box = QVBoxLayout(self)
        box.addWidget(self.banner)
        box.addWidget(scroll, 1)
        box.addWidget(buttons)
        self.resize(760, 820)
        self.load(self.saved_values)
        self.direct_check.setChecked(self.prefs.direct())

    def load(self, values: dict[str, str]) -> None:
        for key, editor in self.editors.items():
            text = values.get(key, "")
            if isinstance(editor, QLineEdit):
                editor.setText(text)
            else:
                editor.setPlainText(text)

    def values(self) -> dict[str, str]:
        out = {}
        for key, editor in self.editors.items():
            text = editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText()
            out[key] = text.strip()
        return out

    def restore_default_texts(self) -> None:
        """The wording back to the defaults; the unit's own details stay."""
        self.load({**self.values(), **{k: v for k, v in DEFAULTS.items() if not k.startswith("unit.")}})

    def save(self) -> bool:
        changed = {key: value for key, value in self.values().items() if value != self.saved_values.get(key)}
        try:
            if changed:
                self.services.documents.save_templates(changed)
        except ValidationFailed as failure:
            self.banner.show_message("；".join(e.message for e in failure.errors), "error")
            return False
        self.prefs.set_direct(self.direct_check.isChecked())
        self.saved_values = self.services.documents.templates()
        self.accept()
        return True
