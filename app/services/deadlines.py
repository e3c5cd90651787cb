"""Deadline dates printed on receipts (spec §1.3), counted like the Civil Code counts periods.

The start day is not counted; a period whose last day is a rest day or statutory holiday
ends on the next working day. Holidays come from `chinese_calendar`; for a year it does not
know yet, only weekends count as rest days (the lifecycle issue adds holiday files and the
configurable rule table).
"""
from __future__ import annotations

from datetime import date, timedelta

NOTIFY_DAYS = 15  # decide on acceptance and notify in writing (arts. 22, 23)
CONCLUDE_DAYS = 60  # conclude an accepted matter (art. 34)


def is_working_day(day: date) -> bool:
    try:
        import chinese_calendar

        return chinese_calendar.is_workday(day)
    except (ImportError, NotImplementedError):
        return day.weekday() < 5


def period_end(start: date, days: int) -> date:
    """The last day of a period of `days` calendar days starting the day after `start`."""
    end = start + timedelta(days=days)
    while not is_working_day(end):
        end += timedelta(days=1)
    return end
