"""Every time limit of every rule set (spec §1.3), checked against dates worked out by hand.

Counting (app/services/deadlines.py, Civil Code arts. 201/203):
- calendar-day periods ("N日"): the start day is not counted, end = start + N days; if that day is
  a rest day or statutory holiday, the period ends on the next working day (a make-up working day
  on a Saturday/Sunday counts as a working day);
- working-day periods ("N个工作日"): the N-th working day after the start day, skipping weekends
  and holidays and counting make-up working days.

Periods per rule set (app/services/deadline_rules.py):
    national / shandong: notify 15d, objection 5wd, conclude 60d (+<=30), review/recheck 30d each
    henan:               notify 15d, objection 5wd, conclude 30d (+<=60), review/recheck 30d each
    zhejiang:            notify 5wd, objection 5wd, conclude 30d (+<=60), review/recheck 30d each
    all four:            evaluate 30d (the visitor's evaluation window, spec §1.8 [U])

Official arrangements used (State Council notices; each date also confirmed with
chinese_calendar 1.11 in .venv, and re-checked day by day in
test_expected_dates_agree_with_chinese_calendar below):
    2024  New Year 01-01 (Mon) | Spring Festival 02-10..02-17 off, make-up Sun 02-04, Sun 02-18
          Qingming 04-04..04-06 off, make-up Sun 04-07 | Labour Day 05-01..05-05 off, make-up
          Sun 04-28, Sat 05-11 | Dragon Boat 06-08..06-10 | Mid-Autumn 09-15..09-17 off, make-up
          Sat 09-14 | National Day 10-01..10-07 off, make-up Sun 09-29, Sat 10-12
    2025  New Year 01-01 (Wed) | Spring Festival 01-28..02-04 off, make-up Sun 01-26, Sat 02-08
          Qingming 04-04..04-06 | Labour Day 05-01..05-05 off, make-up Sun 04-27
          Dragon Boat 05-31..06-02 | National Day + Mid-Autumn 10-01..10-08 off, make-up Sun 09-28,
          Sat 10-11
    2026  New Year 01-01..01-03 off, make-up Sun 01-04 | Spring Festival 02-15..02-23 off, make-up
          Sat 02-14, Sat 02-28 | Qingming 04-04..04-06 | Labour Day 05-01..05-05 off, make-up
          Sat 05-09 | Dragon Boat 06-19..06-21 | Mid-Autumn 09-25..09-27 | National Day
          10-01..10-07 off, make-up Sun 09-20, Sat 10-10

In 2024-2026 every make-up Saturday follows a working Friday, so a calendar-day period can only
*roll* onto a make-up Sunday (02-18-2024, 04-07-2024, 01-04-2026); periods that end directly on a
make-up Saturday are covered, and the holidays.json cases below roll onto a make-up Saturday.
"""
from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import chinese_calendar
import pytest

from app.services.deadline_rules import RULE_SET_KEY, RULE_SETS, Period, RuleSet
from app.services.deadlines import DeadlineService, period_end
from app.services.holidays import HOLIDAY_FILE, WorkCalendar

D = date

