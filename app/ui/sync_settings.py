"""设置 → 同步设置…: where the county server is, and this station's token.

Saved with `app.sync.config.save`; refused values are shown at their fields and nothing typed is
lost. 测试连接 asks `GET /health` on a worker thread (the client has short timeouts).
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.context import DeskServices
from app.services.errors import ValidationFailed
from app.sync import config
from app.sync.client import SyncClient

from .background import LatestOnlyRunner
from .field_error import ERROR_STYLE, FieldErrorLabel, field_cell

OK_STYLE = "color: #1b5e20;"
CONNECTED = "连接成功"
NOT_CONNECTED = "无法连接"


def check_health(url: str, token: str) -> bool:
    """GET /health; any failure (bad address included) is just "cannot connect"."""
    try:
        with SyncClient(url, token) as client:
            return client.health()
    except Exception:
        return False


class SyncSettingsDialog(QDialog):
    sig_saved = Signal()

    def __init__(self, services: DeskServices, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sync_settings")
        self.setWindowTitle("同步设置")
        self.services = services
        saved = config.load(services.settings)
        station = services.stations.require()

        self.url_edit = QLineEdit(saved.server_url)
        self.url_edit.setObjectName("server_url")
        self.url_edit.setPlaceholderText("如 https://xf.example.gov.cn")
        self.token_edit = QLineEdit(saved.token)
        self.token_edit.setObjectName("token")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText("县级管理员登记本站后提供")
        self.show_token = QCheckBox("显示")
        self.show_token.setObjectName("show_token")
        self.show_token.toggled.connect(self._on_show_token)
        self.errors = {key: FieldErrorLabel(key) for key in ("server_url", "token")}

        token_row = QWidget()
        token_box = QHBoxLayout(token_row)
        token_box.setContentsMargins(0, 0, 0, 0)
        token_box.addWidget(self.token_edit, 1)
        token_box.addWidget(self.show_token)

        form = QFormLayout()
        form.addRow("接待站", QLabel(f"{station.name}（{station.code}）"))
        form.addRow("县级服务器地址", field_cell(self.url_edit, self.errors["server_url"]))
        form.addRow("本站令牌", field_cell(token_row, self.errors["token"]))

        self.test_button = QPushButton("测试连接")
        self.test_button.setObjectName("test_connection")
        self.test_result = QLabel()
        self.test_result.setObjectName("test_result")
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addLayout(test_row)
        box.addWidget(buttons)
        self.resize(560, 0)

        self.runner = LatestOnlyRunner(self)
        self.test_button.clicked.connect(self.test_connection)
        self.url_edit.textEdited.connect(lambda _t: self._clear("server_url"))
        self.token_edit.textEdited.connect(lambda _t: self._clear("token"))

    def _on_show_token(self, shown: bool) -> None:
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    def _clear(self, key: str) -> None:
        self.errors[key].clear_message()
        self.test_result.clear()

    def save(self) -> bool:
        for label in self.errors.values():
            label.clear_message()
        try:
            config.save(self.services.settings, self.url_edit.text(), self.token_edit.text())
        except ValidationFailed as failure:
            for key, message in failure.by_field().items():
                if key in self.errors:
                    self.errors[key].show_message(message)
            first = next((k for k in ("server_url", "token") if self.errors[k].message), None)
            (self.url_edit if first == "server_url" else self.token_edit).setFocus()
            return False
        self.sig_saved.emit()
        self.accept()
        return True

    def test_connection(self) -> None:
        url, token = self.url_edit.text().strip(), self.token_edit.text().strip()
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText("正在连接…")
        self.runner.submit(lambda: check_health(url, token), self._on_tested, lambda _exc: self._on_tested(False))

    def _on_tested(self, ok: bool) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setText(CONNECTED if ok else NOT_CONNECTED)
        self.test_result.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.test_result.setToolTip("" if ok else "请核对地址，并确认网络通畅、县级服务器已启动")
