"""Statistics reports: the hand-worked data set (tests/stats_dataset.py) through the xlsx, the PDF and the CLI.

Every figure asserted here was worked out by hand (stats_dataset.EXPECTED and the strings below),
never copied from the service's answer; the xlsx is read back with openpyxl, the PDF with poppler.
"""
from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.reports import write_report
from app.reports.pdf import TOP_TOWNSHIPS, write_pdf
from app.reports.xlsx import write_xlsx
from app.services.context import DeskServices
from app.services.dto import StatsCell
from app.services.statistics import periods
from app.services.statistics.model import TABLES, TableRow
from desk_login import ready
from receipt_samples import page_count, pdffonts, pdftext, tools_available
from stats_dataset import EXPECTED, LEADER, PERIOD, TODAY, build
from ui_support import STATION_CODE, STATION_NAME

needs_poppler = pytest.mark.skipif(not tools_available(), reason="poppler-utils not installed")

# The report's opening paragraph for November 2025, written out by hand from the data set.
HEADLINE = ("2025年11月，德安县信访局共受理群众信访事项13件26人次。其中来信4件6人次，网上信访2件2人次，"
            "电话2件2人次；接待群众来访5批16人次，其中个体访4件8人次，集体访1批8人次。越级访1件2人次，"
            "重复访1件1人次，重复信访率7.7%。")
# 总览 rows: label -> (件, 人次, 批 or None)
OVERVIEW = {
    "信访事项合计": (13, 26, 5),
    "走访": (5, 16, 5),
    "个体访": (4, 8, 4),
    "集体访": (1, 8, 1),
    "来信": (4, 6, None),
    "网上信访": (2, 2, None),
    "电话": (2, 2, None),
    "传真": (0, 0, None),
    "越级访": (1, 2, None),
    "重复访": (1, 1, None),
    "督办": (1, 8, None),
}
# rates: label -> (分子, 分母)
RATES = {"重复信访率": (1, 13), "及时受理率": (8, 10), "按期办结率": (1, 1), "参评率": (2, 3), "满意率": (1, 2)}
# How the reports name the rows whose key is empty or a code.
DISPLAY = {
    "township": {"360426100": "360426100 蒲亭镇", "360426101": "360426101 聂桥镇", "360426102": "360426102 丰林镇",
                 "": "（未填写问题属地）"},
    "unit": {"": "（无去向单位）"},
    "decision": {"": "（未作处理）"},
    "month": {"2025-11": "2025年11月"},
}


