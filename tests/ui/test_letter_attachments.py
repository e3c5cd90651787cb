"""A letter at the real form: 信访形式 来信 turns 信访日期 into 邮戳日期, its scans are attached,
kept in the draft, saved with Ctrl+S, and shown (and opened) in the matter detail."""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from ui_support import press_key, type_text
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from app.ui.matter_detail import MatterDetailDialog
from app.ui.registration_form import DRAFT_FILE, RESTORED_MESSAGE, RegistrationForm

VALID_ID = "360426199101010071"
WAGES = "劳动和社会保障 / 劳动关系 / 拖欠农民工工资"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def scans(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "scans"
    folder.mkdir()
    files = {
        "page": folder / "来信第1页.pdf",
        "envelope": folder / "信封.jpg",
        "word": folder / "说明.doc",
        "later": folder / "补充材料.png",
    }
    files["page"].write_bytes(b"%PDF-1.4\n" + b"p" * 4000)
    files["envelope"].write_bytes(b"\xff\xd8\xff\xe0" + b"e" * 2500)
    files["word"].write_bytes(b"\xd0\xcf\x11\xe0 not a scan")
    files["later"].write_bytes(b"\x89PNG\r\n\x1a\n" + b"l" * 1200)
    return files


@pytest.fixture
def make_form(qtbot, services):
    def make() -> RegistrationForm:
        form = RegistrationForm(services, actor="刘芳")
        qtbot.addWidget(form)
        form.resize(1000, 900)
        form.show()
        form.activateWindow()
        qtbot.waitUntil(form.isActiveWindow)
        return form

    return make


def enter_text(widget, text: str) -> None:
    widget.setFocus()
    type_text(widget, text)


def caption_texts(form) -> set[str]:
    return {label.text() for label in form.findChildren(QLabel) if label.isVisibleTo(form)}


def error_text(form, name: str) -> str:
    label = form.findChild(QLabel, f"error_{name}")
    return label.text() if label.isVisibleTo(form) else ""


class UrlCatcher(QObject):
    """Stands in for the system viewer: Qt hands it the file:// URLs QDesktopServices would open."""

    def __init__(self):
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_letter_with_scans_from_form_to_detail(qtbot, make_form, services, scans):
    form = make_form()
    v, p, m = form.visit, form.petitioner, form.matter
    assert "信访日期" in caption_texts(form) and "邮戳日期" not in caption_texts(form)
    assert "附件（信件扫描件或照片）" in caption_texts(form)

    # 信访形式: 走访 -> 来信 with the arrow key; the date's caption follows.
    v.form_combo.setFocus()
    press_key(Qt.Key.Key_Down)
    assert v.form_combo.value() == "来信"
    assert "邮戳日期" in caption_texts(form) and "信访日期" not in caption_texts(form)

    # The postmark date, typed section by section.
    postmark = date.today() - timedelta(days=5)
    press_key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is v.date_edit
    QTest.keyClicks(v.date_edit, postmark.strftime("%Y%m%d"))
    assert v.date_edit.date().toPython() == postmark

    enter_text(p.name_edit, "李秀英")
    enter_text(p.id_number_edit, VALID_ID)
    enter_text(m.content_class_picker.edit, WAGES)
    while QApplication.activePopupWidget() is not None:  # the 内容分类 suggestions
        QApplication.activePopupWidget().close()
    m.matter_class_combo.setFocus()
    type_text(m.matter_class_combo, "申")
    enter_text(m.title_edit, "来信反映拖欠工资")
    enter_text(m.request_edit, "请求支付拖欠的工资")

    # Attach: a Word file is refused at once, removing it with Delete clears the message.
    picker = v.attachment_picker
    picker.set_attachment_paths([scans["page"], scans["word"], scans["envelope"]])
    assert error_text(form, "attachments") == "文件“说明.doc”不是图片或PDF，请扫描或拍照后添加"
    picker.list_widget.setFocus()
    picker.list_widget.setCurrentRow(1)
    press_key(Qt.Key.Key_Delete)
    assert picker.value() == [str(scans["page"]), str(scans["envelope"])]
    assert error_text(form, "attachments") == ""
    assert [picker.list_widget.item(i).text() for i in range(picker.list_widget.count())] == ["来信第1页.pdf", "信封.jpg"]

    # Nothing is lost: the chosen files are part of the draft, and come back in a new form.
    form.flush_draft()
    sealed = (services.data_dir / DRAFT_FILE).read_text(encoding="utf-8")
    draft = json.loads(services.guard.cipher.open(sealed, "draft"))  # the draft is sealed on disk
    assert draft["values"]["attachments"] == [str(scans["page"]), str(scans["envelope"])]
    restored = make_form()
    assert restored.visit.attachment_picker.value() == picker.value()
    assert restored.visit.form_combo.value() == "来信" and "邮戳日期" in caption_texts(restored)
    assert restored.banner.text() == RESTORED_MESSAGE
    restored.close()

    # Ctrl+S saves; the list is empty again afterwards.
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    p.name_edit.setFocus()
    with qtbot.waitSignal(form.sig_saved) as saved:
        press_key(Qt.Key.Key_S, CTRL)
    number = saved.args[0]
    assert picker.value() == [] and form.is_blank()
    assert not (services.data_dir / DRAFT_FILE).exists()
    detail = services.matters.detail(number)
    assert detail.row.form == "来信" and detail.row.petition_date == postmark
    stored = services.attachments.list(number)
    assert [a.name for a in stored] == ["来信第1页.pdf", "信封.jpg"]

    # The matter detail lists the files; a double-click opens the stored copy.
    dialog = MatterDetailDialog(services.matters, number, services=services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    box = dialog.attachments_box
    items = [box.list_widget.item(i).text() for i in range(box.list_widget.count())]
    assert [t.split("（")[0] for t in items] == ["来信第1页.pdf", "信封.jpg"]
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        # A real double-click is press, release, then the double-click event (QTest sends only the last).
        viewport, at = box.list_widget.viewport(), box.list_widget.visualItemRect(box.list_widget.item(1)).center()
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
        QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
        qtbot.waitUntil(lambda: len(catcher.urls) == 1)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert Path(catcher.urls[0].toLocalFile()) == stored[1].path
    assert stored[1].path.read_bytes() == scans["envelope"].read_bytes()

    # 添加附件… later, from the detail (the file dialog's answer passed in directly).
    assert box.add_button.text() == "添加附件…"
    assert not box.add_files([scans["word"]])
    assert box.error_label.text() == "文件“说明.doc”不是图片或PDF，请扫描或拍照后添加"
    assert box.add_files([scans["later"]])
    assert not box.error_label.isVisibleTo(dialog)
    assert box.list_widget.count() == 3 and box.list_widget.item(2).text().startswith("补充材料.png（")
    labels = [dialog.view.events.topLevelItem(i).text(1) for i in range(dialog.view.events.topLevelItemCount())]
    assert labels.count("添加附件") == 3


def test_a_chosen_file_that_vanished_is_reported_at_the_attachments(qtbot, make_form, services, scans):
    """The service's message for attachments[0] is shown at the list; nothing is written."""
    form = make_form()
    v = form.visit
    v.form_combo.setFocus()
    press_key(Qt.Key.Key_Down)
    v.attachment_picker.set_attachment_paths([scans["page"]])
    scans["page"].unlink()  # moved away after it was chosen
    assert form.save() is None
    assert error_text(form, "attachments") == "找不到文件“来信第1页.pdf”（可能已被移动或删除），请重新添加"
    assert form.banner.text().startswith("有") and "附件（信件扫描件或照片）" in form.banner.text()
    assert v.attachment_picker.value() == [str(scans["page"])]  # kept, so the user can fix it
    assert not (services.data_dir / "attachments").exists()


def test_enter_skips_the_attachments_for_a_visit_but_stops_there_for_a_letter(qtbot, make_form):
    form = make_form()
    v = form.visit
    v.representatives_edit.setFocus()
    press_key(Qt.Key.Key_Return)
    assert QApplication.focusWidget() is form.matter.matter_class_combo
    v.form_combo.set_value("来信")
    v.representatives_edit.setFocus()
    press_key(Qt.Key.Key_Return)
    assert QApplication.focusWidget() is v.attachment_picker.list_widget
    press_key(Qt.Key.Key_Return)
    assert QApplication.focusWidget() is form.matter.matter_class_combo
