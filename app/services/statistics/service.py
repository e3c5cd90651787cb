"""StatisticsService: the office's figures for a period, counted in SQLite over indexed columns.

Every number is computed over the condition of its `StatsCell` (cells.py), the same condition the
matter list uses when the number is clicked.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Engine, text

from .. import vocab
from ..dto import StatsCell
from .cells import DIMENSION_SQL, RATE_BUCKETS, SEPARATOR, basis_month_sql, cell_condition
from .model import TABLES, Figure, Rate, Statistics, TableRow
from .periods import PETITION_DATE, Period, check_basis

UNNAMED = {"township": "（未填写问题属地）", "unit": "（无去向单位）"}


class _Binder(dict):
    def add(self, value: object) -> str:
        name = f"p{len(self)}"
        self[name] = value
        return f":{name}"


class StatisticsService:
    def __init__(self, engine: Engine):
        self.engine = engine

    def compute(self, period: Period, basis: str = PETITION_DATE, today: date | None = None) -> Statistics:
        basis = check_basis(basis)
        today = today or date.today()

        def cell(dimension: str, key: str = "") -> StatsCell:
            return StatsCell(dimension, key, period.start, period.end, basis, today)

        with self.engine.connect() as conn:
            def run(c: StatsCell, columns: str = "count(*), coalesce(sum(headcount), 0)", tail: str = "") -> list:
                binder = _Binder()
                where = cell_condition(c, binder.add)
                return conn.execute(text(f"SELECT {columns} FROM matter WHERE {where} {tail}"), binder).all()

            def figure(c: StatsCell) -> Figure:
                items, person_times = run(c)[0]
                return Figure(items, person_times, c)

            def grouped(expr: str) -> list:
                return run(cell("all"), f"{expr}, count(*), coalesce(sum(headcount), 0), sum(form = '走访'), "
                           "min(location)", f"GROUP BY {expr}")

            forms = {form: (n, p) for form, n, p in run(cell("all"), "form, count(*), coalesce(sum(headcount), 0)",
                                                          "GROUP BY form")}
            by_form = {form: Figure(*forms.get(form, (0, 0)), cell("form", form)) for form in vocab.FORMS}
            by_class = grouped("content_class_label")
            tables = {f"content{level}": _content_rows(by_class, level, cell) for level in (1, 2, 3)}
            tables.update({name: _rows(name, grouped(expr), cell) for name, expr in DIMENSION_SQL.items()
                           if name != "form"})
            tables["month"] = _rows("month", grouped(basis_month_sql(basis)), cell)
            rates: dict[str, Rate] = {}
            for name in RATE_BUCKETS:
                rates.update(_rates(name, run, cell))
            visits = by_form["走访"]
            return Statistics(
                period=period, basis=basis, today=today,
                total=Figure(sum(f.items for f in by_form.values()),
                             sum(f.person_times for f in by_form.values()), cell("all")),
                visits=Figure(visits.items, visits.person_times, cell("visits")),
                individual=figure(cell("visit_size", "individual")),
                collective=figure(cell("visit_size", "collective")),
                by_form=by_form,
                skip_level=figure(cell("skip_level")),
                repeats=figure(cell("repeat")),
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


def _rates(name: str, run, cell) -> dict[str, Rate]:
    buckets = RATE_BUCKETS[name]
    parts = {key: run(cell(name, key), "count(*)")[0][0] for key in buckets}
    cells = {key: cell(name, key) for key in buckets}
    if name == "evaluation":
        evaluated, overdue, satisfied = parts["evaluated"], parts["overdue"], parts["satisfied"]
        return {
            "participation": Rate("participation", evaluated, evaluated + overdue,
                                  {"evaluated": evaluated, "overdue": overdue}, cells),
            "satisfaction": Rate("satisfaction", satisfied, evaluated,
                                 {"satisfied": satisfied, "evaluated": evaluated}, cells),
        }
    return {name: Rate(name, parts["on_time"], sum(parts.values()), parts, cells)}