def display(table: str, key: str) -> str:
    return DISPLAY.get(table, {}).get(key, key)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The data set in a data folder of its own (the CLI tests open it too), and its November statistics."""
    data_dir = tmp_path_factory.mktemp("stats_data")
    desk = ready(DeskServices.open(data_dir))
    try:
        desk.stations.initialise(STATION_CODE, STATION_NAME, "县")
        expected = build(desk)
        stats = desk.statistics.compute(periods.month(2025, 11), today=TODAY)
    finally:
        desk.close()
    return data_dir, expected, stats


@pytest.fixture(scope="module")
def stats(built):
    return built[2]


# -- the service agrees with the hand-worked figures (what the reports start from) --------------------


def test_statistics_match_the_hand_worked_figures(stats):
    assert (stats.items, stats.batches, stats.person_times) == (13, 5, 26)
    assert (stats.period.start, stats.period.end) == PERIOD
    for name in ("visits", "individual", "collective", "skip_level", "repeats", "supervised"):
        fig = getattr(stats, name)
        assert (fig.items, fig.person_times) == EXPECTED[name], name
    assert {form: (f.items, f.person_times) for form, f in stats.by_form.items()} == EXPECTED["by_form"]
    for name, rows in EXPECTED["tables"].items():
        assert {r.key: (r.items, r.person_times, r.batches) for r in stats.tables[name]} == rows, name
    assert {name: (r.numerator, r.denominator) for name, r in stats.rates.items()} == EXPECTED["rates"]


# -- xlsx -----------------------------------------------------------------------------------------


def read_overview(path: Path) -> tuple[dict, dict, openpyxl.worksheet.worksheet.Worksheet]:
    """(figures label -> (件, 人次, 批), rates label -> (分子, 分母, 比率), the sheet) from 总览."""
    ws = openpyxl.load_workbook(path)["总览"]
    figures, rates, section = {}, {}, None
    for row in ws.iter_rows():
        values = [c.value for c in row]
        if values[0] in ("项目", "指标"):
            section = values[0]
        elif section == "项目" and values[0]:
            figures[values[0]] = tuple(values[1:4])
        elif section == "指标" and values[0] and values[1] is not None:
            rates[values[0]] = (values[1], values[2], values[3], row[3].number_format)
    return figures, rates, ws


def read_table(path: Path, title: str) -> tuple[list[str], dict[str, tuple], object]:
    """(header, name -> (件, 人次, 批), sheet); content classes named by their path "a / b"."""
    ws = openpyxl.load_workbook(path)[title]
    header = [c.value for c in ws[1]]
    first_number = header.index("件")
    rows = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        name = " / ".join(row[:first_number])
        rows[name] = tuple(row[first_number:first_number + 3])
    return header, rows, ws


def test_xlsx_has_exactly_the_hand_worked_figures_as_numbers(stats, tmp_path):
    path = write_xlsx(stats, tmp_path / "十一月.xlsx", STATION_NAME)
    figures, rates, ws = read_overview(path)
    assert figures == OVERVIEW
    for value in (v for fig in figures.values() for v in fig if v is not None):
        assert type(value) is int
    assert {label: (num, den) for label, (num, den, _v, _f) in rates.items()} == RATES
    for label, (num, den, value, fmt) in rates.items():
        assert type(num) is int and type(den) is int
        assert value == pytest.approx(num / den) and fmt == "0.0%", label
    assert ws["B2"].value == "2025年11月" and ws["B5"].value == "信访日期"
    assert ws["B3"].value.date() == date(2025, 11, 1) and ws["B4"].value.date() == date(2025, 11, 30)

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["总览", *TABLES.values()]
    for name, expected_rows in EXPECTED["tables"].items():
        header, rows, sheet = read_table(path, TABLES[name])
        assert header[-4:] == ["件", "人次", "批", "占比"], name
        assert rows == {display(name, key): v for key, v in expected_rows.items()}, name
        for values in rows.values():
            assert all(type(v) is int for v in values), (name, values)
        first = next(sheet.iter_rows(min_row=2, max_row=2))
        share = first[len(header) - 1]
        assert share.number_format == "0.0%" and share.value == pytest.approx(first[len(header) - 4].value / 13)


def test_xlsx_sheets_have_bold_filled_headers_frozen_panes_and_widths(stats, tmp_path):
    path = write_xlsx(stats, tmp_path / "r.xlsx", STATION_NAME)
    wb = openpyxl.load_workbook(path)
    for title in TABLES.values():
        ws = wb[title]
        names = [c.value for c in ws[1]].index("件")
        assert ws.freeze_panes == f"{'ABCD'[names]}2", title  # below the header, right of the names
        for cell in ws[1]:
            assert cell.font.b and cell.fill.fill_type == "solid", (title, cell.coordinate)
        assert ws.column_dimensions["A"].width >= 8
    content2 = wb["内容分类（二级）"]
    assert content2.column_dimensions["B"].width >= 2 * len("国有土地上房屋征收与补偿")


def test_xlsx_by_registration_date_leaves_out_the_late_registered_letter(built, tmp_path):
    data_dir, _expected, _stats = built
    desk = ready(DeskServices.open(data_dir))
    try:
        stats = desk.statistics.compute(periods.month(2025, 11), periods.REGISTERED, today=TODAY)
    finally:
        desk.close()
    figures, _rates, ws = read_overview(write_xlsx(stats, tmp_path / "r.xlsx", STATION_NAME))
    reg = EXPECTED["registered"]
    assert figures["信访事项合计"] == (reg["items"], reg["person_times"], reg["batches"])
    assert figures["来信"] == (3, 5, None)  # M (11-28 postmark, registered 12-01) is December's
    assert ws["B5"].value == "登记日期"


# -- PDF ------------------------------------------------------------------------------------------


def flat(text: str) -> str:
    return "".join(text.split())


def layout_lines(pdf: Path) -> set[str]:
    """Each line of `pdftotext -layout`, its words joined by single spaces (table rows stay on one line)."""
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True,
                         capture_output=True).stdout.decode("utf-8")
    return {" ".join(line.split()) for line in out.splitlines() if line.strip()}


@needs_poppler
def test_pdf_shows_the_hand_worked_figures(stats, tmp_path):
    pdf = write_pdf(stats, tmp_path / "report.pdf", STATION_NAME)
    text = flat(pdftext(pdf))
    for needle in ("德安县信访局", "信访工作统计报告", "（2025年11月）", "统计期间：2025年11月1日至2025年11月30日",
                   "统计口径：信访日期", HEADLINE, "重复信访率7.7%（重复访1件÷信访事项13件）",
                   "本期转送5件、交办2件，督办1件8人次", "共涉及4个单位7件（未转送、交办的6件未列入）"):
        assert flat(needle) in text, needle
    for section in ("一、总体情况", "二、数据统计", "三、信访事项涉及领域", "四、被投诉较多的机关、单位",
                    "五、转送、交办、督办情况", "六、办理时效与满意度", "七、按月分布", "八、按乡镇分布"):
        assert section in text

    lines = layout_lines(pdf)
    expected_lines = [
        # 数据统计: 项目 件 占比 人次 批
        "信访事项合计 13 100.0% 26 5", "走访 5 38.5% 16 5", "个体访 4 30.8% 8 4", "集体访 1 7.7% 8 1",
        "来信 4 30.8% 6", "网上信访 2 15.4% 2", "电话 2 15.4% 2", "传真 0 0.0% 0", "越级访 1 7.7% 2",
        "重复访 1 7.7% 1",
        # 内容分类（一级）
        "劳动和社会保障 4 30.8% 11 3", "城乡建设 3 23.1% 5 0", "农村农业 2 15.4% 5 1", "民政与应急 2 15.4% 2 0",
        "政法 1 7.7% 1 0", "自然资源 1 7.7% 2 1",
        # 内容分类（二级）
        "劳动和社会保障 劳动关系 4 30.8% 11 3", "城乡建设 住房保障与房地产 2 15.4% 2 0",
        "民政与应急 社会救助 2 15.4% 2 0", "城乡建设 国有土地上房屋征收与补偿 1 7.7% 3 0",
        "农村农业 农村宅基地 1 7.7% 4 1", "农村农业 土地承包经营 1 7.7% 1 0", "自然资源 土地征收 1 7.7% 2 1",
        "政法 诉讼 1 7.7% 1 0",
        # 事项类别
        "申诉求决 11 84.6% 24 5", "建议意见 1 7.7% 1 0", "检举控告 1 7.7% 1 0",
        # 被投诉较多的机关、单位 (only the units matters went to)
        "县住房和城乡建设局 3 23.1% 5 0", "县人力资源和社会保障局 2 15.4% 9 2", "丰林镇人民政府 1 7.7% 4 1",
        "县自然资源局 1 7.7% 2 1",
        # 处理方式: 件 占比 人次
        "转送 5 38.5% 15", "受理告知 3 23.1% 3", "交办 2 15.4% 5", "当场答复 1 7.7% 1", "导入法定途径 1 7.7% 1",
        "（未作处理） 1 7.7% 1",
        # 办理时效与满意度
        "及时受理率 8 10 80.0% 及时受理 8，超期受理 1，超期未受理 1",
        "按期办结率 1 1 100.0% 按期办结 1，超期办结 0，超期未办结 0",
        "参评率 2 3 66.7% 已评价 2，超期未评价 1", "满意率 1 2 50.0% 满意和基本满意 1，已评价 2",
        # 按月分布, 按乡镇分布
        "2025年11月 13 100.0% 26 5",
        "360426100 蒲亭镇 5 38.5% 14 3", "360426102 丰林镇 3 23.1% 6 1", "360426101 聂桥镇 2 15.4% 3 1",
        "（未填写问题属地） 3 23.1% 3 0",
    ]
    missing = [line for line in expected_lines if line not in lines]
    assert missing == []
    assert "（无去向单位）" not in text  # matters that went to no unit are no unit's complaints


@needs_poppler
def test_pdf_pages_are_numbered_and_every_font_is_embedded(stats, tmp_path):
    pdf = write_pdf(stats, tmp_path / "report.pdf", STATION_NAME)
    pages = page_count(pdf)
    assert pages >= 2
    text = flat(pdftext(pdf))
    for n in range(1, pages + 1):
        assert f"第{n}页共{pages}页" in text
    rows = pdffonts(pdf)
    assert rows
    for row in rows:
        assert row[1] == "TrueType" and row[-5] == "yes" and "+" in row[0], row


def _township_rows(n: int) -> list[TableRow]:
    cell = StatsCell("township", "", *PERIOD)
    return [TableRow(f"3604261{i:02d}", f"3604261{i:02d} 第{i}村", 1, 2, 1, cell) for i in range(n)]


@needs_poppler
def test_long_table_repeats_its_header_after_a_page_break_and_sums_the_rest(stats, tmp_path):
    many = dataclasses.replace(stats, tables={**stats.tables, "township": _township_rows(TOP_TOWNSHIPS + 5)})
    pdf = write_pdf(many, tmp_path / "long.pdf", STATION_NAME)
    pages = page_count(pdf)
    first = next(n for n in range(1, pages + 1) if "八、按乡镇分布" in page_text(pdf, n))
    following = page_text(pdf, first + 1)
    assert "问题属地" in following  # the header again above the rows carried over
    text = flat(pdftext(pdf))
    assert "360426139第39村" in text and "360426140第40村" not in text
    assert "其余5项合计5" in text  # 5 rows left out: 5 items, summed in one row


def page_text(pdf: Path, n: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


# -- writing: progress, atomic replacement ---------------------------------------------------------


@pytest.mark.parametrize("name", ["r.xlsx", "r.pdf"])
def test_progress_counts_up_to_its_total(stats, tmp_path, name):
    calls: list[tuple[int, int]] = []
    write_report(stats, tmp_path / name, STATION_NAME, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1]
    assert [d for d, _t in calls] == sorted(d for d, _t in calls)
    assert len({t for _d, t in calls}) == 1


@pytest.mark.parametrize("name", ["r.xlsx", "r.pdf"])
@pytest.mark.parametrize("at_step", ["first", "last"])
def test_an_aborted_export_leaves_the_old_file_and_no_temporary_file(stats, tmp_path, name, at_step):
    target = tmp_path / name
    target.write_bytes(b"old report")

    def cancel(done: int, total: int) -> None:
        if done == (total if at_step == "last" else 1):  # the last step: written, not yet renamed
            raise KeyboardInterrupt  # what a cancel button's exception does

    with pytest.raises(KeyboardInterrupt):
        write_report(stats, target, STATION_NAME, progress=cancel)
    assert target.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_other_extensions_are_refused(stats, tmp_path):
    with pytest.raises(ValueError, match="只支持 .xlsx 或 .pdf"):
        write_report(stats, tmp_path / "r.csv", STATION_NAME)


def test_reports_touch_neither_qt_nor_the_database():
    app_dir = Path(__file__).resolve().parents[2] / "app" / "reports"
    for path in app_dir.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        bad = {n for n in names if n.split(".")[0] in {"PySide6", "shiboken6", "sqlalchemy", "sqlite3"}
               or n.startswith(("app.models", "app.ui", "app.services.statistics.service"))}
        assert bad == set(), path.name


# -- the CLI in real processes --------------------------------------------------------------------


def run(*args, data_dir):
    argv = [sys.executable, "-m", "app", *args, "--data-dir", str(data_dir)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


def test_cli_report_writes_the_xlsx_with_the_hand_worked_figures(built, tmp_path):
    data_dir = built[0]
    out = tmp_path / "十一月统计.xlsx"
    done = run("report", "--from", "2025-11-01", "--to", "2025年11月30日", "--out", str(out), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"已导出：{out.resolve()}"
    figures, rates, _ws = read_overview(out)
    assert figures == OVERVIEW
    assert {label: (num, den) for label, (num, den, _v, _f) in rates.items()} == RATES
    _header, rows, _sheet = read_table(out, TABLES["content1"])
    assert rows == EXPECTED["tables"]["content1"]
    _header, rows, _sheet = read_table(out, TABLES["leader"])
    assert rows == {LEADER: (1, 8, 1)}


@needs_poppler
def test_cli_report_writes_the_pdf_and_by_registration_date(built, tmp_path):
    data_dir = built[0]
    pdf = tmp_path / "report.PDF"
    done = run("report", "--from", "2025-11-01", "--to", "2025-11-30", "--out", str(pdf), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"已导出：{pdf.resolve()}"
    assert flat(HEADLINE) in flat(pdftext(pdf))

    by_registration = tmp_path / "registered.xlsx"
    done = run("report", "--from", "20251101", "--to", "20251130", "--basis", "registered",
               "--out", str(by_registration), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    figures, _rates, _ws = read_overview(by_registration)
    reg = EXPECTED["registered"]
    assert figures["信访事项合计"] == (reg["items"], reg["person_times"], reg["batches"])


def test_cli_report_refusals(built, tmp_path, capsys):
    data_dir = str(built[0])
    assert main(["report", "--from", "2025-11-01", "--to", "2025-11-30", "--out", str(tmp_path / "r.csv"),
                 "--data-dir", data_dir]) == 2
    assert "out：只支持 .xlsx 或 .pdf" in capsys.readouterr().err
    assert main(["report", "--from", "2025-11-31", "--to", "2025-11-30", "--out", str(tmp_path / "r.xlsx"),
                 "--data-dir", data_dir]) == 2
    assert capsys.readouterr().err.startswith("from：")
    assert main(["report", "--from", "2025-11-30", "--to", "2025-11-01", "--out", str(tmp_path / "r.xlsx"),
                 "--data-dir", data_dir]) == 2
    assert capsys.readouterr().err.startswith("to：")
    assert main(["report", "--from", "2025-11-01", "--to", "2025-11-30", "--out",
                 str(tmp_path / "no-such-folder" / "r.xlsx"), "--data-dir", data_dir]) == 1
    assert "无法写入文件" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []
