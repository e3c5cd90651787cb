"""Hostile text in every field: each check and the registration service either accept it (and the
matter detail shows exactly the normalised value) or refuse it with Chinese messages bound to
real field keys. Never another exception, never a half-written matter, never a changed old one."""
from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from app.services.dates import parse_date
from app.services.errors import FieldError, ValidationFailed
from app.services.registration import PetitionerInput
from app.services.validation import (
    ID_TYPES,
    check_division_code,
    check_id_number,
    check_name,
    check_phone,
    check_text,
    mask_id_number,
    mask_phone,
    normalize_name,
    phone_digits,
)
from app.services.validation.text import to_halfwidth
from factories import VALID_ID, make_input
from hostile_support import Baseline, check_refusal
from hostile_text import GIANTS, hostile_text, short_hostile_text

CJK = re.compile(r"[\u4e00-\u9fff]")
FIXTURE_OK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _chinese(message) -> None:
    assert isinstance(message, str) and CJK.search(message), message


# --- the pure checks ----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(hostile_text)
def test_name_check(raw):
    result = check_name(raw)
    assert isinstance(result.normalized, str)
    if result.error:
        _chinese(result.error)
    else:
        assert result.normalized and result.normalized == result.normalized.strip()
        assert check_name(result.normalized) == result  # normalising twice changes nothing
    assert normalize_name(normalize_name(raw)) == normalize_name(raw)


@settings(max_examples=150, deadline=None)
@given(hostile_text)
def test_phone_check(raw):
    result = check_phone(raw)
    if result.error:
        _chinese(result.error)
    elif result.normalized:
        assert result.kind in ("mobile", "landline")
        assert check_phone(result.normalized) == result
        assert mask_phone(result.normalized).endswith(result.normalized[-4:])
    digits = phone_digits(raw)
    assert all(ch in "0123456789" for ch in digits)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.sampled_from(ID_TYPES), short_hostile_text), hostile_text)
def test_id_number_check(id_type, raw):
    result = check_id_number(id_type, raw, today=date(2026, 11, 23))
    assert isinstance(result.normalized, str)
    if result.error:
        _chinese(result.error)
    else:
        assert id_type in ID_TYPES
        assert check_id_number(id_type, result.normalized, today=date(2026, 11, 23)).normalized == result.normalized
        masked = mask_id_number(result.normalized)
        assert len(masked) == len(result.normalized)
    if result.warning:
        _chinese(result.warning)


@settings(max_examples=150, deadline=None)
@given(hostile_text, st.booleans(), st.integers(min_value=0, max_value=200))
def test_text_and_division_code_checks(raw, required, max_len):
    text, error = check_text(raw, "标题", required=required, max_len=max_len)
    if error:
        _chinese(error)
    else:
        assert text == raw.strip() and len(text) <= max_len
        assert not any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in text)
        assert text or not required
    code, error = check_division_code(raw)
    if error:
        _chinese(error)
    else:
        assert code == "" or (code.isascii() and code.isdigit() and len(code) in (6, 9, 12))


@settings(max_examples=150, deadline=None)
@given(hostile_text)
def test_date_parsing(raw):
    errors: list[FieldError] = []
    parsed = parse_date(raw, "petition_date", "信访日期", errors)
    if errors:
        assert parsed is None and [e.field for e in errors] == ["petition_date"]
        _chinese(errors[0].message)
    else:
        assert parsed is None or isinstance(parsed, date)


@pytest.mark.parametrize("raw", ["9" * 30, "99999999999999999999-1-1", "2026-99999999999999999999-1", "0-0-0"])
def test_impossible_dates_are_messages(raw):
    errors: list[FieldError] = []
    assert parse_date(raw, "petition_date", "信访日期", errors) is None
    assert [e.field for e in errors] == ["petition_date"]


# --- the registration service --------------------------------------------------------------------


def _person(**changes) -> PetitionerInput:
    values = dict(name="张三", id_type="居民身份证", id_number=VALID_ID, phone="13812345678", address="德安县蒲亭镇")
    values.update(changes)
    return PetitionerInput(**values)


