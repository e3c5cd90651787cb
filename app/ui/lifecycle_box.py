"""办理环节: a matter's stage, its legal clocks, evaluations and flags, and the 办理… menu of what may be done now."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.context import DeskServices
from app.services.lifecycle import Deadline, LifecycleView

DEADLINE_COLUMNS = ("期限", "到期日", "已完成于")
PARTY_TIPS = {
    "office": "信访部门或责任单位的办理期限",
    "visitor": "信访人的期限（不计入超期）",
    "unit": "责任单位提出异议的期限",
}
DUE_SOON_DAYS = 3
OVERDUE_STYLE = "color: #c62828; font-weight: bold;"
DUE_SOON_STYLE = "color: #a15c00; font-weight: bold;"
EVALUATED = "已评价"


def days_left_text(days_left: int | None) -> str:
    if days_left is None:
        return ""
    if days_left < 0:
        return f"已超期{-days_left}日"
    if days_left == 0:
        return "今日到期"
    return f"剩{days_left}日"


def days_left_style(days_left: int | None) -> str:
    """Red when overdue, amber when due within three days."""
    if days_left is None:
        return ""
    if days_left < 0:
        return OVERDUE_STYLE
    return DUE_SOON_STYLE if days_left <= DUE_SOON_DAYS else ""


def evaluations_text(view: LifecycleView) -> str:
    """"信访部门：满意；责任单位：待评价" (the result once evaluated, else 待评价 / 超期未评价)."""
    parts = [f"{e.target}：{e.result if e.state == EVALUATED else e.state}" for e in view.evaluations]
    return "；".join(parts) or "（尚未答复，未到评价环节）"


def flags_text(view: LifecycleView) -> str:
    parts = ["督办中"] if view.supervised else []
    if view.urged:
        parts.append(f"已催办{view.urged}次")
    return "；".join(parts) or "无"


def _deadline_row(d: Deadline) -> QTreeWidgetItem:
    item = QTreeWidgetItem([d.label, d.due.isoformat(), d.met_on.isoformat() if d.met_on else ""])
    for column in range(len(DEADLINE_COLUMNS)):
        item.setToolTip(column, PARTY_TIPS.get(d.party, ""))
    return item


class LifecycleBox(QGroupBox):
    """Reads `services.lifecycle.view()`; `refresh()` after anything was done to the matter.

    Choosing an entry of the 办理… menu emits `sig_action_chosen(action key)`; the owner opens the dialog.
    """

    sig_action_chosen = Signal(str)

    def __init__(self, services: DeskServices, number: str, parent: QWidget | None = None):
        super().__init__("办理环节", parent)
        self.setObjectName("lifecycle_box")
        self.services, self.number = services, number
        self.view: LifecycleView | None = None

        self.status_label = self._label("lifecycle_status")
        self.next_label = self._label("lifecycle_next_deadline")
        self.days_label = self._label("lifecycle_days_left")
        self.evaluations_label = self._label("lifecycle_evaluations")
        self.flags_label = self._label("lifecycle_flags")
        self.owner_label = self._label("lifecycle_owner")
        self.deadlines = QTreeWidget()
        self.deadlines.setObjectName("lifecycle_deadlines")
        self.deadlines.setRootIsDecorated(False)
        self.deadlines.setHeaderLabels(list(DEADLINE_COLUMNS))
        self.deadlines.setMinimumHeight(90)
        self.action_menu = QMenu(self)
        self.action_menu.setObjectName("lifecycle_action_menu")
        self.action_button = QPushButton("办理…")
        self.action_button.setObjectName("lifecycle_action_button")
        self.action_button.setToolTip("登记下一办理环节：受理、办理、答复、评价、复查、复核、归档、督办、催办、包案")
        self.action_button.clicked.connect(self.show_action_menu)

        next_row = QHBoxLayout()
        next_row.addWidget(self.next_label)
        next_row.addWidget(self.days_label)
        next_row.addStretch(1)
        fields = QFormLayout()
        fields.addRow("当前状态", self.status_label)
        fields.addRow("下一期限", next_row)
        fields.addRow("满意度评价", self.evaluations_label)
        fields.addRow("督办催办", self.flags_label)
        fields.addRow("包案领导", self.owner_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.action_button)
        box = QVBoxLayout(self)
        box.addLayout(fields)
        box.addWidget(self.deadlines)
        box.addLayout(buttons)
        self.refresh()

    @staticmethod
    def _label(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def refresh(self, today: date | None = None) -> LifecycleView:
        view = self.view = self.services.lifecycle.view(self.number, today)
        self.status_label.setText(view.status)
        upcoming = view.next_deadline
        self.next_label.setText(f"{upcoming.label}　{upcoming.due.isoformat()}" if upcoming else "无待办期限")
        self.days_label.setText(days_left_text(view.days_left))
        self.days_label.setStyleSheet(days_left_style(view.days_left))
        self.evaluations_label.setText(evaluations_text(view))
        self.flags_label.setText(flags_text(view))
        self.owner_label.setText(view.owner or "无")
        self.deadlines.clear()
        for d in view.deadlines:
            self.deadlines.addTopLevelItem(_deadline_row(d))
        for column in range(self.deadlines.columnCount()):
            self.deadlines.resizeColumnToContents(column)

        self.action_menu.clear()
        for spec in view.actions:
            action = self.action_menu.addAction(spec.label)
            action.setObjectName(f"lifecycle_action_{spec.key}")
            action.setData(spec.key)
            action.triggered.connect(lambda _checked=False, key=spec.key: self.sig_action_chosen.emit(key))
        self.action_button.setEnabled(bool(view.actions))
        self.action_button.setToolTip(
            "可办理：" + "、".join(a.label for a in view.actions) if view.actions else "该件当前没有可登记的办理环节"
        )
        return view

    def allows(self, action_key: str) -> bool:
        return self.view is not None and any(a.key == action_key for a in self.view.actions)

    def show_action_menu(self) -> QMenu:
        """Non-blocking popup under the button (keyboard: arrows and Enter)."""
        self.action_menu.popup(self.action_button.mapToGlobal(QPoint(0, self.action_button.height())))
        return self.action_menu
