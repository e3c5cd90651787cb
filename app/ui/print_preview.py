"""Preview, print and save the documents of one matter: the 来访登记回执 and its notice.

The PDF shown is the PDF printed (`app.receipts.render`). Printing records a
`document_printed` event, so the next rendering of the same document says 【补打】;
saving a PDF is not handing the visitor paper and records nothing.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QStandardPaths, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.receipts.content import KIND_SLIP, SLIP_WIDTHS_MM, DocumentContent
from app.receipts.render import check_glyphs, render
from app.services.context import DeskServices
from app.services.document_templates import TITLES

from .banner import Banner
from .print_output import PrintFailed, PrintPrefs, deliver, deliver_to_named, group_of

logger = logging.getLogger(__name__)

HOW_PRINTED = "打印"
GLYPH_WARNING = "以下字符在本机字体中没有字形，打印出来会是空白：{chars}。请安装相应字体或改用常用字。"
GLYPH_QUESTION = "有字符打印出来会是空白（见预览上方的提示）。仍要打印吗？"
REPRINT_NOTE = "本文书已打印过，再次打印将标注【补打】。"
SLIP_ZOOM = 1.4


def describe_missing(missing: list[tuple[str, str]]) -> str:
    """“X”（信访人姓名）、“Y”（事项标题）: each character once per field, in order of appearance."""
    seen: list[tuple[str, str]] = []
    for label, char in missing:
        if (label, char) not in seen:
            seen.append((label, char))
    return GLYPH_WARNING.format(chars="、".join(f"“{char}”（{label}）" for label, char in seen))


def document_file_name(content: DocumentContent) -> str:
    return f"{content.matter_number}-{content.title}.pdf"


class DocumentPreviewDialog(QDialog):
    """`DocumentPreviewDialog(services, number, kind)`: what will be printed, exactly."""

    def __init__(
        self,
        services: DeskServices,
        number: str,
        kind: str = KIND_SLIP,
        parent: QWidget | None = None,
        *,
        actor: str = "",
        prefs: PrintPrefs | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("document_preview")
        self.services = services
        self.number = number
        self.actor = actor
        self.prefs = prefs or PrintPrefs()
        self.kinds = services.documents.kinds_for(number)
        self.kind = kind if kind in self.kinds else self.kinds[0]
        self.content: DocumentContent | None = None
        self.pdf: bytes = b""
        self.missing: list[tuple[str, str]] = []
        self._buffer = None

        self.banner = Banner()
        self.glyph_label = Banner()
        self.glyph_label.setObjectName("glyph_warning")
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kind_combo")
        for each in self.kinds:
            self.kind_combo.addItem(TITLES.get(each, each), each)
        self.kind_combo.setCurrentIndex(self.kinds.index(self.kind))
        self.width_combo = QComboBox()
        self.width_combo.setObjectName("width_combo")
        for width in SLIP_WIDTHS_MM:
            self.width_combo.addItem(f"{width} mm", width)
        self.width_combo.setCurrentIndex(SLIP_WIDTHS_MM.index(self.prefs.slip_width()))
        self.width_label = QLabel("纸宽")

        self.document: QPdfDocument | None = None
        self.view = QPdfView()
        self.view.setObjectName("pdf_view")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)

        self.print_button = QPushButton("打印（Ctrl+P）")
        self.print_button.setObjectName("print_button")
        self.print_button.setDefault(True)
        self.save_button = QPushButton("保存PDF")
        self.save_button.setObjectName("save_pdf_button")
        self.close_button = QPushButton("关闭（Esc）")
        self.close_button.setObjectName("close_button")
        self.close_button.setAutoDefault(False)
        self.save_button.setAutoDefault(False)

        top = QHBoxLayout()
        top.addWidget(QLabel("文书"))
        top.addWidget(self.kind_combo, 1)
        top.addWidget(self.width_label)
        top.addWidget(self.width_combo)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.glyph_label)
        box.addWidget(self.banner)
        box.addWidget(self.view, 1)
        box.addLayout(buttons)

        self.print_button.clicked.connect(lambda: self.print_document())
        self.save_button.clicked.connect(lambda: self.save_pdf())
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self, lambda: self.print_document())
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.width_combo.currentIndexChanged.connect(self._on_width_changed)

        self.resize(760, 900)
        self.refresh()
        self.print_button.setFocus()

    # --- state ---------------------------------------------------------------------

    @property
    def width_mm(self) -> int:
        return int(self.width_combo.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kinds.index(kind))

    def refresh(self) -> None:
        """Assemble and render the current document again (after printing it says 【补打】)."""
        is_slip = self.kind == KIND_SLIP
        self.width_combo.setVisible(is_slip)
        self.width_label.setVisible(is_slip)
        self.banner.clear_message()
        try:
            self.content = self.services.documents.content(self.number, self.kind)
            self.missing = check_glyphs(self.content)
            self.pdf = render(self.content, width_mm=self.width_mm)
            self._show_pdf(self.pdf)
        except Exception as exc:  # no usable font, a damaged record…: say so, print nothing
            logger.exception("rendering %s of %s failed", self.kind, self.number)
            self.pdf = b""
            self.view.setDocument(None)
            self.banner.show_message(f"文书生成失败：{exc}", "error")
        title = self.content.title if self.content else TITLES.get(self.kind, self.kind)
        self.setWindowTitle(f"{title} 预览" + ("（补打）" if self.content and self.content.reprint else ""))
        if self.missing:
            self.glyph_label.show_message(describe_missing(self.missing), "error")
        else:
            self.glyph_label.clear_message()
        if self.pdf and self.content and self.content.reprint:
            self.banner.show_message(REPRINT_NOTE, "info")
        self.print_button.setEnabled(bool(self.pdf))
        self.save_button.setEnabled(bool(self.pdf))

    def _show_pdf(self, pdf: bytes) -> None:
        """A new QPdfDocument each time: QPdfView keeps page images cached per document."""
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument(self)
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready:
            document.deleteLater()
            buffer.deleteLater()
            raise PrintFailed(f"文书无法显示（{document.error().name}）")
        self.view.setDocument(document)
        for old in (self.document, self._buffer):
            if old is not None:
                old.deleteLater()
        self.document, self._buffer = document, buffer
        if self.kind == KIND_SLIP:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(SLIP_ZOOM)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _on_kind_changed(self, index: int) -> None:
        self.kind = self.kind_combo.itemData(index)
        self.refresh()

    def _on_width_changed(self, _index: int) -> None:
        self.prefs.set_slip_width(self.width_mm)
        if self.kind == KIND_SLIP:
            self.refresh()

    # --- actions -------------------------------------------------------------------

    def confirm_missing_glyphs(self) -> bool:
        """With characters that will print blank, printing needs an explicit yes (default: no)."""
        if not self.missing:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, "缺字提示", GLYPH_QUESTION, parent=self)
        box.setObjectName("glyph_question")
        box.setInformativeText(describe_missing(self.missing))
        yes = box.addButton("仍然打印", QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.exec()
        return box.clickedButton() is yes

    def choose_printer(self) -> QPrinter | None:
        """The system print dialog, on the printer last used for this type of document."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._doc_name())
        remembered = self.prefs.printer(group_of(self.kind))
        if remembered and remembered in QPrinterInfo.availablePrinterNames():
            printer.setPrinterName(remembered)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"打印{self._doc_name()}")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer

    def print_document(self, printer: QPrinter | None = None) -> bool:
        """Print (asking for the printer unless one is given); on success record it and re-render."""
        if not self.pdf or self.content is None:
            return False
        if not self.confirm_missing_glyphs():
            return False
        printer = printer or self.choose_printer()
        if printer is None:
            return False
        try:
            deliver(self.pdf, printer, title=self._doc_name())
        except PrintFailed as exc:
            self.banner.show_message(f"打印失败：{exc}", "error")
            return False
        if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and printer.printerName():
            self.prefs.set_printer(group_of(self.kind), printer.printerName())
        self.services.documents.record_printed(self.number, self.kind, actor=self.actor, how=HOW_PRINTED)
        self.refresh()
        self.banner.show_message(f"已打印：{self._doc_name()}", "success")
        return True

    def save_pdf(self) -> Path | None:
        """Save the PDF where the user says (not recorded as printed: nobody got paper)."""
        if not self.pdf or self.content is None:
            return None
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder) / document_file_name(self.content))
        path, _filter = QFileDialog.getSaveFileName(self, "保存PDF", suggested, "PDF 文件 (*.pdf)")
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            target.write_bytes(self.pdf)
        except OSError as exc:
            self.banner.show_message(f"保存失败：{exc}", "error")
            return None
        self.banner.show_message(f"已保存：{target}", "success")
        return target

    def _doc_name(self) -> str:
        title = self.content.title if self.content else TITLES.get(self.kind, self.kind)
        return f"{self.number} {title}"


