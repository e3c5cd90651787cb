"""The lifecycle's cached clocks over many matters, against plain SELECT count(*) in the same run.

    .venv/bin/python -m bench.lifecycle_clocks [--count 100000] [--data-dir DIR] [--no-doc]

Measured on N demo matters: recomputing every open matter's clocks (`LifecycleService.refresh_all`,
what runs after an upgrade or a rule-set change), the Today page's seven numbers
(`today_summary`), and the `due` list. Baseline: `SELECT count(*) FROM matter` through the same
engine, so the ratios say how far each is from the cheapest possible query on the table.
"""
from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import text

from .common import ms, ratio, repeat
from .report import run_on_dataset

BEGIN = "<!-- bench:lifecycle:begin (written by `python -m bench.lifecycle_clocks`; edits inside are overwritten) -->"
END = "<!-- bench:lifecycle:end -->"
RUNS = 7


def run(data_dir: Path) -> dict:
    from .common import open_desk
    from app.services.today import today_summary

    desk = open_desk(data_dir)
    try:
        today = date.today()
        with desk.engine.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM matter")).scalar_one()

        def baseline() -> None:
            with desk.engine.connect() as conn:
                conn.execute(text("SELECT count(*) FROM matter")).scalar_one()

        started = time.perf_counter()
        refreshed = desk.lifecycle.refresh_all()
        refresh = time.perf_counter() - started
        summary = today_summary(desk.matters, today)
        return {
            "matters": count,
            "refreshed": refreshed,
            "refresh_s": refresh,
            "baseline": repeat(baseline, RUNS),
            "today": repeat(lambda: today_summary(desk.matters, today), RUNS),
            "due": repeat(lambda: desk.lifecycle.due(today), RUNS),
            "summary": summary,
            "due_rows": len(desk.lifecycle.due(today)),
        }
    finally:
        desk.close()


def section(facts: dict[str, str], r: dict) -> str:
    base = r["baseline"].median
    row = lambda name, t: f"| {name} | {ms(t.median)} | {ms(t.max)} | {ratio(t.median, base)} |"  # noqa: E731
    s = r["summary"]
    return "\n".join([
        "## Lifecycle clocks: recompute, Today page, due list",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `.venv/bin/python -m bench.lifecycle_clocks` on "
        f"{facts.get('CPU', '?')}, over {r['matters']:,} demo matters. Baseline in the same run: "
        "`SELECT count(*) FROM matter` through the same engine.",
        "",
        f"- Recomputing every open matter's clocks ({r['refreshed']:,} matters, 2,000 per transaction): "
        f"{ms(r['refresh_s'])} ({r['refresh_s'] * 1e6 / max(1, r['refreshed']):.0f} µs per matter). It runs once "
        "after an upgrade or a rule-set change, in the background in the window.",
        "",
        f"| Query ({RUNS} runs) | Median | Max | Median / baseline |",
        "| --- | ---: | ---: | ---: |",
        row("*baseline*: `SELECT count(*) FROM matter`", r["baseline"]),
        row("Today page: all seven numbers", r["today"]),
        row(f"`due` list (3 days; {r['due_rows']:,} rows)", r["due"]),
        "",
        f"Today's figures on that data: 件 {s.items}, 批 {s.batches}, 人次 {s.person_times}, 3日内到期 {s.due_soon}, "
        f"已超期 {s.overdue}, 待评价 {s.awaiting_evaluation}, 待同步 {s.unsynced}.",
    ])


def main(argv: list[str] | None = None) -> int:
    return run_on_dataset("python -m bench.lifecycle_clocks", __doc__, 100_000, run, section, BEGIN, END, argv)


if __name__ == "__main__":
    sys.exit(main())
