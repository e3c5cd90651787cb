"""Backups of the database file: daily and on demand, rotated, checked, restored.

Copies go to `<data_dir>/backups/` as `xfdesk-YYYYMMDD-HHMMSS-ffffff-<reason>.sqlite3`, each a
consistent snapshot taken through SQLite's backup API (never a byte copy of a live file),
written under a temporary name and renamed. Reasons: `daily` (the first start of a day),
`manual` (立即备份), `before-restore` (the data a restore replaces), `before-<revision>`
(written by `app.models.db.upgrade_to_head` before a migration).

Restoring checks the chosen copy first (`PRAGMA integrity_check`, `foreign_key_check`, that it
is this program's database at a schema this build knows), saves the current database, then
writes the copy into the live file through the backup API, so SQLite itself replaces the pages
and the live file's WAL; an older copy is then migrated to head like any old database.

The attachments folder is not part of these copies: attachments are only ever added, so the
files of every restored matter are still there.

Each public method is one entry point (`backup_now`, `ensure_daily`, `list`, `restore`,
`integrity_check`): a permission guard belongs at their top, and nothing here knows operators.
Mind that the start-up check (`integrity_check`, `check_backup`) and the recovery dialog's
`list` / `restore` run before anyone logs in, on a database whose operator table may be
unreadable; `python -m app check` and a `restore` on a database that cannot be opened use
`for_data_dir` for the same reason.
"""
from __future__ import annotations

import logging
import re
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.models.db import (
    BACKUP_STAMP,
    BACKUPS_DIR,
    BUSY_TIMEOUT_MS,
    backup_file,
    make_engine,
    upgrade_to_head,
)
from app.schema import DB_FILENAME

from .security import audit
from .security.connection import raw_db
from .security.guard import Guard
from .security.permissions import BACKUP
from .storage_errors import classify

logger = logging.getLogger(__name__)

KEEP_DAILY = 14  # newest daily backups kept
KEEP_PER_REASON = 10  # newest backups kept of each other kind (手动, 恢复前, 升级前)
STALE_PART_SECONDS = 3600  # an unfinished copy older than this is left over from a killed process
INTEGRITY_MAX_ERRORS = 20  # PRAGMA integrity_check(N): stop listing problems after N

DAILY, MANUAL, BEFORE_RESTORE = "daily", "manual", "before-restore"
MIGRATION = "migration"  # the kind of every `before-<revision>` backup
FILE = "file"  # a file restored from outside `backups/` (its name says nothing)
REASON_LABELS = {
    FILE: "备份文件",
    DAILY: "每日自动备份",
    MANUAL: "手动备份",
    BEFORE_RESTORE: "恢复前备份",
    MIGRATION: "升级前备份",
}

_NAME_RE = re.compile(r"^(?P<stem>.+?)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[A-Za-z0-9_.-]+)\.sqlite3$")
_SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(Exception):
    """A backup or restore refused or failed; `message` is shown to the user as is (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DatabaseDamaged(BackupError):
    """The daily backup found the live database damaged (and so did not copy it over good backups)."""

    def __init__(self, report: IntegrityReport):
        super().__init__(f"{report.summary()}，今日未自动备份（以免损坏的数据挤掉完好的备份）。请从备份恢复")
        self.report = report


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime
    reason: str  # as in the file name: daily, manual, before-restore, before-0006_security…
    size: int  # bytes

    @property
    def kind(self) -> str:
        return reason_kind(self.reason)

    @property
    def label(self) -> str:
        """The reason in Chinese: 每日自动备份, 手动备份, 恢复前备份, 升级前备份."""
        return REASON_LABELS.get(self.kind, self.reason)


@dataclass(frozen=True)
class IntegrityReport:
    ok: bool
    problems: tuple[str, ...] = ()

    def summary(self) -> str:
        if self.ok:
            return "数据库完好"
        return f"数据库已损坏（发现 {len(self.problems)} 处问题）"


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo  # the copy that is now the database
    safety_backup: Path  # the database as it was just before (恢复前备份)
    migrated: bool = False  # the copy was at an older schema and was migrated to head


def reason_kind(reason: str) -> str:
    if reason.startswith("before-") and reason != BEFORE_RESTORE:
        return MIGRATION
    return reason


def format_size(size: int) -> str:
    """1.2 MB, 350 KB: for the backup lists."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def parse_backup_name(path: Path) -> tuple[datetime, str] | None:
    """(time, reason) from a backup's file name; None for any other file."""
    m = _NAME_RE.match(path.name)
    if m is None:
        return None
    try:
        return datetime.strptime(m["stamp"], BACKUP_STAMP), m["reason"]
    except ValueError:
        return None


