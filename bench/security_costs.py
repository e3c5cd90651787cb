"""What security costs: a login, sealing a person's numbers, verifying a long audit trail.

    .venv/bin/python -m bench.security_costs [--entries 100000]

Each figure is set against a baseline measured in the same run:
- login (one argon2id derivation + opening the key slot) against one SHA-256 of the password;
- sealing and lookup keys of one ID number and one phone against `json.dumps` of the same values;
- verifying the hash chain of N audit entries against `SELECT count(*)` over them.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from pathlib import Path

from .common import BENCH_OPERATOR, BENCH_PASSWORD, log, ms, open_desk, ratio, repeat

RUNS = 15
ID_NUMBER, PHONE = "360426199101010071", "13812345678"


def _time(seconds: float) -> str:
    return f"{seconds * 1e6:.0f} µs" if seconds < 1e-3 else ms(seconds)


def _fill_audit(desk, entries: int) -> None:
    """N realistic entries appended through the real chain code, in one transaction."""
    from app.services.security import audit
    from app.services.security.connection import raw_db

    with raw_db(desk.engine) as db:
        for i in range(entries):
            audit.append(db, BENCH_OPERATOR, audit.PRINT, f"360426-20261123-{i % 9999:04d}",
                         {"document": "slip", "reprint": False, "how": "打印"})


def run(entries: int) -> dict:
    from app.services.security.sealing import id_columns, phone_columns

    data_dir = Path(tempfile.mkdtemp(prefix="xfdesk-bench-security-"))
    desk = open_desk(data_dir)
    try:
        cipher = desk.guard.cipher
        login = repeat(lambda: desk.login(BENCH_OPERATOR, BENCH_PASSWORD), RUNS)
        sha = repeat(lambda: hashlib.sha256(BENCH_PASSWORD.encode()).digest(), RUNS)
        seal = repeat(lambda: (id_columns(ID_NUMBER, cipher), phone_columns(PHONE, cipher)), 200)
        plain = repeat(lambda: json.dumps({"id_number": ID_NUMBER, "phone": PHONE}), 200)
        log(f"appending {entries} audit entries …")
        started = time.perf_counter()
        _fill_audit(desk, entries)
        fill_seconds = time.perf_counter() - started
        verify = repeat(desk.audit.verify, 3)
        with desk.engine.connect() as conn:
            count = repeat(lambda: conn.exec_driver_sql("SELECT count(*) FROM audit_entry").scalar(), 5)
        return {"login": login, "sha": sha, "seal": seal, "plain": plain, "verify": verify, "count": count,
                "entries": entries, "fill_seconds": fill_seconds}
    finally:
        desk.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.security_costs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args(argv)
    r = run(args.entries)
    rows = [
        ("login: argon2id (m=19 MiB, t=2, p=1) + open the key slot", r["login"], r["sha"], "SHA-256 of the password"),
        ("seal + lookup keys of one ID number and one phone", r["seal"], r["plain"], "`json.dumps` of the two values"),
        (f"verify the audit chain, {r['entries']:,} entries", r["verify"], r["count"], "`SELECT count(*)` over them"),
    ]
    print("| What | median | max | baseline | baseline median | × baseline |")
    print("| --- | ---: | ---: | --- | ---: | ---: |")
    for what, t, base, base_name in rows:
        print(f"| {what} | {_time(t.median)} | {_time(t.max)} | {base_name} | {_time(base.median)} "
              f"| {ratio(t.median, base.median)} |")
    print(f"\n(appending the {r['entries']:,} entries through the chain code took {r['fill_seconds']:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
