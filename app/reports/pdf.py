"""The printable statistics report (A4, reportlab): 信访工作统计报告 for a month, a quarter or a year.

The sections follow what art. 41 of the 2022 Regulations asks of the annual report: the data
statistics, the fields the matters concern, the organs and units complained about most, the
forwarding, assignment and supervision figures, plus the office's time limits and satisfaction
rates and the distribution by month and by township. Every number comes from the `Statistics`
value; nothing is counted here.

Text is drawn with the receipts' font machinery (`app.receipts.fonts.FontSet`, per-character
fallback, every font embedded) and laid out with its `Flow`; tables repeat their header row
after a page break, and each page is numbered "第N页 共M页".
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.atomic_file import replacing
from app.receipts.fonts import FontSet
from app.receipts.text import (ALIGN_CENTER, ALIGN_LEFT, ALIGN_RIGHT, Block, Flow, draw_blocks, draw_text,
                                table_row_block)
from app.services.statistics.cells import SEPARATOR
from app.services.statistics.model import Statistics, TableRow

from . import Progress
from .common import (FORM_LABELS, RATES_NOTE, REPEAT_RATE_LABEL, UNITS_NOTE, basis_label, cn_date,
                     date_range_text, headline, month_label, percent_text, period_title, rate_note, share,
                     top_rows)

TITLE = "信访工作统计报告"
PAGE_W, PAGE_H = A4
MARGIN_TOP = 25 * mm
MARGIN_BOTTOM = 22 * mm
MARGIN_LEFT = 25 * mm
MARGIN_RIGHT = 25 * mm
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
USABLE_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM

UNIT_SIZE = 15.0
TITLE_SIZE = 20.0
SUBTITLE_SIZE = 14.0
HEADING_SIZE = 13.5
BODY_SIZE = 12.0
TABLE_SIZE = 10.5
SMALL_SIZE = 9.5
CELL_PAD_X = 4.0
CELL_PAD_Y = 3.0

# Longest lists printed in full; the rest is summed up in one "其余N项" row.
TOP_CLASSES = 20
TOP_UNITS = 15
TOP_TOWNSHIPS = 40


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # share of the text width
    align: str = ALIGN_RIGHT


def write_pdf(stats: Statistics, path: str | Path, station_name: str, progress: Progress | None = None,
              *, fonts: FontSet | None = None) -> Path:
    """Write the report to `path` (atomically); returns `path`."""
    path = Path(path)
    total = 0

    def step(done: int, steps: int) -> None:
        nonlocal total
        total = steps + 1  # and the writing
        if progress:
            progress(done, total)

    data = render_pdf(stats, station_name, fonts, step)
    with replacing(path) as tmp:
        tmp.write_bytes(data)
        if progress:  # still under the temporary name: a cancel here leaves the old file
            progress(total, total)
    return path


def render_pdf(stats: Statistics, station_name: str, fonts: FontSet | None = None,
               progress: Progress | None = None) -> bytes:
    """PDF bytes of the report. `progress(done, total)`: after the layout and after each page."""
    fonts = fonts or FontSet.default()
    pages = build_report_flow(stats, station_name, fonts).paginate(USABLE_H)
    total = len(pages) + 1
    if progress:
        progress(1, total)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, initialFontName=fonts.primary, pageCompression=1)
    c.setTitle(f"{TITLE}（{period_title(stats.period)}）")
    c.setAuthor(station_name)
    c.setCreator("信访接待台")
    for n, blocks in enumerate(pages, 1):
        draw_blocks(c, blocks, MARGIN_LEFT, PAGE_H - MARGIN_TOP)
        draw_text(c, fonts, PAGE_W / 2.0, MARGIN_BOTTOM / 2.0, f"第{n}页 共{len(pages)}页", SMALL_SIZE,
                  align=ALIGN_CENTER)
        c.showPage()
        if progress:
            progress(n + 1, total)
    c.save()
    return buf.getvalue()


def missing_glyphs(stats: Statistics, station_name: str, fonts: FontSet | None = None) -> list[str]:
    """Characters of the report's names (station, classes, units, townships) no installed font has."""
    fonts = fonts or FontSet.default()
    names = [station_name] + [row.label + row.key for rows in stats.tables.values() for row in rows]
    return fonts.missing("".join(names))


