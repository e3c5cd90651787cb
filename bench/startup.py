"""Start-up time: process start to main window shown, against a bare PySide6 window.

Each sample is a fresh interpreter (QT_QPA_PLATFORM=offscreen) running bench/_startup_child.py.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import imports
from .common import PYTHON, ROOT, Timing, child_env, log

RUNS = 5
CHILD = Path(__file__).with_name("_startup_child.py")
MODES = ("bare", "window", "app")
UI_MODULE = ROOT / "app" / "ui" / "app.py"


@dataclass
class ModeResult:
    mode: str
    shown: Timing | None = None  # t0 → shown (show() + one processEvents())
    wall: Timing | None = None  # whole subprocess, including exit
    first_rows: Timing | None = None  # t0 → first table rows present (when the window has a table)
    marks: dict[str, float] = field(default_factory=dict)  # medians of the child's marks
    windows: list[str] = field(default_factory=list)
    error: str = ""


@dataclass(frozen=True)
class StartupReport:
    results: dict[str, ModeResult]
    ui_available: bool
    import_breakdown: str = ""  # -X importtime of app.ui.app, by package


def run(data_dir: Path) -> StartupReport:
    ui_available = UI_MODULE.exists()
    modes = MODES if ui_available else ("bare",)
    if not ui_available:
        log(f"{UI_MODULE.relative_to(ROOT)} does not exist yet: measuring the bare window only")
    results = {m: ModeResult(m) for m in modes}
    samples: dict[str, list[dict]] = {m: [] for m in modes}
    for mode in modes:  # one unmeasured run each: bytecode cache and OS file cache warm
        try:
            _one(mode, data_dir)
        except RuntimeError as exc:
            results[mode].error = str(exc)
            log(f"start-up {mode} failed: {exc}")
    for _ in range(RUNS):  # interleaved, so drift in machine load hits every mode alike
        for mode in modes:
            if results[mode].error:
                continue
            try:
                samples[mode].append(_one(mode, data_dir))
            except RuntimeError as exc:
                results[mode].error = str(exc)
                log(f"start-up {mode} failed: {exc}")
    for mode, rows in samples.items():
        if not rows:
            continue
        r = results[mode]
        r.shown = Timing(tuple(s["marks"]["shown"] for s in rows))
        r.wall = Timing(tuple(s["wall"] for s in rows))
        rows_at = [s["first_rows"] for s in rows if s.get("first_rows") is not None]
        r.first_rows = Timing(tuple(rows_at)) if len(rows_at) == len(rows) else None
        r.marks = {k: statistics.median(s["marks"][k] for s in rows) for k in rows[0]["marks"]}
        r.windows = rows[0].get("visible", [])
        log(f"start-up {mode:<6} shown: median {r.shown.median * 1000:.0f} ms (whole process {r.wall.median * 1000:.0f} ms)"
            + (f", first rows {r.first_rows.median * 1000:.0f} ms" if r.first_rows else ""))
    breakdown = imports.describe(*imports.by_package("import app.ui.app")) if ui_available else ""
    return StartupReport(results, ui_available, breakdown)


def _one(mode: str, data_dir: Path) -> dict:
    env = child_env(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env["BENCH_T0_NS"] = str(time.monotonic_ns())
    started = time.perf_counter()
    done = subprocess.run([PYTHON, str(CHILD), mode, str(data_dir)], cwd=ROOT, env=env, capture_output=True, timeout=120)
    wall = time.perf_counter() - started
    lines = [ln for ln in done.stdout.decode("utf-8", "replace").splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-8:]
        raise RuntimeError(f"exit code {done.returncode}: " + " | ".join(tail))
    out = json.loads(lines[-1])
    if "error" in out:
        raise RuntimeError(out["error"])
    out["wall"] = wall
    return out