# (rule set, rule, start, extension days, expected end, hand computation)
CASES = [
    # ---------------------------------------------------------------- national
    ("national", "notify", D(2024, 2, 1), 0, D(2024, 2, 18),
     "02-01 + 15d = 02-16 (Fri, Spring Festival), 02-17 (Sat, holiday) -> 02-18 (Sun, make-up working day)"),
    ("national", "notify", D(2025, 1, 20), 0, D(2025, 2, 5),
     "01-20 + 15d = 02-04 (Tue, last Spring Festival day) -> 02-05 (Wed)"),
    ("national", "notify", D(2026, 2, 5), 0, D(2026, 2, 24),
     "02-05 + 15d = 02-20 (Fri, Spring Festival), 02-21..02-23 off -> 02-24 (Tue)"),
    ("national", "notify", D(2024, 2, 14), 0, D(2024, 2, 29),
     "start inside the holiday: 02-14 + 15d = 02-29 (Thu, leap day, working)"),
    ("national", "notify", D(2024, 4, 20), 0, D(2024, 5, 6),
     "04-20 + 15d = 05-05 (Sun, last Labour Day holiday) -> 05-06 (Mon)"),
    ("national", "objection", D(2024, 2, 7), 0, D(2024, 2, 20),
     "from Wed 02-07: 02-08 (1), 02-09 (2), 02-10..02-17 off, Sun 02-18 make-up (3), 02-19 (4), 02-20 (5)"),
    ("national", "objection", D(2025, 9, 26), 0, D(2025, 10, 10),
     "from Fri 09-26: Sat 09-27 rest, Sun 09-28 make-up (1), 09-29 (2), 09-30 (3), 10-01..10-08 off, "
     "10-09 (4), 10-10 (5)"),
    ("national", "objection", D(2026, 9, 16), 0, D(2026, 9, 22),
     "from Wed 09-16: 09-17 (1), 09-18 (2), Sat 09-19 rest, Sun 09-20 make-up (3), 09-21 (4), 09-22 (5)"),
    ("national", "conclude", D(2024, 1, 31), 0, D(2024, 4, 1),
     "01-31 + 60d: +29 = 02-29 (leap year), +31 = 03-31 (Sun) -> 04-01 (Mon)"),
    ("national", "conclude", D(2024, 2, 29), 0, D(2024, 4, 29),
     "leap-day start: 02-29 + 31 = 03-31, +29 = 04-29 (Mon, working)"),
    ("national", "conclude", D(2026, 3, 2), 0, D(2026, 5, 6),
     "03-02 + 60d: +29 = 03-31, +30 = 04-30, +1 = 05-01 (Fri, Labour Day), 05-02..05-05 off -> 05-06 (Wed)"),
    ("national", "conclude", D(2024, 7, 4), 30, D(2024, 10, 8),
     "07-04 + 90d (60+30): +27 = 07-31, +31 = 08-31, +30 = 09-30, +2 = 10-02 (National Day), "
     "10-03..10-07 off -> 10-08 (Tue)"),
    ("national", "review_request", D(2024, 12, 5), 0, D(2025, 1, 6),
     "12-05 + 30d: +26 = 12-31, +4 = 2025-01-04 (Sat), 01-05 (Sun) -> 2025-01-06 (Mon)"),
    ("national", "review_decide", D(2024, 12, 2), 0, D(2025, 1, 2),
     "12-02 + 30d = 2025-01-01 (Wed, New Year) -> 2025-01-02 (Thu)"),
    ("national", "recheck_request", D(2024, 4, 1), 0, D(2024, 5, 6),
     "04-01 + 30d = 05-01 (Wed, Labour Day), 05-02..05-05 off -> 05-06 (Mon)"),
    ("national", "recheck_decide", D(2025, 4, 1), 0, D(2025, 5, 6),
     "04-01 + 30d = 05-01 (Thu, Labour Day), 05-02..05-05 off -> 05-06 (Tue)"),
    ("national", "evaluate", D(2024, 9, 7), 0, D(2024, 10, 8),
     "09-07 + 30d: +23 = 09-30, +7 = 10-07 (Mon, last National Day holiday) -> 10-08 (Tue)"),
    # ---------------------------------------------------------------- shandong
    ("shandong", "notify", D(2024, 9, 14), 0, D(2024, 9, 29),
     "start on make-up Sat 09-14: + 15d = 09-29 (Sun, make-up working day) -> 09-29"),
    ("shandong", "notify", D(2025, 4, 12), 0, D(2025, 4, 27),
     "04-12 + 15d = 04-27 (Sun, make-up working day for Labour Day) -> 04-27"),
    ("shandong", "objection", D(2024, 4, 25), 0, D(2024, 5, 6),
     "from Thu 04-25: 04-26 (1), Sat 04-27 rest, Sun 04-28 make-up (2), 04-29 (3), 04-30 (4), "
     "05-01..05-05 off, 05-06 (5)"),
    ("shandong", "objection", D(2025, 4, 29), 0, D(2025, 5, 9),
     "from Tue 04-29: 04-30 (1), 05-01..05-05 off, 05-06 (2), 05-07 (3), 05-08 (4), 05-09 (5)"),
    ("shandong", "conclude", D(2025, 12, 1), 0, D(2026, 1, 30),
     "12-01 + 60d: +30 = 12-31, +30 = 2026-01-30 (Fri, working)"),
    ("shandong", "conclude", D(2025, 11, 20), 30, D(2026, 2, 24),
     "11-20 + 90d (60+30): +10 = 11-30, +31 = 12-31, +31 = 01-31, +18 = 2026-02-18 (Wed, Spring Festival), "
     "02-19..02-23 off -> 02-24 (Tue)"),
    ("shandong", "conclude", D(2024, 7, 20), 15, D(2024, 10, 8),
     "07-20 + 75d (60+15): +11 = 07-31, +31 = 08-31, +30 = 09-30, +3 = 10-03 (National Day), "
     "10-04..10-07 off -> 10-08 (Tue)"),
    ("shandong", "review_request", D(2024, 1, 30), 0, D(2024, 2, 29),
     "01-30 + 30d: +1 = 01-31, +29 = 02-29 (Thu, leap day, working)"),
    ("shandong", "review_decide", D(2024, 2, 29), 0, D(2024, 4, 1),
     "leap-day start: 02-29 + 30d = 03-30 (Sat), 03-31 (Sun) -> 04-01 (Mon)"),
    ("shandong", "recheck_request", D(2026, 9, 1), 0, D(2026, 10, 8),
     "09-01 + 30d = 10-01 (Thu, National Day), 10-02..10-07 off -> 10-08 (Thu)"),
    ("shandong", "recheck_decide", D(2025, 12, 3), 0, D(2026, 1, 4),
     "12-03 + 30d: +28 = 12-31, +2 = 2026-01-02 (Fri, New Year), 01-03 (Sat, holiday) "
     "-> 2026-01-04 (Sun, make-up working day)"),
    ("shandong", "evaluate", D(2025, 9, 6), 0, D(2025, 10, 9),
     "09-06 + 30d: +24 = 09-30, +6 = 10-06 (Mon, National Day), 10-07, 10-08 off -> 10-09 (Thu)"),
    # ---------------------------------------------------------------- henan
    ("henan", "notify", D(2025, 1, 11), 0, D(2025, 1, 26),
     "01-11 + 15d = 01-26 (Sun, make-up working day before Spring Festival) -> 01-26"),
    ("henan", "notify", D(2026, 6, 4), 0, D(2026, 6, 22),
     "06-04 + 15d = 06-19 (Fri, Dragon Boat), 06-20..06-21 off -> 06-22 (Mon)"),
    ("henan", "objection", D(2026, 2, 11), 0, D(2026, 2, 25),
     "from Wed 02-11: 02-12 (1), 02-13 (2), Sat 02-14 make-up (3), 02-15..02-23 off, 02-24 (4), 02-25 (5)"),
    ("henan", "objection", D(2024, 9, 12), 0, D(2024, 9, 20),
     "from Thu 09-12: 09-13 (1), Sat 09-14 make-up (2), 09-15..09-17 Mid-Autumn off, 09-18 (3), "
     "09-19 (4), 09-20 (5)"),
    ("henan", "objection", D(2024, 2, 29), 0, D(2024, 3, 7),
     "leap-day start, Thu 02-29: Fri 03-01 (1), 03-02/03-03 weekend, 03-04 (2), 03-05 (3), 03-06 (4), 03-07 (5)"),
    ("henan", "conclude", D(2025, 1, 31), 0, D(2025, 3, 3),
     "01-31 + 30d: +28 = 02-28 (no leap day in 2025), +2 = 03-02 (Sun) -> 03-03 (Mon)"),
    ("henan", "conclude", D(2026, 7, 3), 60, D(2026, 10, 8),
     "07-03 + 90d (30+60): +28 = 07-31, +31 = 08-31, +30 = 09-30, +1 = 10-01 (National Day), "
     "10-02..10-07 off -> 10-08 (Thu)"),
    ("henan", "conclude", D(2024, 3, 14), 15, D(2024, 4, 28),
     "03-14 + 45d (30+15): +17 = 03-31, +28 = 04-28 (Sun, make-up working day for Labour Day) -> 04-28"),
    ("henan", "review_request", D(2025, 9, 8), 0, D(2025, 10, 9),
     "09-08 + 30d = 10-08 (Wed, last day of the 8-day National Day holiday) -> 10-09 (Thu)"),
    ("henan", "review_decide", D(2026, 1, 29), 0, D(2026, 2, 28),
     "01-29 + 30d: +2 = 01-31, +28 = 02-28 (Sat, make-up working day after Spring Festival) -> 02-28"),
    ("henan", "recheck_request", D(2024, 8, 16), 0, D(2024, 9, 18),
     "08-16 + 30d: +15 = 08-31, +15 = 09-15 (Sun, Mid-Autumn), 09-16..09-17 off -> 09-18 (Wed)"),
    ("henan", "recheck_decide", D(2025, 5, 2), 0, D(2025, 6, 3),
     "start on holiday 05-02: + 30d = 06-01 (Sun, Dragon Boat), 06-02 (Mon, holiday) -> 06-03 (Tue)"),
    ("henan", "evaluate", D(2024, 1, 18), 0, D(2024, 2, 18),
     "01-18 + 30d: +13 = 01-31, +17 = 02-17 (Sat, Spring Festival) -> 02-18 (Sun, make-up working day)"),
    # ---------------------------------------------------------------- zhejiang
    ("zhejiang", "notify", D(2024, 9, 26), 0, D(2024, 10, 9),
     "from Thu 09-26: 09-27 (1), Sat 09-28 rest, Sun 09-29 make-up (2), 09-30 (3), 10-01..10-07 off, "
     "10-08 (4), 10-09 (5)"),
    ("zhejiang", "notify", D(2025, 1, 22), 0, D(2025, 2, 5),
     "from Wed 01-22: 01-23 (1), 01-24 (2), Sat 01-25 rest, Sun 01-26 make-up (3), 01-27 (4), "
     "01-28..02-04 off, 02-05 (5)"),
    ("zhejiang", "notify", D(2026, 4, 29), 0, D(2026, 5, 9),
     "from Wed 04-29: 04-30 (1), 05-01..05-05 off, 05-06 (2), 05-07 (3), 05-08 (4), Sat 05-09 make-up (5)"),
    ("zhejiang", "notify", D(2023, 12, 28), 0, D(2024, 1, 5),
     "from Thu 2023-12-28: 12-29 (1), 12-30/12-31 weekend, 2024-01-01 New Year, 01-02 (2), 01-03 (3), "
     "01-04 (4), 01-05 (5)"),
    ("zhejiang", "objection", D(2025, 2, 4), 0, D(2025, 2, 10),
     "from 02-04 (last holiday): 02-05 (1), 02-06 (2), 02-07 (3), Sat 02-08 make-up (4), Sun 02-09 rest, "
     "02-10 (5)"),
    ("zhejiang", "objection", D(2024, 12, 27), 0, D(2025, 1, 6),
     "from Fri 12-27: weekend, 12-30 (1), 12-31 (2), 2025-01-01 New Year, 01-02 (3), 01-03 (4), "
     "weekend, 01-06 (5)"),
    ("zhejiang", "objection", D(2024, 5, 8), 0, D(2024, 5, 14),
     "from Wed 05-08: 05-09 (1), 05-10 (2), Sat 05-11 make-up (3), Sun 05-12 rest, 05-13 (4), 05-14 (5)"),
    ("zhejiang", "conclude", D(2026, 1, 31), 0, D(2026, 3, 2),
     "01-31 + 30d: +28 = 02-28 (2026 not leap), +2 = 03-02 (Mon, working)"),
    ("zhejiang", "conclude", D(2024, 11, 30), 60, D(2025, 2, 28),
     "11-30 + 90d (30+60): +31 = 12-31, +31 = 2025-01-31, +28 = 2025-02-28 (Fri, working)"),
    ("zhejiang", "conclude", D(2026, 1, 5), 10, D(2026, 2, 14),
     "01-05 + 40d (30+10): +26 = 01-31, +14 = 02-14 (Sat, make-up working day before Spring Festival)"),
    ("zhejiang", "review_request", D(2026, 3, 5), 0, D(2026, 4, 7),
     "03-05 + 30d: +26 = 03-31, +4 = 04-04 (Sat, Qingming), 04-05, 04-06 off -> 04-07 (Tue)"),
    ("zhejiang", "review_decide", D(2025, 3, 5), 0, D(2025, 4, 7),
     "03-05 + 30d = 04-04 (Fri, Qingming), 04-05/04-06 weekend -> 04-07 (Mon)"),
    ("zhejiang", "recheck_request", D(2024, 3, 7), 0, D(2024, 4, 7),
     "03-07 + 30d = 04-06 (Sat, Qingming holiday) -> 04-07 (Sun, make-up working day)"),
    ("zhejiang", "recheck_decide", D(2026, 1, 16), 0, D(2026, 2, 24),
     "01-16 + 30d: +15 = 01-31, +15 = 02-15 (Sun, Spring Festival), 02-16..02-23 off -> 02-24 (Tue)"),
    ("zhejiang", "evaluate", D(2026, 4, 5), 0, D(2026, 5, 6),
     "start on Qingming 04-05: + 30d = 05-05 (Tue, Labour Day holiday) -> 05-06 (Wed)"),
]


