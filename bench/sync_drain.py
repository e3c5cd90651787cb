"""Draining waiting events to the county server on loopback, against one plain POST per matter.

    .venv/bin/python -m bench.sync_drain [--matters 5000] [--no-doc]

The desk holds N demo matters (2 events each: registered + decided) that never reached the
county. Measured: time for `SyncRunner.run_once()` to drain them all, HTTP requests, and bytes
on the wire (request bodies as sent, gzip included, plus response bodies). Baseline in the same
run, against the same server: each matter's events sent as its own uncompressed POST.
"""
from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from .common import log, machine_facts, ms
from .report import write_section

BEGIN = "<!-- bench:sync:begin (written by `python -m bench.sync_drain`; edits inside are overwritten) -->"
END = "<!-- bench:sync:end -->"
PYTHON = sys.executable


class CountingTransport(httpx.HTTPTransport):
    """The real transport, counting requests and bytes (bodies as they cross the wire)."""

    def __init__(self):
        super().__init__()
        self.requests = 0
        self.bytes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        self.bytes += len(request.content or b"")
        response = super().handle_request(request)
        response.read()
        self.bytes += len(response.content)
        return response


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _county(db: str, *args: str) -> str:
    out = subprocess.run([PYTHON, "-m", "county_server", *args, "--db", db], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _start_server(db: str, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [PYTHON, "-m", "county_server", "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("county server did not start")


def run(matters: int) -> dict:
    from .common import open_desk
    from app.services.demo import generate
    from app.sync import config
    from app.sync.client import SyncClient
    from app.sync.runner import SyncRunner

    tmp = Path(tempfile.mkdtemp(prefix="xfdesk-sync-bench-"))
    db = f"sqlite:///{tmp / 'county.sqlite3'}"
    token = _county(db, "add-station", "360426", "德安县信访局")
    baseline_token = _county(db, "add-station", "360499", "基线站")
    port = _free_port()
    server = _start_server(db, port)
    url = f"http://127.0.0.1:{port}"
    try:
        desk = open_desk(tmp / "desk")
        desk.stations.initialise("360426", "德安县信访局", "县")
        generate(desk.engine, desk.stations, desk.tree, matters, cipher=desk.guard.cipher)
        config.save(desk.settings, url, token)
        events = desk.sync.outbox.counts().pending
        transport = CountingTransport()
        runner = SyncRunner(desk.engine, desk.settings, desk.stations,
                            lambda u, t: SyncClient(u, t, transport=transport))
        started = time.perf_counter()
        report = runner.run_once()
        drain = time.perf_counter() - started
        assert report.complete, report
        stored = json.loads(_county(db, "events", "--station", "360426", "--json"))
        assert len(stored) == events, (len(stored), events)
        by_matter: dict[str, list[dict]] = {}
        for e in _all_events(desk):
            by_matter.setdefault(e["matter_number"], []).append(e)
        desk.close()

        base = CountingTransport()
        started = time.perf_counter()
        with httpx.Client(base_url=url, transport=base, timeout=30,
                          headers={"Authorization": f"Bearer {baseline_token}"}) as client:
            for number, items in by_matter.items():
                for item in items:  # a second station, fresh ids: the server stores them all again
                    item["matter_number"] = number.replace("360426", "360499", 1)
                    item["id"] = str(uuid.uuid4())
                response = client.post("/api/v1/push", json={"station": "360499", "events": items})
                response.raise_for_status()
        baseline = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(10)
    return {
        "matters": matters, "events": events,
        "drain_s": drain, "drain_requests": transport.requests, "drain_bytes": transport.bytes,
        "baseline_s": baseline, "baseline_requests": base.requests, "baseline_bytes": base.bytes,
    }


def _all_events(desk) -> list[dict]:
    """Every event as sent (all are acknowledged by now), re-read for the baseline."""
    from sqlalchemy import text

    with desk.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT e.uuid, e.station_seq, m.number, e.kind, e.occurred_at, e.actor, e.payload "
            "FROM matter_event e JOIN matter m ON m.id = e.matter_id ORDER BY e.station_seq"
        )).all()
    return [
        {"id": r[0], "seq": r[1], "matter_number": r[2], "kind": r[3],
         "occurred_at": str(r[4]).replace(" ", "T")[:19], "actor": r[5], "payload": json.loads(r[6])}
        for r in rows
    ]


def section(facts: dict[str, str], r: dict) -> str:
    per_k = lambda requests: requests * 1000 / r["matters"]  # noqa: E731
    fewer = r["baseline_requests"] / max(1, r["drain_requests"])
    return "\n".join([
        "## Sync: draining waiting events to the county server",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `.venv/bin/python -m bench.sync_drain` on "
        f"{facts.get('CPU', '?')}: {r['matters']:,} demo matters ({r['events']:,} events) waiting on the desk, "
        "a real `python -m county_server serve` (SQLite) on loopback. Baseline in the same run: each matter's "
        "events sent as one plain (uncompressed) POST to the same server.",
        "",
        "| | Time | Requests | Requests per 1,000 matters | Bytes on the wire per matter |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| desk sync (batches of ≤500, gzip) | {ms(r['drain_s'])} | {r['drain_requests']:,} | "
        f"{per_k(r['drain_requests']):.1f} | {r['drain_bytes'] / r['matters']:,.0f} |",
        f"| *baseline*: one POST per matter | {ms(r['baseline_s'])} | {r['baseline_requests']:,} | "
        f"{per_k(r['baseline_requests']):.1f} | {r['baseline_bytes'] / r['matters']:,.0f} |",
        "",
        f"- Target (10,000 events in under 15 s): {'met' if r['drain_s'] < 15 and r['events'] >= 10000 else '**not met**'}"
        f" ({ms(r['drain_s'])} for {r['events']:,} events).",
        f"- Target (at least 20 times fewer requests than the baseline): "
        f"{'met' if fewer >= 20 else '**not met**'} ({fewer:.0f}× fewer).",
        f"- The server held exactly {r['events']:,} events afterwards (checked with `county_server events`).",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sync_drain", description=__doc__)
    parser.add_argument("--matters", type=int, default=5000)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.matters)
    text = section(machine_facts(), result)
    sys.stdout.write(text + "\n")
    if not args.no_doc:
        write_section(text, begin=BEGIN, end=END)
        log("written to docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
