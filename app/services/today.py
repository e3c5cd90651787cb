"""The today view's numbers, counted over the very queries its tiles open in the matter list.

Each tile names a `MatterQuery` (`query_for(tile, today)`); `today_summary` counts those same
queries with `MatterQueries.count` (or sums their headcounts), so a tile's number and the list
it opens cannot disagree: they are one statement (`matter_sql`) run twice.

Definitions (units from spec §2.5):

- 件 (`items`): matters registered today (by 登记时间, whatever their 信访日期), every form.
- 批 (`batches`): visit (走访) matters registered today. A group arriving together is
  registered as one visit matter, so one visit matter = one batch.
- 人次 (`person_times`): the sum of 信访人数 (headcount) over today's visit matters, i.e. over
  the same matters as 批; letters, online and phone matters count as 件 only.
- 3日内到期 (`due_soon`): open matters whose next office deadline (`next_due`) falls between
  today and today + 3 days, both included.
- 已超期 (`overdue`): open matters whose next office deadline is before today.
  (`due_soon` + `overdue` is what `LifecycleService.due(today, 3)` lists.)
- 待评价 (`awaiting_evaluation`): matters answered but not fully evaluated whose evaluation
  window is still open (`evaluation_due` >= today); once it has passed they are 超期未评价
  and leave this list.
- 待同步 (`unsynced`): matters with at least one event the county has not acknowledged
  (outbox state pending, sending or 需处理); equals `OutboxCounts.waiting_matters`.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING

from .dto import MatterQuery
from .matter_sql import (
    AWAITING_EVALUATION,
    DUE_SOON,
    DUE_SOON_DAYS,
    OVERDUE,
    REGISTERED_TODAY,
    UNSYNCED,
    VISITS_TODAY,
)

if TYPE_CHECKING:  # not imported: the command line's quick path uses this module without SQLAlchemy
    from .matters import MatterQueries

ITEMS = "items"
BATCHES = "batches"
PERSON_TIMES = "person_times"
DUE_SOON_TILE = "due_soon"
OVERDUE_TILE = "overdue"
AWAITING_EVALUATION_TILE = "awaiting_evaluation"
UNSYNCED_TILE = "unsynced"

# tile → (the list it opens, what the list's filter chip says)
TILES: dict[str, tuple[str, str]] = {
    ITEMS: (REGISTERED_TODAY, "今日登记"),
    BATCHES: (VISITS_TODAY, "今日来访"),
    PERSON_TIMES: (VISITS_TODAY, "今日来访"),
    DUE_SOON_TILE: (DUE_SOON, "3日内到期"),
    OVERDUE_TILE: (OVERDUE, "已超期"),
    AWAITING_EVALUATION_TILE: (AWAITING_EVALUATION, "待评价"),
    UNSYNCED_TILE: (UNSYNCED, "待同步"),
}
# Deadline lists read best soonest deadline first (which is also the order their index gives);
# the others keep the list's newest-first order.
SPECIAL_SORT: dict[str, tuple[str, bool]] = {
    DUE_SOON: ("next_due", False),
    OVERDUE: ("next_due", False),
    AWAITING_EVALUATION: ("evaluation_due", False),
}


@dataclass(frozen=True)
class TodaySummary:
    items: int  # 件
    batches: int  # 批
    person_times: int  # 人次
    due_soon: int
    overdue: int
    awaiting_evaluation: int
    unsynced: int

    def value(self, tile: str) -> int:
        return int(getattr(self, tile))


def special_query(special: str, today: date | None = None) -> MatterQuery:
    """The matter list's query for one today-view list (sorted as that list reads best)."""
    sort_key, descending = SPECIAL_SORT.get(special, ("registered_at", True))
    return MatterQuery(special=special, today=today, sort_key=sort_key, descending=descending)


def query_for(tile: str, today: date | None = None) -> MatterQuery:
    """What clicking `tile` opens."""
    return special_query(TILES[tile][0], today)


def today_summary(matters: MatterQueries, today: date) -> TodaySummary:
    """Every tile's number, each computed over `query_for(tile, today)`."""
    values = {}
    for f in fields(TodaySummary):
        q = query_for(f.name, today)
        values[f.name] = matters.headcount_sum(q) if f.name == PERSON_TIMES else matters.count(q)
    return TodaySummary(**values)


def due_state(next_due: date | None, today: date) -> str:
    """OVERDUE, DUE_SOON or "" for a matter's next office deadline, by the lists' own definitions."""
    if next_due is None:
        return ""
    if next_due < today:
        return OVERDUE
    if (next_due - today).days <= DUE_SOON_DAYS:
        return DUE_SOON
    return ""


def due_text(next_due: date | None, today: date) -> str:
    """"06-19（剩1日）", "06-18（今日到期）", "06-13（超期5日）", or "" when no deadline runs."""
    if next_due is None:
        return ""
    days = (next_due - today).days
    if days < 0:
        state = f"超期{-days}日"
    elif days == 0:
        state = "今日到期"
    else:
        state = f"剩{days}日"
    return f"{next_due:%m-%d}（{state}）"
