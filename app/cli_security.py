"""CLI commands for operators, passwords, the audit trail and full-number views (docs/security.md)."""
from __future__ import annotations

import argparse
import json
import sys

from .cli_auth import NEW_PASSWORD_ENV, PASSWORD_ENV, read_secret


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def cmd_operators(args, services) -> int:
    from .services.security.operators import parse_roles

    ops = services.operators
    if args.op_command == "add":
        password = read_secret(NEW_PASSWORD_ENV, f"为“{args.name}”设置初始密码：")
        ops.create_operator(args.name, parse_roles(args.roles), password)
        _out(f"已添加操作员：{args.name}（首次登录须修改密码）")
    elif args.op_command == "roles":
        ops.set_roles(args.name, parse_roles(args.roles))
        _out(f"已修改“{args.name}”的角色")
    elif args.op_command in ("disable", "enable"):
        ops.set_active(args.name, args.op_command == "enable")
        _out(f"已{'启用' if args.op_command == 'enable' else '停用'}操作员：{args.name}")
    elif args.op_command == "reset-password":
        ops.reset_password(args.name, read_secret(NEW_PASSWORD_ENV, f"为“{args.name}”设置新密码："))
        _out(f"已重置“{args.name}”的密码（下次登录须修改）")
    else:
        for o in ops.operators():
            state = "在用" if o.active else "停用"
            _out(f"{o.name}\t{o.role_text}\t{state}" + ("\t须改密码" if o.must_change_password else ""))
    return 0


def cmd_passwd(args, services) -> int:
    new = read_secret(NEW_PASSWORD_ENV, "新密码：")
    services.operators.change_password(read_secret(PASSWORD_ENV, "原密码："), new)
    _out("密码已修改")
    return 0


def cmd_audit(args, services) -> int:
    if args.verify:
        report = services.audit.verify()
        _out(report.message)
        return 0 if report.ok else 1
    rows = services.audit.entries(operator=args.who or "", action=args.action or "", since=args.since or "",
                                  until=args.until or "", limit=args.limit)
    if args.json:
        _out(json.dumps([{**r.__dict__, "label": r.label} for r in rows], ensure_ascii=False, indent=2))
    else:
        for r in rows:
            _out(f"{r.id}\t{r.at[:19]}\t{r.operator}\t{r.workstation}\t{r.label}\t{r.target}\t{r.detail}")
    return 0


def cmd_reveal(args, services) -> int:
    field = {"id": "id", "证件号码": "id", "phone": "phone", "电话": "phone"}.get(args.field, args.field)
    _out(services.privacy.reveal(args.number, args.person - 1, field, args.reason))
    return 0


def cmd_recover(args) -> int:
    """Every administrator password lost: the recovery code sets a new one (no login needed)."""
    from .cli import _open_services

    services = _open_services(args)
    code = read_secret("XFDESK_RECOVERY_CODE", "恢复码：")
    services.operators.recover(code, args.name, read_secret(NEW_PASSWORD_ENV, f"为“{args.name}”设置新密码："))
    _out(f"已用恢复码重设“{args.name}”的密码（登录后须修改）")
    return 0


def add_parsers(sub, common: argparse.ArgumentParser, run) -> None:
    p = sub.add_parser("operators", parents=[common], help="操作员和角色（管理员）")
    ops = p.add_subparsers(dest="op_command")
    q = ops.add_parser("add", parents=[common], help="添加操作员（初始密码取 XFDESK_NEW_PASSWORD 或在终端输入）")
    q.add_argument("name")
    q.add_argument("--roles", action="append", required=True, help="角色，如 接待员,承办人")
    q = ops.add_parser("roles", parents=[common], help="修改操作员的角色")
    q.add_argument("name")
    q.add_argument("--roles", action="append", required=True)
    for name, text in (("disable", "停用操作员"), ("enable", "启用操作员"), ("reset-password", "重置密码")):
        q = ops.add_parser(name, parents=[common], help=text)
        q.add_argument("name")
    p.set_defaults(func=run(cmd_operators), op_command=None)

    p = sub.add_parser("passwd", parents=[common], help="修改自己的密码（新密码取 XFDESK_NEW_PASSWORD 或在终端输入）")
    p.set_defaults(func=run(cmd_passwd))

    p = sub.add_parser("audit", parents=[common], help="审计日志（审计员）；--verify 核验审计链")
    p.add_argument("--verify", action="store_true")
    p.add_argument("--who", help="只看某位操作员")
    p.add_argument("--action", help="只看某类操作（如 reveal、login）")
    p.add_argument("--since", help="起始日期 YYYY-MM-DD")
    p.add_argument("--until", help="截止日期 YYYY-MM-DD")
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run(cmd_audit))

    p = sub.add_parser("reveal", parents=[common], help="查看一位信访人的完整证件号码或电话（须写明事由，记入审计日志）")
    p.add_argument("number", help="信访件编号")
    p.add_argument("field", choices=("id", "phone", "证件号码", "电话"))
    p.add_argument("--person", type=int, default=1, help="第几位信访人（默认1）")
    p.add_argument("--reason", required=True, help="查看事由")
    p.set_defaults(func=run(cmd_reveal))

    p = sub.add_parser("recover", parents=[common], help="忘记全部管理员密码时，用恢复码重设一位操作员的密码")
    p.add_argument("name")
    p.set_defaults(func=cmd_recover)
