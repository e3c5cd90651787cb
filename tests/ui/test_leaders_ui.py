"""领导接访 in the window: the schedule dialog, the 接访领导 field of the registration form, the detail."""
from __future__ import annotations

import json
from datetime import date

import pytest
from factories import make_input
from ui_support import press_key, type_here, type_text, wait_list_loaded
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QStyle, QStyleOptionViewItem

from app.services.dto import MatterQuery
from app.ui.app import create_main_window
from app.ui.leaders_dialog import FIRST_DAY_COLUMN, TODAY_COLUMN, LeaderEditDialog, LeadersDialog
from app.ui.matter_detail import MatterDetailDialog
from app.ui.registration_form import DRAFT_FILE, RegistrationForm

MONDAY = date(2025, 9, 29)
WEDNESDAY = date(2025, 10, 15)
WAGES = "劳动和社会保障 / 劳动关系 / 拖欠农民工工资"
LEFT = Qt.MouseButton.LeftButton


def click(widget) -> None:
    QTest.mouseClick(widget, LEFT, Qt.KeyboardModifier.NoModifier, widget.rect().center())


def error_text(parent, key: str) -> str:
    label = parent.findChild(QLabel, f"error_{key}")
    assert label is not None, f"no error label error_{key}"
    return label.text() if label.isVisibleTo(parent) else ""


def open_editor(qtbot, dialog: LeadersDialog, button) -> LeaderEditDialog:
    click(button)
    editor = next(w for w in dialog.findChildren(LeaderEditDialog) if w.isVisible())
    qtbot.waitExposed(editor)
    return editor


def type_into(widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    type_text(widget, text)


def click_check_box(table, row: int, column: int) -> None:
    """Click the check indicator of a cell, where the style draws it (it depends on font and style)."""
    index = table.model().index(row, column)
    option = QStyleOptionViewItem()
    option.rect = table.visualRect(index)
    table.itemDelegate().initStyleOption(option, index)
    indicator = table.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, table)
    assert indicator.isValid() and option.rect.contains(indicator.center())
    QTest.mouseClick(table.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, indicator.center())


def click_cell(table, row: int, column: int, *, double: bool = False) -> None:
    """A click (or a real double-click: QTest's mouseDClick alone sends no first press) on a cell."""
    center = table.visualRect(table.model().index(row, column)).center()
    QTest.mouseClick(table.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, center)
    if double:
        QTest.mouseDClick(table.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, center)


@pytest.fixture
def dialog(qtbot, services):
    d = LeadersDialog(services, today=WEDNESDAY)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def test_add_a_leader_with_weekdays_then_change_the_schedule(qtbot, dialog, services):
    assert dialog.leader_table.rowCount() == 0
    assert dialog.matters_label.text() == "尚未添加领导"

    editor = open_editor(qtbot, dialog, dialog.add_button)
    type_into(editor.name_edit, "王书记")
    type_into(editor.title_edit, "县委副书记")
    for day in (0, 2, 4):  # 一 三 五
        click(editor.day_boxes[day])
    assert editor.weekdays() == (0, 2, 4)
    with qtbot.waitSignal(dialog.sig_changed):
        click(editor.ok_button)
    assert not editor.isVisible()

    leader = services.leaders.find("王书记")
    assert (leader.title, leader.weekdays, leader.active) == ("县委副书记", (0, 2, 4), True)
    table = dialog.leader_table
    assert table.rowCount() == 1
    assert [table.item(0, FIRST_DAY_COLUMN + d).checkState() == Qt.CheckState.Checked for d in range(7)] == [
        True, False, True, False, True, False, False
    ]
    assert table.item(0, TODAY_COLUMN).text() == "接访"  # a Wednesday
    assert dialog.today_label.text() == "今日（2025-10-15 星期三）接访领导：王书记"

    # A second leader of the same name is refused in the editor, which stays open with what was typed.
    editor = open_editor(qtbot, dialog, dialog.add_button)
    type_into(editor.name_edit, "王书记")
    click(editor.ok_button)
    assert editor.isVisible()
    assert error_text(editor, "name") == "已有同名领导"
    assert editor.name_edit.text() == "王书记"
    editor.reject()

    # The table's own check boxes change the schedule at once: a click takes Wednesday off.
    with qtbot.waitSignal(dialog.sig_changed):
        click_check_box(table, 0, FIRST_DAY_COLUMN + 2)
    assert table.item(0, FIRST_DAY_COLUMN + 2).checkState() == Qt.CheckState.Unchecked
    assert services.leaders.find("王书记").weekdays == (0, 4)
    assert table.item(0, TODAY_COLUMN).text() == ""
    assert dialog.today_label.text() == "今日（2025-10-15 星期三）没有安排领导接访"

    # 停用 keeps the leader, shown as 已停用.
    table.selectRow(0)
    click(dialog.active_button)
    assert services.leaders.find("王书记").active is False
    assert services.leaders.list() == []
    assert dialog.show_inactive.isChecked() and table.item(0, TODAY_COLUMN - 1).text() == "已停用"
    assert dialog.active_button.text() == "启用"


