"""StatisticsService: the office's figures for a period, counted in SQLite over indexed columns.

Every number is computed over the condition of its `StatsCell` (cells.py), the same condition the
matter list uses when the number is clicked.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

from sqlalchemy import Engine, text

from .. import vocab
from ..dto import StatsCell
from ..matter_sql import SqlParams
from ..security import audit as audit_log
from ..security.audit_service import AuditService
from ..security.guard import Guard
from ..security.permissions import EXPORT, STATISTICS
from .cells import DIMENSION_SQL, RATE_BUCKETS, SEPARATOR, TOTAL_KEY, basis_month_sql, cell_condition, split_condition
from .model import TABLES, Figure, Rate, Statistics, TableRow
from .periods import PETITION_DATE, Period, check_basis

PERIOD_TABLE = "stats_period"
# Every column a period cell's condition or a table's key reads (cells.py).
PERIOD_COLUMNS = (
    "id, form, headcount, is_collective, skip_level, repeat_of_id, content_class_label, location_code, location, "
    "decision_unit_name, decision, receiver_leader_name, matter_class, petition_date, registered_at"
)
UNNAMED = {"township": "（未填写问题属地）", "unit": "（无去向单位）", "decision": "（未作处理）"}


class StatisticsService:
    """Counting needs 查看统计; writing a report file needs 导出报表和数据 and is audited."""

    def __init__(self, engine: Engine, guard: Guard, audit: AuditService):
        self.engine = engine
        self._guard = guard
        self._audit = audit

    def authorize_export(self, what: str, target: str) -> None:
        """Call before writing an export (`what`: xlsx, pdf, bundle…); refuses or records it."""
        self._guard.require(EXPORT)
        self._audit.record(audit_log.EXPORT, str(target)[-100:], {"what": what})

    def compute(self, period: Period, basis: str = PETITION_DATE, today: date | None = None) -> Statistics:
        self._guard.require(STATISTICS)
        basis = check_basis(basis)
        today = today or date.today()

        def cell(dimension: str, key: str = "") -> StatsCell:
            return StatsCell(dimension, key, period.start, period.end, basis, today)

        with self.engine.connect() as conn:
            # The period's rows, copied once (one pass over the date index) into a narrow temporary
            # table that every figure and table then scans in order. It vanishes with the connection.
            binder = SqlParams()
            conn.execute(text(f"DROP TABLE IF EXISTS temp.{PERIOD_TABLE}"))
            conn.execute(text(f"CREATE TEMP TABLE {PERIOD_TABLE} AS SELECT {PERIOD_COLUMNS} FROM matter "
                              f"WHERE {cell_condition(cell('all'), binder.add)}"), binder)

            def tally(cells: list[StatsCell], in_period: bool = True) -> list[tuple[int, int]]:
                """(matters, headcount) of each cell, in one scan of their common range."""
                binder = SqlParams()
                where = split_condition(cells[0], binder.add)[0]
                source = "matter"
                if in_period:
                    source, where = PERIOD_TABLE, "1"
                columns = []
                for c in cells:
                    extra = split_condition(c, binder.add)[1]
                    columns += [f"coalesce(sum(CASE WHEN {extra} THEN 1 ELSE 0 END), 0)",
                                f"coalesce(sum(CASE WHEN {extra} THEN headcount ELSE 0 END), 0)"]
                row = conn.execute(text(f"SELECT {', '.join(columns)} FROM {source} WHERE {where}"), binder).one()
                return [(row[i], row[i + 1]) for i in range(0, len(row), 2)]

            def grouped(expr: str) -> list:
                return conn.execute(text(
                    f"SELECT {expr}, count(*), coalesce(sum(headcount), 0), sum(form = '走访'), min(location) "
                    f"FROM {PERIOD_TABLE} GROUP BY {expr}")).all()

            figure_cells = {
                "all": cell("all"), "visits": cell("visits"),
                "individual": cell("visit_size", "individual"), "collective": cell("visit_size", "collective"),
                "skip_level": cell("skip_level"), "repeats": cell("repeat"), "supervised": cell("supervised"),
                **{f"form:{form}": cell("form", form) for form in vocab.FORMS},
            }
            figures = {name: Figure(*counts, c) for (name, c), counts in
                       zip(figure_cells.items(), tally(list(figure_cells.values())))}
            by_class = grouped("content_class_label")
            tables = {f"content{level}": _content_rows(by_class, level, cell) for level in (1, 2, 3)}
            tables.update({name: _rows(name, grouped(expr), cell) for name, expr in DIMENSION_SQL.items()
                           if name != "form"})
            tables["month"] = _rows("month", grouped(basis_month_sql(basis)), cell)
            rates: dict[str, Rate] = {}
            for name, buckets in RATE_BUCKETS.items():
                cells = {key: cell(name, key) for key in buckets}
                parts = {key: n for key, (n, _people) in zip(cells, tally(list(cells.values()), in_period=False))}
                rates.update(_rates(name, parts, cells))
        return Statistics(
            period=period, basis=basis, today=today,
            total=figures["all"], visits=figures["visits"],
            individual=figures["individual"], collective=figures["collective"],
            by_form={form: figures[f"form:{form}"] for form in vocab.FORMS},
            skip_level=figures["skip_level"], repeats=figures["repeats"], supervised=figures["supervised"],
            tables={name: tables[name] for name in TABLES},
            rates=rates,
        )


def _rows(dimension: str, rows: list, cell) -> list[TableRow]:
    out = []
    for key, items, person_times, batches, sample in rows:
        key = key or ""
        if dimension == "leader" and not key:
            continue  # matters without a receiving leader are not a leader's
        label = UNNAMED.get(dimension, key) if not key else key
        if dimension == "township" and key and sample:
            label = f"{key} {sample}"
        out.append(TableRow(key, label, items, person_times, batches or 0, cell(dimension, key)))
    if dimension == "month":
        return sorted(out, key=lambda r: r.key)
    return sorted(out, key=lambda r: (-r.items, r.key))


def _content_rows(by_label: list, level: int, cell) -> list[TableRow]:
    """Roll the per-class counts up to the classes of one level (a deeper class counts for its ancestors)."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for label, items, person_times, batches, _sample in by_label:
        parts = (label or "").split(SEPARATOR)
        if len(parts) < level:
            continue
        acc = sums[SEPARATOR.join(parts[:level])]
        acc[0] += items
        acc[1] += person_times
        acc[2] += batches or 0
    rows = [TableRow(path, path.split(SEPARATOR)[-1] if level > 1 else path, *v, cell("content", path))
            for path, v in sums.items()]
    return sorted(rows, key=lambda r: (-r.items, r.key))


def _rates(name: str, parts: dict[str, int], cells: dict[str, StatsCell]) -> dict[str, Rate]:
    counted = replace(cells[next(iter(cells))], key=TOTAL_KEY)
    if name == "evaluation":
        evaluated, overdue, satisfied = parts["evaluated"], parts["overdue"], parts["satisfied"]
        return {
            "participation": Rate("participation", evaluated, evaluated + overdue,
                                  {"evaluated": evaluated, "overdue": overdue}, cells, counted),
            "satisfaction": Rate("satisfaction", satisfied, evaluated,
                                 {"satisfied": satisfied, "evaluated": evaluated}, cells, cells["evaluated"]),
        }
    return {name: Rate(name, parts["on_time"], sum(parts.values()), parts, cells, counted)}
