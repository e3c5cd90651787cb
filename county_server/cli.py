"""`python -m county_server <subcommand> [--db URL]`. Every subcommand migrates the database first.

stdout carries only the result (a token, JSON, a table); messages and logs go to stderr.
"""
from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from . import service
from .db import DB_ENV, DEFAULT_DB_URL, DatabaseUrlError, describe, open_database, resolve_url
from .logging_setup import configure_logging

logger = logging.getLogger(__name__)


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own messages stay English; prefix ours
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：命令行参数不正确（{message}）\n")


def _parser() -> argparse.ArgumentParser:
    db_help = f"数据库地址（postgresql+psycopg://用户@主机/库 或 sqlite:///文件）；默认取环境变量 {DB_ENV}，再默认 {DEFAULT_DB_URL}"
    parser = ChineseArgumentParser(prog="python -m county_server", description="信访接待台 县级服务器")
    parser.add_argument("--db", default=None, help=db_help)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ChineseArgumentParser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
        return p

    p = command("serve", "启动 HTTP 服务")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8600)
    p.add_argument("--log-level", default=None, help="debug / info / warning（默认 info）")

    p = command("add-station", "登记接待站，输出其访问令牌（只显示这一次）")
    p.add_argument("code")
    p.add_argument("name")

    p = command("revoke-station", "停用接待站的访问令牌")
    p.add_argument("code")

    p = command("matters", "列出某接待站的信访件")
    p.add_argument("--station", required=True)
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = command("events", "列出某接待站已收到的事件")
    p.add_argument("--station", required=True)
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = command("conflicts", "列出某接待站被拒收（409）的事件")
    p.add_argument("--station", required=True)

    p = command("add-county-event", "为某接待站的信访件新增县级事件（接待台拉取）")
    p.add_argument("--station", required=True)
    p.add_argument("--matter", required=True, help="信访件编号")
    p.add_argument("--kind", required=True, help="county_number_assigned / unit_accepted / unit_replied")
    p.add_argument("--payload", required=True, help='JSON 对象，如 {"county_number": "XF3604…"}')

    p = command("import-bundle", "导入接待台导出的离线数据包（gzip）")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="以 JSON 输出每条事件的结果")
    return parser


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _read_bundle(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise service.CountyError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
    try:
        text = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        return json.loads(text)
    except (OSError, EOFError, ValueError) as exc:
        raise service.CountyError(f"文件 {path} 不是有效的数据包（gzip 压缩的 JSON）") from exc


def _run(args: argparse.Namespace, engine: Engine) -> int:
    if args.command == "serve":
        import uvicorn

        from .api import create_app

        logger.info("county server starting", extra={"db": describe(engine), "host": args.host, "port": args.port})
        uvicorn.run(create_app(engine), host=args.host, port=args.port, log_config=None, access_log=False,
                    server_header=False)
        return 0
    if args.command == "add-station":
        sys.stdout.write(service.add_station(engine, args.code, args.name) + "\n")
        return 0
    if args.command == "revoke-station":
        service.revoke_station(engine, args.code)
        sys.stderr.write(f"已停用接待站 {args.code} 的访问令牌\n")
        return 0
    if args.command == "matters":
        matters = service.list_matters(engine, args.station)
        if args.json:
            _print_json(matters)
        else:
            for m in matters:
                sys.stdout.write(f"{m['number']}\t{m['county_number'] or '-'}\t{m['petitioner_names']}\t{m['title']}\n")
        return 0
    if args.command == "events":
        events = service.list_events(engine, args.station)
        if args.json:
            _print_json(events)
        else:
            for e in events:
                sys.stdout.write(f"{e['seq']}\t{e['id']}\t{e['matter_number']}\t{e['kind']}\t{e['occurred_at']}\n")
        return 0
    if args.command == "conflicts":
        _print_json(service.list_conflicts(engine, args.station))
        return 0
    if args.command == "add-county-event":
        try:
            payload = json.loads(args.payload)
        except ValueError as exc:
            raise service.CountyError("--payload 不是有效的 JSON") from exc
        _print_json(service.add_county_event(engine, args.station, args.matter, args.kind, payload))
        return 0
    if args.command == "import-bundle":
        code, outcome = service.import_bundle(engine, _read_bundle(Path(args.file)))
        counts = outcome.counts()
        if args.json:
            _print_json({"station": code, **counts, "results": outcome.results, "state": outcome.station})
        else:
            sys.stdout.write(
                f"接待站 {code}：新存 {counts['stored']} 条，重复 {counts['duplicate']} 条，拒收 {counts['rejected']} 条\n"
            )
            for r in outcome.results:
                if r["status"] == "rejected":
                    sys.stdout.write(f"  拒收 序号 {r.get('seq')}（{r.get('id')}）：{r['reason']}\n")
        return 0
    raise AssertionError(args.command)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging(getattr(args, "log_level", None) or (None if args.command == "serve" else "WARNING"))
    try:
        url = resolve_url(args.db)
        engine = open_database(url)
    except DatabaseUrlError as exc:
        sys.stderr.write(f"错误：{exc}\n")
        return 2
    except OperationalError as exc:
        logger.debug("database open failed", exc_info=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        sys.stderr.write(f"错误：无法打开数据库（{reason}）\n")
        return 1
    try:
        return _run(args, engine)
    except service.CountyError as exc:
        sys.stderr.write(f"错误：{exc}\n")
        return 1
    except SQLAlchemyError as exc:
        logger.error("database error", exc_info=True)
        sys.stderr.write(f"错误：数据库操作失败（{type(exc).__name__}），详见日志\n")
        return 1
    finally:
        engine.dispose()
