"""`leaders`, `leaders add` and `leader-matters` in real processes, and the receiver in `register --json`."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from desk_login import INIT_ADMIN, TEST_OPERATOR

MAKE_UP_SUNDAY = "2025-09-28"
DOC = {
    "form": "走访",
    "petitioners": [{"name": "周敏"}],
    "matter_class": "建议意见",
    "content_class": "物业服务",
    "title": "建议规范小区物业收费",
    "request": "建议有关部门规范城东小区物业服务收费并公示收费标准。",
}


def run(*args, data_dir, stdin=None):
    argv = [sys.executable, "-m", "app", *args, "--data-dir", str(data_dir)]
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=dict(os.environ), timeout=60)


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "data"
    done = run("init", "--station-code", "360426", "--station-name", "德安县信访局", *INIT_ADMIN, data_dir=d)
    assert done.returncode == 0, done.stderr
    return d


def test_add_and_list_leaders(data_dir):
    added = run("leaders", "add", "张县长", "--title", "常务副县长", "--days", "1-5", data_dir=data_dir)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "已添加领导：张县长（常务副县长），接访日：一至五"
    added = run("leaders", "add", "王书记", "--days", "1,3,7", data_dir=data_dir)
    assert added.stdout.strip() == "已添加领导：王书记，接访日：一、三、日"

    listed = run("leaders", "--date", MAKE_UP_SUNDAY, "--json", data_dir=data_dir)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [
        {"name": "张县长", "title": "常务副县长", "weekdays": [1, 2, 3, 4, 5], "weekdays_text": "一至五",
         "active": True, "on_duty": False},
        {"name": "王书记", "title": "", "weekdays": [1, 3, 7], "weekdays_text": "一、三、日",
         "active": True, "on_duty": True},  # scheduled for Sundays: takes the make-up Sunday
    ]
    text = run("leaders", "--date", "2025-10-01", data_dir=data_dir)
    assert text.stdout.splitlines() == [
        "张县长\t常务副县长\t一至五",
        "王书记\t\t一、三、日",
        "共 2 位领导；2025-10-01 接访：0 位",
    ]
    monday = run("leaders", "--date", "2025-09-29", data_dir=data_dir)
    assert monday.stdout.splitlines()[0] == "张县长\t常务副县长\t一至五\t今日接访"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("leaders", "add", "张县长"), "name：已有同名领导"),
        (("leaders", "add", " "), "name：请填写领导姓名"),
        (("leaders", "add", "李副县长", "--days", "1-8"), "--days：接访日“1-8”格式不正确，应如“1-5”或“1,3,5”（1为星期一，7为星期日）"),
        (("leaders", "--date", "2025-02-30"), "--date：日期不是有效日期，请按“2026-01-31”格式填写"),
        (("leader-matters", "赵某"), "name：未找到领导“赵某”，可用 python -m app leaders --all 查看"),
    ],
)
def test_bad_input_exits_2_with_a_chinese_message(data_dir, args, message):
    assert run("leaders", "add", "张县长", data_dir=data_dir).returncode == 0
    done = run(*args, data_dir=data_dir)
    assert (done.returncode, done.stdout, done.stderr.strip()) == (2, "", message)
    listed = run("leaders", "--json", data_dir=data_dir)
    assert [v["name"] for v in json.loads(listed.stdout)] == ["张县长"]


def test_register_with_receiver_then_leader_matters(data_dir):
    assert run("leaders", "add", "张县长", "--days", "1-5", data_dir=data_dir).returncode == 0
    refused = run("register", "--json", "-", data_dir=data_dir,
                  stdin=json.dumps({**DOC, "receiver_leader": "李副县长"}, ensure_ascii=False))
    assert refused.returncode == 2
    assert refused.stderr.strip() == "receiver_leader：未找到接访领导“李副县长”，请先在领导接访安排中添加"

    reg = run("register", "--json", "-", data_dir=data_dir,
              stdin=json.dumps({**DOC, "receiver_leader": "张县长"}, ensure_ascii=False))
    assert reg.returncode == 0, reg.stderr
    number = reg.stdout.strip()
    shown = json.loads(run("show", number, "--json", data_dir=data_dir).stdout)
    assert shown["receiver_leader"] == "张县长" and shown["owner_leader"] == ""
    assert shown["events"][0]["payload"]["receiver_leader"] == "张县长"

    rows = json.loads(run("leader-matters", "张县长", "--json", data_dir=data_dir).stdout)
    assert [(r["number"], r["role"], r["status"], r["owner_since"]) for r in rows] == [(number, "接访", "已登记", None)]
    text = run("leader-matters", "张县长", data_dir=data_dir)
    assert text.returncode == 0
    first, last = text.stdout.splitlines()
    assert first.split("\t")[0] == number and first.split("\t")[3:5] == ["已登记", "接访"]
    assert last == "张县长 接访、包案共 1 件"
