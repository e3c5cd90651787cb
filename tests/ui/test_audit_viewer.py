"""审计日志: entries listed after a day's acts, the filters, the chain check (完整, then broken by an
attacker who edits the file) and the refusal without the permission."""
from __future__ import annotations

import csv
import json
import sqlite3

from desk_login import TEST_OPERATOR
from factories import make_input
from PySide6.QtCore import QDate, Qt
from ui_support import type_text

from app.models.db import DB_FILENAME
from app.services.security import audit
from app.ui.audit_viewer import AUDIT_COLUMNS, DETAIL_COLUMN, AuditViewerDialog

LEFT = Qt.MouseButton.LeftButton


def open_viewer(qtbot, services) -> AuditViewerDialog:
    dialog = AuditViewerDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def column(dialog: AuditViewerDialog, name: str) -> list[str]:
    c = AUDIT_COLUMNS.index(name)
    return [dialog.table.item(r, c).text() for r in range(dialog.table.rowCount())]


def a_day_of_work(services) -> str:
    number = services.registration.register(make_input()).number
    services.privacy.reveal(number, 0, "phone", "电话告知办理结果")
    services.operators.create_operator("李接待", frozenset({"receptionist"}), "abc12345x")
    return number


def choose_action(dialog: AuditViewerDialog, label: str) -> None:
    combo = dialog.action_combo
    combo.setCurrentIndex(combo.findText(label))


def test_entries_are_listed_newest_first_with_readable_details(qtbot, services):
    number = a_day_of_work(services)
    dialog = open_viewer(qtbot, services)
    assert not dialog.refusal.isVisible()
    assert column(dialog, "操作")[:3] == ["新建操作员", "查看完整号码", "登记"]
    assert column(dialog, "操作")[-1] == "初始化管理员"
    assert set(column(dialog, "操作员")) == {TEST_OPERATOR}
    assert column(dialog, "工作站")[0] == audit.workstation()
    assert column(dialog, "对象")[:2] == ["李接待", number]
    details = column(dialog, "详情")
    assert details[0] == "角色：接待员"
    assert details[1] == "查看项：联系电话；第几位信访人：1；事由：电话告知办理结果"
    assert dialog.count_label.text() == f"共{dialog.table.rowCount()}条"


def test_filter_by_action_operator_and_dates(qtbot, services):
    number = a_day_of_work(services)
    services.privacy.reveal(number, 0, "id", "核实身份")
    dialog = open_viewer(qtbot, services)
    choose_action(dialog, "查看完整号码")
    qtbot.mouseClick(dialog.query_button, LEFT)
    assert column(dialog, "操作") == ["查看完整号码", "查看完整号码"]
    assert "事由：核实身份" in column(dialog, "详情")[0]

    choose_action(dialog, "全部")
    type_text(dialog.operator_edit, "nobody\n")  # Enter in the box queries
    assert dialog.table.rowCount() == 0 and dialog.count_label.text() == "共0条"
    dialog.operator_edit.clear()
    type_text(dialog.operator_edit, TEST_OPERATOR + "\n")
    assert dialog.table.rowCount() > 3

    qtbot.mouseClick(dialog.date_box, LEFT)
    assert dialog.since_edit.isEnabled()
    dialog.since_edit.setDate(QDate.currentDate().addDays(1))
    dialog.until_edit.setDate(QDate.currentDate().addDays(2))
    qtbot.mouseClick(dialog.query_button, LEFT)
    assert dialog.table.rowCount() == 0
    dialog.since_edit.setDate(QDate.currentDate())
    dialog.until_edit.setDate(QDate.currentDate())
    qtbot.mouseClick(dialog.query_button, LEFT)
    assert dialog.table.rowCount() > 3


def test_verify_shows_complete_then_the_tampered_entry(qtbot, services):
    a_day_of_work(services)
    dialog = open_viewer(qtbot, services)
    qtbot.mouseClick(dialog.verify_button, LEFT)
    banner = dialog.verify_result
    assert banner.isVisible() and banner.kind == "success"
    assert banner.text().startswith("完整") and "审计链完整" in banner.text()
    assert column(dialog, "操作")[0] == "核验审计链"  # the check is recorded and listed

    reveal_id = services.audit.entries(action=audit.REVEAL)[0].id
    # An attacker with the file: lift the append-only trigger and rewrite the stated reason.
    conn = sqlite3.connect(services.data_dir / DB_FILENAME)
    with conn:
        conn.execute("DROP TRIGGER audit_entry_no_update")
        conn.execute("UPDATE audit_entry SET detail = ? WHERE id = ?",
                     (json.dumps({"field": "联系电话", "person": 1, "reason": "工作需要"}, ensure_ascii=False),
                      reveal_id))
    conn.close()

    qtbot.mouseClick(dialog.query_button, LEFT)
    qtbot.mouseClick(dialog.verify_button, LEFT)
    assert banner.kind == "error"
    assert banner.text().startswith("不完整") and f"第{reveal_id}条" in banner.text()
    assert dialog.report.first_bad_id == reveal_id
    selected = dialog.table.selectedItems()
    assert selected and selected[0].data(Qt.ItemDataRole.UserRole) == reveal_id
    assert selected[DETAIL_COLUMN].text().endswith("事由：工作需要")
    assert dialog.table.item(selected[0].row(), 0).background().color().name() == "#ffcdd2"

    choose_action(dialog, "登记")  # the bad entry is not listed: the message says so
    qtbot.mouseClick(dialog.query_button, LEFT)
    qtbot.mouseClick(dialog.verify_button, LEFT)
    assert "不在当前列表中" in banner.text()


def test_export_csv_writes_the_listed_entries_and_is_audited(qtbot, services, tmp_path):
    a_day_of_work(services)
    dialog = open_viewer(qtbot, services)
    choose_action(dialog, "查看完整号码")
    qtbot.mouseClick(dialog.query_button, LEFT)
    path = dialog.export_csv(tmp_path / "审计.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["序号", "时间", "操作员"]
    assert len(rows) == 2 and rows[1][4] == "查看完整号码" and "事由：电话告知办理结果" in rows[1][6]
    export = services.audit.entries(action=audit.EXPORT)[0]
    assert json.loads(export.detail) == {"what": "审计日志", "count": 1}


def test_without_the_permission_the_viewer_shows_the_refusal_only(qtbot, services):
    services.operators.create_operator("李接待", frozenset({"receptionist"}), "abc12345x")
    services.login("李接待", "abc12345x")
    dialog = open_viewer(qtbot, services)
    assert dialog.refusal.isVisible() and "无权查看和核验审计日志" in dialog.refusal.text()
    assert not dialog.table.isVisible() and not dialog.verify_button.isVisible()
