"""Reporting periods: calendar month, quarter, year, or a business month (e.g. the 21st to the 20th).

Spec §2.5: one discipline-inspection system counts a month from the 21st of the previous month to
the 20th; whether petition offices do is unverified, so the cut-off day is a setting.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import FieldError, ValidationFailed

BUSINESS_MONTH_KEY = "statistics.business_month_end_day"  # 0 = calendar months
PETITION_DATE, REGISTERED = "petition_date", "registered"
DATE_BASES = {PETITION_DATE: "信访日期", REGISTERED: "登记日期"}


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    def days(self) -> int:
        return (self.end - self.start).days + 1


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def month(year: int, month_: int, end_day: int = 0) -> Period:
    """A calendar month, or with `end_day` (1–28) the business month ending on that day."""
    if not end_day:
        return Period(date(year, month_, 1), _month_end(year, month_), f"{year}年{month_}月")
    prev_year, prev_month = (year - 1, 12) if month_ == 1 else (year, month_ - 1)
    start = date(prev_year, prev_month, end_day) + timedelta(days=1)
    return Period(start, date(year, month_, end_day), f"{year}年{month_}月（{start:%m月%d日}至{end_day}日）")


def quarter(year: int, q: int) -> Period:
    first = 3 * (q - 1) + 1
    return Period(date(year, first, 1), _month_end(year, first + 2), f"{year}年第{q}季度")


def year(year_: int) -> Period:
    return Period(date(year_, 1, 1), date(year_, 12, 31), f"{year_}年")


def custom(start: date, end: date) -> Period:
    if end < start:
        raise ValidationFailed([FieldError("to", "结束日期不能早于开始日期")])
    return Period(start, end, f"{start:%Y-%m-%d}至{end:%Y-%m-%d}")


def business_month_end_day(settings) -> int:
    """The configured cut-off day of a business month (0: calendar months, also for anything unusable)."""
    try:
        day = int((settings.get(BUSINESS_MONTH_KEY, "0") or "0").strip())
    except ValueError:
        return 0
    return day if 1 <= day <= 28 else 0


def set_business_month_end_day(settings, day: int) -> None:
    if not 0 <= day <= 28:
        raise ValidationFailed([FieldError("business_month_end_day", "统计月截止日应为1至28日，0 表示按自然月统计")])
    settings.change({BUSINESS_MONTH_KEY: str(day)})


def check_basis(basis: str) -> str:
    if basis not in DATE_BASES:
        choices = "、".join(f"{k}（{v}）" for k, v in DATE_BASES.items())
        raise ValidationFailed([FieldError("basis", f"统计口径“{basis}”无效，可选：{choices}")])
    return basis