def _case_id(case) -> str:
    rule_set, rule, start, ext, _expected, _note = case
    return f"{rule_set}-{rule}{f'+{ext}d' if ext else ''}-{start.isoformat()}"


class _Settings:
    """Stands in for SettingsStore: DeadlineService reads only the selected rule set from it."""

    def __init__(self, rule_set: str):
        self.values = {RULE_SET_KEY: rule_set}

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)


@pytest.fixture(scope="module")
def calendar(tmp_path_factory):
    # Built the way the app builds it (DeskServices.deadlines): from a data folder, here one without
    # holidays.json, so only chinese_calendar (then weekends) decide.
    cal = WorkCalendar.from_data_dir(tmp_path_factory.mktemp("data"))
    assert not cal.years and not cal.problem
    return cal


@pytest.mark.parametrize(("rule_set", "rule", "start", "ext", "expected", "note"), CASES, ids=[_case_id(c) for c in CASES])
def test_deadline(rule_set, rule, start, ext, expected, note, calendar):
    rules = RULE_SETS[rule_set]
    base: Period = getattr(rules, rule)
    service = DeadlineService(_Settings(rule_set), calendar)
    assert service.rules() is rules
    if rule == "conclude":
        assert service.conclude_by(start, ext) == expected, note
        assert period_end(start, Period(base.days + ext, base.working_days), calendar) == expected, note
    else:
        assert ext == 0, "extensions apply only to concluding a matter"
        assert period_end(start, base, calendar) == expected, note
        if rule == "notify":
            assert service.notify_by(start) == expected, note


