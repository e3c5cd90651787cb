"""Receipt and notice content: masked, worded from the templates, dated by the rules."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from app.receipts import content as k
from app.services.errors import ValidationFailed
from app.services.registration import PetitionerInput
from factories import VALID_ID, make_input

MONDAY = datetime(2026, 3, 2, 9, 0)  # 2026-03-02 is a Monday


def register(desk, **overrides):
    return desk.registration.register(make_input(**overrides), actor="李明", now=MONDAY).number


def test_each_decision_gets_its_notice(desk):
    cases = {
        "受理告知": k.KIND_ACCEPT,
        "不予受理": k.KIND_REFUSE,
        "不再受理": k.KIND_NO_LONGER,
        "转送": k.KIND_FORWARD,
        "交办": k.KIND_ASSIGN,
        "导入法定途径": k.KIND_LEGAL,
    }
    details = {"decision_unit": "县人社局", "decision_reason": "已经复核", "decision_channel": "仲裁"}
    for decision, kind in cases.items():
        number = register(desk, decision=decision, **details)
        assert desk.documents.kinds_for(number) == [k.KIND_SLIP, kind]
    assert desk.documents.kinds_for(register(desk, decision="当场答复")) == [k.KIND_SLIP]


def test_content_is_masked_and_complete(desk):
    number = register(desk)
    c = desk.documents.content(number, k.KIND_ACCEPT, today=date(2026, 3, 2))
    assert c.matter_number == number and len(c.query_code) == 8
    assert c.qr_payload == f"XF:{number}:{c.query_code}"
    assert c.people[0].id_masked == "360426********0071"
    assert c.people[0].phone_masked == "138****5678"
    printed = "".join(value for _label, value in c.printed_fields())
    assert VALID_ID not in printed and "13812345678" not in printed
    assert c.legal_basis.startswith("《信访工作条例》")
    assert "讨要拖欠工资" in c.body[0] and "2026年3月2日" in c.body[0]
    assert c.handler == "李明"
    assert c.seal_text == "德安县信访局（印章）"


def test_accepted_matter_is_due_60_days_later_moved_off_rest_days(desk):
    c = desk.documents.content(register(desk), k.KIND_ACCEPT)
    assert c.deadline == date(2026, 5, 6)  # 3-2 + 60 = 5-1, Labour Day holiday to 5-5 -> 5-6
    assert "2026年5月6日" in c.deadline_text


def test_forwarded_and_pending_matters_are_due_15_days_later(desk):
    forwarded = desk.documents.content(register(desk, decision="转送", decision_unit="县人社局"), k.KIND_SLIP)
    pending = desk.documents.content(register(desk, decision=""), k.KIND_SLIP)
    assert forwarded.deadline == pending.deadline == date(2026, 3, 17)
    assert forwarded.deadline_text.startswith("县人社局应于2026年3月17日前")


def test_refusal_has_no_deadline_but_its_reason_and_channel(desk):
    number = register(desk, decision="不予受理", decision_reason="该事项已进入诉讼程序", decision_channel="诉讼")
    c = desk.documents.content(number, k.KIND_REFUSE)
    assert c.deadline is None and c.deadline_text == ""
    assert ("法定途径", "诉讼") in c.details
    assert "该事项已进入诉讼程序" in c.body[0] and "通过诉讼途径解决" in c.body[0]


def test_collective_visit_prints_its_representatives(desk):
    number = register(
        desk,
        petitioner=PetitionerInput(name="𠮷收", id_number=VALID_ID),
        headcount=8,
        representatives=["䶮", "王五"],
    )
    c = desk.documents.content(number, k.KIND_SLIP)
    assert [(p.name, p.role) for p in c.people] == [("䶮", "代表"), ("王五", "代表")]
    assert c.addressee == "䶮、王五等8人"


def test_extension_is_recorded_and_worded(desk):
    number = register(desk)
    with pytest.raises(ValidationFailed) as info:
        desk.extensions.extend(number, 31, "", actor="李明")
    assert set(info.value.by_field()) == {"extension.days", "extension.reason"}
    with pytest.raises(ValidationFailed):
        desk.documents.content(number, k.KIND_EXTEND)  # nothing recorded yet
    desk.extensions.extend(number, 20, "需要现场勘验", actor="李明")
    assert desk.documents.kinds_for(number) == [k.KIND_SLIP, k.KIND_ACCEPT, k.KIND_EXTEND]
    c = desk.documents.content(number, k.KIND_EXTEND)
    assert c.deadline == date(2026, 5, 21)  # 3-2 + 80 days
    assert "需要现场勘验" in c.body[0] and ("延期天数", "20日") in c.details
    assert c.legal_basis == "《信访工作条例》第三十四条"
    slip = desk.documents.content(number, k.KIND_SLIP)
    assert slip.deadline == c.deadline and ("延期天数", "20日") not in slip.details
    with pytest.raises(ValidationFailed) as info:
        desk.extensions.extend(number, 11, "还要再等", actor="李明")  # 20 + 11 > 30
    assert "1至10日" in info.value.by_field()["extension.days"]
    desk.extensions.extend(number, 10, "等待鉴定结论", actor="李明")
    assert desk.documents.content(number, k.KIND_EXTEND).deadline == date(2026, 6, 1)  # 3-2 + 90 = 5-31 (Sun)


def test_only_accepted_matters_can_be_extended(desk):
    number = register(desk, decision="转送", decision_unit="县人社局")
    with pytest.raises(ValidationFailed) as info:
        desk.extensions.extend(number, 10, "需要调查", actor="李明")
    assert "只有已受理" in info.value.by_field()["extension"]
    assert desk.extensions.current(number) is None


def test_printing_is_recorded_and_the_second_print_is_a_reprint(desk):
    number = register(desk)
    assert desk.documents.content(number, k.KIND_SLIP).reprint is False
    desk.documents.record_printed(number, k.KIND_SLIP, actor="李明")
    assert desk.documents.content(number, k.KIND_SLIP).reprint is True
    assert desk.documents.content(number, k.KIND_ACCEPT).reprint is False
    desk.documents.record_printed(number, k.KIND_SLIP)
    printed = [e.payload for e in desk.matters.detail(number).events if e.kind == "document_printed"]
    assert [p["reprint"] for p in printed] == [False, True]


def test_templates_are_editable_without_code(desk):
    number = register(desk)
    desk.documents.save_templates({"unit.name": "德安县人民来访接待中心", "unit.phone": "0792-4321234",
                                   f"body.{k.KIND_ACCEPT}": "{标题}已受理。"})
    c = desk.documents.content(number, k.KIND_ACCEPT)
    assert c.issuing_unit == "德安县人民来访接待中心"
    assert c.handler_phone == "0792-4321234"
    assert c.body == ["讨要拖欠工资已受理。"]
    with pytest.raises(ValidationFailed):
        desk.documents.save_templates({"unit.nmae": "x"})


def test_a_stray_brace_in_a_template_is_printed_not_raised(desk):
    desk.documents.save_templates({f"body.{k.KIND_ACCEPT}": "已受理{"})
    assert desk.documents.content(register(desk), k.KIND_ACCEPT).body == ["已受理{"]
