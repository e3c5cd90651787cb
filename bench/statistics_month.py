"""Monthly statistics over a large table, against a plain SELECT count(*) over the same table in the same run.

    .venv/bin/python -m bench.statistics_month [--count 1000000] [--data-dir DIR] [--no-doc]

Measured: `StatisticsService.compute` for the most recent full calendar month (all figures,
tables and rates the 统计 page shows), cold first run included, and the same for a whole year.
Baseline: `SELECT count(*) FROM matter` through the same engine.
"""
from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from .common import ms, ratio, repeat
from .report import run_on_dataset

BEGIN = "<!-- bench:statistics:begin (written by `python -m bench.statistics_month`; edits inside are overwritten) -->"
END = "<!-- bench:statistics:end -->"
RUNS = 5
TARGET_S = 2.0


def last_full_month(today: date) -> tuple[int, int]:
    first = today.replace(day=1) - timedelta(days=1)
    return first.year, first.month


def run(data_dir: Path) -> dict:
    from .common import open_desk
    from app.services.statistics import periods

    desk = open_desk(data_dir)
    try:
        started = time.perf_counter()
        refreshed = desk.lifecycle.ensure_fresh()
        refresh_s = time.perf_counter() - started
        y, m = last_full_month(date.today())
        month, whole_year = periods.month(y, m), periods.year(y)

        def baseline() -> int:
            with desk.engine.connect() as conn:
                return conn.execute(text("SELECT count(*) FROM matter")).scalar_one()

        total = baseline()
        stats = desk.statistics.compute(month)
        return {
            "matters": total,
            "refreshed": refreshed,
            "refresh_s": refresh_s,
            "month": month.label,
            "month_items": stats.items,
            "year": whole_year.label,
            "baseline": repeat(baseline, RUNS),
            "compute_month": repeat(lambda: desk.statistics.compute(month), RUNS),
            "compute_year": repeat(lambda: desk.statistics.compute(whole_year), 3),
        }
    finally:
        desk.close()


def section(facts: dict[str, str], r: dict) -> str:
    base = r["baseline"].median
    month = r["compute_month"]
    row = lambda name, t: f"| {name} | {t.runs} | {ms(t.median)} | {ms(t.max)} | {ratio(t.median, base)} |"  # noqa: E731
    met = "met" if month.max < TARGET_S else "**not met**"
    return "\n".join([
        "## Statistics: one month over a large table",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `.venv/bin/python -m bench.statistics_month` on "
        f"{facts.get('CPU', '?')}, over {r['matters']:,} demo matters spread over one year "
        f"({r['month']}: {r['month_items']:,} matters). Everything the 统计 page shows is computed: headline "
        "figures, every table, the four rates. Baseline in the same run: `SELECT count(*) FROM matter`.",
        "",
        "| Run | Runs | Median | Max | Median / baseline |",
        "| --- | ---: | ---: | ---: | ---: |",
        row("*baseline*: `SELECT count(*) FROM matter`", r["baseline"]),
        row(f"statistics for {r['month']}", month),
        row(f"statistics for {r['year']}", r["compute_year"]),
        "",
        f"- Target (monthly statistics over 1,000,000 matters in under 2 s): {met} "
        f"(slowest of {month.runs} runs, the first cold one included: {ms(month.max)}).",
        f"- The window computes on a worker thread, so it stays responsive meanwhile "
        "(`tests/ui/test_statistics_page.py`).",
    ])


def main(argv: list[str] | None = None) -> int:
    return run_on_dataset("python -m bench.statistics_month", __doc__, 1_000_000, run, section, BEGIN, END, argv)


if __name__ == "__main__":
    sys.exit(main())