@pytest.mark.parametrize(("rule_set", "rule", "start", "ext", "expected", "note"), CASES, ids=[_case_id(c) for c in CASES])
def test_expected_dates_agree_with_chinese_calendar(rule_set, rule, start, ext, expected, note):
    """Re-check each hand-computed date day by day with the library itself (not with period_end)."""
    period: Period = getattr(RULE_SETS[rule_set], rule)
    days = period.days + ext
    assert chinese_calendar.is_workday(expected), f"{expected} is not a working day: {note}"
    if period.working_days:
        counted = [start + timedelta(n) for n in range(1, (expected - start).days + 1)]
        assert sum(chinese_calendar.is_workday(d) for d in counted) == days, note
    else:
        nominal = start + timedelta(days)
        assert nominal <= expected, note
        skipped = [nominal + timedelta(n) for n in range((expected - nominal).days)]
        assert not any(chinese_calendar.is_workday(d) for d in skipped), note


def test_table_covers_every_rule_of_every_rule_set():
    # Derived from the dataclass, so a rule added later without cases here fails this test.
    period_rules = [f.name for f in dataclasses.fields(RuleSet) if f.type in ("Period", Period)]
    assert {"notify", "objection", "conclude", "review_request", "review_decide", "recheck_request",
            "recheck_decide"} <= set(period_rules)
    covered = {(rule_set, rule) for rule_set, rule, *_ in CASES}
    assert covered == {(key, rule) for key in RULE_SETS for rule in period_rules}
    for key, rules in RULE_SETS.items():
        extensions = [ext for rule_set, rule, _s, ext, _e, _n in CASES if rule_set == key and rule == "conclude"]
        assert 0 in extensions and any(ext > 0 for ext in extensions), key
        assert max(extensions) <= rules.extend_max, key
    assert {start.year for _r, _n, start, *_ in CASES} | {end.year for *_, end, _n in CASES} >= {2024, 2025, 2026}
    assert len(CASES) >= 48
    assert len({_case_id(case) for case in CASES}) == len(CASES)