def show_document_preview(
    services: DeskServices, number: str, kind: str = KIND_SLIP, parent: QWidget | None = None, *, actor: str = ""
) -> DocumentPreviewDialog:
    """Open the preview without blocking (window-modal); it deletes itself when closed."""
    dialog = DocumentPreviewDialog(services, number, kind, parent, actor=actor)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def print_slip_after_save(
    services: DeskServices, number: str, parent: QWidget | None = None, *, actor: str = "", prefs: PrintPrefs | None = None
) -> tuple[str, DocumentPreviewDialog | None]:
    """After registering: print the slip straight away if the desk wants that and can, else preview it.

    Returns (status message, the preview dialog if one was opened). Direct printing falls back
    to the preview when no printer is remembered, when a character would print blank, or when
    the printer refuses the job (the preview then says why).
    """
    prefs = prefs or PrintPrefs()
    printer_name = prefs.printer(group_of(KIND_SLIP))
    if prefs.direct() and printer_name:
        error = ""
        try:
            content = services.documents.content(number, KIND_SLIP)
            if not check_glyphs(content):
                title = f"{number} {content.title}"
                deliver_to_named(render(content, width_mm=prefs.slip_width()), printer_name, title=title)
                services.documents.record_printed(number, KIND_SLIP, actor=actor, how=HOW_PRINTED)
                return f"回执已发送到打印机“{printer_name}”", None
        except PrintFailed as exc:
            error = str(exc)
        dialog = show_document_preview(services, number, KIND_SLIP, parent, actor=actor)
        if error:
            dialog.banner.show_message(f"直接打印失败：{error}", "error")
        return "", dialog
    return "", show_document_preview(services, number, KIND_SLIP, parent, actor=actor)
