"""审计日志: the audit trail for operators holding 查看和核验审计日志.

Filters (操作员, 操作类型, 起止日期) and 查询 list the newest entries first (at most LIMIT);
核验审计链 walks the hash chain (`AuditService.verify`, fast enough for the GUI thread) and shows
green 完整 or red with the first entry that does not hold, selecting it when it is listed.
导出CSV… writes the listed entries (recorded in the audit trail itself).
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
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

from app.services.backups import REASON_LABELS, reason_kind
from app.services.context import DeskServices
from app.services.security import audit
from app.services.security.audit import AuditRecord, ChainReport
from app.services.security.errors import SecurityError
from app.services.security.permissions import ROLES

from .banner import Banner

AUDIT_COLUMNS = ("时间", "操作员", "工作站", "操作", "对象", "详情")
DETAIL_COLUMN = len(AUDIT_COLUMNS) - 1
LIMIT = 1000
ALL_TEXT = "全部"
BAD_ROW_BRUSH = QBrush(QColor("#ffcdd2"))
# Chinese names for the keys of an entry's detail (app/services/*: audit.append / record calls).
DETAIL_LABELS = {
    "roles": "角色",
    "before": "原角色",
    "after": "新角色",
    "active": "在用",
    "reason": "事由",
    "field": "查看项",
    "person": "第几位信访人",
    "checked": "核验条数",
    "until": "锁定至",
    "failures": "连续失败次数",
    "new_recovery_code": "生成新恢复码",
    "rows": "加密行数",
    "people": "信访人数",
    "document": "文书",
    "reprint": "补打",
    "how": "方式",
    "step": "办理环节",
    "what": "导出内容",
    "saved_before": "恢复前另存为",
    "count": "条数",
}
LOGIN_FAILURE_REASONS = {"unknown or disabled": "无此操作员或已停用", "password": "密码错误", "locked": "账号锁定中"}


def _value_text(key: str, value) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list):
        return "、".join(ROLES.get(v, str(v)) if key in ("roles", "before", "after") else str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def describe_detail(record: AuditRecord) -> str:
    """The entry's detail JSON as 键：值；… in Chinese where the key is known, else the raw text."""
    try:
        detail = json.loads(record.detail or "{}")
    except ValueError:
        return record.detail
    if not isinstance(detail, dict):
        return record.detail
    parts = []
    for key, value in detail.items():
        if record.action == audit.LOGIN_FAILED and key == "reason":
            parts.append(f"原因：{LOGIN_FAILURE_REASONS.get(value, value)}")
        elif record.action == audit.BACKUP and key == "reason":
            parts.append(f"原因：{REASON_LABELS.get(reason_kind(str(value)), value)}")
        else:
            parts.append(f"{DETAIL_LABELS.get(key, key)}：{_value_text(key, value)}")
    return "；".join(parts)


