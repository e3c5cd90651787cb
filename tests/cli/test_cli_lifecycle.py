"""`act`, `due` and the clocks in `show --json`: the lifecycle from the command line."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from app.cli import main
from app.services.context import DeskServices
from desk_login import INIT_ADMIN, TEST_OPERATOR, ready
from factories import make_input
from test_cli import run, table_counts

OPERATOR = TEST_OPERATOR  # the CLI records the logged-in operator
# Every transition of the lifecycle, in an order that reaches all of them on two matters.
WALK = [
    ("accept", {"unit": "县人社局"}),
    ("start", {"handler": "赵承办"}),
    ("extend", {"days": 15, "reason": "需要现场勘验"}),
    ("supervise", {"note": "请加快办理"}),
    ("urge", {"note": "请三日内答复"}),
    ("own", {"leader": "张县长"}),
    ("own-progress", {"note": "已约谈双方"}),
    ("reply", {"opinion": "支持", "delivery": "当面送达", "receipt": "签收"}),
    ("evaluate", {"target": "信访部门", "result": "满意"}),
    ("evaluate", {"target": "责任单位", "result": "不满意", "note": "工资仍未全部到位"}),
    ("request-review", {"organ": "市信访局"}),
    ("decide-review", {"result": "维持原处理意见"}),
    ("request-recheck", {"organ": "省信访局"}),
    ("decide-recheck", {"result": "维持原处理意见"}),
    ("close", {"note": "复核维持，归档"}),
]


@pytest.fixture
def desk_dir(tmp_path):
    data = tmp_path / "data"
    assert main(["init", "--station-code", "360426", "--station-name", "德安县信访局", "--data-dir", str(data), *INIT_ADMIN]) == 0
    assert main(["leaders", "add", "张县长", "--title", "副县长", "--days", "1-5", "--data-dir", str(data)]) == 0
    return data


def register(data, **overrides) -> str:
    services = ready(DeskServices.open(data))
    try:
        now = overrides.pop("now", None)
        return services.registration.register(make_input(**overrides), actor=OPERATOR, now=now).number
    finally:
        services.close()


def act(data, tmp_path, number, action, fields) -> int:
    path = tmp_path / f"{action}.json"
    path.write_text(json.dumps(fields, ensure_ascii=False), encoding="utf-8")
    return main(["act", number, action, "--json", str(path), "--operator", OPERATOR, "--data-dir", str(data)])


def show(data, capsys, number) -> dict:
    capsys.readouterr()
    assert main(["show", number, "--json", "--data-dir", str(data)]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_transition_from_the_cli_leaves_an_event(desk_dir, tmp_path, capsys):
    number = register(desk_dir, decision="转送", decision_unit="县人社局")
    for i, (action, fields) in enumerate(WALK):
        assert act(desk_dir, tmp_path, number, action, fields) == 0, action
        shown = show(desk_dir, capsys, number)
        assert shown["events"][-1]["actor"] == OPERATOR
        assert len(shown["events"]) == 3 + i  # registered, decided, then one per step
    assert shown["row"]["status"] == "已办结归档"
    kinds = [e["kind"] for e in shown["events"]]
    assert kinds[2:] == ["accepted", "handling_started", "extended", "supervised", "urged", "owned",
                         "owner_progress", "replied", "evaluated", "evaluated", "review_requested",
                         "review_decided", "recheck_requested", "recheck_decided", "closed"]
    # The desk decision for a matter registered without one, by its Chinese name.
    other = register(desk_dir, decision="")
    assert act(desk_dir, tmp_path, other, "窗口处理", {"decision": "当场答复", "note": "已当面解释"}) == 0
    assert show(desk_dir, capsys, other)["row"]["status"] == "已当场答复"


def test_refused_action_exits_2_with_a_chinese_line_and_writes_nothing(desk_dir, tmp_path, capsys):
    number = register(desk_dir, decision="转送", decision_unit="县人社局")
    before = table_counts(desk_dir)
    assert act(desk_dir, tmp_path, number, "reply", {"opinion": "支持", "delivery": "当面送达", "receipt": "签收"}) == 2
    err = capsys.readouterr().err
    assert err.startswith("action：该件当前状态为“已转送”，不能答复")
    assert act(desk_dir, tmp_path, number, "accept", {"date": "明天"}) == 2
    assert capsys.readouterr().err.startswith("date：日期不是有效日期")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    assert main(["act", number, "accept", "--json", str(bad), "--data-dir", str(desk_dir)]) == 2
    assert "JSON 应为一个对象" in capsys.readouterr().err
    assert table_counts(desk_dir) == before


def test_due_json_and_show_json_agree_with_the_service_the_window_uses(desk_dir, tmp_path):
    old = register(desk_dir, decision="转送", decision_unit="县人社局", now=datetime(2025, 1, 6, 9))
    soon = register(desk_dir, now=datetime(2025, 1, 20, 9))  # 受理告知: 60 days from 01-20
    later = register(desk_dir, now=datetime(2025, 1, 30, 9))
    due = run("due", "--json", "--today", "2025-03-19", data_dir=desk_dir)
    assert due.returncode == 0, due.stderr
    rows = {r["number"]: r for r in json.loads(due.stdout)}
    assert set(rows) == {old, soon}
    assert rows[old] == {**rows[old], "rule": "unit_notify", "due": "2025-01-21", "overdue": True, "days_left": -57}
    assert rows[soon]["rule"] == "conclude" and rows[soon]["due"] == "2025-03-21" and not rows[soon]["overdue"]
    services = ready(DeskServices.open(desk_dir))
    try:
        for number in (old, soon):
            view = services.lifecycle.view(number, date(2025, 3, 19))
            assert (view.next_deadline.due.isoformat(), view.days_left) == (rows[number]["due"],
                                                                             rows[number]["days_left"])
    finally:
        services.close()
    shown = run("show", later, "--json", data_dir=desk_dir)
    data = json.loads(shown.stdout)
    conclude = next(d for d in data["deadlines"] if d["rule"] == "conclude")
    assert conclude["due"] == "2025-03-31" and conclude["met_on"] is None
    assert {d["rule"] for d in data["deadlines"]} == {"notify", "conclude"}
    assert all(date.fromisoformat(d["due"]) for d in data["deadlines"])
    text = run("due", "--today", "2025-03-19", data_dir=desk_dir)
    assert "共 2 件到期或将到期，其中超期 1 件" in text.stdout
