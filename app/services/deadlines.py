"""Deadline dates (spec §1.3), counted like the Civil Code counts periods.

Calendar-day periods: the start day is not counted, and a period whose last day is a rest day or
statutory holiday ends on the next working day. Working-day periods skip weekends and holidays
and count the official make-up working days. Which periods apply is the selected rule set.
"""
from __future__ import annotations

from datetime import date, timedelta

from .deadline_rules import DEFAULT_RULE_SET, RULE_SET_KEY, RULE_SETS, Period, RuleSet
from .errors import FieldError, ValidationFailed
from .holidays import WorkCalendar
from .settings_store import SettingsStore


def period_end(start: date, period: Period, calendar: WorkCalendar) -> date:
    """The last day of `period` starting the day after `start`."""
    if period.working_days:
        day, left = start, period.days
        while left:
            day += timedelta(days=1)
            left -= calendar.is_working_day(day)
        return day
    end = start + timedelta(days=period.days)
    while not calendar.is_working_day(end):
        end += timedelta(days=1)
    return end


class DeadlineService:
    def __init__(self, settings: SettingsStore, calendar: WorkCalendar):
        self.settings = settings
        self.calendar = calendar

    def rules(self) -> RuleSet:
        return RULE_SETS.get(self.settings.get(RULE_SET_KEY, DEFAULT_RULE_SET), RULE_SETS[DEFAULT_RULE_SET])

    def select(self, key: str) -> RuleSet:
        if key not in RULE_SETS:
            choices = "、".join(f"{k}（{r.title}）" for k, r in RULE_SETS.items())
            raise ValidationFailed([FieldError("deadline_rules", f"期限规则“{key}”无效，可选：{choices}")])
        self.settings.change({RULE_SET_KEY: key})
        return RULE_SETS[key]

    def notify_by(self, received: date) -> date:
        return period_end(received, self.rules().notify, self.calendar)

    def conclude_by(self, accepted: date, extension_days: int = 0) -> date:
        base = self.rules().conclude
        return period_end(accepted, Period(base.days + extension_days, base.working_days), self.calendar)