class AuditViewerDialog(QDialog):
    """The filters, the table and the chain check; `refusal` stands alone without the permission."""

    def __init__(self, services: DeskServices, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("audit_viewer")
        self.setWindowTitle("审计日志")
        self.services = services
        self.records: list[AuditRecord] = []
        self.report: ChainReport | None = None

        self.refusal = QLabel()
        self.refusal.setObjectName("audit_refusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color: #b71c1c; padding: 12px;")
        self.refusal.setVisible(False)

        self.operator_edit = QLineEdit()
        self.operator_edit.setObjectName("audit_operator")
        self.operator_edit.setPlaceholderText(ALL_TEXT)
        self.operator_edit.setToolTip("填写操作员的完整名称；留空为全部")
        self.operator_edit.setMaximumWidth(140)
        self.action_combo = QComboBox()
        self.action_combo.setObjectName("audit_action")
        self.action_combo.addItem(ALL_TEXT, "")
        for key, label in audit.LABELS.items():
            self.action_combo.addItem(label, key)
        self.date_box = QCheckBox("起止日期")
        self.date_box.setObjectName("audit_use_dates")
        today = QDate.currentDate()
        self.since_edit = self._date_edit("audit_since", today.addDays(-30))
        self.until_edit = self._date_edit("audit_until", today)
        self.date_box.toggled.connect(self._on_dates_toggled)
        self._on_dates_toggled(False)
        self.query_button = QPushButton("查询")
        self.query_button.setObjectName("audit_query")
        self.query_button.setDefault(True)
        self.query_button.clicked.connect(self.query)
        self.operator_edit.returnPressed.connect(self.query)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("操作员"))
        filters.addWidget(self.operator_edit)
        filters.addWidget(QLabel("操作类型"))
        filters.addWidget(self.action_combo)
        filters.addWidget(self.date_box)
        filters.addWidget(self.since_edit)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.until_edit)
        filters.addWidget(self.query_button)
        filters.addStretch(1)

        self.table = QTableWidget(0, len(AUDIT_COLUMNS))
        self.table.setObjectName("audit_table")
        self.table.setHorizontalHeaderLabels(list(AUDIT_COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAIL_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.count_label = QLabel()
        self.count_label.setObjectName("audit_count")
        self.verify_result = Banner()
        self.verify_result.setObjectName("audit_verify_result")
        self.verify_button = QPushButton("核验审计链")
        self.verify_button.setObjectName("audit_verify")
        self.verify_button.setAutoDefault(False)
        self.verify_button.setToolTip("逐条核对每条记录的哈希，发现被改动、插入或删除的记录")
        self.verify_button.clicked.connect(self.verify)
        self.export_button = QPushButton("导出CSV…")
        self.export_button.setObjectName("audit_export")
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.choose_export)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label)
        actions.addStretch(1)
        actions.addWidget(self.verify_button)
        actions.addWidget(self.export_button)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(filters)
        body.addWidget(self.table, 1)
        body.addLayout(actions)
        body.addWidget(self.verify_result)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.refusal)
        box.addWidget(self.body, 1)
        box.addWidget(close)
        self.resize(1000, 620)
        self.query()

    @staticmethod
    def _date_edit(name: str, value: QDate) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _on_dates_toggled(self, on: bool) -> None:
        self.since_edit.setEnabled(on)
        self.until_edit.setEnabled(on)

    # --- listing ----------------------------------------------------------------------------
    def filters(self) -> dict[str, str]:
        out = {"operator": self.operator_edit.text().strip(), "action": self.action_combo.currentData() or ""}
        if self.date_box.isChecked():
            out["since"] = self.since_edit.date().toString("yyyy-MM-dd")
            out["until"] = self.until_edit.date().toString("yyyy-MM-dd")
        return out

    def query(self) -> bool:
        """List the entries matching the filters; False (and the refusal alone) without the permission."""
        try:
            self.records = self.services.audit.entries(**self.filters(), limit=LIMIT)
        except SecurityError as refusal:
            self.refusal.setText(str(refusal))
            self.refusal.setVisible(True)
            self.body.setVisible(False)
            self.records = []
            return False
        self.table.setRowCount(len(self.records))
        for row, r in enumerate(self.records):
            texts = (r.at[:19], r.operator, r.workstation, r.label, r.target, describe_detail(r))
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, r.id)
                    item.setToolTip(f"第{r.id}条")
                if column == DETAIL_COLUMN:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)
        more = f"（只显示最新的{LIMIT}条，请缩小查询范围）" if len(self.records) >= LIMIT else ""
        self.count_label.setText(f"共{len(self.records)}条{more}")
        self._mark_bad_row()
        return True

    def row_of(self, entry_id: int) -> int:
        """The table row showing this entry, or -1."""
        return next((i for i, r in enumerate(self.records) if r.id == entry_id), -1)

    # --- the chain ----------------------------------------------------------------------------
    def verify(self) -> ChainReport | None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = self.services.audit.verify()
        except SecurityError as refusal:
            self.verify_result.show_message(str(refusal), "error")
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.report = report
        if report.ok:
            self.verify_result.show_message(f"完整：{report.message}", "success")
            self.query()  # the check itself is now the newest entry
        else:
            text = f"不完整：{report.message}（第{report.first_bad_id}条起的记录不可信）"
            row = self.row_of(report.first_bad_id)
            if row < 0:
                text += "；该条不在当前列表中，可清空筛选条件后查询"
            self.verify_result.show_message(text, "error")
            self._mark_bad_row()
        return report

    def _mark_bad_row(self) -> None:
        if self.report is None or self.report.ok:
            return
        row = self.row_of(self.report.first_bad_id)
        if row < 0:
            return
        for column in range(self.table.columnCount()):
            self.table.item(row, column).setBackground(BAD_ROW_BRUSH)
        self.table.selectRow(row)
        self.table.scrollToItem(self.table.item(row, 0))

    # --- export -------------------------------------------------------------------------------
    def choose_export(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, "导出审计日志", "审计日志.csv", "CSV 文件 (*.csv)")
        return self.export_csv(Path(name)) if name else None

    def export_csv(self, path: Path) -> Path | None:
        """The listed entries as CSV (UTF-8 with BOM, opens in Excel/WPS); the export is itself audited."""
        try:
            with path.open("w", encoding="utf-8-sig", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(("序号", *AUDIT_COLUMNS[:DETAIL_COLUMN], "详情", "原始详情"))
                for r in self.records:
                    writer.writerow((r.id, r.at, r.operator, r.workstation, r.label, r.target, describe_detail(r),
                                     r.detail))
        except OSError as exc:
            self.verify_result.show_message(f"导出失败：{exc.strerror or exc}", "error")
            return None
        self.services.audit.record(audit.EXPORT, str(path)[-100:], {"what": "审计日志", "count": len(self.records)})
        self.verify_result.show_message(f"已导出{len(self.records)}条到 {path}", "success")
        return path
