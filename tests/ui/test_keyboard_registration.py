"""A whole collective visit registered with the keyboard alone, then found in the list and the database."""
from __future__ import annotations

import pytest
from ui_support import press_key, type_here
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services.dto import MatterQuery
from app.ui.app import create_main_window

ENTER = Qt.Key.Key_Return
CTRL = Qt.KeyboardModifier.ControlModifier
NAME = "𠮷大明"
ID_NUMBER = "360426199101010071"


@pytest.fixture
def window(qtbot, services):
    w = create_main_window(services)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert w.tabs.currentWidget() is w.today_page  # the home page; Alt+1 goes to 来访登记
    press_key(Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    return w


def focus_is(widget) -> bool:
    focus = QApplication.focusWidget()
    return focus is widget or (focus is not None and widget.isAncestorOf(focus)) or focus is widget.focusProxy()


def enter(times: int = 1) -> None:
    for _ in range(times):
        press_key(ENTER)


def test_collective_visit_by_keyboard_only(qtbot, window, services):
    form = window.registration_page.form
    p, v, m, d = form.petitioner, form.visit, form.matter, form.decision
    assert focus_is(p.name_edit)

    # 信访人
    type_here(NAME)
    enter()  # -> 证件类型 (keep 居民身份证)
    assert focus_is(p.id_type_combo)
    enter()
    assert focus_is(p.id_number_edit)
    type_here(ID_NUMBER)
    assert p.gender_combo.value() == "男"  # filled from the ID number
    enter(3)  # 性别, 出生日期 (already filled) -> 民族
    assert focus_is(p.ethnicity_combo)
    type_here("汉")
    press_key(Qt.Key.Key_Down)  # into the suggestion list
    press_key(ENTER)  # pick 汉族 and move on
    assert p.ethnicity_combo.value() == "汉族"
    assert focus_is(p.phone_edit)
    type_here("138 0792 1234")
    enter(3)  # 住址 (prefilled from the ID), 行政区划代码 -> 信访形式
    assert focus_is(v.form_combo)

    # 来访信息
    enter(2)  # 走访, today
    assert focus_is(v.headcount_spin)
    type_here("6")
    assert v.collective_label.isVisibleTo(form)
    enter()
    assert focus_is(v.leader_combo)  # 接访领导: none this time
    enter()
    assert focus_is(v.representatives_edit)
    type_here(f"{NAME}、䶮小龙，王五")
    enter()

    # 事项
    assert focus_is(m.matter_class_combo)
    type_here("申")  # keyboard search in the closed list
    assert m.matter_class_combo.value() == "申诉求决"
    enter()
    assert focus_is(m.content_class_picker)
    type_here("农民工工资")
    press_key(Qt.Key.Key_Down)
    press_key(ENTER)  # pick from the completer: moves on to 标题
    assert m.content_class_picker.value() == "劳动和社会保障 / 劳动关系 / 拖欠农民工工资"
    assert focus_is(m.title_edit)
    type_here("某工地拖欠六名农民工工资")
    enter()
    assert focus_is(m.request_edit)
    type_here("要求支付2025年拖欠的工资共计8万元")
    press_key(Qt.Key.Key_Tab)  # Enter would be a new line here
    type_here("多次讨要未果。\n工地已停工。")
    press_key(Qt.Key.Key_Tab)
    assert focus_is(m.location_edit)
    type_here("德安县宝塔乡")
    enter(2)  # 属地代码 -> 越级
    press_key(Qt.Key.Key_Tab)  # 涉法涉诉
    press_key(Qt.Key.Key_Tab)  # 重大紧急
    press_key(Qt.Key.Key_Space)
    assert m.flag_boxes["major_urgent"].isChecked()
    press_key(Qt.Key.Key_Tab)

    # 处理: 转送 needs a unit, the other details stay disabled
    assert focus_is(d.decision_combo)
    for _ in range(3):
        press_key(Qt.Key.Key_Down)
    assert d.decision_combo.value() == "转送"
    assert d.unit_combo.isEnabled() and not d.reason_edit.isEnabled() and not d.channel_combo.isEnabled()
    enter()
    assert focus_is(d.unit_combo)
    type_here("德安县人力资源和社会保障局")
    enter()
    assert focus_is(d.note_edit)  # 理由 and 法定途径 are skipped

    with qtbot.waitSignal(form.sig_saved) as saved:
        press_key(Qt.Key.Key_S, CTRL)
    number = saved.args[0]
    assert form.banner.text() == f"已登记：{number}"
    # The slip's preview takes the keyboard (Ctrl+P would print it); Esc goes back to the empty form.
    qtbot.waitUntil(lambda: window.preview is not None and QApplication.focusWidget() is window.preview.print_button)
    assert window.preview.windowTitle() == "来访登记回执 预览"
    press_key(Qt.Key.Key_Escape)
    qtbot.waitUntil(p.name_edit.hasFocus)
    assert form.is_blank()

    # The list: Ctrl+Tab to the 信访件 tab, type the name into the search box.
    press_key(Qt.Key.Key_Tab, CTRL)
    page = window.matter_list_page
    assert window.tabs.currentWidget() is page
    assert focus_is(page.search_box)
    type_here("𠮷大")
    qtbot.waitUntil(lambda: page.model.total == 1 and page.model.rowCount() == 1)
    assert page.model.number_at(0) == number
    assert page.count_label.text() == "共 1 件"
    press_key(Qt.Key.Key_Escape)  # nothing to discard on this tab
    press_key(Qt.Key.Key_A, CTRL)  # select the search text; typing replaces it
    type_here("dm")  # pinyin initials of 𠮷大明 (𠮷 has no reading in pypinyin)
    qtbot.waitUntil(lambda: page.model.total == 1)

    # The database, through the services.
    assert services.matters.count(MatterQuery()) == 1
    detail = services.matters.detail(number)
    row = detail.row
    assert (row.headcount, row.is_collective, row.form, row.status) == (6, True, "走访", "已转送")
    assert row.content_class == "劳动和社会保障 / 劳动关系 / 拖欠农民工工资"
    assert row.petitioner_names == f"{NAME}、䶮小龙、王五"
    assert detail.people[0].name == NAME and detail.people[0].is_primary and detail.people[0].is_representative
    assert [pp.name for pp in detail.people if pp.is_representative] == [NAME, "䶮小龙", "王五"]
    assert detail.people[0].id_number_masked == "360426********0071"
    assert detail.people[0].ethnicity == "汉族"
    assert detail.facts == "多次讨要未果。\n工地已停工。"
    assert detail.decision_unit == "德安县人力资源和社会保障局"
    assert detail.flags == ["重大紧急"]
