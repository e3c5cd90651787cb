"""Save-to-slip-PDF latency with 100,000 matters in the database.

One sample = what happens when the receptionist presses Ctrl+S with the slip set to print:
register the matter (validation + one transaction), assemble the slip's content from the
database, and render the PDF. Baseline, measured in the same run: reportlab drawing one line
of text into a page.

    .venv/bin/python -m bench.receipt_latency [--data-dir D | --count N] [--no-doc]
"""
from __future__ import annotations

import argparse
import io
import shutil
import sys
import time
from pathlib import Path

from . import dataset
from .common import Timing, log, machine_facts, ms, ratio
from .report import write_section

RUNS = 30
TARGET = 0.200  # seconds, median save-to-PDF-ready
BEGIN = "<!-- bench:receipt:begin (written by `python -m bench.receipt_latency`; edits inside are overwritten) -->"
END = "<!-- bench:receipt:end -->"


def _timing(samples: list[float]) -> Timing:
    return Timing(tuple(samples))


def baseline_one_line() -> float:
    from reportlab.pdfgen import canvas

    started = time.perf_counter()
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "XF-20261123-0001")
    c.save()
    assert buf.getvalue().startswith(b"%PDF")
    return time.perf_counter() - started


def run(data_dir: Path) -> dict[str, Timing]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from factories import make_input

    from app.receipts.content import KIND_SLIP
    from app.receipts.fonts import FontSet
    from app.receipts.render import render
    from .common import open_desk
    from app.services.dto import MatterQuery
    from app.services.registration import PetitionerInput

    services = open_desk(data_dir)
    started = time.perf_counter()
    fonts = FontSet.discover()
    font_setup = time.perf_counter() - started
    person = PetitionerInput(name="𠮷䶮㛃", id_number="360426199101010071", phone="13812345678")
    register, content, pdf, total = [], [], [], []
    try:
        for i in range(RUNS + 1):
            t0 = time.perf_counter()
            number = services.registration.register(make_input(petitioner=person, title=f"讨要拖欠工资{i}")).number
            t1 = time.perf_counter()
            doc = services.documents.content(number, KIND_SLIP)
            t2 = time.perf_counter()
            data = render(doc, fonts=fonts, width_mm=80)
            t3 = time.perf_counter()
            assert data.startswith(b"%PDF")
            if i == 0:  # first call pays one-off costs (imports, caches); reported separately
                first = t3 - t0
                continue
            register.append(t1 - t0)
            content.append(t2 - t1)
            pdf.append(t3 - t2)
            total.append(t3 - t0)
        count = services.matters.count(MatterQuery())
    finally:
        services.close()
    baseline = [baseline_one_line() for _ in range(RUNS)]
    return {
        "register": _timing(register),
        "content": _timing(content),
        "render": _timing(pdf),
        "total": _timing(total),
        "baseline": _timing(baseline),
        "first": _timing([first]),
        "fonts": _timing([font_setup]),
        "count": count,
    }


def section(facts: dict[str, str], r: dict) -> str:
    total, base = r["total"], r["baseline"]
    verdict = "met" if total.median < TARGET else "**not met**"
    rows = [
        ("register (validate + one transaction)", r["register"]),
        ("slip content from the database", r["content"]),
        ("render the slip PDF (reportlab, fonts with fallback, QR)", r["render"]),
        ("**save to PDF ready**", total),
        ("*baseline*: reportlab, one line of text into a page", base),
    ]
    lines = [
        "## Save to slip PDF ready",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `.venv/bin/python -m bench.receipt_latency` on "
        f"{facts.get('CPU', '?')}, with {r['count']:,} matters in the database; {RUNS} saves after one warm-up "
        "save, each registering a new matter (a name with 𠮷䶮㛃), reading its slip content and rendering the 80 mm slip.",
        "",
        "| Step | Median | Max | × baseline |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, t in rows:
        lines.append(f"| {label} | {ms(t.median)} | {ms(t.max)} | {ratio(t.median, base.median)} |")
    lines += [
        "",
        f"- Target (median save-to-PDF-ready under {TARGET * 1000:.0f} ms): {verdict} ({ms(total.median)}).",
        f"- One-off costs not in the table: font discovery and registration {ms(r['fonts'].median)} (once per "
        f"process, at start-up), the first save and render {ms(r['first'].median)}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.receipt_latency", description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args(argv)
    data = args.data_dir or dataset.build(args.count).data_dir
    try:
        result = run(data)
    finally:
        if not args.data_dir:
            shutil.rmtree(data, ignore_errors=True)
    text = section(machine_facts(), result)
    sys.stdout.write(text + "\n")
    if not args.no_doc:
        write_section(text, begin=BEGIN, end=END)
        log("written to docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
