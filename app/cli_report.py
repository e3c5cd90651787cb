"""`python -m app report`: the statistics of a period written to .xlsx or to the printable PDF report."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .services.statistics.periods import DATE_BASES, PETITION_DATE


def cmd_report(args: argparse.Namespace, services) -> int:
    from .cli_stats import read_period
    from .reports import PDF, UNSUPPORTED_MESSAGE, report_format, write_report
    from .services.errors import FieldError, ValidationFailed

    period = read_period(args)  # bad dates or extension: exit 2 before anything is computed or written
    fmt = report_format(args.out)
    if fmt is None:
        raise ValidationFailed([FieldError("out", UNSUPPORTED_MESSAGE)])
    out = Path(args.out)
    services.lifecycle.ensure_fresh()
    stats = services.statistics.compute(period, args.basis)
    station_name = services.stations.require().name
    if fmt == PDF:
        from .cli import _use_converted_font
        from .reports.pdf import missing_glyphs

        _use_converted_font(services.data_dir / "fonts")
        for char in missing_glyphs(stats, station_name):
            sys.stderr.write(f"提示：字符“{char}”在本机字体中没有字形，打印出来会是空白\n")
    services.statistics.authorize_export(fmt, str(out))
    try:
        write_report(stats, out, station_name)
    except OSError as exc:
        sys.stderr.write(f"无法写入文件：{out}（{exc.strerror or exc}）\n")
        return 1
    sys.stdout.write(f"已导出：{out.resolve()}\n")
    return 0


def add_parsers(sub, common: argparse.ArgumentParser, run) -> None:
    p = sub.add_parser("report", parents=[common], help="导出统计报表（.xlsx）或统计报告（.pdf）")
    p.add_argument("--from", dest="date_from", required=True, metavar="DATE", help="开始日期（含），如 2026-10-01")
    p.add_argument("--to", dest="date_to", required=True, metavar="DATE", help="结束日期（含），如 2026-10-31")
    p.add_argument("--basis", default=PETITION_DATE, choices=tuple(DATE_BASES),
                   help="按信访日期（petition_date，默认）或登记日期（registered）统计")
    p.add_argument("--out", required=True, metavar="FILE.xlsx|FILE.pdf", help="输出文件，格式由扩展名决定")
    p.set_defaults(func=run(cmd_report))