# -- layout ---------------------------------------------------------------------------------------


def build_report_flow(stats: Statistics, station_name: str, fonts: FontSet) -> Flow:
    """The report's blocks, measured but not drawn."""
    f = Flow(fonts, TEXT_W, leading=1.6)
    total = stats.items
    if station_name:
        f.paragraph(station_name, UNIT_SIZE, align=ALIGN_CENTER)
    f.paragraph(TITLE, TITLE_SIZE, align=ALIGN_CENTER, bold=True, leading=1.7)
    f.paragraph(f"（{period_title(stats.period)}）", SUBTITLE_SIZE, align=ALIGN_CENTER)
    f.paragraph(f"统计期间：{date_range_text(stats.period)}　统计口径：{basis_label(stats)}　"
                f"统计截至：{cn_date(stats.today)}", SMALL_SIZE, align=ALIGN_CENTER)
    f.gap(6)

    _heading(f, "一、总体情况")
    f.paragraph(headline(stats, station_name), BODY_SIZE, first_line_chars=2)

    _heading(f, "二、数据统计")
    figures = [("信访事项合计", stats.total, str(stats.batches))]
    for form, fig in stats.by_form.items():
        figures.append(("\u3000" + FORM_LABELS.get(form, form), fig, str(fig.items) if form == "走访" else ""))
        if form == "走访":
            figures.append(("\u3000\u3000个体访", stats.individual, str(stats.individual.items)))
            figures.append(("\u3000\u3000集体访", stats.collective, str(stats.collective.items)))
    figures += [("越级访", stats.skip_level, ""), ("重复访", stats.repeats, "")]
    _table(f, [Column("项目", 0.34, ALIGN_LEFT), Column("件", 0.16), Column("占比", 0.18), Column("人次", 0.16),
               Column("批", 0.16)],
           [[label, str(fig.items), percent_text(share(fig.items, total)), str(fig.person_times), batches]
            for label, fig, batches in figures], bold_rows={0})
    f.paragraph(f"{REPEAT_RATE_LABEL}{percent_text(stats.repeat_rate)}（重复访{stats.repeats.items}件"
                f"÷信访事项{total}件）。", BODY_SIZE, first_line_chars=2)

    _heading(f, "三、信访事项涉及领域")
    _subheading(f, "（一）按内容分类（一级）")
    _rows_table(f, stats.tables.get("content1", []), total, "内容分类", TOP_CLASSES)
    _subheading(f, "（二）按内容分类（二级）")
    _rows_table(f, stats.tables.get("content2", []), total, "内容分类", TOP_CLASSES, level=2)
    _subheading(f, "（三）按事项类别")
    _rows_table(f, stats.tables.get("matter_class", []), total, "事项类别", TOP_CLASSES)

    _heading(f, "四、被投诉较多的机关、单位")
    units = [r for r in stats.tables.get("unit", []) if r.key]
    sent = sum(r.items for r in units)
    if units:
        f.paragraph(f"按信访事项转送、交办的责任单位统计，共涉及{len(units)}个单位{sent}件"
                    f"（未转送、交办的{total - sent}件未列入）。", BODY_SIZE, first_line_chars=2)
        _rows_table(f, units, total, "责任单位", TOP_UNITS)
    else:
        f.paragraph("本期没有转送、交办至责任单位的信访事项。", BODY_SIZE, first_line_chars=2)

    _heading(f, "五、转送、交办、督办情况")
    decisions = {r.key: r for r in stats.tables.get("decision", [])}
    forwarded, assigned = decisions.get("转送"), decisions.get("交办")
    f.paragraph(f"本期转送{forwarded.items if forwarded else 0}件、交办{assigned.items if assigned else 0}件，"
                f"督办{stats.supervised.items}件{stats.supervised.person_times}人次。按处理方式：",
                BODY_SIZE, first_line_chars=2)
    _rows_table(f, stats.tables.get("decision", []), total, "处理方式", len(decisions), batches=False)

    _heading(f, "六、办理时效与满意度")
    rates = [[rate.label, str(rate.numerator), str(rate.denominator), rate.percent(), rate_note(rate)]
             for rate in stats.rates.values()]
    _table(f, [Column("指标", 0.17, ALIGN_LEFT), Column("分子", 0.1), Column("分母", 0.1), Column("比率", 0.13),
               Column("说明", 0.50, ALIGN_LEFT)], rates)

    _heading(f, "七、按月分布")
    months = [TableRow(r.key, month_label(r.key), r.items, r.person_times, r.batches, r.cell)
              for r in stats.tables.get("month", [])]
    _rows_table(f, months, total, "月份", len(months) or 1)

    _heading(f, "八、按乡镇分布")
    _rows_table(f, stats.tables.get("township", []), total, "问题属地", TOP_TOWNSHIPS)

    f.gap(8)
    f.paragraph("注：" + UNITS_NOTE + RATES_NOTE, SMALL_SIZE, leading=1.5)
    return f


