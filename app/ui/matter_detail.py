"""One matter in full: its fields, its people (ID and phone masked) and its event timeline."""
from __future__ import annotations

from PySide6.QtCore import Qt
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
from app.services.vocab import DECISION_ACCEPT

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
}


def describe_payload(payload: dict) -> str:
    parts = []
    for key, value in payload.items():
        if value is False or value in ("", None, [], {}):
            continue
        if value is True:
            value = "是"
        elif key == "document":
            value = TITLES.get(value, value)
        parts.append(f"{PAYLOAD_LABELS.get(key, key)}：{value}")
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
        row = detail.row
        fields = QFormLayout()
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
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
            fields.addRow(caption, label)

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
        box.addLayout(fields)
        box.addWidget(people_box)
        box.addWidget(events_box)


def _event_texts(e: EventView) -> list[str]:
    return [e.occurred_at.strftime("%Y-%m-%d %H:%M:%S"), e.label, e.actor, describe_payload(e.payload)]


class MatterDetailDialog(QDialog):
    """With `services`, a 打印文书… button opens the print preview of this matter's documents."""

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
        self.view = MatterDetailView(self.detail, county=county)
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
            self.extend_button.setEnabled(self.detail.row.decision == DECISION_ACCEPT)
            self.extend_button.setToolTip("已受理的事项可延期办理（累计期限按所选期限规则），并出具延期办理告知书")
            buttons.addButton(self.extend_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.extend_button.clicked.connect(self.open_extension)
        box = QVBoxLayout(self)
        box.addWidget(scroll, 1)
        box.addWidget(buttons)


    def open_print_preview(self, kind: str = KIND_SLIP):
        from .print_preview import show_document_preview  # QtPdf is loaded only when printing

        return show_document_preview(self.services, self.number, kind, parent=self)

    def open_extension(self):
        """Ask for days and reason; once recorded, preview the extension notice."""
        from .extension_dialog import ExtensionDialog

        dialog = ExtensionDialog(self.services, self.number, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
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