def _text_field(key, detail_attr):
    return key, lambda v: make_input(**{key: v}), lambda d: _attr(d, detail_attr), lambda v: v.strip()


def _attr(detail, path: str):
    for part in path.split("."):
        detail = detail[int(part)] if part.isdigit() else getattr(detail, part)
    return detail


def _name_in(detail):
    return [p.name for p in detail.people]


# (case, input builder, what the detail shows, what it must show when accepted; None: only "no crash")
CASES = [
    ("form", lambda v: make_input(form=v), lambda d: d.row.form, lambda v: v.strip()),
    ("petition_date", lambda v: make_input(petition_date=v), lambda d: d.row.petition_date,
     lambda v: parse_date(v, "", "", []) or date.today()),
    ("headcount", lambda v: make_input(headcount=v), lambda d: d.row.headcount, lambda v: int(v.strip())),
    ("representatives", lambda v: make_input(headcount=6, representatives=[v]), _name_in, None),
    ("matter_class", lambda v: make_input(matter_class=v), lambda d: d.row.matter_class, lambda v: v.strip()),
    ("content_class", lambda v: make_input(content_class=v), lambda d: d.row.content_class, None),
    ("content_class[]", lambda v: make_input(content_class=["劳动和社会保障", v]), lambda d: d.row.content_class, None),
    _text_field("title", "row.title"),
    _text_field("request", "request"),
    _text_field("facts", "facts"),
    _text_field("location", "location"),
    ("location_code", lambda v: make_input(location_code=v), lambda d: d.location_code,
     lambda v: to_halfwidth(v).strip()),
    ("decision", lambda v: make_input(decision=v), lambda d: d.row.decision, lambda v: v.strip()),
    ("decision_unit", lambda v: make_input(decision="转送", decision_unit=v), lambda d: d.decision_unit,
     lambda v: v.strip()),
    ("decision_reason", lambda v: make_input(decision="不再受理", decision_reason=v), lambda d: d.decision_reason,
     lambda v: v.strip()),
    ("decision_channel", lambda v: make_input(decision="导入法定途径", decision_channel=v),
     lambda d: d.decision_channel, lambda v: v.strip()),
    ("decision_note", lambda v: make_input(decision="当场答复", decision_note=v), lambda d: d.decision_note,
     lambda v: v.strip()),
    ("repeat_of", lambda v: make_input(repeat_of=v), lambda d: d.repeat_of, lambda v: v.strip()),
    ("receiver_leader", lambda v: make_input(receiver_leader=v), lambda d: d.receiver_leader, lambda v: v.strip()),
    ("attachments", lambda v: make_input(attachments=[v]), None, None),
    ("name", lambda v: make_input(petitioner=_person(name=v)), lambda d: d.people[0].name,
     lambda v: check_name(v).normalized),
    ("id_type", lambda v: make_input(petitioner=_person(id_type=v)), lambda d: d.people[0].id_type,
     lambda v: v.strip() or "无证件"),
    ("id_number", lambda v: make_input(petitioner=_person(id_number=v)), lambda d: d.people[0].id_number_masked,
     lambda v: mask_id_number(check_id_number("居民身份证", v).normalized)),
    ("id_number(其他证件)", lambda v: make_input(petitioner=_person(id_type="其他证件", id_number=v)),
     lambda d: d.people[0].id_number_masked, lambda v: mask_id_number(check_id_number("其他证件", v).normalized)),
    ("id_number(护照)", lambda v: make_input(petitioner=_person(id_type="护照", id_number=v)),
     lambda d: d.people[0].id_number_masked, lambda v: mask_id_number(check_id_number("护照", v).normalized)),
    ("gender", lambda v: make_input(petitioner=_person(gender=v)), lambda d: d.people[0].gender, lambda v: "男"),
    ("birth_date", lambda v: make_input(petitioner=_person(birth_date=v)), lambda d: d.people[0].birth_date,
     lambda v: date(1991, 1, 1)),
    ("ethnicity", lambda v: make_input(petitioner=_person(ethnicity=v)), lambda d: d.people[0].ethnicity, None),
    ("phone", lambda v: make_input(petitioner=_person(phone=v)), lambda d: d.people[0].phone_masked,
     lambda v: mask_phone(check_phone(v).normalized) if check_phone(v).normalized else None),
    ("address", lambda v: make_input(petitioner=_person(address=v)), lambda d: d.people[0].address,
     lambda v: v.strip() or None),  # empty: the person's earlier address stays
    ("division_code", lambda v: make_input(petitioner=_person(division_code=v)),
     lambda d: d.people[0].division_code, lambda v: to_halfwidth(v).strip() or "360426"),
]


