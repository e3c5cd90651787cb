"""`python -m app backup | backups | restore | check`: the same BackupService the window uses.

`check` and, when the database is too damaged to open, `restore` work on the bare file
(`BackupService.for_data_dir`): no migration and no login, since a damaged database cannot
verify a password and restoring is then the only way back.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_FAIL = 0, 1
CONFIRM_WORDS = {"y", "yes", "是", "确定"}
RECOVERY_HINT = (
    "恢复方法：先复制整个数据目录留底，再运行 python -m app restore --latest"
    "（从最近一个完好的备份恢复；当前数据库会先另存到 backups 文件夹），"
    "或启动窗口按提示“从最近的备份恢复”。备份之后登记的信访件需要重新登记。"
)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _data_dir(args: argparse.Namespace) -> Path:
    from .paths import resolve_data_dir

    return resolve_data_dir(getattr(args, "data_dir", None))


def _line(b) -> str:
    from .services.backups import format_size

    return f"{b.created_at:%Y-%m-%d %H:%M:%S}\t{b.label}\t{format_size(b.size)}\t{b.path}"


def cmd_backup(args: argparse.Namespace, services) -> int:
    from .services.backups import BackupError

    try:
        info = services.backups.backup_now()
    except BackupError as exc:
        _err(exc.message)
        return EXIT_FAIL
    _out(str(info.path))
    return EXIT_OK


def cmd_backups(args: argparse.Namespace, services) -> int:
    backups = services.backups.list()
    if args.json:
        _out(json.dumps([
            {"path": str(b.path), "created_at": b.created_at.isoformat(timespec="seconds"), "reason": b.reason,
             "label": b.label, "size": b.size}
            for b in backups
        ], ensure_ascii=False, indent=2))
        return EXIT_OK
    for b in backups:
        _out(_line(b))
    _out(f"共 {len(backups)} 个备份，保存在 {services.backups.backup_dir}")
    return EXIT_OK


def _backup_service(args: argparse.Namespace, open_services):
    """The logged-in desk's BackupService; the bare file's when the database cannot be opened."""
    from .services.backups import BackupService
    from .services.storage_errors import classify

    try:
        return open_services(args).backups
    except Exception as exc:
        import sqlite3

        orig = getattr(exc, "orig", exc)
        if not isinstance(orig, sqlite3.DatabaseError) or classify(exc) is not None:
            raise
        logger.debug("database cannot be opened, restoring on the bare file", exc_info=exc)
        _err(f"数据库无法打开（{orig}），将直接在数据文件上恢复。")
        return BackupService.for_data_dir(_data_dir(args))


def _pick(backups, args: argparse.Namespace):
    """FILE (a path, or a name inside backups/) or --latest: the newest backup that passes its check."""
    if args.latest:
        for b in backups.list():
            report = backups.check_backup(b.path)
            if report.ok:
                return b.path
            _err(f"跳过已损坏的备份：{b.path.name}（{report.problems[0]}）")
        _err("没有可用的完好备份。请复制整个数据目录留底，并联系管理员。")
        return None
    path = Path(args.file)
    if not path.exists() and (backups.backup_dir / path.name).exists():
        path = backups.backup_dir / path.name
    return path


def _confirm(path: Path, assume_yes: bool) -> bool:
    if assume_yes:
        return True
    sys.stderr.write(
        f"将用备份 {path} 替换当前数据库；当前数据会先另存为“恢复前备份”。备份之后登记的信访件将不再显示。\n"
        "确定恢复吗？输入 y 确认："
    )
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().lower()
    return answer in CONFIRM_WORDS


def make_cmd_restore(open_services):
    def cmd_restore(args: argparse.Namespace) -> int:
        from .services.backups import BackupError

        if not args.latest and not args.file:
            _err("请指定备份文件，或用 --latest 从最近的完好备份恢复（python -m app backups 列出备份）")
            return EXIT_FAIL
        backups = _backup_service(args, open_services)
        path = _pick(backups, args)
        if path is None:
            return EXIT_FAIL
        if not _confirm(path, args.yes):
            _err("已取消，未做任何改动。")
            return EXIT_FAIL
        try:
            result = backups.restore(path)
        except BackupError as exc:
            _err(exc.message)
            return EXIT_FAIL
        r = result.restored
        _out(f"已从备份恢复：{r.created_at:%Y-%m-%d %H:%M:%S} {r.label}（{r.path}）")
        _out(f"恢复前的数据库已另存为：{result.safety_backup}")
        if result.migrated:
            _out("该备份的数据版本较旧，已升级到当前版本。")
        return EXIT_OK

    return cmd_restore


def cmd_check(args: argparse.Namespace) -> int:
    """PRAGMA integrity_check and foreign_key_check on the file as it is (nothing is written)."""
    from .services.backups import BackupService

    backups = BackupService.for_data_dir(_data_dir(args))
    if not backups.db_path.exists():
        _err(f"找不到数据库文件：{backups.db_path}。请检查 --data-dir / XFDESK_DATA_DIR 所指的目录。")
        return EXIT_FAIL
    try:
        report = backups.integrity_check()
    finally:
        backups.engine.dispose()
    if report.ok:
        _out(f"{report.summary()}：{backups.db_path}")
        return EXIT_OK
    _err(f"{report.summary()}：{backups.db_path}")
    for problem in report.problems:
        _err(f"  {problem}")
    newest = next(iter(backups.list()), None)
    if newest is not None:
        _err(f"最近的备份：{newest.created_at:%Y-%m-%d %H:%M:%S} {newest.label}（{newest.path.name}）")
    else:
        _err("backups 文件夹中没有备份。")
    _err(RECOVERY_HINT)
    return EXIT_FAIL


def add_parsers(sub, common: argparse.ArgumentParser, run, open_services) -> None:
    """`run(handler)` gives a handler the logged-in services; `open_services(args)` opens them."""
    p = sub.add_parser("backup", parents=[common], help="立即备份数据库（保存在数据目录的 backups 文件夹）")
    p.set_defaults(func=run(cmd_backup))

    p = sub.add_parser("backups", parents=[common], help="列出备份（最新的在前）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run(cmd_backups))

    p = sub.add_parser("restore", parents=[common], help="从备份恢复数据库（当前数据会先另存）")
    p.add_argument("file", nargs="?", metavar="FILE", help="备份文件（路径，或 backups 文件夹中的文件名）")
    p.add_argument("--latest", action="store_true", help="从最近一个完好的备份恢复")
    p.add_argument("--yes", action="store_true", help="不再询问确认")
    p.set_defaults(func=make_cmd_restore(open_services))

    p = sub.add_parser("check", parents=[common], help="检查数据库是否完好（完好时退出码为0）")
    p.set_defaults(func=cmd_check)
