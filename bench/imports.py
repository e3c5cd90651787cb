"""Where import time goes: one `python -X importtime` run, self time summed per top-level package."""
from __future__ import annotations

import subprocess
from collections import defaultdict

from .common import PYTHON, ROOT, child_env

TOP = 6


def by_package(statement: str) -> tuple[float, list[tuple[str, float]]]:
    """(total seconds, [(package, seconds), …] largest first) for importing `statement`'s modules."""
    env = child_env(QT_QPA_PLATFORM="offscreen")
    cmd = [PYTHON, "-X", "importtime", "-c", statement]
    subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, timeout=120)  # warm the bytecode cache
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, timeout=120, text=True)
    totals: dict[str, float] = defaultdict(float)
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
        totals[name.split(".")[0]] += int(self_us) / 1e6
    ranked = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)
    return sum(totals.values()), ranked[:TOP]


def describe(total: float, ranked: list[tuple[str, float]]) -> str:
    parts = ", ".join(f"`{name}` {seconds * 1000:.0f} ms" for name, seconds in ranked)
    return f"{total * 1000:.0f} ms in all; largest: {parts}"
