"""CLI commands for the matter's life after the desk: `act`, `due`, and the clocks `show --json` adds."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

def lifecycle_json(services, number: str, today: date | None = None) -> dict[str, Any]:
    """The clocks and state part of `show --json` (same service as the detail window)."""
    view = services.lifecycle.view(number, today)
    upcoming = view.next_deadline
    return {
        "deadlines": [d.as_json() for d in view.deadlines],
        "next_deadline": upcoming.as_json() if upcoming else None,
        "days_left": view.days_left,
        "evaluations": [{"target": e.target, "state": e.state, "result": e.result} for e in view.evaluations],
        "supervised": view.supervised,
        "urged": view.urged,
        "owner_leader": view.owner,
        "allowed_actions": [a.key for a in view.actions],
    }


def _read_fields(source: str | None) -> dict[str, Any]:
    from .services.errors import FieldError, ValidationFailed

    if not source:
        return {}
    try:
        raw = sys.stdin.buffer.read() if source == "-" else open(source, "rb").read()
        data = json.loads(raw.decode("utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise ValidationFailed([FieldError("json", f"无法读取 JSON 文件：{exc}")]) from None
    if not isinstance(data, dict):
        raise ValidationFailed([FieldError("json", "JSON 应为一个对象，例如 {\"opinion\": \"支持\"}")])
    return data


def cmd_act(args: argparse.Namespace, services) -> int:
    fields = _read_fields(args.json)
    result = services.lifecycle.perform(args.number, args.action, fields, actor=services.guard.actor)
    view = services.lifecycle.view(args.number)
    due = f"，下一期限：{view.next_deadline.label} {view.next_deadline.due.isoformat()}" if view.next_deadline else ""
    sys.stdout.write(f"{result.number}：{_label(result.action)}已记录，当前状态：{result.status}{due}\n")
    return 0


def _label(action: str) -> str:
    from .services.lifecycle.actions import ACTIONS

    return ACTIONS[action].label


def cmd_due(args: argparse.Namespace, services) -> int:
    services.lifecycle.ensure_fresh()
    today = date.fromisoformat(args.today) if args.today else date.today()
    rows = services.lifecycle.due(today, args.within)
    if args.json:
        out = [
            {"number": r.number, "title": r.title, "status": r.status, "rule": r.rule, "label": r.label,
             "due": r.due.isoformat(), "days_left": r.days_left, "overdue": r.overdue}
            for r in rows
        ]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return 0
    for r in rows:
        state = f"已超期{-r.days_left}日" if r.overdue else f"剩{r.days_left}日"
        sys.stdout.write(f"{r.number}\t{r.label}\t{r.due.isoformat()}\t{state}\t{r.status}\t{r.title}\n")
    overdue = sum(r.overdue for r in rows)
    sys.stdout.write(f"共 {len(rows)} 件到期或将到期，其中超期 {overdue} 件\n")
    return 0


def add_parsers(sub, common: argparse.ArgumentParser, run) -> None:
    """`run(handler)` wraps a handler taking (args, services) into an argparse func."""
    from .services.lifecycle.actions import ACTIONS

    actions = "；".join(f"{a.key}={a.label}（{'、'.join(f.key for f in a.fields)}）" for a in ACTIONS.values())
    p = sub.add_parser("act", parents=[common], help="办理一个环节（受理、答复、评价、复查……）",
                       description=f"可用环节及其 JSON 字段：{actions}")
    p.add_argument("number", help="信访件编号")
    p.add_argument("action", help="环节（英文键或中文名称，如 reply 或 答复）")
    p.add_argument("--json", metavar="FILE|-", help="环节字段的 JSON 对象")
    p.set_defaults(func=run(cmd_act))

    p = sub.add_parser("due", parents=[common], help="列出超期和3日内到期的信访件")
    p.add_argument("--json", action="store_true")
    p.add_argument("--within", type=int, default=3, help="几日内到期（默认3）")
    p.add_argument("--today", help=argparse.SUPPRESS)  # for reproducible examples and tests
    p.set_defaults(func=run(cmd_due))
