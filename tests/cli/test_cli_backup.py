"""`backup`, `backups`, `restore`, `check` in real processes, on real database files."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import _storage_message
from app.services.context import DeskServices
from desk_login import ready
from factories import make_input
from ui_support import STATION_CODE, STATION_NAME


def run(*args, data_dir, stdin=None):
    argv = [sys.executable, "-m", "app", *args, "--data-dir", str(data_dir)]
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=dict(os.environ), timeout=60)


def register(data_dir: Path, n: int) -> list[str]:
    desk = ready(DeskServices.open(data_dir))
    try:
        desk.stations.initialise(STATION_CODE, STATION_NAME, "县")
        return [desk.registration.register(make_input()).number for _ in range(n)]
    finally:
        desk.close()


def numbers(data_dir: Path) -> list[str]:
    with sqlite3.connect(data_dir / "xfdesk.sqlite3") as conn:
        return sorted(r[0] for r in conn.execute("SELECT number FROM matter"))


def damage(path: Path) -> None:
    """Overwrite 8 KiB in the middle of a database file (its WAL checkpointed first)."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(size // 2 // 4096 * 4096)
        f.write(b"\xa5" * 8192)


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


def test_backup_then_list(data_dir):
    register(data_dir, 2)
    made = run("backup", data_dir=data_dir)
    assert made.returncode == 0, made.stderr
    path = Path(made.stdout.strip())
    assert path.parent == data_dir / "backups" and path.is_file()
    listed = run("backups", data_dir=data_dir)
    assert listed.returncode == 0, listed.stderr
    first, total = listed.stdout.strip().splitlines()
    assert first.split("\t")[1] == "手动备份" and first.endswith(str(path))
    assert total.startswith("共 1 个备份")
    as_json = json.loads(run("backups", "--json", data_dir=data_dir).stdout)
    assert [(b["path"], b["reason"], b["label"]) for b in as_json] == [(str(path), "manual", "手动备份")]
    assert as_json[0]["size"] == path.stat().st_size


def test_restore_asks_first_then_brings_the_backup_back(data_dir):
    earlier = register(data_dir, 2)
    path = run("backup", data_dir=data_dir).stdout.strip()
    later = register(data_dir, 1)

    declined = run("restore", Path(path).name, data_dir=data_dir, stdin="n\n")  # a name inside backups/ is enough
    assert declined.returncode == 1
    assert "确定恢复吗" in declined.stderr and "已取消，未做任何改动" in declined.stderr
    assert numbers(data_dir) == sorted(earlier + later)

    restored = run("restore", path, data_dir=data_dir, stdin="y\n")
    assert restored.returncode == 0, restored.stderr
    assert numbers(data_dir) == sorted(earlier)
    assert "已从备份恢复" in restored.stdout
    safety = restored.stdout.split("恢复前的数据库已另存为：")[1].splitlines()[0]
    assert Path(safety).name.endswith("-before-restore.sqlite3")
    with sqlite3.connect(safety) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT number FROM matter")) == sorted(earlier + later)


def test_a_damaged_backup_is_refused(data_dir):
    register(data_dir, 20)
    path = Path(run("backup", data_dir=data_dir).stdout.strip())
    damage(path)
    result = run("restore", str(path), "--yes", data_dir=data_dir)
    assert result.returncode == 1
    assert "备份文件已损坏，不能用于恢复" in result.stderr and "Traceback" not in result.stderr


def test_check_finds_damage_and_restore_latest_recovers(data_dir):
    earlier = register(data_dir, 30)
    good = run("backup", data_dir=data_dir)
    assert good.returncode == 0, good.stderr
    ok = run("check", data_dir=data_dir)
    assert ok.returncode == 0 and ok.stdout.startswith("数据库完好")

    damage(data_dir / "xfdesk.sqlite3")
    bad = run("check", data_dir=data_dir)
    assert bad.returncode == 1
    assert bad.stderr.startswith("数据库已损坏")
    assert "python -m app restore --latest" in bad.stderr and "最近的备份" in bad.stderr
    assert "Traceback" not in bad.stderr

    recovered = run("restore", "--latest", "--yes", data_dir=data_dir)
    assert recovered.returncode == 0, recovered.stderr
    assert run("check", data_dir=data_dir).returncode == 0
    assert numbers(data_dir) == sorted(earlier)


def test_restore_latest_skips_a_damaged_newest_backup(data_dir):
    earlier = register(data_dir, 20)
    older = Path(run("backup", data_dir=data_dir).stdout.strip())
    register(data_dir, 1)
    newer = Path(run("backup", data_dir=data_dir).stdout.strip())
    damage(newer)
    register(data_dir, 1)
    result = run("restore", "--latest", "--yes", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert f"跳过已损坏的备份：{newer.name}" in result.stderr
    assert str(older) in result.stdout
    assert numbers(data_dir) == sorted(earlier)


def test_the_storage_message_names_a_full_disk(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.sqlite3")
    conn.execute("CREATE TABLE t (x)")
    conn.execute(f"PRAGMA max_page_count={conn.execute('PRAGMA page_count').fetchone()[0]}")
    with pytest.raises(sqlite3.OperationalError) as caught:
        conn.execute("INSERT INTO t SELECT zeroblob(100000)")
    assert _storage_message(caught.value).startswith("无法写入数据：磁盘空间已满")