# ---------------------------------------------------------------- holidays.json for an unknown year
# chinese_calendar 1.11 stops at 2026. 2031 is far beyond it; the arrangement below is MADE UP
# (well-formed, in the format documented in app/services/holidays.py), not the real 2031 one.
#   2031-01-01 Wed. New Year: Wed 01-01..Fri 01-03 off, make-up Sat 01-04.
#   Spring Festival: Wed 01-22..Tue 01-28 off (weekend 01-25/26 inside), make-up Sun 01-19, Sat 02-08.
HOLIDAYS_2031 = {
    "2031": {
        "holidays": ["2031-01-01", "2031-01-02", "2031-01-03",
                     "2031-01-22", "2031-01-23", "2031-01-24", "2031-01-27", "2031-01-28"],
        "workdays": ["2031-01-04", "2031-01-19", "2031-02-08"],
    }
}

# (rule set, rule, start, expected with the file, expected with weekends only, hand computation)
FILE_CASES = [
    ("national", "notify", D(2030, 12, 17), D(2031, 1, 4), D(2031, 1, 1),
     "12-17 + 15d: +14 = 12-31, +1 = 2031-01-01 (Wed, New Year), 01-02, 01-03 off -> Sat 01-04 make-up. "
     "Weekends only: 01-01 is a plain Wednesday"),
    ("henan", "review_request", D(2030, 12, 19), D(2031, 1, 19), D(2031, 1, 20),
     "12-19 + 30d: +12 = 12-31, +18 = 2031-01-18 (Sat) -> Sun 01-19 make-up. Weekends only: Mon 01-20"),
    ("shandong", "objection", D(2031, 1, 16), D(2031, 1, 29), D(2031, 1, 23),
     "from Thu 01-16: 01-17 (1), Sat 01-18 rest, Sun 01-19 make-up (2), 01-20 (3), 01-21 (4), 01-22..01-28 off, "
     "01-29 (5). Weekends only: 01-17, 01-20, 01-21, 01-22, 01-23"),
    ("zhejiang", "notify", D(2031, 2, 3), D(2031, 2, 8), D(2031, 2, 10),
     "from Mon 02-03: 02-04 (1), 02-05 (2), 02-06 (3), 02-07 (4), Sat 02-08 make-up (5). "
     "Weekends only: Mon 02-10"),
]


