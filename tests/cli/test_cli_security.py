"""Logging in from the command line, in real processes: refusals exit 3 and do nothing."""
from __future__ import annotations

import json
import re
import os
import sqlite3
import subprocess
import sys

import pytest

ADMIN, ADMIN_PW = "管理员甲", "guanli-2026"
ID_NUMBER = "360426199101010071"
LETTER = {
    "form": "走访", "petition_date": "2026-11-20",
    "petitioners": [{"name": "张三", "id_type": "居民身份证", "id_number": ID_NUMBER, "phone": "13812345678"}],
    "headcount": 1, "matter_class": "申诉求决", "content_class": ["劳动和社会保障", "劳动关系", "拖欠农民工工资"],
    "title": "讨要拖欠工资", "request": "请求支付拖欠的工资", "decision": "受理告知",
}


def cli(data, *args, operator=ADMIN, password=ADMIN_PW, stdin=None, **extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("XFDESK_")}
    if operator is not None:
        env["XFDESK_OPERATOR"] = operator
    if password is not None:
        env["XFDESK_PASSWORD"] = password
    env.update(extra_env)
    return subprocess.run([sys.executable, "-m", "app", *args, "--data-dir", str(data)], input=stdin,
                          capture_output=True, text=True, env=env, timeout=60, stdin=None if stdin else subprocess.DEVNULL)


def counts(data) -> dict[str, int]:
    with sqlite3.connect(data / "xfdesk.sqlite3") as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("matter", "petitioner", "matter_event", "sync_outbox", "setting", "leader")}


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    data = tmp_path_factory.mktemp("cli-security") / "data"
    done = cli(data, "init", "--station-code", "360426", "--station-name", "德安县信访局", "--admin", ADMIN,
               "--roles", "管理员,接待员,审计员", operator=None)
    assert done.returncode == 0, done.stderr
    assert "恢复码" in done.stdout
    reg = cli(data, "register", "--json", "-", stdin=json.dumps(LETTER, ensure_ascii=False))
    assert reg.returncode == 0, reg.stderr
    for name, roles in (("统计甲", "统计员"), ("接待乙", "接待员")):
        added = cli(data, "operators", "add", name, "--roles", roles, XFDESK_NEW_PASSWORD="tongji-2026")
        assert added.returncode == 0, added.stderr
    return data, reg.stdout.strip()


@pytest.mark.parametrize("command", [["list"], ["search", ID_NUMBER], ["show", "X"], ["register", "--json", "-"],
                                     ["stats", "--from", "2026-11-01", "--to", "2026-11-30"]])
def test_a_wrong_password_exits_3_with_a_chinese_message_and_does_nothing(desk, command):
    data, _number = desk
    before = counts(data)
    done = cli(data, *command, operator="接待乙", password="wrong-pass-9", stdin=json.dumps(LETTER, ensure_ascii=False))
    assert done.returncode == 3
    assert done.stdout == ""
    assert re.search("用户名或密码错误|已临时锁定", done.stderr)  # the fifth in a row locks the account
    assert counts(data) == before


def test_no_operator_named_is_refused(desk):
    data, _ = desk
    done = cli(data, "list", operator=None)
    assert done.returncode == 3 and "XFDESK_OPERATOR" in done.stderr


def test_no_password_and_no_terminal_is_refused(desk):
    data, _ = desk
    done = cli(data, "list", password=None)
    assert done.returncode == 3 and "XFDESK_PASSWORD" in done.stderr


def test_a_role_without_the_permission_is_refused_and_nothing_is_written(desk):
    data, _ = desk
    before = counts(data)
    done = cli(data, "register", "--json", "-", operator="统计甲", password="tongji-2026",
               stdin=json.dumps(LETTER, ensure_ascii=False))
    assert done.returncode == 3
    assert "无权登记信访件" in done.stderr
    assert counts(data) == before
    stats = cli(data, "stats", "--from", "2026-11-01", "--to", "2026-11-30", "--json", operator="统计甲",
                password="tongji-2026")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["items"] >= 1


def test_the_quick_search_finds_a_sealed_id_number(desk):
    data, number = desk
    done = cli(data, "search", ID_NUMBER)
    assert done.returncode == 0, done.stderr
    assert number in done.stdout


def test_reveal_needs_a_reason_and_is_audited(desk):
    data, number = desk
    shown = cli(data, "show", number, "--json")
    assert ID_NUMBER not in shown.stdout and "360426********0071" in shown.stdout
    done = cli(data, "reveal", number, "id", "--reason", "核实身份")
    assert (done.returncode, done.stdout.strip()) == (0, ID_NUMBER)
    refused = cli(data, "reveal", number, "id", "--reason", " ")
    assert refused.returncode == 2 and "事由" in refused.stderr
    audit = cli(data, "audit", "--action", "reveal", "--json")
    entries = json.loads(audit.stdout)
    assert len(entries) == 1 and json.loads(entries[0]["detail"])["reason"] == "核实身份"


def test_audit_verify_exits_1_after_tampering(tmp_path):
    data = tmp_path / "data"
    assert cli(data, "init", "--station-code", "360426", "--station-name", "德安", "--admin", ADMIN,
               "--roles", "审计员", operator=None).returncode == 0
    ok = cli(data, "audit", "--verify")
    assert ok.returncode == 0 and "审计链完整" in ok.stdout
    with sqlite3.connect(data / "xfdesk.sqlite3") as conn:
        conn.execute("DROP TRIGGER audit_entry_no_update")
        conn.execute("UPDATE audit_entry SET operator = '别人' WHERE id = 1")
    broken = cli(data, "audit", "--verify")
    assert broken.returncode == 1 and "第1条" in broken.stdout


def test_passwd_changes_the_password(tmp_path):
    data = tmp_path / "data"
    assert cli(data, "init", "--station-code", "360426", "--station-name", "德安", "--admin", ADMIN,
               operator=None).returncode == 0
    assert cli(data, "passwd", XFDESK_NEW_PASSWORD="xinmima-2026").returncode == 0
    assert cli(data, "list").returncode == 3
    assert cli(data, "list", password="xinmima-2026").returncode == 0


def test_init_refuses_a_weak_first_password_and_creates_nothing(tmp_path):
    data = tmp_path / "data"
    done = cli(data, "init", "--station-code", "360426", "--station-name", "德安", "--admin", ADMIN,
               operator=None, password="123")
    assert done.returncode == 2 and "password：密码至少8位" in done.stderr
    with sqlite3.connect(data / "xfdesk.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM operator").fetchone()[0] == 0


def test_config_sets_the_idle_lock_and_refuses_a_bad_value(desk):
    data, _ = desk
    done = cli(data, "config", "--idle-lock-minutes", "5")
    assert done.returncode == 0 and "5分钟" in done.stdout
    bad = cli(data, "config", "--idle-lock-minutes", "999")
    assert bad.returncode == 2 and "idle_lock_minutes：" in bad.stderr
    with sqlite3.connect(data / "xfdesk.sqlite3") as conn:
        assert conn.execute("SELECT value FROM setting WHERE key = 'security.idle_lock_minutes'").fetchone() == ("5",)
    refused = cli(data, "config", "--idle-lock-minutes", "3", operator="统计甲", password="tongji-2026")
    assert refused.returncode == 3 and "无权修改系统设置" in refused.stderr
