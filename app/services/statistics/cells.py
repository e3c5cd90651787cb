"""Which matters each number of the statistics counts, as plain SQL (no SQLAlchemy).

Every figure the statistics show is the count (or headcount sum) of one `StatsCell`; the matter
list opens a cell through the same condition (`app/services/matter_sql.py`), so a number and the
list it opens cannot disagree. Definitions follow spec §2.5:

- 件 every matter whose date (信访日期 or 登记日期, the chosen basis) lies in the period;
  人次 the sum of their headcounts; 批 the visits (走访) among them, one group = one batch.
- 个体访 / 集体访: visits below / at the station's collective threshold (stored per matter).
- Rates leave out 涉法涉诉 matters and take the matters whose deadline falls in the period:
  及时受理 decided by the notice deadline; 按期办结 answered by the conclusion deadline;
  参评率 evaluated (of the petition office) ÷ (evaluated + window passed unevaluated);
  满意率 (满意 + 基本满意) ÷ evaluated.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from ..dto import StatsCell
from .periods import REGISTERED

Add = Callable[[object], str]  # binds a value, returns its placeholder
SEPARATOR = " / "

# dimension → SQL expression of its key (grouped by in the tables, compared in a cell)
DIMENSION_SQL = {
    "form": "form",
    "matter_class": "matter_class",
    "township": "substr(location_code, 1, 9)",
    "unit": "decision_unit_name",
    "leader": "receiver_leader_name",
}
# rate buckets: dimension → key → condition (with :today and the period bound by the caller)
RATE_BUCKETS = {
    "timely": {
        "on_time": "decided_on IS NOT NULL AND decided_on <= notify_due",
        "late": "decided_on > notify_due",
        "overdue": "decided_on IS NULL AND notify_due < {today}",
    },
    "conclude": {
        "on_time": "replied_on IS NOT NULL AND replied_on <= conclude_due",
        "late": "replied_on > conclude_due",
        "overdue": "replied_on IS NULL AND conclude_due < {today}",
    },
    "evaluation": {
        "evaluated": "eval_office <> ''",
        "overdue": "eval_office = '' AND evaluate_by < {today}",
        "satisfied": "eval_office IN ('满意', '基本满意')",
    },
}
RATE_DATE_COLUMN = {"timely": "notify_due", "conclude": "conclude_due", "evaluation": "evaluate_by"}


def basis_range(cell: StatsCell, add: Add) -> str:
    """The period on the chosen date basis."""
    if cell.basis == REGISTERED:  # stored as 'YYYY-MM-DD HH:MM:SS' text
        return (f"registered_at >= {add(cell.start.isoformat())} AND "
                f"registered_at < {add((cell.end + timedelta(days=1)).isoformat())}")
    return f"petition_date BETWEEN {add(cell.start.isoformat())} AND {add(cell.end.isoformat())}"


def basis_month_sql(basis: str) -> str:
    return "substr(registered_at, 1, 7)" if basis == REGISTERED else "substr(petition_date, 1, 7)"


def content_prefix(path: str, add: Add) -> str:
    """The class at `path` or anything below it."""
    return (f"(content_class_label = {add(path)} OR (content_class_label >= {add(path + SEPARATOR)} "
            f"AND content_class_label < {add(path + SEPARATOR + chr(0x10FFFF))}))")


def cell_condition(cell: StatsCell, add: Add, today: date | None = None) -> str:
    """SQL condition selecting exactly the matters counted by `cell`."""
    today = cell.today or today or date.today()
    dim, key = cell.dimension, cell.key
    if dim in RATE_BUCKETS:
        column = RATE_DATE_COLUMN[dim]
        bucket = RATE_BUCKETS[dim][key].format(today=add(today.isoformat()))
        base = "evaluate_by IS NOT NULL AND " + bucket if dim == "evaluation" else bucket
        return (f"litigation_related = 0 AND {column} BETWEEN {add(cell.start.isoformat())} "
                f"AND {add(cell.end.isoformat())} AND {base}")
    parts = [basis_range(cell, add)]
    if dim in ("all", ""):
        pass
    elif dim == "visits":
        parts.append("form = '走访'")
    elif dim == "visit_size":
        parts.append(f"form = '走访' AND is_collective = {1 if key == 'collective' else 0}")
    elif dim == "skip_level":
        parts.append("skip_level = 1")
    elif dim == "repeat":
        parts.append("repeat_of_id IS NOT NULL")
    elif dim == "content":
        parts.append(content_prefix(key, add))
    elif dim == "month":
        parts.append(f"{basis_month_sql(cell.basis)} = {add(key)}")
    elif dim in DIMENSION_SQL:
        parts.append(f"{DIMENSION_SQL[dim]} = {add(key)}")
    else:
        raise ValueError(f"unknown statistics dimension {dim!r}")
    return " AND ".join(parts)