@pytest.fixture
def calendar_2031(tmp_path):
    (tmp_path / HOLIDAY_FILE).write_text(json.dumps(HOLIDAYS_2031), encoding="utf-8")
    return WorkCalendar.from_data_dir(tmp_path)


def test_the_file_year_is_unknown_to_the_package_and_known_from_the_file(calendar_2031):
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2031, 1, 1))
    assert not WorkCalendar().knows(2031)
    assert calendar_2031.knows(2031) and not calendar_2031.problem
    assert not calendar_2031.is_working_day(D(2031, 1, 22))  # a holiday on a Wednesday
    assert calendar_2031.is_working_day(D(2031, 1, 19))  # a make-up Sunday
    assert calendar_2031.is_working_day(D(2031, 2, 8))  # a make-up Saturday
    assert not calendar_2031.is_working_day(D(2031, 2, 9))  # an ordinary Sunday


@pytest.mark.parametrize(
    ("rule_set", "rule", "start", "expected", "weekends_only", "note"),
    FILE_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2].isoformat()}" for c in FILE_CASES],
)
def test_holiday_file_year(rule_set, rule, start, expected, weekends_only, note, calendar_2031, tmp_path_factory):
    period: Period = getattr(RULE_SETS[rule_set], rule)
    assert period_end(start, period, calendar_2031) == expected, note
    # The same period without the file, to show the file is what moves the date.
    assert period_end(start, period, WorkCalendar.from_data_dir(tmp_path_factory.mktemp("empty"))) == weekends_only
    if rule == "notify":
        assert DeadlineService(_Settings(rule_set), calendar_2031).notify_by(start) == expected, note
