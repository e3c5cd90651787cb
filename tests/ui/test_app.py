"""The GUI as started by `run_gui`: first-run dialog, main window, tabs and status bar."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from ui_support import STATION_CODE, STATION_NAME, register_matter, run_gui_to_main_window, wait_list_loaded
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.services.context import DeskServices
from desk_login import ready
from app.ui.app import create_main_window
from app.ui.first_run import FirstRunDialog
from app.version import VERSION

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@pytest.fixture
def fresh_services(tmp_path):
    """A database with no station yet (the machine's first start)."""
    desk = ready(DeskServices.open(tmp_path))
    yield desk
    desk.close()


def test_first_run_dialog_shows_errors_at_fields_then_initialises(qtbot, fresh_services):
    dialog = FirstRunDialog(fresh_services.stations)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    dialog.code_edit.setText("36-04")
    ok.click()
    assert dialog.errors["station_code"].text() == "接待站代码应为2至20位字母或数字（如行政区划代码）"
    assert dialog.errors["station_name"].text() == "请填写接待站名称"
    assert fresh_services.stations.get() is None
    dialog.code_edit.setText(STATION_CODE)
    dialog.name_edit.setText(STATION_NAME)
    dialog.level_combo.set_value("乡镇")
    ok.click()
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    station = fresh_services.stations.get()
    assert (station.code, station.name, station.level) == (STATION_CODE, STATION_NAME, "乡镇")


def test_run_gui_asks_for_the_station_then_shows_the_main_window(qtbot, fresh_services):
    def answer(dialog) -> bool:
        if not isinstance(dialog, FirstRunDialog):
            return False
        dialog.code_edit.setText(STATION_CODE)
        dialog.name_edit.setText(STATION_NAME)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        return True

    window = run_gui_to_main_window(fresh_services, answer)
    qtbot.addWidget(window)  # closed at teardown, outside any exec()
    assert window.windowTitle() == f"信访接待台 {VERSION} — {STATION_NAME} — 当前操作员：测试员"
    assert window.station_label.text() == f"接待站：{STATION_NAME}（{STATION_CODE}）"
    assert VERSION == tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]


def test_saving_refreshes_the_list_and_the_status_bar(qtbot, services):
    register_matter(services, title="早先的一件")
    window = create_main_window(services)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["今日", "来访登记", "信访件", "统计"]
    assert window.tabs.currentWidget() is window.today_page  # the home page
    wait_list_loaded(qtbot, window.matter_list_page)
    assert window.matter_list_page.count_label.text() == "共 1 件"
    qtbot.keyClick(window.today_page.tiles["items"], Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentWidget() is window.registration_page
    form = window.registration_page.form
    form.petitioner.name_edit.setText("张三")
    form.petitioner.id_type_combo.set_value("无证件")
    form.matter.matter_class_combo.set_value("建议意见")
    form.matter.content_class_picker.set_value("拖欠农民工工资")
    form.matter.title_edit.setText("建议")
    form.matter.request_edit.setPlainText("建议加强监管")
    number = form.save()
    assert number
    assert window.statusBar().currentMessage() == f"已登记：{number}"
    assert window.preview.windowTitle() == "来访登记回执 预览"  # the slip, ready to print
    qtbot.keyClick(window.preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.preview is None)
    qtbot.waitUntil(form.petitioner.name_edit.hasFocus)
    wait_list_loaded(qtbot, window.matter_list_page)
    assert window.matter_list_page.count_label.text() == "共 2 件"
    assert window.matter_list_page.model.number_at(0) == number
    qtbot.keyClick(form.petitioner.name_edit, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentWidget() is window.matter_list_page
    assert window.matter_list_page.search_box.hasFocus()
    qtbot.keyClick(window.matter_list_page.search_box, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentWidget() is window.registration_page
    assert form.petitioner.name_edit.hasFocus()
