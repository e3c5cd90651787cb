"""统计 page → 导出Excel… / 导出PDF报告…: the statistics shown, written off the GUI thread, cancellable.

The file dialog's answer comes through the page's `export.ask_path` seam; everything else is the
real page, the real services and the real report writers. Files are read back with openpyxl and
poppler; the figures are the hand-worked ones of tests/stats_dataset.py.
"""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QObject, QStandardPaths, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QPushButton

from app.services.context import DeskServices
from desk_login import ready
from app.services.statistics import periods
from app.ui.statistics_export import CANCELLED_TEXT, EXPORT_DIR_KEY
from app.ui.statistics_page import StatisticsPage
from receipt_samples import pdftext, tools_available
from stats_dataset import EXPECTED, TODAY, build
from ui_support import STATION_CODE, STATION_NAME

needs_poppler = pytest.mark.skipif(not tools_available(), reason="poppler-utils not installed")
BIG = 20000


class UrlCatcher(QObject):
    """Stands in for the system's file manager: Qt hands it the file:// URLs QDesktopServices would open."""

    def __init__(self):
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


class Answers:
    """The save dialog's answers, and what the page asked it."""

    def __init__(self, *paths: Path):
        self.paths = list(paths)
        self.asked: list[tuple[str, str, str]] = []

    def __call__(self, _parent, caption: str, suggested: str, name_filter: str) -> str:
        self.asked.append((caption, suggested, name_filter))
        return str(self.paths.pop(0))


def flat(text: str) -> str:
    return "".join(text.split())


def type_number(qtbot, spin, value: int) -> None:
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, str(value))
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def settled(page: StatisticsPage, period=None) -> bool:
    stats = page.statistics
    return stats is not None and not page.busy and (period is None or stats.period == period)


def click_export(qtbot, page: StatisticsPage, button: QPushButton, timeout: int = 30000) -> str:
    """Click an export button and wait for the outcome ("done", "cancelled", "failed")."""
    with qtbot.waitSignal(page.export.sig_finished, timeout=timeout) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


@pytest.fixture
def november(qtbot, services) -> StatisticsPage:
    """The hand-worked data set, the page showing November 2025 (chosen with the keyboard)."""
    build(services)
    page = StatisticsPage(services, today=TODAY)  # the default month is December
    qtbot.addWidget(page)
    page.resize(1400, 900)
    export = page.export
    assert not export.xlsx_button.isEnabled() and not export.pdf_button.isEnabled()  # nothing shown yet
    page.show()
    qtbot.waitUntil(lambda: settled(page), timeout=10000)
    type_number(qtbot, page.picker.month_spin, 11)
    qtbot.waitUntil(lambda: settled(page, periods.month(2025, 11)), timeout=10000)
    assert export.xlsx_button.text() == "导出Excel…" and export.pdf_button.text() == "导出PDF报告…"
    assert export.xlsx_button.isEnabled() and export.pdf_button.isEnabled()
    return page


@pytest.fixture(scope="module")
def big_desk(tmp_path_factory):
    """A year of demo matters (shared by the tests that need an export that takes a while)."""
    desk = ready(DeskServices.open(tmp_path_factory.mktemp("big_export")))
    from app.services.demo import generate

    desk.stations.initialise(STATION_CODE, STATION_NAME, "县")
    generate(desk.engine, desk.stations, desk.tree, BIG, cipher=desk.guard.cipher)
    desk.lifecycle.refresh_all()
    yield desk
    desk.close()


@pytest.fixture
def big(qtbot, big_desk) -> StatisticsPage:
    page = StatisticsPage(big_desk)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    picker = page.picker
    picker.kind_combo.setFocus()
    while picker.kind_combo.currentText() != "自定义":
        qtbot.keyClick(picker.kind_combo, Qt.Key.Key_Down)
    picker.from_edit.setDate(date(2000, 1, 1))
    picker.to_edit.setDate(date(2099, 12, 31))
    page.show()
    qtbot.waitUntil(lambda: settled(page, periods.custom(date(2000, 1, 1), date(2099, 12, 31))), timeout=30000)
    assert page.statistics.items == BIG
    return page


def read_overview(path: Path) -> dict[str, tuple]:
    """总览: label -> (件, 人次, 批) of the figures section."""
    ws = openpyxl.load_workbook(path)["总览"]
    figures, section = {}, None
    for row in ws.iter_rows(values_only=True):
        if row[0] in ("项目", "指标"):
            section = row[0]
        elif section == "项目" and row[0]:
            figures[row[0]] = tuple(row[1:4])
    return figures