@pytest.fixture
def baseline(services):
    return Baseline(services)


def _event(name: str) -> None:
    if currently_in_test_context():  # also called from plain (parametrized) tests
        event(name)


def _register_and_check(services, baseline, inp, shown=None, expected=None, value=None):
    before = baseline.counts()
    try:
        result = services.registration.register(inp)
    except ValidationFailed as exc:
        check_refusal(exc)
        assert baseline.counts() == before, "a refused registration wrote something"
        _event("refused")
    else:
        _event("accepted")
        after = baseline.counts()
        assert after["matter"] == before["matter"] + 1
        detail = services.matters.detail(result.number)
        assert detail.row.number == result.number
        if shown is not None and expected is not None:
            want = expected(value)
            if want is not None:
                assert shown(detail) == want
        for w in result.warnings:
            _chinese(w.message)
    baseline.verify()


@FIXTURE_OK
@given(case=st.sampled_from(CASES), value=hostile_text)
def test_any_field_is_accepted_exactly_or_refused_with_messages(services, baseline, case, value):
    _, build, shown, expected = case
    _register_and_check(services, baseline, build(value), shown, expected, value)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({name: hostile_text for name in ("title", "request", "facts", "location")}),
       person=st.fixed_dictionaries({k: short_hostile_text for k in ("name", "phone", "address", "ethnicity")}))
def test_many_hostile_fields_at_once(services, baseline, values, person):
    inp = make_input(petitioner=_person(**person), **values)
    _register_and_check(services, baseline, inp)


@pytest.mark.parametrize("giant", range(len(GIANTS)))
def test_giant_values_in_every_text_field_at_once_are_refused_quickly(services, baseline, giant):
    value = GIANTS[giant]
    inp = make_input(
        petitioner=_person(name=value, phone=value, address=value, id_type="其他证件", id_number=value, ethnicity=value,
                           gender=value, birth_date=value, division_code=value),
        form=value, petition_date=value, headcount=value, representatives=[value], matter_class=value,
        content_class=value, title=value, request=value, facts=value, location_code=value, location=value,
        decision=value, repeat_of=value, receiver_leader=value, attachments=[value],
    )
    _register_and_check(services, baseline, inp)


def test_an_accepted_hostile_matter_is_shown_exactly(services, baseline):
    """Emoji, RTL and zero-width marks, astral characters and SQL in the free text are kept as typed."""
    title = "反映\u202e😀𠮷'; DROP TABLE matter;--"
    request = "诉求：100% 完成_\\ \u200b\u200f\ufeff\U0010fffd\n第二行\te\u0301"
    result = services.registration.register(make_input(title=title, request=request, facts=request * 3,
                                                       location="德安县\u202e蒲亭镇"))
    detail = services.matters.detail(result.number)
    assert (detail.row.title, detail.request, detail.facts, detail.location) == (
        title, request, request * 3, "德安县\u202e蒲亭镇")
    baseline.verify()


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b"])
def test_control_characters_in_free_text_are_refused_with_a_message(services, baseline, control):
    before = baseline.counts()
    with pytest.raises(ValidationFailed) as info:
        services.registration.register(make_input(title=f"讨要{control}工资", request=f"请求{control}支付"))
    check_refusal(info.value)
    assert {e.field for e in info.value.errors} == {"title", "request"}
    assert baseline.counts() == before
    baseline.verify()

