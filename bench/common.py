"""Small helpers shared by the benchmarks: timing statistics, subprocess timing, machine facts."""
from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass(frozen=True)
class Timing:
    """Seconds of `runs` repetitions: median and max (the first, cold, run included)."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)

    @property
    def runs(self) -> int:
        return len(self.samples)


def repeat(fn, runs: int) -> Timing:
    """Run `fn` `runs` times and keep each run's seconds."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return Timing(tuple(samples))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def ratio(value: float, base: float) -> str:
    return f"{value / base:.1f}×" if base > 0 else "–"


_PYCACHE_PREFIX: Path | None = None


def use_pycache_prefix(path: Path) -> None:
    """Let child interpreters cache bytecode under `path`, as an installed app has it.

    Some environments set PYTHONDONTWRITEBYTECODE=1, so `app/` is compiled anew in every
    process; a separate prefix keeps the measurement realistic without writing into `app/`.
    """
    global _PYCACHE_PREFIX
    _PYCACHE_PREFIX = path


# The operator every benchmark works as: one account holding every role (the CLI logs in as it).
BENCH_OPERATOR, BENCH_PASSWORD = "基准测试", "bench-2026x"


def open_desk(data_dir: Path):
    """DeskServices on `data_dir` with the benchmark operator logged in (created on a new database)."""
    from app.services.context import DeskServices
    from app.services.security.permissions import ROLES

    desk = DeskServices.open(Path(data_dir))
    if desk.operators.has_operators():
        desk.login(BENCH_OPERATOR, BENCH_PASSWORD)
    else:
        desk.operators.setup_first_admin(BENCH_OPERATOR, BENCH_PASSWORD, frozenset(ROLES))
    return desk


def child_env(*, bytecode_cache: bool = True, **extra: str) -> dict[str, str]:
    """Environment of a measured child (logged in as the benchmark operator); without
    `bytecode_cache`, app/ is compiled in every process."""
    env = dict(os.environ, XFDESK_OPERATOR=BENCH_OPERATOR, XFDESK_PASSWORD=BENCH_PASSWORD, **extra)
    env.pop("XFDESK_DATA_DIR", None)
    env.pop("PYTHONPYCACHEPREFIX", None)
    if not bytecode_cache:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    elif _PYCACHE_PREFIX is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(_PYCACHE_PREFIX)
    return env


def time_process(cmd: list[str], *, env: dict[str, str] | None = None, timeout: float = 120) -> float:
    """Wall time of one subprocess; raises when it fails."""
    env = env if env is not None else child_env()
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, timeout=timeout)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def log(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def machine_facts() -> dict[str, str]:
    """The facts a reader needs to compare figures: CPU, memory, OS, Python, SQLite, Qt."""
    facts: dict[str, str] = {"Date": datetime.now().strftime("%Y-%m-%d %H:%M")}
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        nproc = str(len(os.sched_getaffinity(0)))
    facts["CPU"] = f"{_cpuinfo('model name') or platform.processor() or '?'}, nproc = {nproc}"
    mem_kb = _meminfo("MemTotal")
    if mem_kb:
        facts["Memory"] = f"{mem_kb / 1024 / 1024:.1f} GiB"
    facts["OS"] = _os_name()
    facts["Load average at start"] = load_average()
    facts["Python"] = platform.python_version()
    facts["SQLite"] = sqlite3.sqlite_version
    try:
        import sqlalchemy

        facts["SQLAlchemy"] = sqlalchemy.__version__
    except ImportError:
        pass
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        facts["PySide6 / Qt"] = f"{PySide6.__version__} / {qVersion()}"
    except ImportError:
        pass
    return facts


def load_average() -> str:
    """1/5/15-minute load averages: other work on the machine skews every figure."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _cpuinfo(key: str) -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _meminfo(key: str) -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"') + f" (kernel {platform.release()})"
    except OSError:
        pass
    return platform.platform()
