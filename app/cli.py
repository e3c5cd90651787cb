"""Command line over the same services the window uses: init, register, list, search, show, leaders, demo."""
from __future__ import annotations

import argparse
import json
import logging
import re
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from .paths import resolve_data_dir

EXIT_OK, EXIT_FAIL, EXIT_INVALID = 0, 1, 2
EXIT_DENIED = 3  # not logged in, wrong password, locked out, or no permission (app/cli_auth.py)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _dump(value: Any) -> None:
    from .services.dto import to_jsonable

    _out(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))


def _open_services(args: argparse.Namespace):
    from .services.context import DeskServices

    return DeskServices.open(resolve_data_dir(getattr(args, "data_dir", None)))


def _services(args: argparse.Namespace):
    """The desk's services with the operator logged in (see app/cli_auth.py)."""
    from .cli_auth import login_services

    services = _open_services(args)
    login_services(services, args)
    return services


def _one_line(text: str) -> str:
    """Keep one error per line: line breaks (and lone surrogates, unprintable) echoed from the input, escaped."""
    return _LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_LINE_BREAKS = re.compile("[\r\n\v\f\x1c-\x1e\x85\u2028\u2029\ud800-\udfff]")


def _report_invalid(exc) -> int:
    for e in exc.errors:
        _err(f"{_one_line(e.field)}：{_one_line(e.message)}")
    return EXIT_INVALID


def cmd_init(args: argparse.Namespace) -> int:
    """First time: the station and the first administrator (`--admin`); later: an administrator
    logged in may change the station's name."""
    from .cli_auth import PASSWORD_ENV, login_services, read_secret
    from .services.security.errors import SetupError
    from .services.security.operators import FIRST_ADMIN_ROLES, parse_roles
    from .services.security.permissions import SETTINGS

    services = _open_services(args)
    if services.operators.has_operators():
        login_services(services, args)
        services.guard.require(SETTINGS)
        code = None
    elif not args.admin:
        raise SetupError("首次初始化须同时创建管理员：python -m app init --station-code 代码 --station-name 名称 --admin 名称")
    else:
        roles = parse_roles(args.roles) if args.roles else FIRST_ADMIN_ROLES
        password = read_secret(PASSWORD_ENV, f"请为管理员“{args.admin}”设置密码（至少8位，含字母和数字）：")
        code = services.operators.setup_first_admin(args.admin, password, roles).recovery_code
    info = services.stations.initialise(args.station_code, args.station_name, args.level)
    if args.server_url:
        from .sync import config as sync_config

        sync_config.save(services.settings, server_url=args.server_url, token=None)
    _out(f"已初始化接待站：{info.code} {info.name}（{info.level}级），数据目录：{services.data_dir}")
    if code:
        _out(f"管理员：{args.admin}。恢复码（只显示这一次，请抄写后锁入保险柜；忘记全部密码时凭它恢复）：{code}")
    return EXIT_OK


def _read_json(source: str) -> Any:
    raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    return json.loads(raw.decode("utf-8-sig"))


def cmd_register(args: argparse.Namespace) -> int:
    from .services.errors import FieldError, ValidationFailed
    from .services.registration_json import parse_registration

    try:
        data = _read_json(args.json)
    except OSError as exc:
        _err(f"无法读取文件：{exc.strerror or exc}")
        return EXIT_INVALID
    except UnicodeDecodeError:
        return _report_invalid(ValidationFailed([FieldError("(文档)", "文件不是 UTF-8 编码，请另存为 UTF-8")]))
    except json.JSONDecodeError as exc:
        return _report_invalid(ValidationFailed([FieldError("(文档)", f"JSON 格式错误：第{exc.lineno}行第{exc.colno}列")]))
    except ValueError as exc:  # an integer of more than 4300 digits (Python's limit), or a NUL in the path
        message = "JSON 中有位数过多的数字，请核对" if "digits" in str(exc) else "文件路径中有无效字符"
        return _report_invalid(ValidationFailed([FieldError("(文档)", message)]))
    except RecursionError:
        return _report_invalid(ValidationFailed([FieldError("(文档)", "JSON 嵌套层数过多，请核对文件内容")]))
    try:
        # Relative attachment paths are read from the JSON file's folder (the cwd for stdin).
        inp = parse_registration(data, base_dir=Path.cwd() if args.json == "-" else Path(args.json).parent)
        services = _services(args)
        result = services.registration.register(inp)
    except ValidationFailed as exc:
        return _report_invalid(exc)
    for w in result.warnings:
        _err(f"提示 {_one_line(w.field)}：{_one_line(w.message)}")
    _out(result.number)
    return EXIT_OK