def _heading(f: Flow, text: str) -> None:
    f.gap(6)
    f.line(text, HEADING_SIZE, bold=True, leading=1.9, keep_with_next=True)


def _subheading(f: Flow, text: str) -> None:
    f.line(text, BODY_SIZE, leading=1.8, keep_with_next=True)


def _rows_table(f: Flow, rows: list[TableRow], total: int, name_title: str, limit: int, *, level: int = 1,
                batches: bool = True) -> None:
    """A statistics table: name(s), 件, 占比, 人次 (and 批); the rows past `limit` summed in one row."""
    if not rows:
        f.paragraph("本期无相关数据。", BODY_SIZE, first_line_chars=2)
        return
    shown, rest = top_rows(rows, limit)
    if level == 2:
        columns = [Column("一级分类", 0.22, ALIGN_LEFT), Column("二级分类", 0.30, ALIGN_LEFT)]
    else:
        columns = [Column(name_title, 0.52 if batches else 0.6, ALIGN_LEFT)]
    numbers = [Column("件", 0.12), Column("占比", 0.12), Column("人次", 0.12)]
    if batches:
        numbers.append(Column("批", 0.12))
    else:
        numbers = [Column(c.title, 0.4 / 3, c.align) for c in numbers]

    def cells(names: list[str], items: int, person_times: int, batch_count: int) -> list[str]:
        out = [*names, str(items), percent_text(share(items, total)), str(person_times)]
        return out + [str(batch_count)] if batches else out

    body = []
    for r in shown:
        names = (r.key.split(SEPARATOR) + [""])[:2] if level == 2 else [r.label]
        body.append(cells(names, r.items, r.person_times, r.batches))
    if rest:
        n, items, person_times, batch_count = rest
        label = f"其余{n}项合计"
        body.append(cells([label, ""] if level == 2 else [label], items, person_times, batch_count))
    _table(f, columns + numbers, body)


def _table(f: Flow, columns: list[Column], rows: list[list[str]], *, size: float = TABLE_SIZE,
           bold_rows: set[int] = frozenset()) -> None:
    widths = [TEXT_W * c.width for c in columns]
    aligns = [c.align for c in columns]

    def row(cells: list[str], **kw) -> Block:
        block = table_row_block(f.fonts, widths, cells, size, aligns=aligns, pad_x=CELL_PAD_X, pad_y=CELL_PAD_Y,
                                line_width=0.5, header_gray=0.9, **kw)
        f.blocks.append(block)
        return block

    # kept with the first row: never a header alone at the foot of a page
    header = row([c.title for c in columns], header=True, keep_with_next=True)
    for i, cells in enumerate(rows):
        row(cells, bold=i in bold_rows, repeat_header=header)
    f.gap(4)
