"""Which days are working days: statutory holidays and the official make-up working days (调休).

Order of sources: the data folder's `holidays.json` (for years the installed package does not
know yet — the State Council publishes each year's arrangement in the previous autumn), then
`chinese_calendar`, then plain weekends. File format:

    {"2027": {"holidays": ["2027-02-08", …], "workdays": ["2027-02-20", …]}}

`holidays` are rest days falling on weekdays; `workdays` are make-up working days on weekends.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

logger = logging.getLogger(__name__)

HOLIDAY_FILE = "holidays.json"


@dataclass
class WorkCalendar:
    holidays: set[date] = field(default_factory=set)
    workdays: set[date] = field(default_factory=set)
    years: set[int] = field(default_factory=set)  # years the file defines
    problem: str = ""  # Chinese: why the file was not used
    _answers: dict[date, bool] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_data_dir(cls, data_dir: Path) -> WorkCalendar:
        path = data_dir / HOLIDAY_FILE
        if not path.exists():
            return cls()
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            logger.warning("holiday file %s ignored: %s", path, exc)
            return cls(problem=f"节假日文件 {path} 格式不正确，已忽略（{exc}）")

    @classmethod
    def from_json(cls, data: dict) -> WorkCalendar:
        calendar = cls()
        for year, days in data.items():
            calendar.years.add(int(year))
            calendar.holidays |= {date.fromisoformat(d) for d in days.get("holidays", [])}
            calendar.workdays |= {date.fromisoformat(d) for d in days.get("workdays", [])}
        return calendar

    def is_working_day(self, day: date) -> bool:
        """Memoised: recomputing thousands of matters' clocks asks about the same few hundred days."""
        known = self._answers.get(day)
        if known is None:
            known = self._answers[day] = self._is_working_day(day)
        return known

    def _is_working_day(self, day: date) -> bool:
        if day.year in self.years:
            if day in self.workdays:
                return True
            return day.weekday() < 5 and day not in self.holidays
        try:
            import chinese_calendar

            return chinese_calendar.is_workday(day)
        except (ImportError, NotImplementedError):
            return day.weekday() < 5

    def knows(self, year: int) -> bool:
        """Whether holidays of `year` are known (else only weekends count as rest days)."""
        if year in self.years:
            return True
        try:
            import chinese_calendar

            chinese_calendar.is_workday(date(year, 6, 1))
            return True
        except (ImportError, NotImplementedError):
            return False
