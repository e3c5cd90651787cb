"""Deadline rules as a table, counted with the holiday calendar (and a file for unknown years)."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from app.receipts import content as k
from app.services.deadline_rules import RULE_SETS, Period
from app.services.deadlines import DeadlineService, period_end
from app.services.errors import ValidationFailed
from app.services.holidays import HOLIDAY_FILE, WorkCalendar
from factories import make_input

CAL = WorkCalendar()  # chinese_calendar, weekends beyond it

# The 2027 arrangement is not in the installed package: a made-up but well-formed file.
HOLIDAYS_2027 = {
    "2027": {
        "holidays": ["2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"],
        "workdays": ["2027-02-20"],
    }
}


def test_calendar_days_do_not_count_the_start_day_and_end_on_a_working_day():
    assert period_end(date(2026, 3, 2), Period(15), CAL) == date(2026, 3, 17)
    # 2026-09-20 + 15 = 10-05, inside the National Day holiday (10-01..10-07): ends 10-08
    assert period_end(date(2026, 9, 20), Period(15), CAL) == date(2026, 10, 8)


def test_working_days_skip_holidays_and_count_make_up_days():
    # From Monday 2026-09-28: 9-29, 9-30, then the holiday 10-01..10-07, 10-08, 10-09, and the
    # make-up working day Saturday 10-10 is the 5th.
    assert period_end(date(2026, 9, 28), Period(5, True), CAL) == date(2026, 10, 10)
    # Mid-Autumn (Friday 9-25) and the weekend are skipped too.
    assert period_end(date(2026, 9, 24), Period(1, True), CAL) == date(2026, 9, 28)


def test_a_holiday_file_teaches_years_the_package_does_not_know(tmp_path):
    assert WorkCalendar().knows(2027) is False
    (tmp_path / HOLIDAY_FILE).write_text(json.dumps(HOLIDAYS_2027), encoding="utf-8")
    calendar = WorkCalendar.from_data_dir(tmp_path)
    assert calendar.knows(2027)
    assert not calendar.is_working_day(date(2027, 2, 10))  # a holiday on a Wednesday
    assert calendar.is_working_day(date(2027, 2, 20))  # a make-up Saturday
    # 2027-01-24 + 15 = 02-08 (holiday) -> the first working day after the holiday week: 02-15
    assert period_end(date(2027, 1, 24), Period(15), calendar) == date(2027, 2, 15)
    assert period_end(date(2027, 1, 24), Period(15), WorkCalendar()) == date(2027, 2, 8)


def test_a_broken_holiday_file_is_ignored_with_a_reason(tmp_path):
    (tmp_path / HOLIDAY_FILE).write_text("{not json", encoding="utf-8")
    calendar = WorkCalendar.from_data_dir(tmp_path)
    assert "格式不正确" in calendar.problem and not calendar.years


def test_rule_sets_are_selectable_and_change_the_printed_deadline(desk):
    number = desk.registration.register(make_input(decision=""), now=datetime(2026, 3, 2, 9, 0)).number
    assert desk.documents.content(number, k.KIND_SLIP).deadline == date(2026, 3, 17)  # national: 15 days
    desk.deadlines.select("zhejiang")
    assert desk.deadlines.rules() is RULE_SETS["zhejiang"]
    assert desk.documents.content(number, k.KIND_SLIP).deadline == date(2026, 3, 9)  # 5 working days
    with pytest.raises(ValidationFailed) as info:
        desk.deadlines.select("mars")
    assert "期限规则" in info.value.by_field()["deadline_rules"]


def test_the_extension_limit_follows_the_rule_set(desk):
    number = desk.registration.register(make_input()).number
    desk.deadlines.select("zhejiang")  # up to 60 days
    desk.extensions.extend(number, 45, "需要鉴定", actor="李明")
    with pytest.raises(ValidationFailed) as info:
        desk.extensions.extend(number, 16, "还要再等", actor="李明")
    assert "1至15日" in info.value.by_field()["extension.days"]


def test_deadline_service_reads_the_data_folder(tmp_path):
    from app.services.context import DeskServices
    from desk_login import ready

    (tmp_path / HOLIDAY_FILE).write_text(json.dumps(HOLIDAYS_2027), encoding="utf-8")
    services = ready(DeskServices.open(tmp_path))
    assert isinstance(services.deadlines, DeadlineService)
    assert services.deadlines.notify_by(date(2027, 1, 24)) == date(2027, 2, 15)
    services.close()
