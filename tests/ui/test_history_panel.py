"""来访记录 beside the form: an earlier matter turns up while the ID is typed, and can be linked."""
from __future__ import annotations

import pytest
from ui_support import register_matter, type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.ui.history_panel import EMPTY_TEXT
from app.ui.registration_page import RegistrationPage

VALID_ID = "360426199101010071"


@pytest.fixture
def page(qtbot, services):
    w = RegistrationPage(services)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_history_shows_an_earlier_matter_and_links_it_as_repeat(qtbot, page, services):
    earlier = register_matter(services, name="李四", id_number=VALID_ID, title="第一次来访").number
    register_matter(services, name="王五", title="别人的事")
    history, form = page.history, page.form
    assert history.row_count() == 0 and history.empty_label.text() == EMPTY_TEXT

    form.petitioner.id_number_edit.setFocus()
    type_text(form.petitioner.id_number_edit, VALID_ID)
    qtbot.waitUntil(lambda: history.row_count() == 1, timeout=2000)
    item = history.list.topLevelItem(0)
    assert [item.text(c) for c in range(5)][0::2] == [earlier, "第一次来访", "证件号码"]
    assert not history.empty_label.isVisibleTo(page)

    qtbot.keyClick(form.petitioner.id_number_edit, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert form.repeat_link.value() == earlier
    assert form.findChild(QLabel, "repeat_of_label").text() == f"关联为重复访: {earlier}"

    for widget, text in (
        (form.petitioner.name_edit, "李四"),
        (form.matter.content_class_picker.edit, "拖欠农民工工资"),
        (form.matter.title_edit, "再次反映拖欠工资"),
        (form.matter.request_edit, "尽快支付"),
    ):
        widget.setFocus()
        type_text(widget, text)
    form.matter.matter_class_combo.set_value("申诉求决")
    number = form.save()
    assert number
    detail = services.matters.detail(number)
    assert detail.repeat_of == earlier
    assert detail.row.is_repeat
    assert services.matters.detail(earlier).repeats == [number]
    qtbot.waitUntil(lambda: history.row_count() == 0, timeout=2000)  # the form is empty again


def test_history_by_phone_and_name(qtbot, page, services):
    register_matter(services, name="赵六", phone="13907921234", title="电话找到")
    form, history = page.form, page.history
    form.petitioner.phone_edit.setFocus()
    type_text(form.petitioner.phone_edit, "1390792")  # seven digits are enough to look up
    qtbot.waitUntil(lambda: history.row_count() == 0 and not history._timer.isActive(), timeout=2000)
    type_text(form.petitioner.phone_edit, "1234")
    qtbot.waitUntil(lambda: history.row_count() == 1, timeout=2000)
    assert history.list.topLevelItem(0).text(4) == "电话"
    form.petitioner.phone_edit.clear()
    qtbot.waitUntil(lambda: history.row_count() == 0, timeout=2000)
    form.petitioner.name_edit.setFocus()
    type_text(form.petitioner.name_edit, "赵六")
    qtbot.waitUntil(lambda: history.row_count() == 1, timeout=2000)
    assert history.list.topLevelItem(0).text(4) == "姓名"
