"""`python -m app stats`: the office's figures for a period, from the same service as the 统计 page."""
from __future__ import annotations

import argparse
import json
import sys

from .services.statistics.model import TABLES
from .services.statistics.periods import DATE_BASES, PETITION_DATE


def read_period(args: argparse.Namespace):
    """The --from/--to period; Chinese messages keyed `from` / `to` when a date cannot be read."""
    from .services.dates import parse_date
    from .services.errors import FieldError, ValidationFailed
    from .services.statistics.periods import custom

    errors: list[FieldError] = []
    start = parse_date(args.date_from, "from", "开始日期", errors)
    end = parse_date(args.date_to, "to", "结束日期", errors)
    if errors:
        raise ValidationFailed(errors)
    return custom(start, end)


def cmd_stats(args: argparse.Namespace, services) -> int:
    from .services.errors import FieldError, ValidationFailed

    if args.by and args.by not in TABLES:
        choices = "、".join(f"{k}（{v}）" for k, v in TABLES.items())
        raise ValidationFailed([FieldError("by", f"统计维度“{args.by}”无效，可选：{choices}")])
    services.lifecycle.ensure_fresh()
    stats = services.statistics.compute(read_period(args), args.basis)
    data = stats.as_json()
    if args.by:
        data["by"] = data["tables"][args.by]
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    out = [
        f"{stats.period.label}（按{DATE_BASES[stats.basis]}）",
        f"信访事项 {stats.items} 件 {stats.person_times} 人次；来访 {stats.batches} 批 {stats.visits.person_times} 人次，"
        f"其中个体访 {stats.individual.items} 件 {stats.individual.person_times} 人次，"
        f"集体访 {stats.collective.items} 批 {stats.collective.person_times} 人次",
        "按形式：" + "，".join(f"{form} {f.items} 件" for form, f in stats.by_form.items()),
        f"越级访 {stats.skip_level.items} 件；重复访 {stats.repeats.items} 件；督办 {stats.supervised.items} 件",
        "　".join(f"{r.label} {r.percent()}（{r.numerator}/{r.denominator}）" for r in stats.rates.values()),
    ]
    if args.by:
        out.append(f"{TABLES[args.by]}：")
        out += [f"  {row.label}\t{row.items} 件\t{row.person_times} 人次\t{row.batches} 批" for row in stats.tables[args.by]]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def add_parsers(sub, common: argparse.ArgumentParser, run) -> None:
    p = sub.add_parser("stats", parents=[common], help="统计：件、批、人次、形式、分类和各项比率")
    p.add_argument("--from", dest="date_from", required=True, help="开始日期（含），如 2026-10-01")
    p.add_argument("--to", dest="date_to", required=True, help="结束日期（含），如 2026-10-31")
    p.add_argument("--basis", default=PETITION_DATE, choices=tuple(DATE_BASES),
                   help="按信访日期（petition_date，默认）或登记日期（registered）统计")
    p.add_argument("--by", help="再列出一个维度：" + "、".join(f"{k}（{v}）" for k, v in TABLES.items()))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run(cmd_stats))
