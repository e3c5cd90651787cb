"""Helpers for the county server tests: event factories, a throwaway PostgreSQL cluster, and a
real `python -m county_server serve` process on loopback."""
from __future__ import annotations

import glob
import gzip
import itertools
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from county_server import service
from county_server.db import open_database

STARTUP_TIMEOUT_S = 30
_codes = itertools.count(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_event(code: str, seq: int, *, matter: int = 1, kind: str = "decided", payload: dict | None = None, **over: Any) -> dict:
    event = {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "matter_number": f"{code}-20261123-{matter:04d}",
        "kind": kind,
        "occurred_at": "2026-11-23T16:50:34",
        "actor": "李明",
        "payload": payload if payload is not None else {"decision": "受理", "seq": seq},
    }
    event.update(over)
    return event


def registered_event(code: str, seq: int, matter: int = 1, names=("张三", "李四"), title="征地拆迁补偿") -> dict:
    number = f"{code}-20261123-{matter:04d}"
    payload = {
        "number": number,
        "title": title,
        "registered_at": "2026-11-23T16:50:34",
        "people": [{"name": n, "id_number": "110101199003074514"} for n in names],
    }
    return make_event(code, seq, matter=matter, kind="registered", payload=payload)


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_bindir() -> Path:
    override = os.environ.get("XFCOUNTY_PG_BINDIR")
    if override:
        return Path(override)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    pytest.fail(
        "PostgreSQL 不可用：找不到 initdb。请安装 Debian 软件包 postgresql（bash scripts/setup.sh 会安装），"
        "或用 XFCOUNTY_PG_BINDIR 指向其 bin 目录。PostgreSQL 测试是必需的，不会跳过。",
        pytrace=False,
    )


class PostgresCluster:
    def __init__(self) -> None:
        self.bindir = _pg_bindir()
        self.as_root = os.geteuid() == 0
        self.dir = Path(tempfile.mkdtemp(prefix="xfcounty-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.port = free_port()
        if self.as_root:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                self.fail("以 root 运行测试时需要系统用户 postgres（安装 postgresql 软件包后即有）")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)

    def fail(self, message: str) -> None:
        log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
        pytest.fail(f"PostgreSQL 无法启动：{message}\n{log}", pytrace=False)

    def _run(self, *args: str, timeout: float = 60) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.dir)
        except (OSError, subprocess.TimeoutExpired) as exc:
            self.fail(f"{' '.join(cmd)}: {exc}")
        if done.returncode != 0:
            self.fail(f"{' '.join(cmd)} → {done.returncode}\n{done.stdout}\n{done.stderr}")

    def start(self) -> str:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C")
        options = (
            f"-p {self.port} -h 127.0.0.1 -k {self.dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "30", "-o", options, "start")
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE county_test")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/county_test"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=30)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def discard(self) -> None:
        """After a failed start: stop whatever may run, remove the folder, raise nothing."""
        if (self.data / "postmaster.pid").exists():
            try:
                self.stop()
            except BaseException:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


# --- the server ------------------------------------------------------------------------------


class CountyServer:
    """A running `python -m county_server serve` plus helpers to talk to it and to its database."""

    def __init__(self, backend: str, db_url: str, workdir: Path) -> None:
        self.backend, self.db_url, self.workdir = backend, db_url, workdir
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"server-{backend}.log"
        self.proc: subprocess.Popen | None = None
        self.engine = None
        self.http = httpx.Client(base_url=self.base_url, timeout=20)

    def env(self) -> dict[str, str]:
        return {**os.environ, "XFCOUNTY_DB": self.db_url}

    def start(self) -> None:
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "county_server", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env(), stdout=self._log, stderr=subprocess.STDOUT, cwd=self.workdir,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"county server exited with {self.proc.returncode}:\n{self.log()}", pytrace=False)
            try:
                if self.http.get("/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            self.stop()
            pytest.fail(f"county server did not answer /health within {STARTUP_TIMEOUT_S} s:\n{self.log()}", pytrace=False)
        self.engine = open_database(self.db_url)

    def stop(self) -> None:
        self.http.close()
        if self.engine is not None:
            self.engine.dispose()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    # helpers used by the tests

    def new_station(self, name: str = "测试接待站") -> tuple[str, str]:
        """A fresh station (unique code per test) and its token."""
        code = self.fresh_code()
        return code, service.add_station(self.engine, code, name)

    def fresh_code(self) -> str:
        """A station code no test has used yet."""
        return f"{36 if self.backend == 'sqlite' else 37}{next(_codes):04d}"

    def push(self, token: str | None, body: Any, *, compress: bool = True, headers: dict | None = None) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
        h = {"Content-Type": "application/json"}
        if token is not None:
            h["Authorization"] = f"Bearer {token}"
        if compress:
            raw = gzip.compress(raw)
            h["Content-Encoding"] = "gzip"
        h.update(headers or {})
        return self.http.post("/api/v1/push", content=raw, headers=h)

    def get(self, path: str, token: str | None, **params: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.http.get(path, params=params, headers=headers)

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "county_server", *args], env=self.env(), capture_output=True, text=True,
            timeout=60, cwd=self.workdir,
        )
        if check and done.returncode != 0:
            pytest.fail(f"county_server {' '.join(args)} → {done.returncode}\n{done.stderr}", pytrace=False)
        return done
