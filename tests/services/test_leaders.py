"""领导接访: the schedule against the real work calendar, the receiver at registration, each leader's matters."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime

import chinese_calendar
import pytest
from factories import make_input
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Matter
from app.services.errors import NotFound, ValidationFailed
from app.services.leaders import parse_weekdays, weekdays_text
from app.services.registration_json import parse_registration

MONDAY = date(2025, 9, 29)
SATURDAY = date(2025, 9, 27)  # an ordinary weekend day
NATIONAL_DAY = date(2025, 10, 1)  # a Wednesday, statutory holiday
MAKE_UP_SUNDAY = date(2025, 9, 28)  # 调休: a Sunday worked instead of a National Day holiday


def table_counts(services) -> dict[str, int]:
    with sqlite3.connect(services.data_dir / "xfdesk.sqlite3") as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name != 'audit_entry'")]  # logins are audited
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


@pytest.fixture
def county(services):
    """The seed county: two county leaders every working day (Monday to Friday)."""
    assert services.leaders.seed_county_leaders() == 2
    return services.leaders


def test_calendar_facts_the_tests_rely_on():
    assert MONDAY.weekday() == 0 and SATURDAY.weekday() == 5 and MAKE_UP_SUNDAY.weekday() == 6
    assert chinese_calendar.is_workday(MONDAY)
    assert not chinese_calendar.is_workday(SATURDAY)
    assert not chinese_calendar.is_workday(NATIONAL_DAY) and NATIONAL_DAY.weekday() == 2
    assert chinese_calendar.is_workday(MAKE_UP_SUNDAY)


def test_seed_adds_two_weekday_leaders_once(county):
    leaders = county.list()
    assert [(v.name, v.title, v.weekdays) for v in leaders] == [
        ("张县长", "常务副县长", (0, 1, 2, 3, 4)),
        ("李副县长", "副县长", (0, 1, 2, 3, 4)),
    ]
    assert county.seed_county_leaders() == 0
    assert len(county.list()) == 2


def test_on_duty_weekday_weekend_holiday_and_make_up_day(county):
    wang = county.add("王书记", "县委副书记", [2])  # Wednesdays only
    names = lambda day: [v.name for v in county.on_duty(day)]  # noqa: E731
    assert names(MONDAY) == ["张县长", "李副县长"]
    assert names(date(2025, 10, 15)) == ["张县长", "李副县长", "王书记"]  # an ordinary Wednesday
    assert names(SATURDAY) == []
    assert names(NATIONAL_DAY) == []  # a Wednesday, but a holiday: 王书记 does not come either
    # A make-up Sunday: nobody is scheduled for Sundays, so Monday's leaders receive visitors.
    assert names(MAKE_UP_SUNDAY) == ["张县长", "李副县长"]
    # Someone scheduled for Sunday itself takes the make-up day instead.
    county.update(wang.id, "王书记", "县委副书记", [2, 6], True)
    assert names(MAKE_UP_SUNDAY) == ["王书记"]
    assert names(date(2025, 10, 5)) == []  # a Sunday inside the holiday


def test_inactive_leaders_are_not_on_duty_nor_offered(county):
    zhang = county.find("张县长")
    county.set_active(zhang.id, False)
    assert [v.name for v in county.on_duty(MONDAY)] == ["李副县长"]
    assert [v.name for v in county.list()] == ["李副县长"]
    assert [(v.name, v.active) for v in county.list(active_only=False)] == [("张县长", False), ("李副县长", True)]
    assert county.find("张县长").active is False


def test_receiver_choices_put_today_s_leaders_first(county):
    county.add("王书记", "县委副书记", [5])  # Saturdays
    choices = county.receiver_choices(MONDAY)
    assert [(c.label, c.on_duty) for c in choices] == [
        ("张县长（今日接访）", True), ("李副县长（今日接访）", True), ("王书记", False),
    ]
    assert [c.on_duty for c in county.receiver_choices(NATIONAL_DAY)] == [False, False, False]


def test_add_validates_name_title_and_uniqueness(services):
    leaders = services.leaders
    with pytest.raises(ValidationFailed) as refused:
        leaders.add("  ", "副县长", [0])
    assert refused.value.by_field() == {"name": "请填写领导姓名"}
    with pytest.raises(ValidationFailed) as refused:
        leaders.add("张" * 21, "职" * 31, [7])
    assert refused.value.by_field() == {
        "name": "领导姓名不能超过20个字（现在是21个字）",
        "title": "职务不能超过30个字（现在是31个字）",
        "weekdays": "接访日应为星期一至星期日",
    }
    added = leaders.add(" 张县长 ", " 副县长 ", [4, 0, 0])
    assert (added.name, added.title, added.weekdays, added.active) == ("张县长", "副县长", (0, 4), True)
    with pytest.raises(ValidationFailed) as refused:
        leaders.add("张县长")
    assert refused.value.by_field() == {"name": "已有同名领导"}
    other = leaders.add("李副县长")
    with pytest.raises(ValidationFailed) as refused:
        leaders.update(other.id, "张县长", "", [], True)
    assert refused.value.by_field() == {"name": "已有同名领导"}
    # Renaming oneself to the same name is not a clash.
    assert leaders.update(added.id, "张县长", "常务副县长", [0, 1], True).title == "常务副县长"
    assert leaders.get(added.id).weekdays == (0, 1)
    with pytest.raises(NotFound):
        leaders.update(999, "某某", "", [], True)


def test_weekday_parsing_and_text():
    assert parse_weekdays("1-5") == (0, 1, 2, 3, 4)
    assert parse_weekdays("1,3，5") == (0, 2, 4)
    assert parse_weekdays("6-7,1") == (0, 5, 6)
    assert parse_weekdays("") == ()
    for bad in ("0", "8", "1-", "5-1", "一至五"):
        with pytest.raises(ValidationFailed):
            parse_weekdays(bad)
    assert weekdays_text((0, 1, 2, 3, 4)) == "一至五"
    assert weekdays_text((0, 2, 4)) == "一、三、五"
    assert weekdays_text((5, 6)) == "六、日"


def test_receiver_is_stored_at_registration_and_in_the_event(services, county):
    result = services.registration.register(make_input(receiver_leader=" 张县长 "), actor="刘芳")
    zhang = county.find("张县长")
    with Session(services.engine) as s:
        matter = s.scalar(select(Matter).where(Matter.number == result.number))
        assert (matter.receiver_leader_id, matter.receiver_leader_name) == (zhang.id, "张县长")
    detail = services.matters.detail(result.number)
    assert detail.receiver_leader == "张县长"
    assert (detail.owner_leader, detail.owner_since) == ("", None)
    registered = next(e for e in detail.events if e.kind == "registered")
    assert registered.payload["receiver_leader"] == "张县长"
    # No receiver: allowed, stored empty.
    plain = services.registration.register(make_input())
    assert services.matters.detail(plain.number).receiver_leader == ""
    payload = next(e for e in services.matters.detail(plain.number).events if e.kind == "registered").payload
    assert payload["receiver_leader"] == ""


@pytest.mark.parametrize("name", ["赵某某", "李副县长"])
def test_unknown_or_inactive_receiver_is_refused_with_nothing_written(services, county, name):
    county.set_active(county.find("李副县长").id, False)
    before = table_counts(services)
    with pytest.raises(ValidationFailed) as refused:
        services.registration.register(make_input(receiver_leader=name))
    assert refused.value.by_field() == {"receiver_leader": f"未找到接访领导“{name}”，请先在领导接访安排中添加"}
    assert table_counts(services) == before


def test_json_document_takes_receiver_leader(services, county):
    data = {
        "form": "走访",
        "petitioners": [{"name": "周敏"}],
        "matter_class": "建议意见",
        "content_class": "物业服务",
        "title": "建议规范小区物业收费",
        "request": "建议规范物业收费。",
        "receiver_leader": "李副县长",
    }
    number = services.registration.register(parse_registration(data)).number
    assert services.matters.detail(number).receiver_leader == "李副县长"
    with pytest.raises(ValidationFailed) as refused:
        parse_registration({**data, "receiver_leader": ["李副县长"]})
    assert refused.value.by_field() == {"receiver_leader": "应为文本"}


def test_matters_lists_received_ones_newest_first(services, county):
    zhang, li = county.find("张县长"), county.find("李副县长")
    first = services.registration.register(
        make_input(receiver_leader="张县长"), now=datetime(2025, 9, 29, 9, 0)
    ).number
    services.registration.register(make_input(receiver_leader="李副县长"), now=datetime(2025, 9, 29, 9, 30))
    services.registration.register(make_input(), now=datetime(2025, 9, 29, 9, 45))
    second = services.registration.register(
        make_input(receiver_leader="张县长", decision=""), now=datetime(2025, 9, 29, 10, 0)
    ).number
    rows = county.matters(zhang.id)
    assert [r.number for r in rows] == [second, first]
    assert [r.role for r in rows] == ["接访", "接访"]
    assert [r.status for r in rows] == ["已登记", "已受理"]
    assert rows[1].petitioner_names == "张三" and rows[1].title == "讨要拖欠工资"
    assert rows[1].owner_since is None
    assert rows[1].registered_at == datetime(2025, 9, 29, 9, 0)
    assert len(county.matters(li.id)) == 1
    assert county.matters(county.add("王书记").id) == []
    with pytest.raises(NotFound):
        county.matters(999)


def test_matters_include_owned_ones_with_their_since_date(services, county):
    """包案 is recorded by the lifecycle service's "own" action; the leader's list shows it."""
    received = services.registration.register(make_input(receiver_leader="张县长")).number
    owned = services.registration.register(make_input()).number
    services.lifecycle.perform(received, "own", {"leader": "张县长", "since": "2025-10-09"}, actor="刘芳")
    services.lifecycle.perform(owned, "own", {"leader": "张县长", "since": "2025-10-10"}, actor="刘芳")
    rows = {r.number: r for r in county.matters(county.find("张县长").id)}
    assert rows[received].role == "接访、包案"
    assert rows[owned].role == "包案"
    assert rows[owned].owner_since == date(2025, 10, 10)
    detail = services.matters.detail(owned)
    assert (detail.owner_leader, detail.owner_since) == ("张县长", date(2025, 10, 10))
    assert county.matters(county.find("李副县长").id) == []
