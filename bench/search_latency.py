"""Search latency at N matters: in-process through the services, and as a whole CLI process.

Baselines measured in the same run: a plain `SELECT count(*) FROM matter` through the same
engine (in-process), and a bare interpreter start `python -c "import sqlite3"` (CLI).
"""
from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from . import imports
from .common import PYTHON, ROOT, Timing, child_env, log, repeat, time_process
from .dataset import Sample

IN_PROCESS_RUNS = 20
CLI_RUNS = 5
REFERENCE_RUNS = 7
PAGE_LIMIT = 100
FREE_TEXT = "拖欠"
# What `python -m app search` imports on a current database (the SQLAlchemy-free read path).
IMPORTS_CMD = [PYTHON, "-c", "import app.cli, app.services.quick_read"]


@dataclass(frozen=True)
class QueryKind:
    key: str  # short id used in the report
    label: str  # what kind of query, for the report
    text: str
    target: bool  # one of the kinds the < 0.3 s acceptance target names


@dataclass(frozen=True)
class QueryResult:
    kind: QueryKind
    hits: int  # count() of the query
    found_sample: bool  # the sample matter is on the first page (where it should be)
    page_count: Timing  # page(limit=100) + count(), in-process
    page_only: Timing  # page(limit=100) alone
    cli: Timing  # `python -m app search Q --json`, whole process


@dataclass(frozen=True)
class SearchReport:
    results: list[QueryResult]
    baseline_sql: Timing  # SELECT count(*) FROM matter, in-process
    baseline_python: Timing  # python -c "import sqlite3"
    imports_only: Timing  # IMPORTS_CMD: the modules the search command loads
    imports_uncached: Timing  # the same with no bytecode cache for app/ (PYTHONDONTWRITEBYTECODE=1)
    sqlalchemy_only: Timing  # python -c "import sqlalchemy.orm"
    import_breakdown: str  # -X importtime of the CLI's imports, by package


def query_kinds(sample: Sample) -> list[QueryKind]:
    return [
        QueryKind("name", "full name", sample.name, True),
        QueryKind("surname", "surname only", sample.name[0], False),
        QueryKind("initials3", "pinyin initials (3)", sample.initials[:3], True),
        QueryKind("initials2", "pinyin initials (2)", sample.initials[:2], True),
        QueryKind("id", "full ID number", sample.id_number, True),
        QueryKind("phone", "mobile phone", sample.phone, True),
        QueryKind("number", "matter number prefix (station-date)", sample.number.rsplit("-", 1)[0], False),
        QueryKind("text", "free text in title/request", FREE_TEXT, False),
    ]


def run(data_dir: Path, sample: Sample) -> SearchReport:
    from sqlalchemy import text

    from .common import open_desk
    from app.services.dto import MatterQuery

    services = open_desk(data_dir)
    try:
        def count_all() -> None:
            with services.engine.connect() as conn:
                conn.execute(text("SELECT count(*) FROM matter")).scalar_one()

        baseline_sql = repeat(count_all, IN_PROCESS_RUNS)
        log(f"baseline SELECT count(*): median {baseline_sql.median * 1000:.1f} ms")
        kinds = query_kinds(sample)
        results = []
        for kind in kinds:
            q = MatterQuery(text=kind.text)
            hits = services.matters.count(q)
            first_page = services.matters.page(q, limit=PAGE_LIMIT)
            found = any(r.number == sample.number for r in first_page)

            def page_and_count(q=q) -> None:
                services.matters.page(q, limit=PAGE_LIMIT)
                services.matters.count(q)

            def page(q=q) -> None:
                services.matters.page(q, limit=PAGE_LIMIT)

            page_count = repeat(page_and_count, IN_PROCESS_RUNS)
            page_only = repeat(page, IN_PROCESS_RUNS)
            cli = _cli_search(data_dir, kind.text)
            log(
                f"{kind.key:<10} {kind.text:<20} hits {hits:>6}  in-process median {page_count.median * 1000:6.1f} ms"
                f" (max {page_count.max * 1000:6.1f})  CLI median {cli.median * 1000:6.0f} ms"
            )
            results.append(QueryResult(kind, hits, found, page_count, page_only, cli))
    finally:
        services.close()
    baseline_python, imports_only, imports_uncached, sqlalchemy_only = _interleaved(
        ([PYTHON, "-c", "import sqlite3"], child_env()),
        (IMPORTS_CMD, child_env()),
        (IMPORTS_CMD, child_env(bytecode_cache=False)),
        ([PYTHON, "-c", "import sqlalchemy.orm"], child_env()),
    )
    breakdown = imports.describe(*imports.by_package(IMPORTS_CMD[-1]))
    log(f"baseline python -c 'import sqlite3': median {baseline_python.median * 1000:.0f} ms; "
        f"imports only: median {imports_only.median * 1000:.0f} ms")
    return SearchReport(results, baseline_sql, baseline_python, imports_only, imports_uncached, sqlalchemy_only, breakdown)


def _cli_search(data_dir: Path, query: str) -> Timing:
    cmd = [PYTHON, "-m", "app", "search", query, "--data-dir", str(data_dir), "--json"]
    # One checked run first: the CLI must answer with the same kind of rows.
    done = subprocess.run(cmd, cwd=ROOT, env=child_env(), capture_output=True, timeout=120)
    if done.returncode != 0 or not json.loads(done.stdout.decode("utf-8")):
        raise RuntimeError(f"CLI search {query!r} failed: {done.stderr.decode(errors='replace')[-2000:]}")
    return Timing(tuple(time_process(cmd, env=child_env()) for _ in range(CLI_RUNS)))


def _interleaved(*commands: tuple[list[str], dict[str, str]]) -> list[Timing]:
    """Run the commands in rounds (after one unmeasured round), so load drift hits all of them alike."""
    for cmd, env in commands:
        time_process(cmd, env=env)
    samples: list[list[float]] = [[] for _ in commands]
    for _ in range(REFERENCE_RUNS):
        for i, (cmd, env) in enumerate(commands):
            samples[i].append(time_process(cmd, env=env))
    return [Timing(tuple(s)) for s in samples]
