"""First start on a new machine: which reception station this desk belongs to."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.services import vocab
from app.services.errors import ValidationFailed
from app.services.station import StationInfo, StationService

from .field_error import FieldErrorLabel, field_cell
from .form_fields import ChoiceCombo, make_line_edit


class FirstRunDialog(QDialog):
    """Asks 接待站代码 / 名称 / 级别 and calls `StationService.initialise`; `station` is set on success."""

    def __init__(self, stations: StationService, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("first_run")
        self.setWindowTitle("初始化接待站")
        self.stations = stations
        self.station: StationInfo | None = None
        self.code_edit = make_line_edit("如 360426（本县行政区划代码）", 20)
        self.name_edit = make_line_edit("如 德安县信访局", 100)
        self.level_combo = ChoiceCombo(vocab.STATION_LEVELS)
        self.errors = {key: FieldErrorLabel(key) for key in ("station_code", "station_name", "level")}
        self.general_error = FieldErrorLabel("general")
        intro = QLabel("本机第一次使用，请设置所属接待站。接待站代码设置后不能更改。")
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("接待站代码", field_cell(self.code_edit, self.errors["station_code"]))
        form.addRow("接待站名称", field_cell(self.name_edit, self.errors["station_name"]))
        form.addRow("级别", field_cell(self.level_combo, self.errors["level"]))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.general_error)
        box.addWidget(buttons)

    def _on_accept(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.clear_message()
        try:
            self.station = self.stations.initialise(
                self.code_edit.text(), self.name_edit.text(), self.level_combo.value()
            )
        except ValidationFailed as failure:
            fields = {"station_code": self.code_edit, "station_name": self.name_edit, "level": self.level_combo}
            first = None
            for key, message in failure.by_field().items():
                self.errors.get(key, self.general_error).show_message(message)
                first = first or fields.get(key)
            if first is not None:
                first.setFocus()
            return
        self.accept()
