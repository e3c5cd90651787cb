"""`python -m bench`: demo data, search latency and start-up benchmarks, written to docs/benchmarks.md."""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from . import dataset, report, search_latency, startup
from .common import ROOT, load_average, log, machine_facts, use_pycache_prefix

RAW_OUT = ROOT / "bench" / "out" / "latest.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--count", type=int, default=100_000, help="demo matters to generate (default 100000)")
    parser.add_argument("--data-dir", type=Path, help="reuse this data directory instead of generating one")
    parser.add_argument("--keep-data", action="store_true", help="do not delete the generated data directory")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    facts = machine_facts()
    pycache = Path(tempfile.mkdtemp(prefix="xfdesk-bench-pycache-"))
    use_pycache_prefix(pycache)
    data = None
    try:
        data = _existing(args.data_dir) if args.data_dir else dataset.build(args.count)
        sample = dataset.pick_sample(data.data_dir)
        search = search_latency.run(data.data_dir, sample)
        boot = startup.run(data.data_dir)
    finally:
        shutil.rmtree(pycache, ignore_errors=True)
        if data is not None and not args.data_dir and not args.keep_data:
            shutil.rmtree(data.data_dir, ignore_errors=True)
    total = time.perf_counter() - started
    facts["Load average at end"] = load_average()
    section = report.render(facts, data, sample, search, boot, total)
    sys.stdout.write("\n" + section)
    _write_raw(facts, data, sample, search, boot, total)
    if not args.no_doc:
        report.write_section(section)
        log(f"written to {report.DOC.relative_to(ROOT)} (raw figures: {RAW_OUT.relative_to(ROOT)})")
    return 0


def _existing(data_dir: Path) -> dataset.Dataset:
    import sqlite3

    conn = sqlite3.connect(data_dir / "xfdesk.sqlite3")
    try:
        count = conn.execute("SELECT count(*) FROM matter").fetchone()[0]
    finally:
        conn.close()
    size = sum(p.stat().st_size for p in data_dir.glob("xfdesk.sqlite3*"))
    return dataset.Dataset(data_dir.resolve(), count, float("nan"), float("nan"), size)


def _write_raw(facts, data, sample, search, boot, total) -> None:
    """Every sample, for whoever wants more than the medians (bench/out/ is not committed)."""
    raw = {
        "facts": facts,
        "total_seconds": total,
        "dataset": {**asdict(data), "data_dir": str(data.data_dir)},
        "sample": asdict(sample),
        "search": asdict(search),
        "startup": {"ui_available": boot.ui_available, "results": {k: asdict(v) for k, v in boot.results.items()}},
    }
    RAW_OUT.parent.mkdir(parents=True, exist_ok=True)
    RAW_OUT.write_text(json.dumps(raw, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
