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
    "decision": "coalesce(decision, '')",
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
# What each rate divides by: the matters of its buckets that count (evaluation: of the first two).
RATE_TOTALS = {"timely": ("on_time", "late", "overdue"), "conclude": ("on_time", "late", "overdue"),
               "evaluation": ("evaluated", "overdue")}
TOTAL_KEY = "counted"
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


def split_condition(cell: StatsCell, add: Add, today: date | None = None) -> tuple[str, str]:
    """(the rows' range, what selects the cell within it): statistics evaluate many cells over one range."""
    today = cell.today or today or date.today()
    dim, key = cell.dimension, cell.key
    if dim in RATE_BUCKETS:
        column = RATE_DATE_COLUMN[dim]
        keys = RATE_TOTALS[dim] if key == TOTAL_KEY else (key,)
        bucket = "(" + " OR ".join(f"({RATE_BUCKETS[dim][k]})" for k in keys).format(today=add(today.isoformat())) + ")"
        where = (f"litigation_related = 0 AND {column} BETWEEN {add(cell.start.isoformat())} "
                 f"AND {add(cell.end.isoformat())}")
        return where, bucket
    where = basis_range(cell, add)
    if dim in ("all", ""):
        return where, "1"
    if dim == "visits":
        return where, "form = '走访'"
    if dim == "visit_size":
        return where, f"form = '走访' AND is_collective = {1 if key == 'collective' else 0}"
    if dim == "skip_level":
        return where, "skip_level = 1"
    if dim == "repeat":
        return where, "repeat_of_id IS NOT NULL"
    if dim == "supervised":  # 督办 at any time, even if answered since
        return where, "id IN (SELECT matter_id FROM matter_event WHERE kind = 'supervised')"
    if dim == "content":
        return where, content_prefix(key, add)
    if dim == "month":
        return where, f"{basis_month_sql(cell.basis)} = {add(key)}"
    if dim in DIMENSION_SQL:
        return where, f"{DIMENSION_SQL[dim]} = {add(key)}"
    raise ValueError(f"unknown statistics dimension {dim!r}")


def cell_condition(cell: StatsCell, add: Add, today: date | None = None) -> str:
    """SQL condition selecting exactly the matters counted by `cell`."""
    where, extra = split_condition(cell, add, today)
    return where if extra == "1" else f"{where} AND ({extra})"
