"""The remaining menu steps (督办, 催办, 包案进展) from the window, and the window's dates against `due --json`."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from PySide6.QtWidgets import QLabel
from test_lifecycle_dialogs import OPERATOR, open_detail, step, type_text
from ui_support import register_matter

from factories import make_input

from app.cli import main
from app.services import vocab
from app.services.dto import MatterQuery
from app.ui.matter_table_model import COL_DUE, MatterTableModel
from app.ui.operator_field import OPERATOR_KEY

FORWARDED = vocab.STATUS_BY_DECISION[vocab.DECISION_FORWARD]


def test_supervise_urge_and_progress_from_the_menu(qtbot, services):
    services.leaders.add("张县长", "常务副县长")
    number = register_matter(services, decision="转送", decision_unit="县人社局").number
    services.settings.set_many({OPERATOR_KEY: OPERATOR})
    detail = open_detail(qtbot, services, number)

    def note(text):
        return lambda d: type_text(d.inputs["note"], text)

    def supervise(d):
        type_text(d.inputs["by"], "县委督查室")
        d.inputs["note"].setFocus()
        type_text(d.inputs["note"], "请五日内办结")

    step(qtbot, detail, "督办", FORWARDED, supervise)
    step(qtbot, detail, "催办", FORWARDED, note("请加快办理"))
    step(qtbot, detail, "领导包案", FORWARDED, lambda d: type_text(d.inputs["leader"].lineEdit(), "张县长"))
    step(qtbot, detail, "包案进展", FORWARDED, note("已约谈双方，下周复核"))
    assert detail.lifecycle_box.flags_label.text() == "督办中；已催办1次"
    kinds = [e.kind for e in services.matters.detail(number).events]
    assert kinds[-4:] == ["supervised", "urged", "owned", "owner_progress"]
    last = detail.view.events.topLevelItem(detail.view.events.topLevelItemCount() - 1)
    assert "已约谈双方" in last.text(3)


def test_window_shows_the_same_next_deadline_as_due_json(qtbot, services, capsys):
    today = date.today()
    def at(days_ago: int, **fields) -> str:
        now = datetime.combine(today - timedelta(days=days_ago), datetime.min.time())
        return services.registration.register(make_input(**fields), actor=OPERATOR, now=now).number

    at(20, decision="转送", decision_unit="县人社局")  # its unit's 15-day clock has run out
    old = at(58)  # accepted at the desk 58 days ago: 60-day clock nearly out
    at(0)
    capsys.readouterr()
    assert main(["due", "--json", "--within", "30", "--data-dir", str(services.data_dir)]) == 0
    rows = {r["number"]: r for r in json.loads(capsys.readouterr().out)}
    assert old in rows
    assert len(rows) == 2
    model = MatterTableModel(services.matters, MatterQuery())
    shown = {model.row_at(i).number: model.index(i, COL_DUE).data() for i in range(model.rowCount())}
    for number, row in rows.items():
        detail = open_detail(qtbot, services, number)
        box = detail.lifecycle_box
        assert box.next_label.text() == f"{row['label']}　{row['due']}"
        expected_days = "今日到期" if row["days_left"] == 0 else (
            f"已超期{-row['days_left']}日" if row["overdue"] else f"剩{row['days_left']}日")
        assert box.days_label.text() == expected_days
        assert row["due"][5:] in shown[number]
        assert detail.findChild(QLabel, "detail_status").text() == row["status"]
        detail.close()
