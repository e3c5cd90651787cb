"""The real county server as a separate process on loopback, for the desk's sync tests.

Start, stop, kill (SIGKILL) and restart it on the same port and database; count what it stored
through its own command line (`python -m county_server events`).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

STARTUP_TIMEOUT_S = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CountyProcess:
    """`nice=True` runs the server at the lowest CPU priority: in use it runs on another machine,
    so on a small test machine it must not take the desk's CPU time when the desk's own
    responsiveness is measured."""

    def __init__(self, workdir: Path, *, nice: bool = False):
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir = workdir
        self.nice = nice
        self.token = ""
        self.db = f"sqlite:///{workdir / 'county.sqlite3'}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log_path = workdir / "county.log"

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "county_server", *args, "--db", self.db],
            capture_output=True, text=True, timeout=60, cwd=self.workdir,
        )

    def add_station(self, code: str, name: str = "德安县信访局") -> str:
        done = self.cli("add-station", code, name)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def matters(self, station: str) -> list[dict]:
        done = self.cli("matters", "--station", station, "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def events(self, station: str) -> list[dict]:
        done = self.cli("events", "--station", station, "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "county_server", "serve", "--db", self.db, "--host", "127.0.0.1",
             "--port", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir,
            preexec_fn=(lambda: os.nice(19)) if self.nice else None,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log_path.read_text(errors="replace")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError("county server did not start:\n" + self.log_path.read_text(errors="replace"))

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