@needs_poppler
def test_both_formats_export_the_statistics_shown(qtbot, november, services, tmp_path):
    page, export = november, november.export
    out = tmp_path / "报表"
    out.mkdir()
    answers = Answers(out / "十一月", out / "十一月报告.pdf")  # the first typed without its extension
    export.ask_path = answers

    assert click_export(qtbot, page, export.xlsx_button) == "done"
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert answers.asked[0] == ("导出Excel", str(Path(documents) / "信访统计_2025年11月.xlsx"),
                                "Excel 工作簿 (*.xlsx)")
    xlsx = out / "十一月.xlsx"
    assert export.banner.text() == f"已导出：{xlsx}" and export.banner.kind == "success"
    assert export.message_bar.isVisible() and export.open_folder_button.isVisible()
    overview = read_overview(xlsx)
    assert overview["信访事项合计"] == (EXPECTED["items"], EXPECTED["person_times"], EXPECTED["batches"])
    assert overview["走访"] == (*EXPECTED["by_form"]["走访"], EXPECTED["batches"])
    assert services.settings.get(EXPORT_DIR_KEY) == str(out)

    assert click_export(qtbot, page, export.pdf_button) == "done"
    assert answers.asked[1][:2] == ("导出PDF报告", str(out / "信访统计报告_2025年11月.pdf"))  # the folder remembered
    pdf = out / "十一月报告.pdf"
    assert export.banner.text() == f"已导出：{pdf}"
    text = flat(pdftext(pdf))
    assert "信访工作统计报告" in text and "（2025年11月）" in text
    assert "共受理群众信访事项13件26人次" in text and "接待群众来访5批16人次" in text
    assert sorted(p.name for p in out.iterdir()) == ["十一月.xlsx", "十一月报告.pdf"]  # no temporary files left

    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        qtbot.mouseClick(export.open_folder_button, Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(u.toLocalFile()) for u in catcher.urls] == [out]


def test_cancel_keeps_the_file_that_was_there(qtbot, big, tmp_path):
    page, export = big, big.export
    target = tmp_path / "年度统计.xlsx"
    target.write_bytes(b"last year's workbook")
    export.ask_path = Answers(target, target)
    export.show_progress_after_ms = 0  # the dialog at once, so there is time to press 取消
    progress: list[tuple[int, int]] = []
    export.sig_progress.connect(lambda done, total: progress.append((done, total)))
    qtbot.mouseClick(export.xlsx_button, Qt.MouseButton.LeftButton)
    assert not export.xlsx_button.isEnabled() and not export.pdf_button.isEnabled()  # one export at a time
    dialog = export.progress_dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and bool(progress), timeout=5000)  # under way: 取消 stops it mid-way
    assert dialog.isModal() and dialog.windowModality() == Qt.WindowModality.WindowModal
    assert dialog.labelText().startswith("正在导出…")
    cancel = dialog.findChild(QPushButton)
    assert cancel.text() == "取消"
    with qtbot.waitSignal(export.sig_finished, timeout=30000) as blocker:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert blocker.args == ["cancelled"]
    assert progress[-1][0] < progress[-1][1]  # it had not finished
    assert target.read_bytes() == b"last year's workbook"
    assert list(tmp_path.iterdir()) == [target]  # no half-written file beside it
    assert export.banner.text() == CANCELLED_TEXT and not export.open_folder_button.isVisible()
    assert export.progress_dialog is None or not export.progress_dialog.isVisible()

    # nothing lost: the page still shows its figures, and the next export goes through
    assert page.statistics.items == BIG and export.xlsx_button.isEnabled()
    assert click_export(qtbot, page, export.xlsx_button) == "done"
    assert read_overview(target)["信访事项合计"][0] == BIG


def test_an_unwritable_target_says_so_in_chinese(qtbot, november, tmp_path):
    page, export = november, november.export
    not_a_folder = tmp_path / "统计"
    not_a_folder.write_text("a file where a folder is expected")
    bad = not_a_folder / "十一月.xlsx"
    good = tmp_path / "十一月.xlsx"
    export.ask_path = Answers(bad, good)
    assert click_export(qtbot, page, export.xlsx_button) == "failed"
    message = export.banner.text()
    assert message.startswith(f"导出失败：无法写入文件“{bad}”（所选位置不是文件夹）")
    assert export.banner.kind == "error" and not export.open_folder_button.isVisible()
    assert not_a_folder.read_text() == "a file where a folder is expected"
    # nothing else lost: the figures stay, the buttons work again, the next try succeeds
    assert page.statistics.period == periods.month(2025, 11) and page.summary.tiles["items"].value_text == "13"
    assert click_export(qtbot, page, export.xlsx_button) == "done"
    assert read_overview(good)["信访事项合计"] == (13, 26, 5)


@needs_poppler
def test_the_window_stays_responsive_while_a_pdf_is_written(qtbot, big, tmp_path):
    page, export = big, big.export
    target = tmp_path / "全部.pdf"
    export.ask_path = Answers(target)
    progress: list[tuple[int, int]] = []
    export.sig_progress.connect(lambda done, total: progress.append((done, total)))
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    started = time.perf_counter()
    timer.start()
    with qtbot.waitSignal(export.sig_finished, timeout=30000) as blocker:
        qtbot.mouseClick(export.pdf_button, Qt.MouseButton.LeftButton)
        # the click only starts the export: the report is written while the event loop runs
        assert export.busy and not export.pdf_button.isEnabled()
    finished = time.perf_counter()
    timer.stop()
    assert blocker.args == ["done"]
    during = [t for t in ticks if t <= finished]
    points = [started, *during, finished]
    gaps = [b - a for a, b in zip(points, points[1:])]
    assert max(gaps) < 0.2, f"the window froze for {max(gaps):.3f} s (export took {finished - started:.3f} s)"
    assert progress and progress[-1][0] == progress[-1][1]  # the dialog followed every step to the end
    assert [d for d, _t in progress] == sorted(d for d, _t in progress)
    assert f"共受理群众信访事项{BIG}件" in flat(pdftext(target))
