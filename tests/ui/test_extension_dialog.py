"""延期办理 from the matter detail: refused input stays at the field, then the extension notice."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from ui_support import register_matter, type_text

from app.receipts.content import KIND_EXTEND
from app.ui.extension_dialog import ExtensionDialog
from app.ui.matter_detail import MatterDetailDialog
from app.ui.operator_field import OPERATOR_KEY
from app.ui.print_preview import DocumentPreviewDialog


def test_only_accepted_matters_offer_the_extension(qtbot, services):
    accepted = register_matter(services, decision="受理告知").number
    forwarded = register_matter(services, decision="转送", decision_unit="县人社局").number
    for number, enabled in ((accepted, True), (forwarded, False)):
        dialog = MatterDetailDialog(services.matters, number, services=services)
        qtbot.addWidget(dialog)
        assert dialog.extend_button.isEnabled() is enabled


def test_missing_reason_is_shown_at_the_field_and_nothing_is_recorded(qtbot, services):
    services.settings.set_many({OPERATOR_KEY: "李四"})  # the 经办人 this desk used last
    number = register_matter(services, decision="受理告知").number
    dialog = ExtensionDialog(services, number)
    qtbot.addWidget(dialog)
    dialog.days_spin.setValue(20)
    assert dialog.submit() is False
    assert dialog.errors["extension.reason"].text() == "须写明延期理由，告知书上将载明"
    assert dialog.errors["extension.reason"].isVisibleTo(dialog)
    assert dialog.days_spin.value() == 20
    assert services.extensions.current(number) is None

    dialog.reason_edit.setFocus()
    type_text(dialog.reason_edit, "需要现场勘验")
    assert dialog.submit() is True
    assert services.extensions.current(number).days == 20
    again = ExtensionDialog(services, number)
    qtbot.addWidget(again)
    assert again.days_spin.value() == 10  # what is left of the 30 days


def test_extending_from_the_detail_opens_the_extension_notice(qtbot, services):
    services.settings.set_many({OPERATOR_KEY: "李四"})
    number = register_matter(services, decision="受理告知").number
    detail = MatterDetailDialog(services.matters, number, services=services)
    qtbot.addWidget(detail)
    detail.show()

    def fill_and_accept():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExtensionDialog)
        dialog.days_spin.setValue(15)
        dialog.reason_edit.setPlainText("等待工资台账鉴定结论")
        dialog.submit()

    QTimer.singleShot(0, fill_and_accept)
    qtbot.mouseClick(detail.extend_button, Qt.MouseButton.LeftButton)
    preview = detail.findChild(DocumentPreviewDialog)
    assert preview is not None and preview.kind == KIND_EXTEND
    assert "等待工资台账鉴定结论" in "".join(preview.content.body)
    assert services.extensions.current(number).days == 15
