"""Registering matters through the service on a real SQLite file."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text

from app.services.dto import MatterQuery
from app.services.errors import ValidationFailed
from app.services.registration import PetitionerInput

from factories import VALID_ID, make_input


def count(desk) -> int:
    return desk.matters.count(MatterQuery())


def test_register_assigns_station_dated_sequence_numbers(desk):
    at = datetime(2026, 11, 20, 9, 30)
    first = desk.registration.register(make_input(), now=at)
    second = desk.registration.register(make_input(), now=at)
    next_day = desk.registration.register(make_input(), now=datetime(2026, 11, 21, 8, 0))
    assert first.number == "360426-20261120-0001"
    assert second.number == "360426-20261120-0002"
    assert next_day.number == "360426-20261121-0001"


def test_registered_matter_keeps_every_field(desk):
    result = desk.registration.register(
        make_input(facts="2025年在某工地务工", location="德安县蒲亭镇", location_code="360426100",
                   skip_level=True, litigation_related=False, major_urgent=True),
        actor="接待员甲",
    )
    d = desk.matters.detail(result.number)
    assert d.row.title == "讨要拖欠工资"
    assert d.row.content_class == "劳动和社会保障 / 劳动关系 / 拖欠农民工工资"
    assert d.row.status == "已受理"
    assert d.flags == ["越级", "重大紧急"]
    assert d.location_code == "360426100"
    person = d.people[0]
    assert (person.gender, person.birth_date, person.division_code) == ("男", date(1991, 1, 1), "360426")
    assert person.id_number_masked == "360426********0071"
    assert person.phone_masked == "138****5678"
    assert [e.kind for e in d.events] == ["registered", "decided"]
    assert d.events[0].actor == "接待员甲"


def test_collective_visit_with_rare_character_representatives(desk):
    inp = make_input(
        petitioner=PetitionerInput(name="𠮷收", id_type="居民身份证", id_number=VALID_ID),
        headcount=8,
        representatives=["𠮷收", "䶮", "阿依古丽・买买提"],
    )
    d = desk.matters.detail(desk.registration.register(inp).number)
    assert d.row.is_collective is True
    assert [p.name for p in d.people] == ["𠮷收", "䶮", "阿依古丽·买买提"]
    assert all(p.is_representative for p in d.people)


def test_collective_threshold_is_configurable(desk):
    with desk.engine.begin() as conn:
        conn.execute(text("UPDATE station SET collective_threshold = 10"))
    d = desk.matters.detail(desk.registration.register(make_input(headcount=8)).number)
    assert d.row.is_collective is False


def test_more_than_five_representatives_is_refused(desk):
    with pytest.raises(ValidationFailed) as info:
        desk.registration.register(make_input(headcount=20, representatives=list("甲乙丙丁戊己")))
    assert "不能超过5人" in info.value.by_field()["representatives"]
    assert count(desk) == 0


def test_every_bad_field_is_reported_and_nothing_written(desk):
    bad = make_input(
        form="上门",
        petition_date="2099-01-01",
        petitioner=PetitionerInput(name="张3", id_type="居民身份证", id_number="110105194912310021", phone="12345"),
        headcount=0,
        matter_class="",
        content_class=["不存在的分类"],
        title="",
        request="",
        decision="转送",
    )
    with pytest.raises(ValidationFailed) as info:
        desk.registration.register(bad)
    fields = info.value.by_field()
    for key in ("form", "petition_date", "petitioners[0].name", "petitioners[0].id_number", "petitioners[0].phone",
                "headcount", "matter_class", "content_class", "title", "request", "decision_detail.unit"):
        assert key in fields, key
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in msg) for msg in fields.values())
    assert count(desk) == 0


@pytest.mark.parametrize(
    ("decision", "detail", "field"),
    [
        ("转送", {}, "decision_detail.unit"),
        ("交办", {}, "decision_detail.unit"),
        ("不予受理", {"decision_channel": "诉讼"}, "decision_detail.reason"),
        ("不予受理", {"decision_reason": "已进入诉讼程序"}, "decision_detail.channel"),
        ("不再受理", {}, "decision_detail.reason"),
        ("导入法定途径", {}, "decision_detail.channel"),
        ("导入法定途径", {"decision_channel": "上访"}, "decision_detail.channel"),
        ("随便", {}, "decision"),
    ],
)
def test_decision_details_are_required_per_decision(desk, decision, detail, field):
    with pytest.raises(ValidationFailed) as info:
        desk.registration.register(make_input(decision=decision, **detail))
    assert field in info.value.by_field()
    assert count(desk) == 0


@pytest.mark.parametrize(
    ("decision", "detail", "status"),
    [
        ("当场答复", {"decision_note": "已当场解释政策"}, "已当场答复"),
        ("转送", {"decision_unit": "县人社局"}, "已转送"),
        ("交办", {"decision_unit": "蒲亭镇人民政府"}, "已交办"),
        ("不予受理", {"decision_reason": "已进入诉讼程序", "decision_channel": "诉讼"}, "不予受理"),
        ("不再受理", {"decision_reason": "复核意见已作出，以同一事实和理由再次提出"}, "不再受理"),
        ("导入法定途径", {"decision_channel": "劳动人事争议调解仲裁"}, "已导入法定途径"),
        ("", {}, "已登记"),
    ],
)
def test_each_decision_sets_its_status(desk, decision, detail, status):
    number = desk.registration.register(make_input(decision=decision, **detail)).number
    assert desk.matters.detail(number).row.status == status


def test_forwarding_to_a_new_unit_adds_it_to_the_unit_list(desk):
    desk.registration.register(make_input(decision="转送", decision_unit="县人社局"))
    assert "县人社局" in desk.stations.units()


def test_no_id_visitor_can_be_registered(desk):
    inp = make_input(petitioner=PetitionerInput(name="李四", id_type="无证件"))
    d = desk.matters.detail(desk.registration.register(inp).number)
    assert d.people[0].id_type == "无证件"
    assert d.people[0].id_number_masked == ""


def test_same_id_number_reuses_the_person_and_refreshes_contact(desk):
    desk.registration.register(make_input())
    newer = make_input(petitioner=PetitionerInput(name="张三", id_number=VALID_ID, phone="13900001111"))
    desk.registration.register(newer)
    cipher = desk.guard.cipher
    with desk.engine.connect() as conn:
        rows = conn.execute(text("SELECT phone_sealed FROM petitioner WHERE id_lookup = :k"),
                            {"k": cipher.lookup(VALID_ID, "id")}).all()
    assert [cipher.open(r[0], "phone") for r in rows] == ["13900001111"]


def test_gender_contradicting_the_id_number_is_refused(desk):
    inp = make_input(petitioner=PetitionerInput(name="张三", id_number=VALID_ID, gender="女"))
    with pytest.raises(ValidationFailed) as info:
        desk.registration.register(inp)
    assert "性别与证件号码不符" in info.value.by_field()["petitioners[0].gender"]


def test_headcount_cannot_be_less_than_people_listed(desk):
    with pytest.raises(ValidationFailed) as info:
        desk.registration.register(make_input(headcount=1, representatives=["李四", "王五"]))
    assert "不能少于" in info.value.by_field()["headcount"]


def test_repeat_visit_links_both_matters(desk):
    first = desk.registration.register(make_input()).number
    second = desk.registration.register(make_input(repeat_of=first)).number
    assert desk.matters.detail(second).repeat_of == first
    assert desk.matters.detail(second).row.is_repeat is True
    original = desk.matters.detail(first)
    assert original.repeats == [second]
    assert "repeat_visit_recorded" in [e.kind for e in original.events]


def test_repeat_of_unknown_number_is_refused(desk):
    with pytest.raises(ValidationFailed) as info:
        desk.registration.register(make_input(repeat_of="360426-20200101-9999"))
    assert "未找到" in info.value.by_field()["repeat_of"]


def test_unknown_id_address_code_only_warns(desk):
    from app.services.demo import id_check_char

    first17 = "99999919800101001"
    inp = make_input(petitioner=PetitionerInput(name="王五", id_number=first17 + id_check_char(first17)))
    result = desk.registration.register(inp)
    assert result.number
    assert any(w.field == "petitioners[0].id_number" for w in result.warnings)


def test_future_petition_date_is_refused(desk):
    with pytest.raises(ValidationFailed) as info:
        desk.registration.register(make_input(petition_date="2999-01-01"))
    assert "不能晚于今天" in info.value.by_field()["petition_date"]


def test_content_class_accepts_a_path_string_and_a_unique_leaf(desk):
    a = desk.registration.register(make_input(content_class="劳动和社会保障 / 劳动关系 / 拖欠农民工工资")).number
    b = desk.registration.register(make_input(content_class=["拖欠农民工工资"])).number
    assert desk.matters.detail(a).row.content_class == desk.matters.detail(b).row.content_class


def test_a_later_spelling_does_not_rewrite_earlier_matters(desk):
    first = desk.registration.register(make_input()).number
    desk.registration.register(make_input(petitioner=PetitionerInput(name="张叁", id_number=VALID_ID)))
    assert desk.matters.detail(first).people[0].name == "张三"
