"""Backups of the real database file: made, listed, rotated, checked and restored."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command

from app.models.db import alembic_config, current_revision, make_engine
from app.schema import DB_FILENAME, HEAD_REVISION
from app.services import backups as backups_module
from app.services.backups import BackupError, BackupService
from app.services.dto import MatterQuery

from factories import make_input


def numbers(desk) -> list[str]:
    return sorted(r.number for r in desk.matters.page(MatterQuery(), limit=1000))


def numbers_in_file(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return sorted(r[0] for r in conn.execute("SELECT number FROM matter"))


def register(desk, n: int) -> list[str]:
    return [desk.registration.register(make_input()).number for _ in range(n)]


class Clock:
    """A settable clock for the service: backup names carry its time."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def damage(path: Path, at: float = 0.5, length: int = 8192) -> None:
    """Overwrite `length` bytes in the middle of a file, as a failing disk would."""
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(int(size * at) // 4096 * 4096)
        f.write(b"\xa5" * length)


def test_backup_now_writes_one_consistent_file_and_lists_it(services):
    registered = register(services, 2)
    info = services.backups.backup_now()
    assert info.path.parent == services.data_dir / "backups"
    assert info.reason == "manual" and info.label == "手动备份"
    assert info.size == info.path.stat().st_size > 0
    # a self-contained file: no -wal beside it, rollback-journal mode, every committed matter
    assert sorted(p.name for p in info.path.parent.iterdir()) == [info.path.name]
    with sqlite3.connect(info.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert numbers_in_file(info.path) == sorted(registered)
    assert services.backups.list() == [info]


def test_list_is_newest_first_with_reasons(services):
    clock = Clock(datetime(2026, 11, 20, 8, 0))
    backups = BackupService(services.engine, services.data_dir, clock=clock)
    backups.ensure_daily()
    clock.now += timedelta(hours=2)
    backups.backup_now()
    clock.now += timedelta(hours=1)
    backups.backup_now("before-restore")
    listed = backups.list()
    assert [(b.created_at, b.label) for b in listed] == [
        (datetime(2026, 11, 20, 11, 0), "恢复前备份"),
        (datetime(2026, 11, 20, 10, 0), "手动备份"),
        (datetime(2026, 11, 20, 8, 0), "每日自动备份"),
    ]


def test_ensure_daily_makes_one_backup_per_day(services):
    clock = Clock(datetime(2026, 11, 20, 8, 30))
    backups = BackupService(services.engine, services.data_dir, clock=clock)
    first = backups.ensure_daily(date(2026, 11, 20))
    assert first is not None and first.reason == "daily"
    clock.now = datetime(2026, 11, 20, 17, 0)
    backups.backup_now()  # a manual backup does not stand in for the next day's daily one
    assert backups.ensure_daily(date(2026, 11, 20)) is None
    clock.now = datetime(2026, 11, 21, 8, 0)
    second = backups.ensure_daily(date(2026, 11, 21))
    assert second is not None and second.created_at.date() == date(2026, 11, 21)
    assert [b.reason for b in backups.list()] == ["daily", "manual", "daily"]


def test_rotation_keeps_the_newest_of_each_reason(services):
    clock = Clock(datetime(2026, 1, 1, 8, 0))
    backups = BackupService(services.engine, services.data_dir, clock=clock)
    migration = backups.backup_now("before-0005_stats_caches")  # as upgrade_to_head names them
    days = backups_module.KEEP_DAILY + 3
    for i in range(days):
        clock.now = datetime(2026, 1, 1, 8, 0) + timedelta(days=i)
        backups.ensure_daily()
    for i in range(backups_module.KEEP_PER_REASON + 2):
        clock.now = datetime(2026, 2, 1, 8, 0) + timedelta(minutes=i)
        backups.backup_now()
    listed = backups.list()
    daily = [b.created_at.date() for b in listed if b.reason == "daily"]
    manual = [b.created_at for b in listed if b.reason == "manual"]
    assert len(daily) == backups_module.KEEP_DAILY
    assert daily[0] == date(2026, 1, 1) + timedelta(days=days - 1)  # the newest are kept
    assert daily[-1] == date(2026, 1, 1) + timedelta(days=3)
    assert len(manual) == backups_module.KEEP_PER_REASON
    assert manual[-1] == datetime(2026, 2, 1, 8, 2)
    assert migration.path.exists()  # other reasons are counted on their own
    assert len(list((services.data_dir / "backups").iterdir())) == len(listed)


def test_rotation_never_removes_the_backup_just_made(services):
    clock = Clock(datetime(2026, 3, 1, 8, 0))
    backups = BackupService(services.engine, services.data_dir, clock=clock)
    for i in range(backups_module.KEEP_PER_REASON):
        clock.now = datetime(2026, 3, 1, 8, 0) + timedelta(minutes=i)
        backups.backup_now()
    clock.now = datetime(2025, 12, 31, 23, 0)  # the machine's clock went back: the new copy is the oldest
    older = backups.backup_now()
    assert older.path.exists()
    assert len(backups.list()) == backups_module.KEEP_PER_REASON + 1


def test_restore_brings_back_exactly_the_earlier_matters(services):
    earlier = register(services, 3)
    backup = services.backups.backup_now()
    later = register(services, 2)
    assert numbers(services) == sorted(earlier + later)

    result = services.backups.restore(backup.path)

    assert numbers(services) == sorted(earlier)
    assert result.restored.path == backup.path and not result.migrated
    # the data the restore replaced is kept as a 恢复前备份, with every matter
    assert result.safety_backup.name.endswith("-before-restore.sqlite3")
    assert numbers_in_file(result.safety_backup) == sorted(earlier + later)
    # the live file is in WAL mode again, intact, and the desk keeps working on it
    assert services.backups.integrity_check().ok
    with sqlite3.connect(services.data_dir / DB_FILENAME) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again = register(services, 1)
    assert numbers(services) == sorted(earlier + again)


def test_restoring_the_safety_backup_undoes_a_restore(services):
    register(services, 1)
    backup = services.backups.backup_now()
    all_numbers = sorted(numbers(services) + register(services, 2))
    result = services.backups.restore(backup.path)
    services.backups.restore(result.safety_backup)
    assert numbers(services) == all_numbers


def test_a_damaged_backup_is_refused_and_nothing_changes(services):
    register(services, 20)
    good = services.backups.backup_now()
    broken = good.path.with_name(good.path.name.replace("-manual", "-daily"))
    shutil.copyfile(good.path, broken)
    damage(broken)
    later = register(services, 1)
    before = numbers(services)
    count = len(services.backups.list())

    with pytest.raises(BackupError) as refused:
        services.backups.restore(broken)

    assert refused.value.message.startswith("备份文件已损坏，不能用于恢复")
    assert not services.backups.check_backup(broken).ok
    assert numbers(services) == before and later[0] in before
    assert len(services.backups.list()) == count  # refused before anything was written


def test_a_file_that_is_not_our_database_is_refused(services, tmp_path):
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(BackupError) as refused:
        services.backups.restore(other)
    assert "不是信访接待台的数据库备份" in refused.value.message
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("不是数据库" * 200, encoding="utf-8")
    with pytest.raises(BackupError) as refused:
        services.backups.restore(text_file)
    assert refused.value.message.startswith("备份文件已损坏")


def test_integrity_check_detects_a_damaged_live_file(services):
    register(services, 30)
    assert services.backups.integrity_check().ok
    services.close()
    db = services.data_dir / DB_FILENAME
    with sqlite3.connect(db) as conn:  # everything into the main file, then damage its middle
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damage(db)
    report = BackupService.for_data_dir(services.data_dir).integrity_check()
    assert not report.ok
    assert report.problems and report.summary().startswith("数据库已损坏")


def test_foreign_key_problems_count_as_damage(services):
    register(services, 1)
    with sqlite3.connect(services.data_dir / DB_FILENAME) as conn:  # foreign keys are off on a bare connection
        conn.execute("UPDATE matter_petitioner SET petitioner_id = 999999")
    report = services.backups.integrity_check()
    assert not report.ok
    assert any("matter_petitioner" in p and "petitioner" in p for p in report.problems)


def test_a_database_too_damaged_to_open_is_restored_from_a_backup(services):
    earlier = register(services, 2)
    backup = services.backups.backup_now()
    services.close()
    db = services.data_dir / DB_FILENAME
    db.write_bytes(b"garbage " * 4096)  # the header itself is gone: SQLite cannot open it at all
    bare = BackupService.for_data_dir(services.data_dir)
    assert not bare.integrity_check().ok

    result = bare.restore(backup.path)

    assert numbers_in_file(db) == sorted(earlier)
    assert result.safety_backup.read_bytes().startswith(b"garbage ")  # its bytes are kept
    assert bare.integrity_check().ok


def test_restoring_a_backup_at_an_older_schema_migrates_it(services):
    earlier = register(services, 2)
    backup = services.backups.backup_now()
    old = backup.path.with_name(backup.path.name.replace("-manual", "-daily"))
    shutil.copyfile(backup.path, old)
    engine = make_engine(old)
    command.downgrade(alembic_config(engine), "0005_stats_caches")  # as an older build left it
    assert current_revision(engine) == "0005_stats_caches"
    engine.dispose()
    register(services, 1)

    result = services.backups.restore(old)

    assert result.migrated
    assert current_revision(services.engine) == HEAD_REVISION
    assert numbers_in_file(services.data_dir / DB_FILENAME) == sorted(earlier)
    kinds = [b.label for b in services.backups.list()]
    assert "升级前备份" in kinds and "恢复前备份" in kinds


def test_a_backup_from_a_newer_build_is_refused(services):
    backup = services.backups.backup_now()
    with sqlite3.connect(backup.path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    with pytest.raises(BackupError) as refused:
        services.backups.restore(backup.path)
    assert "更新版本" in refused.value.message and "0099_future" in refused.value.message


def test_backing_up_on_a_full_disk_says_so_and_leaves_no_partial_file(services, monkeypatch):
    import errno
    import os

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # the disk fills while the copy is flushed
    with pytest.raises(BackupError) as failed:
        services.backups.backup_now()
    monkeypatch.undo()
    assert failed.value.message.startswith("无法备份：磁盘空间已满")
    assert list((services.data_dir / "backups").iterdir()) == []
    assert services.backups.list() == []


def test_the_daily_backup_checks_first_and_never_copies_a_damaged_database(services):
    from app.services.backups import DatabaseDamaged

    register(services, 30)
    services.close()
    db = services.data_dir / DB_FILENAME
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damage(db)
    bare = BackupService.for_data_dir(services.data_dir)
    assert not bare.integrity_check(quick=True).ok  # the quick check at start sees it too
    with pytest.raises(DatabaseDamaged) as damaged:
        bare.ensure_daily(check=True)
    assert damaged.value.message.startswith("数据库已损坏") and not damaged.value.report.ok
    assert bare.list() == []
    assert bare.ensure_daily() is not None  # without the check (a copy is still better than none)


def test_rotation_spares_the_backup_being_restored(services):
    clock = Clock(datetime(2026, 4, 1, 8, 0))
    backups = BackupService(services.engine, services.data_dir, clock=clock)
    first = register(services, 1)
    oldest = backups.backup_now("before-restore")  # e.g. the data an earlier restore replaced
    for i in range(1, backups_module.KEEP_PER_REASON):
        clock.now = datetime(2026, 4, 1, 8, 0) + timedelta(minutes=i)
        register(services, 1)
        backups.backup_now("before-restore")
    clock.now = datetime(2026, 4, 2, 8, 0)
    result = backups.restore(oldest.path)  # its own 恢复前备份 would push `oldest` out of the ten
    assert numbers(services) == first
    assert result.restored.path == oldest.path and oldest.path.exists()
