"""帮助 → 关于信访接待台…: opened from the menu, it shows the version of pyproject.toml and the rest."""
from __future__ import annotations

import platform
import tomllib
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMenu

from app.services.context import DeskServices
from app.services.security.permissions import AUDITOR
from app.ui.about_dialog import NOTICE, AboutDialog
from app.ui.app import create_main_window
from desk_login import ready
from ui_support import STATION_CODE, STATION_NAME

PYPROJECT_VERSION = tomllib.loads(
    (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
)["project"]["version"]


def help_menu(window) -> QMenu:
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "帮助(&H)"]
    assert menu.menuAction().isVisible()
    return menu


def open_about(window) -> AboutDialog:
    """Through the menu, as a user would: 帮助 → 关于信访接待台…"""
    [about] = [a for a in help_menu(window).actions() if a.text() == "关于信访接待台(&A)…"]
    assert about is window.findChild(QAction, "action_about")
    about.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_about_dialog_shows_the_version_and_the_environment(qtbot, services):
    window = create_main_window(services)
    qtbot.addWidget(window)
    window.show()
    assert window.menuBar().actions()[-1].text() == "帮助(&H)"  # the last menu, as usual
    dialog = open_about(window)
    assert dialog.windowTitle() == "关于信访接待台"
    assert dialog.findChild(QLabel, "about_title").text() == f"信访接待台 {PYPROJECT_VERSION}"
    shown = {name: label.text() for name, label in dialog.values.items()}
    assert shown["about_version"] == PYPROJECT_VERSION
    assert shown["about_qt"] == f"{qVersion()}（PySide6 {PySide6.__version__}）"
    assert shown["about_python"].startswith(platform.python_version())
    assert shown["about_data_dir"] == str(services.data_dir)
    assert dialog.findChild(QLabel, "about_notice").text() == NOTICE
    assert f"信访接待台 {PYPROJECT_VERSION}" in window.windowTitle()

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert f"版本：{PYPROJECT_VERSION}" in copied and f"数据目录：{services.data_dir}" in copied

    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert close.text() == "关闭"
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(AboutDialog) is None)  # deleted on close


@pytest.fixture
def auditor_desk(tmp_path):
    desk = ready(DeskServices.open(tmp_path), frozenset({AUDITOR}))
    desk.stations.initialise(STATION_CODE, STATION_NAME, "县")
    yield desk
    desk.close()


def test_every_operator_has_the_about_dialog(qtbot, auditor_desk):
    """An operator who may see no matters (an auditor, administrator by setup) still has 帮助."""
    window = create_main_window(auditor_desk)
    qtbot.addWidget(window)
    window.show()
    assert window.no_pages is not None
    dialog = open_about(window)
    assert dialog.values["about_version"].text() == PYPROJECT_VERSION
    dialog.reject()
