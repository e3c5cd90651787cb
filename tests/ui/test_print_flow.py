"""Preview, print and save the documents of a matter, against the real services and the real renderer.

No real printer here: printing is tested into a QPrinter in PDF output mode (the same painting
as on Windows) and through a stand-in `lp` script on PATH (what CUPS would receive).
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from ui_support import register_matter
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLabel, QMessageBox

from app.receipts.content import KIND_ACCEPT, KIND_SLIP
from app.services.document_templates import DEFAULTS
from app.services.documents import PRINTED
from app.ui.app import create_main_window
from app.ui.matter_detail import MatterDetailDialog
from app.ui.print_output import PrintPrefs, page_on_white, paint_pdf
from app.ui.print_preview import DocumentPreviewDialog, print_slip_after_save
from app.ui.print_settings import PrintSettingsDialog

MM = 72 / 25.4
PUA = "\ue000"  # Private Use Area: no font has a glyph for it


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def open_pdf(data: bytes) -> tuple[QPdfDocument, QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    assert document.status() == QPdfDocument.Status.Ready
    return document, buffer


def shown_text(dialog: DocumentPreviewDialog) -> str:
    document = dialog.view.document()
    return "".join(document.getAllText(page).text() for page in range(document.pageCount()))


def printed_events(services, number: str) -> list[dict]:
    return [e.payload for e in services.matters.detail(number).events if e.kind == PRINTED]


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def dark_pixels(image) -> int:
    small = image.scaledToWidth(200)
    return sum(
        1 for y in range(small.height()) for x in range(small.width()) if QColor(small.pixel(x, y)).lightness() < 128
    )


@pytest.fixture
def make_preview(qtbot, services):
    def make(number: str, kind: str = KIND_SLIP) -> DocumentPreviewDialog:
        dialog = DocumentPreviewDialog(services, number, kind)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


def answer_next_message_box(button_text: str, seen: list[str]) -> None:
    """Click a button of the next modal message box (the offscreen test cannot see it)."""

    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        seen.append(box.informativeText())
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, click)


def test_saving_in_the_main_window_opens_the_slip_preview_and_esc_returns_to_the_form(qtbot, services):
    window = create_main_window(services)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    form = window.registration_page.form
    form.petitioner.name_edit.setText("张三")
    form.petitioner.id_type_combo.set_value("无证件")
    form.matter.matter_class_combo.set_value("申诉求决")
    form.matter.content_class_picker.set_value("拖欠农民工工资")
    form.matter.title_edit.setText("拖欠工资")
    form.matter.request_edit.setPlainText("要求支付拖欠的工资")
    number = form.save()
    assert number
    preview = window.preview
    assert isinstance(preview, DocumentPreviewDialog) and preview.isVisible()
    assert preview.windowTitle() == "来访登记回执 预览"
    assert preview.kind == KIND_SLIP and preview.view.document().pageCount() >= 1
    text = shown_text(preview)
    assert number in text and "来访登记回执" in text
    assert not preview.glyph_label.isVisibleTo(preview)
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.preview is None)
    qtbot.waitUntil(form.petitioner.name_edit.hasFocus)  # ready for the next visitor
    assert printed_events(services, number) == []  # previewing is not printing


def test_switching_to_the_notice_and_the_slip_width(qtbot, services, make_preview):
    number = register_matter(services, decision="受理告知").number
    dialog = make_preview(number)
    assert [dialog.kind_combo.itemText(i) for i in range(dialog.kind_combo.count())] == ["来访登记回执", "信访事项受理告知书"]
    slip_width = dialog.view.document().pagePointSize(0).width()
    assert slip_width == pytest.approx(80 * MM, abs=1)
    dialog.width_combo.setCurrentIndex(dialog.width_combo.findData(58))
    assert dialog.view.document().pagePointSize(0).width() == pytest.approx(58 * MM, abs=1)
    assert PrintPrefs().slip_width() == 58  # remembered for the next slip

    dialog.kind_combo.setCurrentIndex(1)
    assert dialog.kind == KIND_ACCEPT
    assert dialog.windowTitle() == "信访事项受理告知书 预览"
    assert not dialog.width_combo.isVisibleTo(dialog)
    size = dialog.view.document().pagePointSize(0)
    assert (size.width(), size.height()) == (pytest.approx(210 * MM, abs=1), pytest.approx(297 * MM, abs=1))
    assert "信访事项受理告知书" in shown_text(dialog)

    again = make_preview(number)
    assert again.width_combo.currentData() == 58


def test_a_character_no_font_has_is_named_and_printing_needs_confirmation(qtbot, services, make_preview, tmp_path):
    number = register_matter(services, title=f"拖欠{PUA}工资").number
    dialog = make_preview(number)
    warning = dialog.glyph_label
    assert warning.isVisibleTo(dialog)
    assert warning.text() == (
        f"以下字符在本机字体中没有字形，打印出来会是空白：“{PUA}”（事项标题）。请安装相应字体或改用常用字。"
    )
    seen: list[str] = []
    answer_next_message_box("取消", seen)
    assert dialog.print_document(pdf_printer(tmp_path / "no.pdf")) is False
    assert seen == [warning.text()]
    assert not (tmp_path / "no.pdf").exists() and printed_events(services, number) == []

    answer_next_message_box("仍然打印", seen)
    assert dialog.print_document(pdf_printer(tmp_path / "yes.pdf")) is True
    assert (tmp_path / "yes.pdf").stat().st_size > 0
    assert len(printed_events(services, number)) == 1


def test_save_pdf_writes_the_document_and_is_not_a_print(qtbot, services, make_preview, tmp_path, monkeypatch):
    number = register_matter(services).number
    dialog = make_preview(number)
    asked = {}
    target = tmp_path / "out" / "回执"  # no suffix typed: .pdf is added
    target.parent.mkdir()

    def fake_save_dialog(parent, caption, directory, file_filter):
        asked.update(caption=caption, directory=directory)
        return str(target), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save_dialog))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = target.with_name("回执.pdf")
    assert saved.read_bytes()[:5] == b"%PDF-"
    assert number in pdf_text(saved)
    assert Path(asked["directory"]).name == f"{number}-来访登记回执.pdf"
    assert printed_events(services, number) == []
    assert services.documents.content(number, KIND_SLIP).reprint is False


def test_printing_paints_the_pages_records_the_print_and_the_next_copy_is_a_reprint(qtbot, services, make_preview, tmp_path):
    number = register_matter(services).number
    dialog = make_preview(number)
    assert "补打" not in shown_text(dialog)
    out = tmp_path / "printed.pdf"
    assert dialog.print_document(pdf_printer(out)) is True

    printed, buffer = open_pdf(out.read_bytes())
    assert printed.pageCount() == dialog.view.document().pageCount()
    assert printed.pagePointSize(0).width() == pytest.approx(80 * MM, abs=1)  # the paper follows the slip
    assert dark_pixels(page_on_white(printed, 0, 72)) > 200  # painted, not blank

    assert printed_events(services, number) == [{"document": KIND_SLIP, "reprint": False, "how": "打印"}]
    assert services.documents.content(number, KIND_SLIP).reprint is True
    assert dialog.windowTitle() == "来访登记回执 预览（补打）"
    assert "补打" in shown_text(dialog)  # re-rendered after printing
    assert dialog.banner.text() == f"已打印：{number} 来访登记回执"


def test_paint_pdf_puts_every_page_on_the_printer(qtbot, services, tmp_path):
    from app.receipts.render import render

    number = register_matter(services, decision="受理告知").number
    pdf = render(services.documents.content(number, KIND_ACCEPT))
    source, _buffer = open_pdf(pdf)
    out = tmp_path / "notice.pdf"
    assert paint_pdf(pdf, pdf_printer(out)) == source.pageCount()
    painted, _buffer2 = open_pdf(out.read_bytes())
    assert painted.pageCount() == source.pageCount()
    assert painted.pagePointSize(0).height() == pytest.approx(297 * MM, abs=1)


def test_ctrl_p_prints_through_the_print_dialog_and_remembers_nothing_for_a_file(
    qtbot, services, make_preview, tmp_path, monkeypatch
):
    number = register_matter(services).number
    dialog = make_preview(number)
    out = tmp_path / "ctrl-p.pdf"
    shown = []

    def accept_print_dialog(print_dialog):  # the user picks "print to file" and presses 打印
        shown.append(print_dialog.windowTitle())
        print_dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        print_dialog.printer().setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept_print_dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert shown == [f"打印{number} 来访登记回执"]
    assert out.read_bytes()[:5] == b"%PDF-"
    assert len(printed_events(services, number)) == 1
    assert PrintPrefs().printer("slip") == ""  # a file is not a printer to remember


@pytest.fixture
def fake_lp(tmp_path, monkeypatch):
    """An `lp` on PATH standing in for CUPS: keeps its arguments and a copy of the file it was given."""
    if sys.platform.startswith("win"):
        pytest.skip("CUPS lp is not used on Windows")
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "lp-args.txt"
    script = folder / "lp"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ -e "{tmp_path}/lp-refuses" ]; then echo "lp: The printer or class does not exist." >&2; exit 1; fi\n'
        f'echo "$@" > "{log}"\n'
        'for last; do :; done\n'
        f'cp "$last" "{tmp_path}/lp-received.pdf"\n'
        'echo "request id is desk-1 (1 file(s))"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return tmp_path


def test_direct_printing_sends_the_pdf_itself_to_the_remembered_printer(qtbot, services, fake_lp):
    prefs = PrintPrefs()
    prefs.set_direct(True)
    prefs.set_printer("slip", "Thermal80")
    prefs.set_slip_width(58)
    number = register_matter(services).number
    message, preview = print_slip_after_save(services, number)
    assert (message, preview) == ("回执已发送到打印机“Thermal80”", None)
    args = (fake_lp / "lp-args.txt").read_text(encoding="utf-8").split()
    assert args[:4] == ["-d", "Thermal80", "-n", "1"]
    received = fake_lp / "lp-received.pdf"
    assert number in pdf_text(received)  # the vector PDF, text and all
    document, _buffer = open_pdf(received.read_bytes())
    assert document.pagePointSize(0).width() == pytest.approx(58 * MM, abs=1)
    assert printed_events(services, number) == [{"document": KIND_SLIP, "reprint": False, "how": "打印"}]


def test_direct_printing_falls_back_to_the_preview(qtbot, services, fake_lp):
    prefs = PrintPrefs()
    prefs.set_direct(True)
    number = register_matter(services).number
    message, preview = print_slip_after_save(services, number)  # no printer remembered yet
    qtbot.addWidget(preview)
    assert message == "" and preview.isVisible() and preview.kind == KIND_SLIP

    prefs.set_printer("slip", "Gone")
    (fake_lp / "lp-refuses").touch()
    message, preview = print_slip_after_save(services, number)
    qtbot.addWidget(preview)
    assert message == ""
    assert preview.banner.text() == "直接打印失败：打印机“Gone”没有接受打印任务：lp: The printer or class does not exist."
    assert printed_events(services, number) == []

    (fake_lp / "lp-refuses").unlink()
    odd = register_matter(services, title=f"拖欠{PUA}工资").number
    message, preview = print_slip_after_save(services, odd)  # a blank character: show the warning instead
    qtbot.addWidget(preview)
    assert preview.glyph_label.isVisibleTo(preview)
    assert not (fake_lp / "lp-args.txt").exists() and printed_events(services, odd) == []


def test_the_detail_dialog_prints_documents_and_marks_the_reprint(qtbot, services, tmp_path):
    number = register_matter(services, decision="受理告知").number
    services.documents.record_printed(number, KIND_SLIP)  # the slip was printed at the desk
    detail = MatterDetailDialog(services.matters, number, services=services)
    qtbot.addWidget(detail)
    detail.show()
    qtbot.mouseClick(detail.print_button, Qt.MouseButton.LeftButton)
    preview = detail.findChild(DocumentPreviewDialog)
    assert preview is not None and preview.isVisible()
    assert preview.windowTitle() == "来访登记回执 预览（补打）"
    preview.set_kind(KIND_ACCEPT)
    assert preview.windowTitle() == "信访事项受理告知书 预览"  # never printed yet
    assert preview.print_document(pdf_printer(tmp_path / "notice.pdf"))
    assert [e["document"] for e in printed_events(services, number)] == [KIND_SLIP, KIND_ACCEPT]
    assert preview.windowTitle() == "信访事项受理告知书 预览（补打）"


def test_settings_dialog_saves_the_unit_name_and_direct_printing(qtbot, services):
    number = register_matter(services).number
    assert services.documents.content(number, KIND_SLIP).issuing_unit == "德安县信访局"
    dialog = PrintSettingsDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert set(dialog.editors) == set(services.documents.templates())
    form_labels = [label.text() for label in dialog.findChildren(QLabel)]
    for caption in ("单位名称", "单位地址", "联系电话", "印章文字", "经办人", "经办人电话", "查询说明", "权利告知", "信访事项受理告知书正文"):
        assert caption in form_labels
    dialog.editors["unit.name"].setText("德安县人民政府信访局")
    dialog.direct_check.setChecked(True)
    assert dialog.save() is True
    assert dialog.result() == QDialog.DialogCode.Accepted
    content = services.documents.content(number, KIND_SLIP)
    assert content.issuing_unit == "德安县人民政府信访局"
    assert content.seal_text == "德安县人民政府信访局（印章）"
    assert services.settings.all("unit.") == {"unit.name": "德安县人民政府信访局"}  # unchanged wording not frozen
    assert PrintPrefs().direct() is True

    again = PrintSettingsDialog(services)
    qtbot.addWidget(again)
    assert again.editors["unit.name"].text() == "德安县人民政府信访局"
    assert again.direct_check.isChecked()


def test_settings_menu_opens_the_dialog(qtbot, services):
    window = create_main_window(services)
    qtbot.addWidget(window)
    window.show()
    action = next(a for a in window.findChildren(QAction) if a.objectName() == "action_print_settings")
    assert action.text() == "单位与文书设置(&D)…"
    action.trigger()
    dialog = window.findChild(PrintSettingsDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_restoring_the_default_wording_keeps_the_unit_details(qtbot, services):
    services.documents.save_templates({"unit.name": "德安县人民政府信访局", "text.query": "请来电查询。"})
    dialog = PrintSettingsDialog(services)
    qtbot.addWidget(dialog)
    assert dialog.editors["text.query"].toPlainText() == "请来电查询。"
    qtbot.mouseClick(dialog.defaults_button, Qt.MouseButton.LeftButton)
    assert dialog.save() is True
    templates = services.documents.templates()
    assert templates["text.query"] == DEFAULTS["text.query"]
    assert templates["unit.name"] == "德安县人民政府信访局"


def test_the_timeline_names_the_printed_document():
    from app.ui.matter_detail import describe_payload

    assert describe_payload({"document": KIND_SLIP, "reprint": False, "how": "打印"}) == "文书：来访登记回执；方式：打印"
    assert describe_payload({"document": KIND_ACCEPT, "reprint": True, "how": "打印"}) == "文书：信访事项受理告知书；补打：是；方式：打印"