def _query(args: argparse.Namespace):
    """The list filters; a bad date raises ValidationFailed (exit 2) like any bad field."""
    from .services.dto import MatterQuery
    from .services.errors import FieldError, ValidationFailed
    from .services.dates import parse_date

    errors: list[FieldError] = []
    date_from = parse_date(args.date_from, "--from", "起始日期", errors)
    date_to = parse_date(args.date_to, "--to", "截止日期", errors)
    if errors:
        raise ValidationFailed(errors)
    due = getattr(args, "due", None)
    query = MatterQuery(
        text=args.search or "",
        date_from=date_from,
        date_to=date_to,
        status=args.status or "",
        form=args.form or "",
    )
    if due:  # the today view's lists, soonest deadline first
        from dataclasses import replace

        from .services.today import special_query

        special = special_query(_DUE_SPECIALS[due])
        query = replace(query, special=special.special, sort_key=special.sort_key, descending=special.descending)
    return query


_DUE_SPECIALS = {"soon": "due_soon", "overdue": "overdue"}


def _list_rows(args: argparse.Namespace, q, limit: int):
    """Through a bare sqlite3 connection when the database is current (fast start), else the services."""
    from contextlib import closing

    from .services import quick_read

    conn = quick_read.connect_current(resolve_data_dir(getattr(args, "data_dir", None)))
    if conn is None:
        return _services(args).matters.page(q, offset=args.offset, limit=limit)
    with closing(conn):
        from .cli_auth import login_raw

        scope = login_raw(conn, args)
        return quick_read.page(conn, q, args.offset, limit, scope)


