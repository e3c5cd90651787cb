"""What the xlsx and the PDF report share: the wording of periods, the headline, rate notes."""
from __future__ import annotations

from datetime import date

from app.services.statistics import periods
from app.services.statistics.model import Figure, Rate, Statistics, TableRow
from app.services.statistics.periods import DATE_BASES, Period

# The 2022 Regulations' forms as reports name them.
FORM_LABELS = {"走访": "走访", "来信": "来信", "网上": "网上信访", "电话": "电话", "传真": "传真"}
# What each bucket of a rate counts (Rate.parts keys).
RATE_PART_LABELS = {
    "timely": {"on_time": "及时受理", "late": "超期受理", "overdue": "超期未受理"},
    "conclude": {"on_time": "按期办结", "late": "超期办结", "overdue": "超期未办结"},
    "participation": {"evaluated": "已评价", "overdue": "超期未评价"},
    "satisfaction": {"satisfied": "满意和基本满意", "evaluated": "已评价"},
}
REPEAT_RATE_LABEL = "重复信访率"
REPEAT_RATE_NOTE = "重复访件数 ÷ 信访事项件数"
UNITS_NOTE = "件：信访事项数；人次：信访人数之和；批：来访（走访）批次，一批来访登记为一件。"
RATES_NOTE = ("及时受理率、按期办结率、参评率、满意率不含涉法涉诉事项，按相应期限"
              "（受理告知期限、办结期限、评价期限）届满日落在统计期间内的事项计算。")


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def date_range_text(period: Period) -> str:
    """2025年11月1日至2025年11月30日."""
    return f"{cn_date(period.start)}至{cn_date(period.end)}"


def period_title(period: Period) -> str:
    """"2025年11月", "2025年第4季度", "2025年" for whole calendar periods, else the date range."""
    start, end = period.start, period.end
    candidates = [periods.year(start.year), periods.quarter(start.year, (start.month - 1) // 3 + 1),
                  periods.month(start.year, start.month)]
    for p in candidates:
        if (p.start, p.end) == (start, end):
            return p.label
    return date_range_text(period)


def basis_label(stats: Statistics) -> str:
    return DATE_BASES.get(stats.basis, stats.basis)


def month_label(key: str) -> str:
    """'2025-11' → '2025年11月' (other keys unchanged)."""
    try:
        y, m = key.split("-")
        return f"{int(y)}年{int(m)}月"
    except ValueError:
        return key


def share(n: int, total: int) -> float | None:
    return n / total if total else None


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def rate_note(rate: Rate) -> str:
    """"及时受理 8，超期受理 1，超期未受理 1"."""
    labels = RATE_PART_LABELS.get(rate.name, {})
    return "，".join(f"{labels.get(k, k)} {n}" for k, n in rate.parts.items())


def _fig(f: Figure, unit: str = "件") -> str:
    return f"{f.items}{unit}{f.person_times}人次"


def headline(stats: Statistics, station_name: str = "") -> str:
    """The opening paragraph of a report, in the usual wording of the office's monthly reports."""
    who = station_name or "本单位"
    if not stats.items:
        return f"{period_title(stats.period)}，{who}未受理群众信访事项。"
    parts = [f"{period_title(stats.period)}，{who}共受理群众信访事项{_fig(stats.total)}。"]
    others = [f"{FORM_LABELS.get(form, form)}{_fig(fig)}" for form, fig in stats.by_form.items()
              if form != "走访" and fig.items]
    if others:
        parts.append("其中" + "，".join(others) + "；")
    if stats.visits.items:
        parts.append(f"接待群众来访{_fig(stats.visits, '批')}，其中个体访{_fig(stats.individual)}，"
                     f"集体访{_fig(stats.collective, '批')}。")
    else:
        parts.append("本期未接待群众来访。")
    parts.append(f"越级访{_fig(stats.skip_level)}，重复访{_fig(stats.repeats)}，"
                 f"{REPEAT_RATE_LABEL}{percent_text(stats.repeat_rate)}。")
    return "".join(parts)


def top_rows(rows: list[TableRow], limit: int) -> tuple[list[TableRow], tuple[int, int, int, int] | None]:
    """The first `limit` rows, and (rows left out, their items, person-times, batches) if any."""
    if len(rows) <= limit:
        return rows, None
    rest = rows[limit:]
    return rows[:limit], (len(rest), sum(r.items for r in rest), sum(r.person_times for r in rest),
                          sum(r.batches for r in rest))