def test_form_offers_today_s_leaders_first_and_saving_records_the_receiver(qtbot, services):
    leaders = services.leaders
    leaders.add("王书记", "县委副书记", [5])  # Saturdays only: added first, but not on duty on a Monday
    assert leaders.seed_county_leaders() == 0  # the demo seed adds nobody once there are leaders
    leaders.add("张县长", "常务副县长", range(5))
    form = RegistrationForm(services)
    qtbot.addWidget(form)
    form.resize(1000, 900)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    combo = form.visit.leader_combo
    # Built for today; the list for a known working Monday:
    assert [c.label for c in leaders.receiver_choices(date.today())] == [combo.itemText(i) for i in range(combo.count())]
    form.refresh_leaders(MONDAY)
    assert [combo.itemText(i) for i in range(combo.count())] == ["张县长（今日接访）", "王书记"]
    assert combo.value() == "" and form.is_blank()  # empty by default

    # A typed name that is not a leader: the service's message at the field, nothing saved.
    fill(form)
    combo.setFocus()
    type_here("赵某")
    click(form.save_button)
    assert error_text(form, "receiver_leader") == "未找到接访领导“赵某”，请先在领导接访安排中添加"
    assert services.matters.count(MatterQuery()) == 0

    # Pick today's leader from the suggestions with the keyboard.
    combo.setFocus()
    combo.lineEdit().selectAll()
    type_here("张")
    assert QApplication.activePopupWidget() is not None  # the suggestion list is open
    press_key(Qt.Key.Key_Down)
    press_key(Qt.Key.Key_Return)
    assert combo.currentText() == "张县长（今日接访）" and combo.value() == "张县长"
    assert error_text(form, "receiver_leader") == ""

    # The draft holds the name (not the label) and gives it back.
    form.flush_draft()
    sealed = (services.data_dir / DRAFT_FILE).read_text(encoding="utf-8")
    draft = json.loads(services.guard.cipher.open(sealed, "draft"))  # sealed on disk
    assert draft["values"]["receiver_leader"] == "张县长"
    again = RegistrationForm(services)
    qtbot.addWidget(again)
    assert again.visit.leader_combo.value() == "张县长"
    again.deleteLater()

    with qtbot.waitSignal(form.sig_saved) as saved:
        click(form.save_button)
    detail = services.matters.detail(saved.args[0])
    assert detail.receiver_leader == "张县长"
    assert combo.value() == ""  # the form is empty again
    assert [r.number for r in leaders.matters(leaders.find("张县长").id)] == [saved.args[0]]


def fill(form: RegistrationForm) -> None:
    """A valid individual visit, typed with key events where the keyboard focus is."""
    p, m = form.petitioner, form.matter
    for widget, text in ((p.name_edit, "张三"), (p.id_number_edit, "360426199101010071")):
        widget.setFocus()
        type_here(text)
    m.content_class_picker.edit.setFocus()
    type_here("农民工工资")
    press_key(Qt.Key.Key_Down)  # into the suggestion list
    press_key(Qt.Key.Key_Return)  # pick it and move on to 标题
    assert m.content_class_picker.value() == WAGES
    type_here("拖欠工资")
    m.request_edit.setFocus()
    type_here("要求支付拖欠的工资")
    m.matter_class_combo.set_value("申诉求决")


def test_main_window_menu_opens_leaders_and_a_matter_detail(qtbot, services):
    services.leaders.seed_county_leaders()
    number = services.registration.register(make_input(receiver_leader="李副县长")).number
    # 包案 is recorded by the lifecycle service's 领导包案 action.
    services.lifecycle.perform(number, "own", {"leader": "李副县长", "since": "2025-10-10"}, actor="刘芳")
    window = create_main_window(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_list_loaded(qtbot, window.matter_list_page)

    action = window.findChild(QAction, "action_leaders")
    assert action is not None and action.text() == "领导接访安排(&L)…"
    action.trigger()
    dialog = window.findChild(LeadersDialog)
    assert dialog is not None and dialog.isVisible()
    assert [dialog.leader_table.item(r, 0).text() for r in range(dialog.leader_table.rowCount())] == ["张县长", "李副县长"]

    click_cell(dialog.leader_table, 1, 0)
    assert dialog.matters_label.text() == "李副县长 接访、包案的信访件：共1件"
    matters = dialog.matter_table
    assert [matters.item(0, c).text() for c in (0, 4, 5, 6)] == [number, "已受理", "接访、包案", "2025-10-10"]
    click_cell(matters, 0, 0, double=True)
    detail = dialog.findChild(MatterDetailDialog)
    assert detail is not None and detail.number == number
    assert detail.findChild(QLabel, "detail_receiver_leader").text() == "李副县长"
    assert detail.findChild(QLabel, "detail_owner_leader").text() == "李副县长（2025-10-10起）"
    detail.reject()

    # A leader added here is offered by the registration form at once.
    editor = open_editor(qtbot, dialog, dialog.add_button)
    type_into(editor.name_edit, "王书记")
    click(editor.ok_button)
    combo = window.registration_page.form.visit.leader_combo
    assert "王书记" in combo.names()
    dialog.reject()
    QApplication.processEvents()
