"""Regenerate the sample images in docs/receipts/ (not a test).

    .venv/bin/python tests/receipts/make_receipt_pngs.py
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app.receipts.content import KIND_ACCEPT, PersonLine  # noqa: E402
from app.receipts.render import render  # noqa: E402
from receipt_samples import MASKED_ID, sample, with_changes  # noqa: E402

OUT = ROOT / "docs" / "receipts"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    slip = sample(name="王𠮷")
    group = with_changes(
        sample(reprint=True),
        people=[PersonLine("李䶮", "代表", MASKED_ID), PersonLine("陈㛃", "代表", "360426********0023")],
        headcount=6, is_collective=True, addressee="李䶮等6人",
    )
    notice = sample(KIND_ACCEPT, name="张𠮷䶮")
    jobs = [("slip-80mm", slip, 80), ("slip-58mm", group, 58), ("notice-accept", notice, 80)]
    with tempfile.TemporaryDirectory() as tmp:
        for name, content, width in jobs:
            pdf = Path(tmp) / f"{name}.pdf"
            pdf.write_bytes(render(content, width_mm=width))
            subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(OUT / name)],
                           check=True)
            print(OUT / f"{name}.png")


if __name__ == "__main__":
    main()
