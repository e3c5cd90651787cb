"""scripts/crash_safety.py in small: a desk killed with SIGKILL while registering loses nothing it reported.

The full run (200 kills) is in docs/benchmarks.md; this one kills 8 times (twice during the
migration that creates the database) with a fixed seed, in about 10 s.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "crash_safety.py"
SUMMARY = re.compile(r"kills: (\d+), saved: (\d+), lost: (\d+), corrupted: (\d+), integrity failures: (\d+)")


@pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")
def test_killed_desk_keeps_every_reported_matter(tmp_path):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--kills", "8", "--seed", "20261123", "--data-dir", str(tmp_path / "data")],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )
    report = done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    match = SUMMARY.fullmatch(lines[-1]) if lines else None
    assert match, report
    kills, saved, lost, corrupted, failures = map(int, match.groups())
    assert (kills, lost, corrupted, failures) == (8, 0, 0, 0), report
    assert saved > 0, report
    assert done.returncode == 0, report
    assert "during migration" in done.stderr, report  # the first start was killed while creating the database
    assert (tmp_path / "data-crash" / "journal.txt").read_text(encoding="utf-8").count("SAVED ") == saved
