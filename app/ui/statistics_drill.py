"""What a number on the statistics page opens: the matters of its cell, under a label for the list's chip."""
from __future__ import annotations

from dataclasses import dataclass

from app.services.dto import StatsCell
from app.services.statistics.model import Statistics
from app.services.statistics.periods import REGISTERED

ITEMS, PERSON_TIMES = "items", "person_times"
VISIT_FORM = "走访"  # 批: a table row's batches are the visits among its matters


@dataclass(frozen=True)
class Drill:
    """One clickable number.

    `measure` ITEMS: the list shows `value` matters; PERSON_TIMES: the listed matters' headcounts
    add up to `value`. `form`: an extra form filter on the list (a table row's 批).
    """

    value: int
    cell: StatsCell
    label: str
    measure: str = ITEMS
    form: str = ""


def period_caption(stats: Statistics) -> str:
    """"2025年6月" or "2025年6月（按登记日期）": the start of every chip label."""
    return stats.period.label + ("（按登记日期）" if stats.basis == REGISTERED else "")


def drill(stats: Statistics, value: int, cell: StatsCell, what: str, measure: str = ITEMS,
          form: str = "") -> Drill:
    return Drill(value, cell, f"{period_caption(stats)} {what}", measure, form)
