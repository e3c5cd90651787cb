"""Getting a rendered PDF onto paper, and what the desk remembers about its printers.

The PDF from `app.receipts.render` is vector and exact; keep it that way where the platform
allows: on Linux and macOS the file itself goes to CUPS with `lp -d <printer>`. Elsewhere
(Windows, no `lp`, or Qt's "print to file") the pages are rendered with QtPdf onto white and
painted onto the QPrinter (QtPdf renders with a transparent background).
"""
from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSettings, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from app.receipts.content import KIND_SLIP, SLIP_WIDTHS_MM

logger = logging.getLogger(__name__)

# Pages are rasterised at the printer's resolution, but at most this (an A4 page at 300 dpi is
# 35 MB of pixels; thermal printers have 203 dpi, office lasers print text well at 300).
MAX_RASTER_DPI = 300
LP_TIMEOUT_S = 30

SLIP = "slip"
NOTICE = "notice"
KEY_PRINTER = "print/{group}/printer"
KEY_SLIP_WIDTH = "print/slip/width"
KEY_DIRECT = "print/slip/direct"


class PrintFailed(Exception):
    """The document did not reach the printer; the message is for the receptionist."""


def group_of(kind: str) -> str:
    """Printer settings are kept per document type: the thermal slip, the A4 notices."""
    return SLIP if kind == KIND_SLIP else NOTICE


class PrintPrefs:
    """The remembered printer per document type, the slip width and 保存后直接打印回执 (QSettings)."""

    def __init__(self, settings: QSettings | None = None):
        self._settings = settings or QSettings()

    def printer(self, group: str) -> str:
        return str(self._settings.value(KEY_PRINTER.format(group=group), "") or "")

    def set_printer(self, group: str, name: str) -> None:
        self._settings.setValue(KEY_PRINTER.format(group=group), name)

    def slip_width(self) -> int:
        try:
            width = int(self._settings.value(KEY_SLIP_WIDTH, SLIP_WIDTHS_MM[0]))
        except (TypeError, ValueError):
            return SLIP_WIDTHS_MM[0]
        return width if width in SLIP_WIDTHS_MM else SLIP_WIDTHS_MM[0]

    def set_slip_width(self, width: int) -> None:
        self._settings.setValue(KEY_SLIP_WIDTH, int(width))

    def direct(self) -> bool:
        value = self._settings.value(KEY_DIRECT, False)
        return value is True or str(value).lower() in ("true", "1")

    def set_direct(self, on: bool) -> None:
        self._settings.setValue(KEY_DIRECT, bool(on))

    def sync(self) -> None:
        self._settings.sync()


# --- CUPS ---------------------------------------------------------------------------------


def lp_command() -> str | None:
    """The CUPS `lp` client, where the PDF itself can be sent (not on Windows)."""
    if sys.platform.startswith("win"):
        return None
    return shutil.which("lp")


def send_via_lp(pdf: bytes, printer_name: str, *, copies: int = 1, title: str = "") -> None:
    """Queue the PDF on a CUPS printer; raises PrintFailed with lp's own message."""
    lp = lp_command()
    if lp is None:
        raise PrintFailed("本机没有 CUPS 打印命令 lp")
    if not printer_name:
        raise PrintFailed("没有选择打印机")
    with tempfile.TemporaryDirectory(prefix="xfdesk-print-") as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        command = [lp, "-d", printer_name, "-n", str(max(1, copies))]
        if title:
            command += ["-t", title]
        command.append(str(path))
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=LP_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            logger.exception("lp failed")
            raise PrintFailed(f"打印命令没有响应：{exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        logger.error("lp -d %s exited %s: %s", printer_name, done.returncode, detail)
        raise PrintFailed(f"打印机“{printer_name}”没有接受打印任务：{detail or done.returncode}")
    logger.info("sent to %s via lp: %s", printer_name, done.stdout.strip())


# --- painting through Qt ------------------------------------------------------------------


def load_pdf(pdf: bytes, parent=None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over the bytes; keep the returned buffer alive as long as the document."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise PrintFailed(f"文书无法打开（{document.error().name}）")
    return document, buffer


def page_on_white(document: QPdfDocument, page: int, dpi: float) -> QImage:
    """One page rendered at `dpi` onto an opaque white image (QtPdf leaves the background transparent)."""
    points = document.pagePointSize(page)
    size = QSize(max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72)))
    rendered = document.render(page, size)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(QPointF(0, 0), rendered)
    painter.end()
    return image


def paint_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Paint every page of the PDF onto the printer, each page at its own paper size; returns pages."""
    document, buffer = load_pdf(pdf)
    try:
        pages = document.pageCount()
        if pages < 1:
            raise PrintFailed("文书没有页面")
        dpi = min(printer.resolution(), MAX_RASTER_DPI)
        painter = QPainter()
        try:
            for page in range(pages):
                points = document.pagePointSize(page)
                size = QPageSize(  # fuzzy: an A4 notice lands on the A4 tray
                    QSizeF(points.width(), points.height()), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
                )
                layout = QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
                layout.setMode(QPageLayout.Mode.FullPageMode)
                printer.setFullPage(True)
                printer.setPageLayout(layout)  # each page on paper of its own size
                if page == 0:
                    if not painter.begin(printer):
                        raise PrintFailed("打印机无法开始打印（可能已脱机或被占用）")
                elif not printer.newPage():
                    raise PrintFailed("打印机无法换页")
                painter.drawImage(QRectF(painter.viewport()), page_on_white(document, page, dpi))
        finally:
            if painter.isActive():
                painter.end()
        return pages
    finally:
        document.close()
        buffer.close()


def deliver(pdf: bytes, printer: QPrinter, *, title: str = "") -> str:
    """Send to the chosen printer: the PDF itself through CUPS when possible, else painted. Returns how."""
    if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and printer.printerName() and lp_command():
        send_via_lp(pdf, printer.printerName(), copies=printer.copyCount(), title=title)
        return "lp"
    paint_pdf(pdf, printer)
    return "painted"


def deliver_to_named(pdf: bytes, printer_name: str, *, title: str = "") -> str:
    """Print without a dialog to a remembered printer (保存后直接打印回执)."""
    if lp_command():
        send_via_lp(pdf, printer_name, title=title)
        return "lp"
    from PySide6.QtPrintSupport import QPrinterInfo

    if printer_name not in QPrinterInfo.availablePrinterNames():
        raise PrintFailed(f"找不到打印机“{printer_name}”")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(printer_name)
    printer.setDocName(title)
    paint_pdf(pdf, printer)
    return "painted"
