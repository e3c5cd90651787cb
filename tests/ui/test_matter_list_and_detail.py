"""信访件 page (search, filters, count) and the detail dialog (masked ID, timeline)."""
from __future__ import annotations

from datetime import date

import pytest
from ui_support import register_matter, type_text, wait_list_loaded
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView

from app.ui.matter_detail import MatterDetailDialog
from app.ui.matter_list_page import SEARCH_PLACEHOLDER, MatterListPage
from app.ui.matter_table_model import COL_HEADCOUNT, COL_REPEAT

VALID_ID = "360426199101010071"


@pytest.fixture
def page(qtbot, services):
    w = MatterListPage(services)
    qtbot.addWidget(w)
    w.resize(1300, 700)
    w.show()
    qtbot.waitExposed(w)
    wait_list_loaded(qtbot, w)
    return w


def test_search_filters_and_count(qtbot, services):
    register_matter(services, name="张三", title="拖欠工资")
    register_matter(services, name="李四", title="宅基地纠纷", form="来信", petition_date=date.today())  # postmark date
    register_matter(services, name="王五", title="低保", decision="当场答复")
    page = MatterListPage(services)
    qtbot.addWidget(page)
    page.show()
    wait_list_loaded(qtbot, page)
    assert page.findChild(QTableView, "matter_table") is page.table
    search = page.findChild(QLineEdit, "search_box")
    assert search.placeholderText() == SEARCH_PLACEHOLDER
    assert page.count_label.text() == "共 3 件"

    search.setFocus()
    type_text(search, "宅基地")
    qtbot.waitUntil(lambda: page.count_label.text() == "共 1 件", timeout=2000)
    assert page.model.data(page.model.index(0, 3)) == "李四"
    search.clear()
    qtbot.waitUntil(lambda: page.count_label.text() == "共 3 件", timeout=2000)
    type_text(search, "ls")  # pinyin initials of 李四
    qtbot.waitUntil(lambda: page.count_label.text() == "共 1 件", timeout=2000)
    search.clear()

    page.form_combo.set_value("来信")
    wait_list_loaded(qtbot, page)
    assert page.count_label.text() == "共 1 件"
    page.form_combo.set_value("")
    page.status_combo.set_value("已当场答复")
    wait_list_loaded(qtbot, page)
    assert page.count_label.text() == "共 1 件"
    page.status_combo.set_value("")
    page.any_date.setChecked(False)  # last month .. today
    wait_list_loaded(qtbot, page)
    assert page.count_label.text() == "共 3 件"
    page.date_to.setDate(page.date_to.date().addDays(-1))
    wait_list_loaded(qtbot, page)
    assert page.count_label.text() == "共 0 件"


def test_header_click_sorts_in_the_database(qtbot, page, services):
    for i, headcount in enumerate((3, 1, 2)):
        register_matter(services, title=f"件{i}", headcount=headcount)
    page.refresh()
    wait_list_loaded(qtbot, page)
    header = page.table.horizontalHeader()
    header.setSortIndicator(COL_HEADCOUNT, Qt.SortOrder.AscendingOrder)  # what a header click does
    wait_list_loaded(qtbot, page)
    assert page.model.query.sort_key == "headcount"
    assert [page.model.data(page.model.index(r, COL_HEADCOUNT)) for r in range(3)] == ["1", "2", "3"]
    header.setSortIndicator(COL_REPEAT, Qt.SortOrder.AscendingOrder)  # not sortable
    assert header.sortIndicatorSection() == COL_HEADCOUNT
    assert page.model.query.sort_key == "headcount"


def test_enter_in_the_table_opens_the_detail(qtbot, page, services):
    number = register_matter(services, name="张三", id_number=VALID_ID, phone="13807921234").number
    page.refresh()
    page.search_box.setFocus()
    type_text(page.search_box, "张三")
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)  # runs the search now and moves to the table
    qtbot.waitUntil(page.table.hasFocus, timeout=5000)
    assert page.table.currentIndex().row() == 0
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.findChild(MatterDetailDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.findChild(QLabel, "detail_number").text() == number
    dialog.close()


def test_detail_dialog_shows_masked_id_and_event_timeline(qtbot, services):
    first = register_matter(services, name="张三", id_number=VALID_ID, phone="13807921234").number
    second = register_matter(
        services,
        name="张三",
        id_number=VALID_ID,
        phone="13807921234",
        title="再次反映",
        decision="转送",
        decision_unit="德安县人社局",
        repeat_of=first,
    ).number
    dialog = MatterDetailDialog(services.matters, second)
    qtbot.addWidget(dialog)
    dialog.show()
    people = dialog.view.people.topLevelItem(0)
    assert people.text(0) == "张三" and people.text(1) == "主信访人"
    assert people.text(3) == "360426********0071"
    assert people.text(7) == "138****1234"
    full_text = "".join(people.text(c) for c in range(people.columnCount()))
    assert VALID_ID not in full_text and "13807921234" not in full_text
    events = dialog.view.events
    kinds = [events.topLevelItem(i).text(1) for i in range(events.topLevelItemCount())]
    assert kinds == ["登记", "关联为重复访", "窗口处理"]
    assert "去向单位：德安县人社局" in events.topLevelItem(2).text(3)
    assert dialog.findChild(QLabel, "detail_repeat_of").text() == first
    assert dialog.findChild(QLabel, "detail_status").text() == "已转送"

    original = MatterDetailDialog(services.matters, first)
    qtbot.addWidget(original)
    timeline = original.view.events
    assert [timeline.topLevelItem(i).text(1) for i in range(timeline.topLevelItemCount())] == ["登记", "收到重复访"]


def test_a_slow_search_does_not_block_and_only_the_newest_answer_shows(qtbot, page, services):
    """Typing on while an older query is still running: the older answer is dropped."""
    register_matter(services, name="张三", title="拖欠工资")
    register_matter(services, name="李四", title="宅基地纠纷")
    page.refresh()
    wait_list_loaded(qtbot, page)
    page.search_box.setText("张三")
    page.apply_filters()
    assert page.count_label.text() == "查询中…"  # returned at once, the answer comes later
    page.search_box.setText("李四")
    page.apply_filters()
    wait_list_loaded(qtbot, page)
    assert page.count_label.text() == "共 1 件"
    assert page.model.data(page.model.index(0, 3)) == "李四"
