"""One matter in full: its fields, its people (ID and phone masked) and its event timeline."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.receipts.content import KIND_EXTEND, KIND_SLIP
from app.services.context import DeskServices
from app.services.document_templates import TITLES
from app.services.dto import EventView, MatterDetail, PersonView
from app.services.matters import MatterQueries

from .attachment_list import AttachmentsBox
from .lifecycle_box import LifecycleBox

PEOPLE_COLUMNS = ("姓名", "身份", "证件类型", "证件号码", "性别", "出生日期", "民族", "联系电话", "住址", "行政区划")
EVENT_COLUMNS = ("时间", "事件", "操作人", "详情")
# Labels for the keys of event payloads (the payload itself is stored by the services).
PAYLOAD_LABELS = {
    "number": "编号",
    "form": "形式",
    "headcount": "人数",
    "decision": "处理方式",
    "unit": "去向单位",
    "reason": "理由",
    "channel": "法定途径",
    "note": "说明",
    "repeat_of": "原信访件",
    "repeat_number": "重复访件",
    "document": "文书",
    "reprint": "补打",
    "how": "方式",
    "name": "文件",
    "size": "大小（字节）",
    "sha256": "SHA-256",
    "receiver_leader": "接访领导",
    # lifecycle steps (app/services/lifecycle/actions.py)
    "opinion": "处理意见",
    "delivery": "送达方式",
    "receipt": "签收情况",
    "date": "日期",
    "document_no": "意见书编号",
    "target": "评价对象",
    "result": "结论",
    "organ": "机关",
    "handler": "承办人",
    "by": "督办单位",
    "leader": "领导",
    "since": "包案日期",
    "days": "延期天数",
}
EVALUATION_RESULT_LABEL = "评价结果"  # `result` of an evaluation (with a `target`), else a review's 结论


def describe_payload(payload: dict) -> str:
    parts = []
    for key, value in payload.items():
        if value is False or value in ("", None, [], {}):
            continue
        if value is True:
            value = "是"
        elif key == "document":
            value = TITLES.get(value, value)
        label = EVALUATION_RESULT_LABEL if key == "result" and "target" in payload else PAYLOAD_LABELS.get(key, key)
        parts.append(f"{label}：{value}")
    return "；".join(parts)


def _role(person: PersonView) -> str:
    roles = []
    if person.is_primary:
        roles.append("主信访人")
    if person.is_representative:
        roles.append("代表")
    return "、".join(roles)


class MatterDetailView(QWidget):
    """Layout only: fills itself from a MatterDetail."""

    def __init__(self, detail: MatterDetail, parent: QWidget | None = None, *, county: str = ""):
        super().__init__(parent)
        self.fields = QFormLayout()
        self.fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.show_fields(detail, county)

        self.people = QTreeWidget()
        self.people.setObjectName("detail_people")
        self.people.setRootIsDecorated(False)
        self.people.setHeaderLabels(list(PEOPLE_COLUMNS))
        for p in detail.people:
            self.people.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        p.name,
                        _role(p),
                        p.id_type,
                        p.id_number_masked,
                        p.gender,
                        p.birth_date.isoformat() if p.birth_date else "",
                        p.ethnicity,
                        p.phone_masked,
                        p.address,
                        p.division_code,
                    ]
                )
            )
        self.events = QTreeWidget()
        self.events.setObjectName("detail_events")
        self.events.setRootIsDecorated(False)
        self.events.setHeaderLabels(list(EVENT_COLUMNS))
        for e in detail.events:
            self.events.addTopLevelItem(QTreeWidgetItem(_event_texts(e)))
        for tree in (self.people, self.events):
            for column in range(tree.columnCount()):
                tree.resizeColumnToContents(column)
            tree.setMinimumHeight(90)

        people_box = QGroupBox("信访人")
        QVBoxLayout(people_box).addWidget(self.people)
        events_box = QGroupBox("办理经过")
        QVBoxLayout(events_box).addWidget(self.events)
        box = QVBoxLayout(self)
        box.addLayout(self.fields)
        box.addWidget(people_box)
        box.addWidget(events_box)

    def show_fields(self, detail: MatterDetail, county: str = "") -> None:
        """(Re)fill the field rows; empty values are left out."""
        while self.fields.rowCount():  # old labels go later: the refresh may run inside one of their events
            taken = self.fields.takeRow(0)
            for item in (taken.labelItem, taken.fieldItem):
                if item is not None and item.widget() is not None:
                    item.widget().hide()
                    item.widget().setObjectName("")
                    item.widget().deleteLater()
        row = detail.row
        headcount = f"{row.headcount}人" + ("（集体访）" if row.is_collective else "")
        location = detail.location + (f"（{detail.location_code}）" if detail.location_code else "")
        rows = [
            ("编号", row.number, "detail_number"),
            ("状态", row.status, "detail_status"),
            ("县级", county, "detail_county"),
            ("信访日期", row.petition_date.isoformat(), None),
            ("登记时间", row.registered_at.strftime("%Y-%m-%d %H:%M"), None),
            ("信访形式", row.form, None),
            ("人数", headcount, None),
            ("事项类别", row.matter_class, None),
            ("内容分类", row.content_class, None),
            ("标题", row.title, "detail_title"),
            ("诉求", detail.request, None),
            ("事实和理由", detail.facts, None),
            ("问题属地", location, None),
            ("标记", "、".join(detail.flags), None),
            ("处理方式", row.decision or "（暂未处理）", None),
            ("去向单位", detail.decision_unit, None),
            ("理由", detail.decision_reason, None),
            ("法定途径", detail.decision_channel, None),
            ("说明", detail.decision_note, None),
            ("重复访（原件）", detail.repeat_of, "detail_repeat_of"),
            ("其后的重复访", "、".join(detail.repeats), None),
            ("接访领导", detail.receiver_leader, "detail_receiver_leader"),
            ("包案领导", _owner_text(detail), "detail_owner_leader"),
            ("登记人", detail.registered_by, None),
        ]
        for caption, text, name in rows:
            if not text:
                continue
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if name:
                label.setObjectName(name)
            self.fields.addRow(caption, label)


def _owner_text(detail: MatterDetail) -> str:
    if not detail.owner_leader:
        return ""
    since = f"（{detail.owner_since.isoformat()}起）" if detail.owner_since else ""
    return detail.owner_leader + since


def _event_texts(e: EventView) -> list[str]:
    return [e.occurred_at.strftime("%Y-%m-%d %H:%M:%S"), e.label, e.actor, describe_payload(e.payload)]


class MatterDetailDialog(QDialog):
    """With `services`, a 打印文书… button opens the print preview of this matter's documents,
    and the 办理环节 box offers the next lifecycle steps; `sig_changed(number)` after one was recorded."""

    sig_changed = Signal(str)

    def __init__(
        self, matters: MatterQueries, number: str, parent: QWidget | None = None, *, services: DeskServices | None = None
    ):
        super().__init__(parent)
        self.setObjectName("matter_detail")
        self.number = number
        self.services = services
        self.detail = matters.detail(number)
        self.setWindowTitle(f"信访件 {number}")
        self.resize(820, 700)
        county = ""
        if services is not None:
            from .sync_marks import county_text

            county = county_text(services, number, self.detail.county_number)
        self.county = county
        self.view = MatterDetailView(self.detail, county=county)
        self.reveal_buttons: dict[int, QPushButton] = {}
        self._add_reveal_buttons()
        self.lifecycle_box: LifecycleBox | None = None
        if services is not None:  # 办理环节: stage, clocks, evaluations; 办理… records the next step
            self.lifecycle_box = LifecycleBox(services, number)
            self.lifecycle_box.sig_action_chosen.connect(self.open_action)
            self.view.layout().insertWidget(1, self.lifecycle_box)
        self.attachments_box: AttachmentsBox | None = None
        if services is not None:  # 附件: names; double-click opens one; 添加附件… adds more
            self.attachments_box = AttachmentsBox(services, number)
            self.attachments_box.sig_added.connect(self._reload_events)
            view_box = self.view.layout()
            view_box.insertWidget(view_box.indexOf(self.view.events.parentWidget()), self.attachments_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        self.print_button: QPushButton | None = None
        self.extend_button: QPushButton | None = None
        if services is not None:
            self.print_button = QPushButton("打印文书…")
            self.print_button.setObjectName("print_documents_button")
            self.print_button.setToolTip("预览并打印来访登记回执和告知书；再次打印的标注【补打】")
            buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.print_button.clicked.connect(self.open_print_preview)
            self.extend_button = QPushButton("延期办理…")
            self.extend_button.setObjectName("extend_button")
            self.extend_button.setEnabled(self.lifecycle_box.allows("extend"))
            self.extend_button.setToolTip("已受理的事项可延期办理（累计期限按所选期限规则），并出具延期办理告知书")
            buttons.addButton(self.extend_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.extend_button.clicked.connect(self.open_extension)
        box = QVBoxLayout(self)
        box.addWidget(scroll, 1)
        box.addWidget(buttons)


    def _add_reveal_buttons(self) -> None:
        """显示完整号码… in a last column, per person with a masked ID or phone, for operators who may reveal."""
        from app.services.security.permissions import REVEAL

        if self.services is None or not self.services.guard.can(REVEAL):
            return
        people = [(i, p) for i, p in enumerate(self.detail.people) if p.id_number_masked or p.phone_masked]
        if not people:
            return
        tree = self.view.people
        column = tree.columnCount()
        tree.setColumnCount(column + 1)
        tree.headerItem().setText(column, "完整号码")
        for position, person in people:
            button = QPushButton("显示完整号码…")
            button.setObjectName(f"reveal_person_{position}")
            button.setToolTip(f"查看{person.name}的完整证件号码或联系电话（须写明事由，记入审计日志）")
            button.clicked.connect(lambda _checked=False, position=position: self.open_reveal(position))
            tree.setItemWidget(tree.topLevelItem(position), column, button)
            self.reveal_buttons[position] = button
        tree.resizeColumnToContents(column)
        tree.header().moveSection(column, 1)  # shown next to the name, in view without scrolling

    def open_reveal(self, position: int):
        """The 查看完整号码 dialog for one person (window-modal; the number is hidden again when it closes)."""
        from .reveal_dialog import RevealDialog

        dialog = RevealDialog(self.services, self.number, position, self.detail.people[position], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _reload_events(self) -> None:
        """After files were attached: the event log has new `attachment_added` entries."""
        self.detail = self.services.matters.detail(self.number)
        self.view.events.clear()
        for e in self.detail.events:
            self.view.events.addTopLevelItem(QTreeWidgetItem(_event_texts(e)))

    def reload(self) -> None:
        """After a lifecycle step: fields (status, decision, leaders), the 办理环节 box and the timeline."""
        self._reload_events()
        self.view.show_fields(self.detail, self.county)
        if self.lifecycle_box is not None:
            self.lifecycle_box.refresh()
            if self.extend_button is not None:
                self.extend_button.setEnabled(self.lifecycle_box.allows("extend"))
        self.sig_changed.emit(self.number)

    def open_action(self, action_key: str):
        """The dialog for one lifecycle step (延期办理 keeps its own dialog and notice); reloads once recorded."""
        if action_key == "extend":
            return self.open_extension()
        from .action_dialog import show_action_dialog

        dialog = show_action_dialog(self.services, self.number, action_key, self)
        dialog.accepted.connect(self.reload)
        return dialog

    def open_print_preview(self, kind: str = KIND_SLIP):
        from .print_preview import show_document_preview  # QtPdf is loaded only when printing

        return show_document_preview(self.services, self.number, kind, parent=self)

    def open_extension(self):
        """Ask for days and reason; once recorded, preview the extension notice."""
        from .extension_dialog import ExtensionDialog

        dialog = ExtensionDialog(self.services, self.number, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()
            return self.open_print_preview(KIND_EXTEND)
        return None


def show_matter_detail(
    matters: MatterQueries, number: str, parent: QWidget | None = None, *, services: DeskServices | None = None
) -> MatterDetailDialog:
    """Open the detail dialog without blocking (window-modal); it deletes itself when closed."""
    dialog = MatterDetailDialog(matters, number, parent, services=services)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
