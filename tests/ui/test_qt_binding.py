"""The installed Qt binding must not leak references to None (PySide6 6.12.0 on Python 3.11 did).

A leak there aborts the whole process after a few thousand table-cell paints, losing the form.
"""
from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QObject
o = QObject()
before = sys.getrefcount(None)
for _ in range(50000):
    o.parent()
print(before - sys.getrefcount(None))
"""


def test_none_returned_by_qt_keeps_its_reference_count():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 100
