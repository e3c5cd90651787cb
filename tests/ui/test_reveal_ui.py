"""显示完整号码… in the matter detail: a stated reason, the full number shown in the dialog only and
audited; refusals at the field with no audit entry; no button for those who may not reveal, nor for
the hidden reporters of 检举控告 matters."""
from __future__ import annotations

import json

from factories import VALID_ID, make_input
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from ui_support import type_text

from app.services.dto import PersonView
from app.services.matter_sql import REPORTER_HIDDEN
from app.services.security import audit
from app.ui.matter_detail import MatterDetailDialog
from app.ui.reveal_dialog import RevealDialog

LEFT = Qt.MouseButton.LeftButton
PHONE = "13812345678"
PASSWORD = "abc12345x"


def open_detail(qtbot, services, number: str) -> MatterDetailDialog:
    detail = MatterDetailDialog(services.matters, number, services=services)
    qtbot.addWidget(detail)
    detail.show()
    qtbot.waitExposed(detail)
    return detail


def open_reveal(qtbot, detail: MatterDetailDialog, position: int = 0) -> RevealDialog:
    button = detail.reveal_buttons[position]
    assert button.isVisible() and button.text() == "显示完整号码…"
    qtbot.mouseClick(button, LEFT)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in detail.findChildren(RevealDialog)))
    return next(d for d in detail.findChildren(RevealDialog) if d.isVisible())


def reveals(services) -> list[dict]:
    return [json.loads(r.detail) for r in services.audit.entries(action=audit.REVEAL)]


def act_as(services, name: str, role: str) -> None:
    services.operators.create_operator(name, frozenset({role}), PASSWORD)
    services.login(name, PASSWORD)


def test_a_reason_reveals_the_full_id_which_is_audited_and_hidden_on_close(qtbot, services):
    number = services.registration.register(make_input()).number
    detail = open_detail(qtbot, services, number)
    assert detail.view.people.topLevelItem(0).text(3) == "360426********0071"
    dialog = open_reveal(qtbot, detail)
    assert dialog.field_buttons["id"].isChecked()  # the first field that has a number
    assert dialog.focusWidget() is dialog.reason_edit
    assert not dialog.value_edit.isVisible()

    type_text(dialog.reason_edit, "电话联系告知办理结果\n")  # Enter shows it
    assert dialog.value_edit.isVisible() and dialog.value_edit.text() == VALID_ID
    assert dialog.value_edit.isReadOnly()
    assert reveals(services) == [{"field": "证件号码", "person": 1, "reason": "电话联系告知办理结果"}]

    qtbot.mouseClick(dialog.field_buttons["phone"], LEFT)  # another field: the shown number goes
    assert not dialog.value_edit.isVisible() and dialog.value_edit.text() == ""
    qtbot.mouseClick(dialog.show_button, LEFT)
    assert dialog.value_edit.text() == PHONE
    assert len(reveals(services)) == 2 and reveals(services)[0]["field"] == "联系电话"

    left_on_close = []
    dialog.finished.connect(lambda _r: left_on_close.append(dialog.value_edit.text()))
    type_text(dialog.focusWidget(), "\n")  # Enter now closes, rather than viewing (and auditing) again
    assert left_on_close == [""] and not dialog.isVisible()
    assert len(reveals(services)) == 2
    full_text = "".join(detail.view.people.topLevelItem(0).text(c) for c in range(11))
    assert VALID_ID not in full_text and PHONE not in full_text


def test_an_empty_or_too_short_reason_is_refused_at_the_field_and_not_audited(qtbot, services):
    number = services.registration.register(make_input()).number
    dialog = open_reveal(qtbot, open_detail(qtbot, services, number))
    qtbot.mouseClick(dialog.show_button, LEFT)
    assert dialog.errors["reason"].isVisible() and "事由" in dialog.errors["reason"].message
    assert not dialog.value_edit.isVisible()
    type_text(dialog.reason_edit, "查")
    qtbot.mouseClick(dialog.show_button, LEFT)
    assert dialog.errors["reason"].isVisible() and dialog.reason_edit.text() == "查"
    assert dialog.focusWidget() is dialog.reason_edit
    assert reveals(services) == []
    type_text(dialog.reason_edit, "核实身份")
    qtbot.mouseClick(dialog.show_button, LEFT)
    assert not dialog.errors["reason"].isVisible() and dialog.value_edit.text() == VALID_ID
    assert reveals(services)[0]["reason"] == "查核实身份"


def test_an_operator_who_may_not_reveal_sees_no_button_and_is_refused_in_chinese(qtbot, services):
    number = services.registration.register(make_input()).number
    act_as(services, "王统计", "statistician")
    detail = open_detail(qtbot, services, number)
    assert detail.view.people.topLevelItem(0).text(0) == "张三"
    assert detail.reveal_buttons == {}
    assert detail.findChild(QPushButton, "reveal_person_0") is None
    assert detail.view.people.columnCount() == 10

    person = services.matters.detail(number).people[0]  # (reached some other way: the service refuses)
    dialog = RevealDialog(services, number, 0, person)
    qtbot.addWidget(dialog)
    type_text(dialog.reason_edit, "核实身份")
    qtbot.mouseClick(dialog.show_button, LEFT)
    assert "无权查看完整证件号码和电话" in dialog.errors["general"].message
    assert dialog.value_edit.text() == ""
    services.login("测试员", "ceshi-2026")
    assert reveals(services) == []


def test_a_receptionist_sees_the_hidden_reporter_of_a_report_matter_and_no_reveal(qtbot, services):
    reporter = services.registration.register(make_input(matter_class="检举控告")).number
    ordinary = services.registration.register(make_input()).number
    act_as(services, "李接待", "receptionist")
    detail = open_detail(qtbot, services, reporter)
    assert detail.view.people.topLevelItem(0).text(0) == REPORTER_HIDDEN
    assert detail.reveal_buttons == {}
    assert open_detail(qtbot, services, ordinary).reveal_buttons.keys() == {0}  # the role may reveal elsewhere

    hidden = PersonView(REPORTER_HIDDEN, "", "", "", None, "", "", "", "", False, False)
    dialog = RevealDialog(services, reporter, 0, hidden)  # even if asked directly, the service refuses
    qtbot.addWidget(dialog)
    type_text(dialog.reason_edit, "核实身份")
    qtbot.mouseClick(dialog.show_button, LEFT)
    assert "检举控告件的信访人信息保密" in dialog.errors["general"].message
    assert dialog.value_edit.text() == ""