def _ro_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


class BackupService:
    def __init__(self, engine: Engine, data_dir: Path, guard: Guard | None = None,
                 clock: Callable[[], datetime] = datetime.now):
        """Without a guard the service is in recovery mode: the start-up check found the database
        damaged (or unopenable) before anyone could log in, and restoring is the way back."""
        self._guard = guard
        self.engine = engine
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / DB_FILENAME
        self.backup_dir = self.data_dir / BACKUPS_DIR
        self.clock = clock
        self._lock = threading.RLock()  # the daily backup runs on its own thread

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> BackupService:
        """Over a database that may be too damaged to open normally (no migration, nothing written)."""
        return cls(make_engine(Path(data_dir) / DB_FILENAME), Path(data_dir))

    # --- making backups --------------------------------------------------------------

    def _require(self) -> str:
        """The 备份与恢复 permission in a logged-in session; the operator's name ('' in recovery mode)."""
        return self._guard.require(BACKUP).name if self._guard is not None else ""

    def _record(self, action: str, target: str, detail: dict) -> None:
        if self._guard is not None and self._guard.current is not None:
            with raw_db(self.engine) as db:
                audit.append(db, self._guard.actor, action, target, detail)

    def backup_now(self, reason: str = MANUAL) -> BackupInfo:
        """A consistent copy of the database now, then rotation (which never removes this copy)."""
        self._require()
        with self._lock:
            made = self._backup(reason, self.clock())
        self._record(audit.BACKUP, made.path.name, {"reason": reason})
        return made

    def ensure_daily(self, today: date | None = None, check: bool = False) -> BackupInfo | None:
        """The day's backup, unless a daily backup from `today` exists; returns the new one or None.

        With `check`, the full `integrity_check` runs first (once a day, like the copy) and a
        damaged database raises DatabaseDamaged instead of being copied.
        """
        with self._lock:
            now = self.clock()
            today = today or now.date()
            if any(b.kind == DAILY and b.created_at.date() == today for b in self._all()):
                return None
            if not self.db_path.exists():
                return None  # nothing to keep yet
            if check:
                report = self.integrity_check()
                if not report.ok:
                    raise DatabaseDamaged(report)
            return self._backup(DAILY, datetime.combine(today, now.time()))

    def list(self) -> list[BackupInfo]:
        """Every backup in `backups/`, newest first (for the operator choosing one)."""
        self._require()
        return self._all()

    def _all(self) -> list[BackupInfo]:
        if not self.backup_dir.is_dir():
            return []
        out = []
        for path in self.backup_dir.glob("*.sqlite3"):
            parsed = parse_backup_name(path)
            if parsed is None or not path.is_file():
                continue
            try:
                size = path.stat().st_size
            except OSError:
                continue
            out.append(BackupInfo(path, parsed[0], parsed[1], size))
        out.sort(key=lambda b: (b.created_at, b.path.name), reverse=True)
        return out

    def _backup(self, reason: str, when: datetime, protect: Path | None = None) -> BackupInfo:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", reason):
            raise ValueError(f"bad backup reason {reason!r}")
        if not self.db_path.exists():
            raise BackupError(f"找不到数据库文件：{self.db_path}，无法备份")
        try:
            path = backup_file(self.db_path, reason, when=when)
        except (OSError, sqlite3.Error) as exc:
            raise self._failure(exc, "备份") from exc
        logger.info("database backed up to %s", path)
        self._rotate(keep={path, protect})
        return self._describe(path)

    def _rotate(self, keep: set[Path | None]) -> list[Path]:
        """Keep the newest KEEP_DAILY daily backups and KEEP_PER_REASON of every other kind, and `keep`."""
        keep_resolved = {p.resolve() for p in keep if p is not None}
        seen: dict[str, int] = {}
        removed = []
        for b in self._all():
            seen[b.kind] = seen.get(b.kind, 0) + 1
            limit = KEEP_DAILY if b.kind == DAILY else KEEP_PER_REASON
            if seen[b.kind] <= limit or b.path.resolve() in keep_resolved:
                continue
            try:
                b.path.unlink()
                for suffix in _SIDE_FILES:
                    b.path.with_name(b.path.name + suffix).unlink(missing_ok=True)
            except OSError as exc:
                logger.warning("could not remove old backup %s: %s", b.path, exc)
            else:
                removed.append(b.path)
        if removed:
            logger.info("removed %d old backups", len(removed))
        stale = self.clock().timestamp() - STALE_PART_SECONDS
        for part in self.backup_dir.glob(".*.part"):  # a copy cut short (the program was killed)
            try:
                if part.stat().st_mtime < stale:
                    part.unlink()
            except OSError:
                pass
        return removed

    # --- checking -----------------------------------------------------------------

    def integrity_check(self, quick: bool = False) -> IntegrityReport:
        """The live database: `PRAGMA integrity_check` and `PRAGMA foreign_key_check`.

        `quick` runs `PRAGMA quick_check` instead (every page and b-tree, not whether each index
        agrees with its table): about 0.3 s instead of 2.5 s at 100,000 matters (file cached), so the window
        runs it before it opens and leaves the full check to the daily backup.
        """
        if not self.db_path.exists():
            return IntegrityReport(False, (f"找不到数据库文件：{self.db_path}",))
        try:
            conn = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            return IntegrityReport(False, (f"无法打开数据库：{exc}",))
        try:
            return _check_connection(conn, quick=quick)
        finally:
            conn.close()

    def check_backup(self, path: Path) -> IntegrityReport:
        """Whether `path` can be restored: intact, this program's data, a schema this build knows."""
        path = Path(path)
        if not path.is_file():
            return IntegrityReport(False, (f"找不到备份文件：{path}",))
        try:
            conn = sqlite3.connect(_ro_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            return IntegrityReport(False, (f"无法打开备份文件：{exc}",))
        try:
            report = _check_connection(conn)
            if not report.ok:
                return report
            problem = _not_ours(conn)
            return IntegrityReport(False, (problem,)) if problem else report
        finally:
            conn.close()

    # --- restoring -------------------------------------------------------------------

    def restore(self, path: Path) -> RestoreResult:
        """Replace the database by the backup `path` (checked first); the current data is saved first."""
        self._require()
        path = Path(path)
        with self._lock:
            if path.resolve() == self.db_path.resolve():
                raise BackupError("不能用正在使用的数据库恢复它自己，请选择 backups 文件夹中的备份")
            report = self.check_backup(path)
            if not report.ok:
                raise BackupError(_refusal(report))
            safety = self._save_current(protect=path)
            self.engine.dispose()
            try:
                self._write_into_live(path)
            except (OSError, sqlite3.Error) as exc:
                logger.exception("restore from %s failed", path)
                raise self._failure(exc, "恢复", safety) from exc
            try:
                migration_backup = upgrade_to_head(self.engine, self.db_path)
                from .content_classes import ensure_default_scheme

                with Session(self.engine) as s, s.begin():
                    ensure_default_scheme(s)
            except Exception as exc:
                logger.exception("restored database %s could not be migrated", path)
                raise self._failure(exc, "升级恢复后的数据库", safety) from exc
            logger.info("database restored from %s (previous data saved as %s)", path, safety)
            result = RestoreResult(self._describe(path), safety, migrated=migration_backup is not None)
        # Written into the restored database: its trail shows who brought it back, and from what.
        self._record(audit.RESTORE, path.name, {"saved_before": safety.name})
        return result

    def _save_current(self, protect: Path) -> Path:
        """恢复前备份 of the live database (rotation spares `protect`, the copy about to be restored);
        a byte copy when SQLite cannot read the database any more."""
        if not self.db_path.exists():
            raise BackupError(f"找不到数据库文件：{self.db_path}")
        try:
            return self._backup(BEFORE_RESTORE, self.clock(), protect=protect).path
        except BackupError as exc:
            if classify(exc) is not None or isinstance(exc.__cause__, OSError):
                raise  # the disk, not the database: nothing would be saved either way
            logger.warning("backup API could not read the damaged database (%s); copying its bytes", exc)
        self.engine.dispose()
        when = self.clock()
        target = self.backup_dir / f"{self.db_path.stem}-{when.strftime(BACKUP_STAMP)}-{BEFORE_RESTORE}.sqlite3"
        while target.exists():  # never overwrite an earlier copy
            when += timedelta(microseconds=1)
            target = self.backup_dir / f"{self.db_path.stem}-{when.strftime(BACKUP_STAMP)}-{BEFORE_RESTORE}.sqlite3"
        try:
            self.backup_dir.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal"):
                source = self.db_path.with_name(self.db_path.name + suffix)
                if source.exists():
                    shutil.copyfile(source, target.with_name(target.name + suffix))
        except OSError as exc:
            raise self._failure(exc, "备份当前数据库") from exc
        return target

    def _write_into_live(self, source: Path) -> None:
        """The backup API from `source` into the live file: SQLite writes the pages (and the WAL).

        When the live file is too damaged to be a destination, it is set aside (its bytes are
        already in the 恢复前备份) and the copy is written into a new file.
        """
        src = sqlite3.connect(_ro_uri(source), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            try:
                self._backup_into(src, self.db_path)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError) and classify(exc) is not None:
                    raise  # disk full, read-only, locked: a new file would not help
                logger.warning("live database unusable as a destination (%s); writing a new file", exc)
                for suffix in ("", *_SIDE_FILES):
                    self.db_path.with_name(self.db_path.name + suffix).unlink(missing_ok=True)
                self._backup_into(src, self.db_path)
        finally:
            src.close()

    @staticmethod
    def _backup_into(src: sqlite3.Connection, target: Path) -> None:
        dst = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()

    # --- helpers ---------------------------------------------------------------------

    @staticmethod
    def _describe(path: Path) -> BackupInfo:
        """A file as a BackupInfo: time and reason from its name (any other file: its mtime, 备份文件)."""
        stat = path.stat()
        parsed = parse_backup_name(path) or (datetime.fromtimestamp(stat.st_mtime), FILE)
        return BackupInfo(path, parsed[0], parsed[1], stat.st_size)

    def _failure(self, exc: BaseException, action: str, safety: Path | None = None) -> BackupError:
        problem = classify(exc)
        if problem is not None:
            message = problem.message(action)
        elif isinstance(exc, sqlite3.DatabaseError):
            message = f"无法{action}：数据库文件已损坏或无法读取（{exc}）"
        elif isinstance(exc, OSError):
            message = f"无法{action}：无法读写文件 {exc.filename or ''}（{exc.strerror or exc}）"
        else:
            message = f"无法{action}：{exc}"
        if safety is not None:
            message += f"。恢复前的数据库已保存为 {safety}，可用它再次恢复"
        return BackupError(message)


def _check_connection(conn: sqlite3.Connection, quick: bool = False) -> IntegrityReport:
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}({INTEGRITY_MAX_ERRORS})")]
        problems = [] if rows == ["ok"] else [str(r) for r in rows]
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"表 {table} 第 {rowid} 行引用的 {parent} 记录不存在")
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            return IntegrityReport(False, ("文件不是数据库，或文件头已损坏",))
        return IntegrityReport(False, (f"无法读取数据库：{exc}",))
    return IntegrityReport(not problems, tuple(problems))


def _not_ours(conn: sqlite3.Connection) -> str | None:
    """Why an intact database is not a backup this build can restore; None when it is."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"alembic_version", "matter", "station"} <= tables:
        return "该文件不是信访接待台的数据库备份"
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision is None or revision[0] not in _known_revisions():
        shown = revision[0] if revision else "未知"
        return f"该备份来自更新版本的信访接待台（数据版本 {shown}），本程序无法使用，请先升级程序"
    return None


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from app.models.db import alembic_config

    return {s.revision for s in ScriptDirectory.from_config(alembic_config(None)).walk_revisions()}


def _refusal(report: IntegrityReport) -> str:
    first = report.problems[0] if report.problems else ""
    if first.startswith(("该文件", "该备份", "找不到")):
        return f"不能用这个文件恢复：{first}"
    return f"备份文件已损坏，不能用于恢复（{first}）。请选择另一个备份"
