"""The benchmark results as a Markdown section, printed and written into docs/benchmarks.md."""
from __future__ import annotations

import re
from pathlib import Path

from .common import ROOT, Timing, ms, ratio
from .dataset import Dataset, Sample
from .search_latency import CLI_RUNS, IN_PROCESS_RUNS, PAGE_LIMIT, REFERENCE_RUNS, SearchReport
from .startup import RUNS as STARTUP_RUNS
from .startup import StartupReport

DOC = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- bench:search-and-startup:begin (written by `python -m bench`; edits inside are overwritten) -->"
END = "<!-- bench:search-and-startup:end -->"
DOC_HEADER = "# Benchmarks\n\nFigures measured on real machines. Each section is rewritten by the tool named in it.\n"
TARGET_SEARCH = 0.3  # seconds, name / initials / ID / phone search at 100,000 matters
TARGET_GENERATE = 60.0  # seconds, 100,000 demo matters


def render(facts: dict[str, str], data: Dataset, sample: Sample, search: SearchReport,
           startup: StartupReport, total_seconds: float) -> str:
    out: list[str] = []
    w = out.append
    w(f"## Search latency and start-up at {data.count:,} matters\n")
    w(f"Measured {facts['Date']} with `.venv/bin/python -m bench` (the whole run took {total_seconds:.0f} s). "
      "Every figure is set against a baseline measured in the same run, so ratios can be compared across machines.\n")
    w("| Machine | |\n| --- | --- |")
    for key, value in facts.items():
        if key != "Date":
            w(f"| {key} | {value} |")
    w("")

    w("### Demo data\n")
    if data.generate_seconds != data.generate_seconds:  # NaN: an existing data directory was reused
        w(f"- Not generated in this run: an existing data directory with {data.count:,} matters was reused.\n")
    else:
        w(_generate_lines(data))


    w(f"### Search at {data.count:,} matters\n")
    w(f"Sample keys come from the first generated petitioner with a three-character name: "
      f"{sample.name} (initials `{sample.initials}`), ID number `{sample.id_number}`, phone `{sample.phone}`, "
      f"matter `{sample.number}`.\n")
    w(f"- **In-process**: `services.matters.page(MatterQuery(text=Q), limit={PAGE_LIMIT})` followed by `count(…)` "
      f"— what the window's search box does — {IN_PROCESS_RUNS} runs each, the first (cold) included in *max*. "
      f"Baseline: `SELECT count(*) FROM matter` through the same engine.")
    w(f"- **CLI process**: wall time of `python -m app search Q --data-dir D --json` (page of {PAGE_LIMIT}, no count), "
      f"median of {CLI_RUNS} after one unmeasured run. Baseline: a bare interpreter, `python -c \"import sqlite3\"` "
      f"(baseline and reference rows: median of {REFERENCE_RUNS}, run in interleaved rounds). "
      "Child interpreters cache bytecode in a temporary `PYTHONPYCACHEPREFIX`, as an installed or bundled app has it "
      "(this environment sets `PYTHONDONTWRITEBYTECODE=1`, which makes every process compile `app/` again: see the "
      "last reference row).\n")
    bsql, bpy = search.baseline_sql, search.baseline_python
    w("| Query kind | Query | Hits | In-process median | max | × baseline | page only (median) | CLI process median | × bare Python |")
    w("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in search.results:
        mark = " ⁽*⁾" if r.kind.target else ""
        w(f"| {r.kind.label}{mark} | `{r.kind.text}` | {r.hits:,} | {ms(r.page_count.median)} | {ms(r.page_count.max)} | "
          f"{ratio(r.page_count.median, bsql.median)} | {ms(r.page_only.median)} | {ms(r.cli.median)} | "
          f"{ratio(r.cli.median, bpy.median)} |")
    w(f"| *baseline* | `SELECT count(*) FROM matter` | {data.count:,} | {ms(bsql.median)} | {ms(bsql.max)} | 1.0× | | | |")
    w(f"| *baseline* | `python -c \"import sqlite3\"` | | | | | | {ms(bpy.median)} | 1.0× |")
    w(f"| *reference* | `python -c \"import app.cli, app.services.context, app.services.matters\"` | | | | | | "
      f"{ms(search.imports_only.median)} | {ratio(search.imports_only.median, bpy.median)} |")
    w(f"| *reference* | the same imports, no bytecode cache for `app/` | | | | | | "
      f"{ms(search.imports_uncached.median)} | {ratio(search.imports_uncached.median, bpy.median)} |")
    w(f"| *reference* | `python -c \"import sqlalchemy.orm\"` | | | | | | "
      f"{ms(search.sqlalchemy_only.median)} | {ratio(search.sqlalchemy_only.median, bpy.median)} |")
    w("\n⁽*⁾ kinds named by the acceptance target (< 0.3 s at 100,000 matters). The in-process baseline is a "
      "trivial statement, so its ratios mostly show how much more work a search is than a round trip through "
      "the engine.\n")
    missing = [r for r in search.results if r.kind.key in ("name", "id", "phone") and not r.found_sample]
    if missing:
        w("**Check failed:** the sample matter was not on the first page for: "
          + ", ".join(r.kind.label for r in missing) + ".\n")
    w(_search_verdict(search))

    w("\n### Start-up to main window shown\n")
    w(_startup_section(startup))
    return "\n".join(out).rstrip() + "\n"


def _generate_lines(data: Dataset) -> str:
    ok = data.generate_seconds < TARGET_GENERATE
    return (
        f"- `app.services.demo.generate(…, {data.count})` into a fresh data directory: **{data.generate_seconds:.1f} s** "
        f"(target: 100,000 in under {TARGET_GENERATE:.0f} s — {'met' if ok else '**not met**'}); "
        f"database {data.db_bytes / 1e6:.0f} MB.\n"
        f"- Opening the empty database (migrations to head) and `init` of the station: {ms(data.open_init_seconds)}.\n"
    )


def _search_verdict(search: SearchReport) -> str:
    targets = [r for r in search.results if r.kind.target]
    lines = ["**Against the target (< 0.3 s for name, pinyin initials, ID number and phone):**\n"]
    inproc_ok = [r for r in targets if r.page_count.max < TARGET_SEARCH]
    inproc_bad = [r for r in targets if r.page_count.max >= TARGET_SEARCH]
    worst = max(targets, key=lambda r: r.page_count.max)
    if not inproc_bad:
        lines.append(f"- In-process (the search box of the window): **met** by all of them, even counting the worst single run "
                     f"({worst.kind.label}, max {ms(worst.page_count.max)}; median at most "
                     f"{ms(max(r.page_count.median for r in targets))}).")
    else:
        lines.append("- In-process: met by " + (", ".join(r.kind.label for r in inproc_ok) or "none")
                     + "; **not met** by " + ", ".join(f"{r.kind.label} (max {ms(r.page_count.max)})" for r in inproc_bad) + ".")
    cli_ok = [r for r in targets if r.cli.median < TARGET_SEARCH]
    cli_bad = [r for r in targets if r.cli.median >= TARGET_SEARCH]
    imports = search.imports_only.median
    if not cli_bad:
        hi = max(r.cli.median for r in targets)
        lines.append(
            f"- Whole CLI process (`python -m app search …`): **met** by all of them as well (median at most {ms(hi)}). "
            "On a database already at the current schema the command reads through a bare `sqlite3` connection "
            f"(`app/services/quick_read.py`) and never imports SQLAlchemy: its imports take {ms(imports)} "
            f"(process exit included), against {ms(search.sqlalchemy_only.median)} for `import sqlalchemy.orm` alone.")
    else:
        lo, hi = min(r.cli.median for r in cli_bad), max(r.cli.median for r in cli_bad)
        lines.append(
            f"- Whole CLI process (`python -m app search …`): **not met** by "
            + ("any of them" if not cli_ok else ", ".join(r.kind.label for r in cli_bad))
            + f" — {ms(lo)} to {ms(hi)} median. Most of it is fixed cost paid before the query: a bare interpreter "
            f"takes {ms(search.baseline_python.median)}, and importing the CLI, the services, SQLAlchemy and the models "
            f"takes {ms(imports)} in all (process exit included; `import sqlalchemy.orm` alone: "
            f"{ms(search.sqlalchemy_only.median)}); opening the database (engine, pragmas, migration check) comes on "
            "top, and the query itself is the in-process figure. Meeting 0.3 s for a whole command would need "
            "lighter imports, not faster queries.")
        lines.append(f"- Import time of the CLI's modules (`-X importtime`, self time per package): {search.import_breakdown}.")
    return "\n".join(lines)


def _startup_section(startup: StartupReport) -> str:
    res = startup.results
    bare = res.get("bare")
    lines = [
        f"Each sample is a fresh interpreter with `QT_QPA_PLATFORM=offscreen`, median of {STARTUP_RUNS}; *shown* is the time "
        "from just before the process is started (a `CLOCK_MONOTONIC` stamp passed in the environment) to after "
        "`show()` and one `processEvents()`; *whole process* also includes exiting. *List loaded* is when a table "
        "anywhere in the window (any tab) first holds rows; it equals *shown* when the list is filled while the "
        "window is built, and is later when it is filled in the background.\n",
        "- **bare**: `QApplication` + `QMainWindow` holding one `QLabel` (the baseline).",
        "- **create_main_window**: `DeskServices.open` on the 100,000-matter data directory and the operator's "
        "login (one argon2id derivation), then `app.ui.app.create_main_window(services)` and `show()`.",
        "- **python -m app**: the real entry point `python -m app --data-dir D`, with `QApplication.exec` replaced "
        "by a probe that reports and exits. It also runs the start-up `PRAGMA quick_check` (docs/backups.md) and "
        "the login dialog, which the probe answers at once as a fast typist would.\n",
    ]
    if not startup.ui_available:
        lines.append("`app/ui/app.py` did not exist when this ran, so only the bare window was measured.\n")
    lines.append("| Window | Shown (median) | max | × bare | Whole process (median) | List loaded (median) |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    names = {"bare": "bare QMainWindow + QLabel", "window": "create_main_window(services)", "app": "python -m app"}
    for mode, r in res.items():
        if r.shown is None:
            lines.append(f"| {names[mode]} | failed: {r.error[:200]} | | | | |")
            continue
        base = bare.shown.median if bare and bare.shown else 0
        first = ms(r.first_rows.median) if r.first_rows else "–"
        lines.append(f"| {names[mode]} | {ms(r.shown.median)} | {ms(r.shown.max)} | {ratio(r.shown.median, base)} | "
                     f"{ms(r.wall.median)} | {first} |")
    win = res.get("window")
    if win and win.shown:
        m = win.marks
        lines.append(
            f"\nWhere the time of `create_main_window` goes (medians): interpreter up {ms(m.get('interpreter', 0))}, "
            f"imports done {ms(m.get('imports', 0))}, services open {ms(m.get('services', 0))}, "
            f"window built {ms(m.get('created', 0))}, shown {ms(m.get('shown', 0))}.")
    if startup.import_breakdown:
        lines.append(f"\nImport time of `app.ui.app` (`-X importtime`, self time per package): {startup.import_breakdown}.")
    if bare and bare.shown:
        lines.append(f"\nBare-window stages (medians): interpreter up {ms(bare.marks.get('interpreter', 0))}, "
                     f"PySide6 imported {ms(bare.marks.get('imports', 0))}, shown {ms(bare.marks.get('shown', 0))}.")
    return "\n".join(lines)


def write_section(section: str, doc: Path = DOC, begin: str = BEGIN, end: str = END) -> None:
    """Replace one benchmark's marked section in the document (or append it), leaving other sections alone."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else DOC_HEADER
    block = f"{begin}\n{section.rstrip()}\n{end}\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = text.rstrip() + "\n\n" + block
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")


def run_on_dataset(prog: str, doc: str, default_count: int, run, section, begin: str, end: str,
                   argv: list[str] | None = None) -> int:
    """The command line of a benchmark over demo data: build (or reuse) a data folder, measure,
    print the section and write it into docs/benchmarks.md between its markers."""
    import argparse
    import shutil
    import sys

    from . import dataset
    from .common import log, machine_facts

    parser = argparse.ArgumentParser(prog=prog, description=doc)
    parser.add_argument("--count", type=int, default=default_count)
    parser.add_argument("--data-dir", type=Path, help="reuse this data directory instead of generating one")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args(argv)
    data = None if args.data_dir else dataset.build(args.count)
    try:
        result = run(args.data_dir or data.data_dir)
    finally:
        if data is not None:
            shutil.rmtree(data.data_dir, ignore_errors=True)
    out = section(machine_facts(), result)
    sys.stdout.write(out + "\n")
    if not args.no_doc:
        write_section(out, begin=begin, end=end)
        log("written to docs/benchmarks.md")
    return 0


__all__ = ["render", "run_on_dataset", "write_section", "Timing"]
