"""领导接访安排: which leaders receive visitors on which weekdays, and each leader's matters.

The weekday check boxes of the table change the schedule at once; 添加 / 修改 open a small
editor; 停用 keeps the leader and their matters but no longer offers them at registration.
Double-clicking one of the selected leader's matters opens the matter's detail.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.context import DeskServices
from app.services.errors import NotFound, ValidationFailed
from app.services.leaders import MAX_NAME, MAX_TITLE, WEEKDAY_LABELS, LeaderMatterRow, LeaderView

from .field_error import FieldErrorLabel, field_cell
from .matter_detail import MatterDetailDialog, show_matter_detail

LEADER_COLUMNS = ("姓名", "职务", *WEEKDAY_LABELS, "状态", "今日")
FIRST_DAY_COLUMN = 2
STATE_COLUMN = FIRST_DAY_COLUMN + 7
TODAY_COLUMN = STATE_COLUMN + 1
MATTER_COLUMNS = ("编号", "登记时间", "信访人", "标题", "状态", "角色", "包案起始", "下一期限")
ACTIVE_TEXT, INACTIVE_TEXT = "在岗", "已停用"
ON_DUTY_TEXT = "接访"


class LeaderEditDialog(QDialog):
    """Add a leader (leader is None) or change one; refusals stay in the dialog at their fields."""

    def __init__(self, services: DeskServices, leader: LeaderView | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("leader_edit_dialog")
        self.setWindowTitle("修改领导" if leader else "添加领导")
        self.services, self.leader = services, leader
        self.saved: LeaderView | None = None
        self.name_edit = QLineEdit(leader.name if leader else "")
        self.name_edit.setObjectName("leader_name")
        self.name_edit.setPlaceholderText(f"如：张县长（不超过{MAX_NAME}个字）")
        self.title_edit = QLineEdit(leader.title if leader else "")
        self.title_edit.setObjectName("leader_title")
        self.title_edit.setPlaceholderText(f"如：副县长（不超过{MAX_TITLE}个字）")
        self.day_boxes: list[QCheckBox] = []
        days_row = QWidget()
        row = QHBoxLayout(days_row)
        row.setContentsMargins(0, 0, 0, 0)
        for day, label in enumerate(WEEKDAY_LABELS):
            box = QCheckBox(label)
            box.setObjectName(f"leader_day_{day}")
            box.setChecked(bool(leader and day in leader.weekdays))
            self.day_boxes.append(box)
            row.addWidget(box)
        row.addStretch(1)
        self.active_box = QCheckBox("在岗（停用后不再出现在登记的接访领导列表中）")
        self.active_box.setObjectName("leader_active")
        self.active_box.setChecked(leader.active if leader else True)
        self.active_box.setVisible(leader is not None)
        self.errors = {key: FieldErrorLabel(key) for key in ("name", "title", "weekdays", "leader")}
        form = QFormLayout()
        form.addRow("姓名", field_cell(self.name_edit, self.errors["name"]))
        form.addRow("职务", field_cell(self.title_edit, self.errors["title"]))
        form.addRow("接访日", field_cell(days_row, self.errors["weekdays"]))
        form.addRow("", self.active_box)
        note = QLabel("接访日为工作日时接访；法定节假日不接访；周末调休上班日按星期一的安排接访。")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("保存")
        self.ok_button.setObjectName("leader_save")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.errors["leader"])
        box.addLayout(form)
        box.addWidget(note)
        box.addWidget(buttons)

    def weekdays(self) -> tuple[int, ...]:
        return tuple(day for day, box in enumerate(self.day_boxes) if box.isChecked())

    def submit(self) -> bool:
        for label in self.errors.values():
            label.clear_message()
        leaders = self.services.leaders
        try:
            if self.leader is None:
                self.saved = leaders.add(self.name_edit.text(), self.title_edit.text(), self.weekdays())
            else:
                self.saved = leaders.update(
                    self.leader.id, self.name_edit.text(), self.title_edit.text(), self.weekdays(),
                    self.active_box.isChecked(),
                )
        except ValidationFailed as failure:
            for key, message in failure.by_field().items():
                self.errors.get(key, self.errors["leader"]).show_message(message)
            return False
        except NotFound as exc:
            self.errors["leader"].show_message(str(exc))
            return False
        self.accept()
        return True


class LeadersDialog(QDialog):
    """Emits `sig_changed` whenever the leaders or their schedule changed (the form reloads its list)."""

    sig_changed = Signal()
    sig_matter_changed = Signal(str)  # a step was recorded in a matter opened from a leader's list

    def __init__(self, services: DeskServices, parent: QWidget | None = None, *, today: date | None = None):
        super().__init__(parent)
        self.setObjectName("leaders_dialog")
        self.setWindowTitle("领导接访安排")
        self.resize(1000, 700)
        self.services = services
        self.today = today or date.today()
        self.leaders: list[LeaderView] = []
        self.rows: list[LeaderMatterRow] = []
        self._loading = False

        self.today_label = QLabel()
        self.today_label.setObjectName("leaders_today")
        self.today_label.setWordWrap(True)
        self.show_inactive = QCheckBox("显示已停用的领导")
        self.show_inactive.setObjectName("leaders_show_inactive")
        self.leader_table = QTableWidget(0, len(LEADER_COLUMNS))
        self.leader_table.setObjectName("leader_table")
        self.leader_table.setHorizontalHeaderLabels(list(LEADER_COLUMNS))
        self.leader_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.leader_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.leader_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.leader_table.verticalHeader().setVisible(False)
        header = self.leader_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.add_button = QPushButton("添加领导…")
        self.add_button.setObjectName("leader_add")
        self.edit_button = QPushButton("修改…")
        self.edit_button.setObjectName("leader_edit")
        self.active_button = QPushButton("停用")
        self.active_button.setObjectName("leader_toggle_active")

        self.matters_label = QLabel()
        self.matters_label.setObjectName("leader_matters_label")
        self.matter_table = QTableWidget(0, len(MATTER_COLUMNS))
        self.matter_table.setObjectName("leader_matter_table")
        self.matter_table.setHorizontalHeaderLabels(list(MATTER_COLUMNS))
        self.matter_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.matter_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matter_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matter_table.verticalHeader().setVisible(False)
        self.matter_table.horizontalHeader().setStretchLastSection(True)
        self.matter_table.setToolTip("双击（或回车）打开信访件")

        self._build_layout()
        self.show_inactive.toggled.connect(lambda _checked: self.reload())
        self.leader_table.itemSelectionChanged.connect(self._on_leader_selected)
        self.leader_table.itemChanged.connect(self._on_item_changed)
        self.add_button.clicked.connect(self.add_leader)
        self.edit_button.clicked.connect(self.edit_leader)
        self.active_button.clicked.connect(self.toggle_active)
        self.matter_table.activated.connect(lambda index: self.open_matter(index.row()))
        self.reload()

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.active_button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_inactive)
        schedule = QGroupBox("接访安排（勾选接访的星期；法定节假日不接访，周末调休上班日按星期一的安排）")
        schedule_box = QVBoxLayout(schedule)
        schedule_box.addWidget(self.today_label)
        schedule_box.addWidget(self.leader_table, 1)
        schedule_box.addLayout(buttons)
        matters = QGroupBox("接访和包案的信访件")
        matters_box = QVBoxLayout(matters)
        matters_box.addWidget(self.matters_label)
        matters_box.addWidget(self.matter_table, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(schedule, 2)
        box.addWidget(matters, 3)
        box.addWidget(close)

    # --- leaders ---------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        """Read the leaders again; keep (or move) the selection."""
        if select_id is None and (current := self.current_leader()) is not None:
            select_id = current.id
        self.leaders = self.services.leaders.list(active_only=not self.show_inactive.isChecked())
        duty_ids = self._show_today()
        self._loading = True
        try:
            self.leader_table.setRowCount(len(self.leaders))
            for r, leader in enumerate(self.leaders):
                self.leader_table.setItem(r, 0, _item(leader.name))
                self.leader_table.setItem(r, 1, _item(leader.title))
                for day in range(7):
                    item = QTableWidgetItem()
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Checked if day in leader.weekdays else Qt.CheckState.Unchecked)
                    item.setToolTip(f"{leader.name} 星期{WEEKDAY_LABELS[day]}接访")
                    self.leader_table.setItem(r, FIRST_DAY_COLUMN + day, item)
                self.leader_table.setItem(r, STATE_COLUMN, _item(ACTIVE_TEXT if leader.active else INACTIVE_TEXT))
                self.leader_table.setItem(r, TODAY_COLUMN, _item(ON_DUTY_TEXT if leader.id in duty_ids else ""))
        finally:
            self._loading = False
        row = next((r for r, v in enumerate(self.leaders) if v.id == select_id), 0 if self.leaders else -1)
        if row >= 0:
            self.leader_table.selectRow(row)
        self._on_leader_selected()

    def _show_today(self) -> set[int]:
        """Write who receives visitors today; returns their ids."""
        service = self.services.leaders
        on_duty = service.on_duty(self.today)
        day = f"今日（{self.today.isoformat()} 星期{WEEKDAY_LABELS[self.today.weekday()]}）"
        if on_duty:
            self.today_label.setText(f"{day}接访领导：{'、'.join(v.name for v in on_duty)}")
        elif not service.calendar.is_working_day(self.today):
            self.today_label.setText(f"{day}不是工作日，无领导接访")
        else:
            self.today_label.setText(f"{day}没有安排领导接访")
        return {v.id for v in on_duty}

    def current_leader(self) -> LeaderView | None:
        selected = self.leader_table.selectionModel().selectedRows()
        row = selected[0].row() if selected else -1
        return self.leaders[row] if 0 <= row < len(self.leaders) else None

    def add_leader(self) -> LeaderEditDialog:
        return self._open_editor(None)

    def edit_leader(self) -> LeaderEditDialog | None:
        leader = self.current_leader()
        return self._open_editor(leader) if leader is not None else None

    def _open_editor(self, leader: LeaderView | None) -> LeaderEditDialog:
        """Window-modal, non-blocking; the table reloads when it was saved."""
        dialog = LeaderEditDialog(self.services, leader, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_saved(dialog.saved))
        dialog.open()
        return dialog

    def toggle_active(self) -> None:
        leader = self.current_leader()
        if leader is None:
            return
        self.services.leaders.set_active(leader.id, not leader.active)
        if leader.active and not self.show_inactive.isChecked():
            self.show_inactive.setChecked(True)  # keep the leader just stopped in view (reloads)
        self.reload(select_id=leader.id)
        self.sig_changed.emit()

    def _on_saved(self, saved: LeaderView | None) -> None:
        if saved is not None and not saved.active:
            self.show_inactive.setChecked(True)
        self.reload(select_id=saved.id if saved else None)
        self.sig_changed.emit()

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        """A weekday box was clicked: store the row's schedule at once."""
        day = item.column() - FIRST_DAY_COLUMN
        if self._loading or not 0 <= day < 7 or not 0 <= item.row() < len(self.leaders):
            return
        leader = self.leaders[item.row()]
        days = {d for d in leader.weekdays if d != day}
        if item.checkState() == Qt.CheckState.Checked:
            days.add(day)
        # Updated in place: the item whose signal this is must not be replaced while it is being handled.
        self.leaders[item.row()] = self.services.leaders.update(
            leader.id, leader.name, leader.title, sorted(days), leader.active
        )
        duty_ids = self._show_today()
        self._loading = True
        try:
            for r, view in enumerate(self.leaders):
                self.leader_table.item(r, TODAY_COLUMN).setText(ON_DUTY_TEXT if view.id in duty_ids else "")
        finally:
            self._loading = False
        self.sig_changed.emit()

    def _on_leader_selected(self) -> None:
        leader = self.current_leader()
        self.edit_button.setEnabled(leader is not None)
        self.active_button.setEnabled(leader is not None)
        self.active_button.setText("启用" if leader is not None and not leader.active else "停用")
        self.rows = self.services.leaders.matters(leader.id) if leader is not None else []
        if leader is None:
            self.matters_label.setText("尚未添加领导")
        else:
            self.matters_label.setText(f"{leader.name} 接访、包案的信访件：共{len(self.rows)}件")
        self.matter_table.setRowCount(len(self.rows))
        for r, m in enumerate(self.rows):
            texts = (
                m.number,
                m.registered_at.strftime("%Y-%m-%d %H:%M"),
                m.petitioner_names,
                m.title,
                m.status,
                m.role,
                m.owner_since.isoformat() if m.owner_since else "",
                m.next_due.isoformat() if m.next_due else "",
            )
            for c, text in enumerate(texts):
                self.matter_table.setItem(r, c, _item(text))
        self.matter_table.resizeColumnsToContents()

    # --- matters -----------------------------------------------------------------------

    def open_matter(self, row: int) -> MatterDetailDialog | None:
        if not 0 <= row < len(self.rows):
            return None
        dialog = show_matter_detail(self.services.matters, self.rows[row].number, self, services=self.services)
        dialog.sig_changed.connect(lambda _number: self._on_leader_selected())  # its state and deadline moved
        dialog.sig_changed.connect(self.sig_matter_changed)
        return dialog


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


def show_leaders(services: DeskServices, parent: QWidget | None = None) -> LeadersDialog:
    """Open 领导接访安排 without blocking (window-modal); it deletes itself when closed."""
    dialog = LeadersDialog(services, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