def cmd_list(args: argparse.Namespace) -> int:
    q = _query(args)
    started = time.perf_counter()
    rows = _list_rows(args, q, args.limit or 10**9)
    elapsed = time.perf_counter() - started
    if args.json:
        _dump(rows)
    else:
        for r in rows:
            due = f"\t{r.next_due.isoformat() if r.next_due else ''}" if getattr(args, "due", None) else ""
            _out(f"{r.number}\t{r.petition_date}\t{r.form}\t{r.petitioner_names}\t{r.status}{due}\t{r.title}")
        _out(f"共 {len(rows)} 件")
    if args.timing:
        _err(f"查询用时 {elapsed * 1000:.1f} ms")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from .cli_lifecycle import lifecycle_json
    from .services.dto import to_jsonable

    services = _services(args)
    detail = services.matters.detail(args.number)
    if args.json:
        _dump({**to_jsonable(detail), **lifecycle_json(services, args.number)})
        return EXIT_OK
    r = detail.row
    _out(f"编号：{r.number}\n信访日期：{r.petition_date}  形式：{r.form}  人数：{r.headcount}")
    _out(f"信访人：{r.petitioner_names}\n内容分类：{r.content_class}\n标题：{r.title}\n诉求：{detail.request}")
    _out(f"处理：{r.decision or '（未处理）'}  状态：{r.status}")
    for e in detail.events:
        _out(f"  {e.occurred_at:%Y-%m-%d %H:%M}  {e.label}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .services.demo import generate

    services = _services(args)
    started = time.perf_counter()
    n = generate(services.engine, services.stations, services.tree, args.count, cipher=services.guard.cipher,
                 seed=args.seed, progress=lambda k: _err(f"已生成 {k} 件…"), follow_up=True)
    services.lifecycle.refresh_all()  # demo rows bypass registration: give them their clocks
    _out(f"已生成演示信访件 {n} 件，用时 {time.perf_counter() - started:.1f} 秒")
    return EXIT_OK


def cmd_receipt(args: argparse.Namespace) -> int:
    """Write the slip or the decision's notice of one matter to a PDF file."""
    from .receipts.content import KIND_EXTEND, KIND_SLIP
    from .receipts.render import check_glyphs, render

    services = _services(args)
    kinds = services.documents.kinds_for(args.number)
    if args.kind == "slip":
        kind = KIND_SLIP
    elif args.kind == "extension":
        if KIND_EXTEND not in kinds:
            _err("该信访件没有延期办理记录，请先办理延期：python -m app extend 编号 --days 天数 --reason 理由")
            return EXIT_INVALID
        kind = KIND_EXTEND
    elif len(kinds) > 1 and kinds[1] != KIND_EXTEND:
        kind = kinds[1]
    else:
        _err("该信访件尚无需要出具告知书的处理决定（当场答复或未处理只出具回执）")
        return EXIT_INVALID
    content = services.documents.content(args.number, kind)
    _use_converted_font(services.data_dir / "fonts")
    for label, char in check_glyphs(content):
        _err(f"提示：字符“{char}”（{label}）在本机字体中没有字形，打印出来会是空白")
    Path(args.out).write_bytes(render(content, width_mm=args.width))
    _out(str(Path(args.out).resolve()))
    return EXIT_OK


def _use_converted_font(cache_dir: Path) -> None:
    """Make the renderers prefer a CFF CJK font converted to TrueType (see receipts.fonts).

    Uses one converted earlier (by the GUI); converts now only when no TrueType font of this
    machine covers Chinese at all, telling the user why the command takes a while."""
    from .receipts.fonts import ensure_converted_font, set_extra_font_files

    converted = ensure_converted_font(
        cache_dir, on_convert=lambda: _err("首次使用需要转换字体，约需1至2分钟…")
    )
    if converted is not None:
        set_extra_font_files([converted])


def cmd_extend(args: argparse.Namespace) -> int:
    """Record a 延期办理 (within the rule set's limit, with a reason) for an accepted matter."""
    services = _services(args)
    total = services.extensions.extend(args.number, args.days, args.reason, actor=services.guard.actor)
    _out(f"已延期：{args.number} 共延长{total.days}日；可用 receipt {args.number} --kind extension 出具延期办理告知书")
    return EXIT_OK


def cmd_config(args: argparse.Namespace) -> int:
    from .sync import config

    services = _services(args)
    if args.deadline_rules:
        rules = services.deadlines.select(args.deadline_rules)
        changed = services.lifecycle.ensure_fresh()
        _out(f"期限规则：{rules.title}（已重新计算 {changed} 件信访件的期限）")
    if args.business_month_end_day is not None:
        from .services.statistics.periods import set_business_month_end_day

        set_business_month_end_day(services.settings, args.business_month_end_day)
        day = args.business_month_end_day
        _out(f"统计月：{'自然月' if not day else f'上月{day + 1}日至本月{day}日'}")
    if args.idle_lock_minutes is not None:
        from .services.security.idle import set_idle_minutes

        set_idle_minutes(services.settings, args.idle_lock_minutes)
        _out(f"空闲锁屏：{f'{args.idle_lock_minutes}分钟无操作后锁定' if args.idle_lock_minutes else '不锁屏'}")
    if args.server_url is not None or args.token is not None or not (
        args.deadline_rules or args.business_month_end_day is not None or args.idle_lock_minutes is not None
    ):
        cfg = config.save(services.settings, args.server_url, args.token)
        _out(f"县级服务器：{cfg.server_url or '（未设置）'}；令牌：{'已设置' if cfg.token else '（未设置）'}")
    return EXIT_OK


def _sync_status(services) -> dict:
    from .sync import config

    counts = services.sync.outbox.counts()
    values = services.settings.all("sync.")
    return {
        "pending": counts.unacknowledged,
        "sending_queue": counts.pending,
        "needs_attention": counts.needs_attention,
        "acknowledged": counts.acked,
        "waiting_matters": counts.waiting_matters,
        "last_success": values.get(config.LAST_SUCCESS_KEY) or None,
        "last_error": values.get(config.LAST_ERROR_KEY, ""),
        "server_url": values.get(config.URL_KEY, ""),
        "clock_offset_seconds": float(values.get(config.CLOCK_OFFSET_KEY) or 0),
        "attention": [
            {"matter_number": a.matter_number, "seq": a.seq, "kind": a.kind, "reason": a.reason}
            for a in services.sync.outbox.attention_items()
        ],
    }


def cmd_sync(args: argparse.Namespace) -> int:
    """One full push/pull; exit 0 only when the county has acknowledged everything."""
    from .sync.client import SyncError

    services = _services(args)
    if args.status:
        status = _sync_status(services)
        if args.json:
            _dump(status)
        else:
            _out(f"待上报 {status['pending']} 条（{status['waiting_matters']} 件），需处理 {status['needs_attention']} 条；"
                 f"上次成功：{status['last_success'] or '从未'}")
        return EXIT_OK
    try:
        report = services.sync.run_once()
    except SyncError as exc:
        _err(exc.message)
        return EXIT_FAIL
    for warning in report.warnings:
        _err(f"提示：{warning}")
    _out(f"已上报 {report.stored} 条（重复确认 {report.duplicates} 条），拒收 {report.rejected} 条，收到县级回传 {report.pulled} 条")
    if report.complete:
        return EXIT_OK
    for item in services.sync.outbox.attention_items():
        _err(f"需处理：{item.matter_number} 第{item.seq}条（{item.kind}）：{item.reason}")
    if report.mismatch:
        _err(report.mismatch)
    return EXIT_FAIL


def cmd_export_bundle(args: argparse.Namespace) -> int:
    services = _services(args)
    cfg = services.sync.config()
    if not cfg.token:
        _err("尚未设置本站令牌，无法签名（python -m app config --token 令牌）")
        return EXIT_FAIL
    count = services.sync.export_bundle(services.stations.require().code, cfg.token, Path(args.file))
    _out(f"已导出 {count} 条未确认的记录到 {Path(args.file).resolve()}")
    return EXIT_OK


def _leader_day(args: argparse.Namespace):
    from datetime import date

    from .services.dates import parse_date
    from .services.errors import FieldError, ValidationFailed

    errors: list[FieldError] = []
    day = parse_date(args.date, "--date", "日期", errors) if args.date else date.today()
    if errors:
        raise ValidationFailed(errors)
    return day


def cmd_leaders(args: argparse.Namespace) -> int:
    """List the leaders with their weekdays and whether they receive visitors today (or on --date)."""
    day = _leader_day(args)
    leaders = _services(args).leaders
    on_duty = {v.id for v in leaders.on_duty(day)}
    views = leaders.list(active_only=not args.all)
    if args.json:
        _dump([
            {
                "name": v.name,
                "title": v.title,
                "weekdays": [d + 1 for d in v.weekdays],
                "weekdays_text": v.weekdays_text,
                "active": v.active,
                "on_duty": v.id in on_duty,
            }
            for v in views
        ])
        return EXIT_OK
    for v in views:
        state = "今日接访" if v.id in on_duty else ("已停用" if not v.active else "")
        _out(f"{v.name}\t{v.title}\t{v.weekdays_text or '（未安排）'}\t{state}".rstrip("\t"))
    _out(f"共 {len(views)} 位领导；{day.isoformat()} 接访：{len(on_duty)} 位")
    return EXIT_OK


def cmd_leaders_add(args: argparse.Namespace) -> int:
    from .services.leaders import parse_weekdays

    days = parse_weekdays(args.days or "", "--days")
    view = _services(args).leaders.add(args.name, args.title or "", days)
    title = f"（{view.title}）" if view.title else ""
    _out(f"已添加领导：{view.name}{title}，接访日：{view.weekdays_text or '（未安排）'}")
    return EXIT_OK


def cmd_leader_matters(args: argparse.Namespace) -> int:
    """The matters one leader received at the hall or owns (包案), newest first."""
    from .services.errors import FieldError, ValidationFailed

    leaders = _services(args).leaders
    leader = leaders.find(args.name)
    if leader is None:
        raise ValidationFailed([FieldError("name", f"未找到领导“{args.name.strip()}”，可用 python -m app leaders --all 查看")])
    rows = leaders.matters(leader.id)
    if args.json:
        _dump(rows)
        return EXIT_OK
    for r in rows:
        due = r.next_due.isoformat() if r.next_due else ""
        _out(f"{r.number}\t{r.registered_at:%Y-%m-%d}\t{r.petitioner_names}\t{r.status}\t{r.role}\t{due}\t{r.title}")
    _out(f"{leader.name} 接访、包案共 {len(rows)} 件")
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    from .logging_setup import log_to_data_dir
    from .ui.app import run_gui

    try:  # no login here: the window asks for it (setup wizard or login dialog)
        services = _open_services(args)
    except Exception as exc:
        message = _storage_message(exc)
        if message is None:
            raise
        from .ui.app import recover_at_start, show_startup_error

        _err(message)
        data_dir = resolve_data_dir(getattr(args, "data_dir", None))
        recovered = recover_at_start(exc, data_dir, message, sys.argv[:1])  # a damaged file: offer backups
        if recovered is None:
            return show_startup_error(message + "。请检查数据目录，或联系管理员。", sys.argv[:1])
        if not recovered:
            return 1
        services = _open_services(args)
    log_to_data_dir(services.data_dir)
    return run_gui(services, sys.argv[:1])


class _VersionAction(argparse.Action):
    """`--version`: print 信访接待台 0.2.0 and exit 0, before any data folder or login is needed.

    Like argparse's own version action, but the version is looked up only when asked for
    (the quick path of list/search must not pay for importlib.metadata)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from .version import version_line

        if sys.stdout is not None:  # a windowed executable has no console
            _out(version_line())
            sys.stdout.flush()
        parser.exit(EXIT_OK)


def cmd_self_test(args: argparse.Namespace) -> int:
    """Throw-away data in a temporary folder, end to end (app/self_test.py); never the user's data."""
    from .self_test import run

    return run()


def build_parser() -> argparse.ArgumentParser:
    # SUPPRESS: a --data-dir given before the subcommand must not be reset by the subparser's default.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", default=argparse.SUPPRESS, help="数据目录（默认按操作系统惯例；也可用环境变量 XFDESK_DATA_DIR）"
    )
    common.add_argument(
        "--operator", default=argparse.SUPPRESS,
        help="登录的操作员（默认取环境变量 XFDESK_OPERATOR；密码取 XFDESK_PASSWORD 或在终端输入）",
    )
    parser = argparse.ArgumentParser(prog="python -m app", description="信访接待台", parents=[common])
    parser.set_defaults(func=cmd_gui)
    parser.add_argument("--version", action=_VersionAction, help="显示版本号后退出")
    parser.add_argument("--self-test", action="store_true",
                        help="自检：在临时目录中建库、登记一件并生成回执，不读写本机数据；通过时退出码为0")
    sub = parser.add_subparsers(dest="command")

    from .cli_lifecycle import add_parsers as add_lifecycle_parsers
    from .cli_stats import add_parsers as add_stats_parsers

    with_services = lambda handler: lambda args: handler(args, _services(args))  # noqa: E731
    add_lifecycle_parsers(sub, common, with_services)
    add_stats_parsers(sub, common, with_services)
    from .cli_report import add_parsers as add_report_parsers

    add_report_parsers(sub, common, with_services)  # report: statistics to .xlsx / .pdf
    from .cli_security import add_parsers as add_security_parsers

    add_security_parsers(sub, common, with_services)  # operators, passwd, audit, reveal, recover
    from .cli_backup import add_parsers as add_backup_parsers

    add_backup_parsers(sub, common, with_services, _services)  # backup, backups, restore, check

    p = sub.add_parser("init", parents=[common], help="初始化接待站（首次须用 --admin 创建管理员）")
    p.add_argument("--station-code", required=True)
    p.add_argument("--station-name", required=True)
    p.add_argument("--level", default="县", choices=("县", "乡镇"))
    p.add_argument("--admin", default="", help="首位管理员的名称（密码取环境变量 XFDESK_PASSWORD，或在终端输入）")
    p.add_argument("--roles", action="append", default=[], help="管理员兼任的角色，默认“管理员,接待员”")
    p.add_argument("--server-url", default="", help="县级服务器地址（可稍后用 config --server-url 设置）")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("register", parents=[common], help="按 JSON 登记一件信访事项")
    p.add_argument("--json", required=True, metavar="FILE|-")
    p.set_defaults(func=cmd_register)

    for name, help_text in (("list", "列出信访件"), ("search", "检索信访件")):
        p = sub.add_parser(name, parents=[common], help=help_text)
        if name == "search":
            p.add_argument("search", metavar="QUERY")
        else:
            p.add_argument("--search", default="")
        p.add_argument("--from", dest="date_from")
        p.add_argument("--to", dest="date_to")
        p.add_argument("--status")
        p.add_argument("--form")
        p.add_argument("--due", choices=tuple(_DUE_SPECIALS), help="soon：3日内到期；overdue：已超期（按期限排序）")
        p.add_argument("--limit", type=int, default=100, help="最多显示条数，0 为不限")
        p.add_argument("--offset", type=int, default=0)
        p.add_argument("--json", action="store_true")
        p.add_argument("--timing", action="store_true", help="在标准错误输出查询用时")
        p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", parents=[common], help="显示一件信访件")
    p.add_argument("number")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("receipt", parents=[common], help="生成回执或告知书 PDF")
    p.add_argument("number")
    p.add_argument("--kind", choices=("slip", "notice", "extension"), default="slip",
                   help="slip 回执；notice 处理决定的告知书；extension 延期办理告知书")
    p.add_argument("--width", type=int, choices=(80, 58), default=80, help="回执纸宽（毫米）")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.set_defaults(func=cmd_receipt)

    p = sub.add_parser("extend", parents=[common], help="延期办理（已受理的事项，累计不超过所选期限规则的上限，全国规则为30日）")
    p.add_argument("number")
    p.add_argument("--days", type=int, required=True)
    p.add_argument("--reason", required=True)
    p.set_defaults(func=cmd_extend)

    p = sub.add_parser("config", parents=[common], help="设置县级服务器地址和本站令牌")
    p.add_argument("--server-url")
    p.add_argument("--token")
    p.add_argument("--deadline-rules", metavar="national|zhejiang|henan|shandong",
                   help="期限规则：全国（默认）或地方条例")
    p.add_argument("--business-month-end-day", type=int, metavar="0-28",
                   help="统计月截止日（如 20 表示上月21日至本月20日；0 为自然月）")
    p.add_argument("--idle-lock-minutes", type=int, metavar="0-240", help="窗口无操作多少分钟后锁屏（默认10；0 为不锁屏）")
    p.set_defaults(func=cmd_config)

    p = sub.add_parser("sync", parents=[common], help="与县级服务器同步一次（或 --status 查看状态）")
    p.add_argument("--status", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("export-bundle", parents=[common], help="把未确认的记录导出为签名文件（U盘传递）")
    p.add_argument("file")
    p.set_defaults(func=cmd_export_bundle)

    p = sub.add_parser("leaders", parents=[common], help="领导接访安排（列出；add 添加）")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="也列出已停用的领导")
    p.add_argument("--date", help="按哪一天判断是否接访（默认今天）")
    p.set_defaults(func=cmd_leaders)
    leaders_sub = p.add_subparsers(dest="leaders_command")
    q = leaders_sub.add_parser("add", parents=[common], help="添加接访领导")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--title", default="", help="职务，如 副县长")
    q.add_argument("--days", default="", help="接访的星期：1-5 或 1,3,5（1为星期一，7为星期日）")
    q.set_defaults(func=cmd_leaders_add)

    p = sub.add_parser("leader-matters", parents=[common], help="一位领导接访和包案的信访件")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_leader_matters)

    p = sub.add_parser("demo", parents=[common], help="生成演示数据")
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--seed", type=int, default=20261123)
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .cli_auth import CliAuthError
    from .services.errors import NotFound, NotInitialised, ValidationFailed
    from .services.security.errors import SecurityError
    from .services.surrogates import LONE_SURROGATE

    argv = sys.argv[1:] if argv is None else argv
    if any(LONE_SURROGATE.search(arg) for arg in argv):  # bytes that are not UTF-8 (surrogateescape)
        _err("命令行参数中有无法识别的字符（不是 UTF-8 编码），请检查终端或脚本的字符编码")
        return EXIT_INVALID
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "self_test", False):
        if args.command:
            parser.error("--self-test 不能与子命令同时使用")
        return cmd_self_test(args)
    try:
        return args.func(args)
    except (SecurityError, CliAuthError) as exc:
        _err(str(exc))
        return EXIT_DENIED
    except NotInitialised as exc:
        _err(f"{exc}：python -m app init --station-code 代码 --station-name 名称")
        return EXIT_FAIL
    except ValidationFailed as exc:
        return _report_invalid(exc)
    except NotFound as exc:  # a matter number that does not exist
        _err(str(exc))
        return EXIT_FAIL
    except Exception as exc:
        message = _storage_message(exc)
        if message is None:
            raise
        return _report_storage(exc, message)


def _storage_message(exc: BaseException) -> str | None:
    """A Chinese explanation for a data-folder or database failure; None for anything else.

    Recognises sqlite3's errors and SQLAlchemy's wrapping of them (`.orig`) without importing SQLAlchemy.
    """
    from .services.storage_errors import classify

    problem = classify(exc)  # disk full, read-only data folder, locked: say which
    if problem is not None:
        return problem.message("写入数据")
    if isinstance(exc, OSError):
        return f"无法访问数据目录或文件：{exc.filename or ''}"
    if isinstance(exc, sqlite3.DatabaseError) or isinstance(getattr(exc, "orig", None), sqlite3.DatabaseError):
        return "数据库无法读写（文件可能已损坏、被占用或不是本程序的数据文件）"
    return None


def _report_storage(exc: BaseException, message: str) -> int:
    logging.getLogger(__name__).debug("storage error", exc_info=exc)  # XFDESK_LOG=debug shows it
    _err(f"{message}。请检查 --data-dir / XFDESK_DATA_DIR 所指的目录，或联系管理员。")
    return EXIT_FAIL
