"""The statistics view as an Excel workbook: 总览, then one sheet per table of the statistics.

Every figure is a number cell (integers for 件/人次/批, fractions with a percent format for
rates and shares), so the workbook can be summed, sorted and charted. Each sheet has a bold,
filled header row, frozen panes below it and column widths fitted to the Chinese text.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.atomic_file import replacing
from app.services.statistics.cells import SEPARATOR
from app.services.statistics.model import TABLES, Figure, Statistics, TableRow

from . import Progress
from .common import (FORM_LABELS, RATES_NOTE, REPEAT_RATE_LABEL, REPEAT_RATE_NOTE, UNITS_NOTE, basis_label,
                     month_label, period_title, rate_note, share)

OVERVIEW = "总览"
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
TITLE_FONT = Font(bold=True, size=14)
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center")
NUMBER_COLUMNS = ("件", "人次", "批", "占比")
CONTENT_LEVELS = {"content1": 1, "content2": 2, "content3": 3}
LEVEL_NAMES = ("一级分类", "二级分类", "三级分类")
NAME_HEADERS = {"township": "问题属地", "unit": "责任单位", "decision": "处理方式", "leader": "接访领导",
                "month": "月份", "matter_class": "事项类别"}


def write_xlsx(stats: Statistics, path: str | Path, station_name: str, progress: Progress | None = None) -> Path:
    """Write the workbook to `path` (atomically); returns `path`."""
    path = Path(path)
    total = len(TABLES) + 2  # 总览, the tables, saving
    step = _Steps(progress, total)
    wb = Workbook()
    _overview(wb.active, stats, station_name)
    step()
    for name, title in TABLES.items():
        _table_sheet(wb.create_sheet(_sheet_title(title)), name, stats.tables.get(name, []), stats.items)
        step()
    wb.properties.title = f"信访工作统计 {period_title(stats.period)}"
    wb.properties.creator = "信访接待台"
    with replacing(path) as tmp:
        wb.save(tmp)
        step()  # still under the temporary name: a cancel here leaves the old file
    return path


class _Steps:
    def __init__(self, progress: Progress | None, total: int):
        self.progress, self.total, self.done = progress, total, 0
        if progress:
            progress(0, total)

    def __call__(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)


def _sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name."""
    for ch in "[]:*?/\\":
        title = title.replace(ch, "_")
    return title[:31]


# -- 总览 ------------------------------------------------------------------------------------------


def _overview(ws: Worksheet, stats: Statistics, station_name: str) -> None:
    ws.title = OVERVIEW
    ws.append([f"{station_name}信访工作统计".strip()])
    ws["A1"].font = TITLE_FONT
    ws.merge_cells("A1:E1")
    info: list[tuple[str, object]] = [
        ("统计期间", period_title(stats.period)),
        ("起始日期", stats.period.start),
        ("截止日期", stats.period.end),
        ("统计口径", basis_label(stats)),
        ("统计截至", stats.today),
    ]
    for label, value in info:
        ws.append([label, value])
        cell = ws.cell(ws.max_row, 2)
        if isinstance(value, date):
            cell.number_format = DATE
        cell.alignment = Alignment(horizontal="left")
        ws.cell(ws.max_row, 1).font = HEADER_FONT
    ws.append([])

    _header(ws, ["项目", "件", "人次", "批"])
    figures: list[tuple[str, Figure, int | None, int]] = [("信访事项合计", stats.total, stats.batches, 0)]
    for form, fig in stats.by_form.items():
        figures.append((FORM_LABELS.get(form, form), fig, fig.items if form == "走访" else None, 1))
        if form == "走访":
            figures.append(("个体访", stats.individual, stats.individual.items, 2))
            figures.append(("集体访", stats.collective, stats.collective.items, 2))
    figures += [("越级访", stats.skip_level, None, 0), ("重复访", stats.repeats, None, 0),
                ("督办", stats.supervised, None, 0)]
    for label, fig, batches, indent in figures:
        ws.append([label, fig.items, fig.person_times, batches])
        _body_row(ws, 4)
        ws.cell(ws.max_row, 1).alignment = Alignment(indent=indent)
    ws.append([])

    _header(ws, ["指标", "分子", "分母", "比率", "说明"])
    ws.append([REPEAT_RATE_LABEL, stats.repeats.items, stats.items, stats.repeat_rate, REPEAT_RATE_NOTE])
    _body_row(ws, 5, percent_column=4)
    for rate in stats.rates.values():
        ws.append([rate.label, rate.numerator, rate.denominator, rate.value, rate_note(rate)])
        _body_row(ws, 5, percent_column=4)
    ws.append([])
    for note in (UNITS_NOTE, RATES_NOTE):
        ws.append([note])
    ws.freeze_panes = "A2"
    _fit_columns(ws, {1: 14, 5: 30}, skip_rows={1, ws.max_row - 1, ws.max_row})


# -- one sheet per table --------------------------------------------------------------------------


def _table_sheet(ws: Worksheet, name: str, rows: list[TableRow], total_items: int) -> None:
    level = CONTENT_LEVELS.get(name)
    names = list(LEVEL_NAMES[:level]) if level else [NAME_HEADERS.get(name, "名称")]
    _header(ws, [*names, *NUMBER_COLUMNS])
    for row in rows:
        if level:
            labels = row.key.split(SEPARATOR)
        elif name == "month":
            labels = [month_label(row.key)]
        else:
            labels = [row.label]
        ws.append([*labels, row.items, row.person_times, row.batches, share(row.items, total_items)])
        _body_row(ws, len(names) + len(NUMBER_COLUMNS), percent_column=len(names) + 4)
    ws.freeze_panes = ws.cell(2, len(names) + 1)  # header row and the name columns stay in view
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(names) + len(NUMBER_COLUMNS))}{ws.max_row}"
    _fit_columns(ws, {})


# -- styles ---------------------------------------------------------------------------------------


def _header(ws: Worksheet, titles: list[str]) -> None:
    ws.append(titles)
    r = ws.max_row
    for c in range(1, len(titles) + 1):
        cell = ws.cell(r, c)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTER


def _body_row(ws: Worksheet, width: int, percent_column: int | None = None) -> None:
    r = ws.max_row
    for c in range(1, width + 1):
        cell = ws.cell(r, c)
        cell.border = BORDER
        if isinstance(cell.value, float) or c == percent_column:
            cell.number_format = PERCENT


def _text_width(value: object) -> float:
    """Display width in Excel character units: CJK characters count about two."""
    if value is None:
        return 0
    if isinstance(value, float):
        return 7
    if isinstance(value, date):
        return 11
    text = str(value)
    return sum(2.1 if ord(ch) > 0x2E7F else 1.1 for ch in text)


def _fit_columns(ws: Worksheet, minimum: dict[int, float], skip_rows: set[int] = frozenset()) -> None:
    widths: dict[int, float] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.row in skip_rows or cell.value is None:
                continue
            widths[cell.column] = max(widths.get(cell.column, 0), _text_width(cell.value))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(60, max(minimum.get(col, 8), width + 2))
