"""The command line: real processes for the main paths, in-process main() for the many refusals."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from desk_login import INIT_ADMIN, TEST_OPERATOR
from app.cli import main

GOOD = {
    "form": "走访",
    "petition_date": "2026-11-20",
    "petitioners": [
        {"name": "𠮷收", "id_type": "居民身份证", "id_number": "36042619910101007x".upper()[:-1] + "1",
         "phone": "13812345678", "address": "德安县蒲亭镇"}
    ],
    "headcount": 6,
    "representatives": ["𠮷收", "䶮"],
    "matter_class": "申诉求决",
    "content_class": ["劳动和社会保障", "劳动关系", "拖欠农民工工资"],
    "title": "讨要拖欠工资",
    "request": "请求支付拖欠的工资",
    "facts": "2025年在工地务工",
    "location_code": "360426100",
    "flags": ["越级"],
    "decision": "转送",
    "decision_detail": "县人力资源和社会保障局",
}


def run(*args, data_dir, stdin=None, env_dir=False):
    env = dict(os.environ)
    argv = [sys.executable, "-m", "app", *args]
    if env_dir:
        env["XFDESK_DATA_DIR"] = str(data_dir)
    else:
        argv += ["--data-dir", str(data_dir)]
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env, timeout=60)


def table_counts(data_dir) -> dict[str, int]:
    with sqlite3.connect(data_dir / "xfdesk.sqlite3") as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name != 'audit_entry'")]  # logins are audited
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "data"
    assert main(["init", "--station-code", "360426", "--station-name", "德安县信访局", "--data-dir", str(d), *INIT_ADMIN]) == 0
    return d


def test_register_then_show_in_real_processes(data_dir, tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(GOOD, ensure_ascii=False), encoding="utf-8")
    reg = run("register", "--json", str(path), data_dir=data_dir)
    assert reg.returncode == 0, reg.stderr
    number = reg.stdout.strip()
    assert number.startswith("360426-") and len(number) == len("360426-20261123-0001")
    shown = run("show", number, "--json", data_dir=data_dir, env_dir=True)
    assert shown.returncode == 0, shown.stderr
    detail = json.loads(shown.stdout)
    assert detail["row"]["number"] == number
    assert detail["row"]["is_collective"] is True
    assert [p["name"] for p in detail["people"]] == ["𠮷收", "䶮"]
    assert detail["people"][0]["id_number_masked"] == "360426********0071"
    assert detail["decision_unit"] == "县人力资源和社会保障局"
    assert detail["flags"] == ["越级"]


def test_register_from_stdin_and_list(data_dir):
    reg = run("register", "--json", "-", data_dir=data_dir, stdin=json.dumps(GOOD, ensure_ascii=False))
    assert reg.returncode == 0, reg.stderr
    listed = run("list", "--json", data_dir=data_dir)
    rows = json.loads(listed.stdout)
    assert [r["number"] for r in rows] == [reg.stdout.strip()]
    found = run("search", "13812345678", "--json", data_dir=data_dir)
    assert [r["number"] for r in json.loads(found.stdout)] == [reg.stdout.strip()]


def _bad(**changes):
    doc = json.loads(json.dumps(GOOD, ensure_ascii=False))
    for key, value in changes.items():
        if key.startswith("p_"):
            doc["petitioners"][0][key[2:]] = value
        elif value is None:
            doc.pop(key)
        else:
            doc[key] = value
    return doc


BAD_CASES = [
    ("form", _bad(form="上门")),
    ("petition_date", _bad(petition_date="2026-02-30")),
    ("petition_date", _bad(petition_date="2999-01-01")),
    ("petitioners", _bad(petitioners=[])),
    ("petitioners[0].name", _bad(p_name="")),
    ("petitioners[0].name", _bad(p_name="张3")),
    ("petitioners[0].id_number", _bad(p_id_number="360426199101010072")),
    ("petitioners[0].id_number", _bad(p_id_number="360426910101007")),
    ("petitioners[0].id_type", _bad(p_id_type="军官证")),
    ("petitioners[0].phone", _bad(p_phone="1381234567")),
    ("petitioners[0].nickname", _bad(p_nickname="x")),
    ("headcount", _bad(headcount=0)),
    ("headcount", _bad(headcount="六")),
    ("representatives", _bad(representatives=["甲", "乙", "丙", "丁", "戊", "己"])),
    ("matter_class", _bad(matter_class="投诉")),
    ("content_class", _bad(content_class=["没有这个分类"])),
    ("content_class", _bad(content_class=None)),
    ("title", _bad(title="")),
    ("title", _bad(title="长" * 61)),
    ("request", _bad(request=None)),
    ("location_code", _bad(location_code="36042")),
    ("flags", _bad(flags=["紧急"])),
    ("decision", _bad(decision="拒绝")),
    ("decision_detail.unit", _bad(decision_detail=None)),
    ("decision_detail.channel", _bad(decision="不予受理", decision_detail="理由不充分")),
    ("decision_detail.reason", _bad(decision="不再受理", decision_detail={"note": "x"})),
    ("repeat_of", _bad(repeat_of="360426-20200101-0001")),
    ("titel", _bad(titel="拼错的字段")),
]


@pytest.mark.parametrize(("field", "doc"), BAD_CASES, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_CASES)])
def test_each_bad_field_exits_2_with_a_chinese_message_and_writes_nothing(data_dir, tmp_path, capsys, field, doc):
    before = table_counts(data_dir)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["register", "--json", str(path), "--data-dir", str(data_dir)]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    lines = out.err.strip().splitlines()
    assert any(line.startswith(f"{field}：") for line in lines), lines
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in lines)
    assert table_counts(data_dir) == before


def test_invalid_json_exits_2(data_dir, tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text("{\"form\": ", encoding="utf-8")
    assert main(["register", "--json", str(path), "--data-dir", str(data_dir)]) == 2
    assert "JSON 格式错误" in capsys.readouterr().err


def test_commands_before_init_explain_what_to_do(tmp_path):
    result = run("register", "--json", "-", data_dir=tmp_path / "fresh", stdin=json.dumps(GOOD, ensure_ascii=False))
    assert result.returncode == 3  # nobody can log in before the first administrator exists
    assert "init --admin" in result.stderr


def test_show_unknown_number_fails(data_dir, capsys):
    assert main(["show", "360426-20000101-0001", "--data-dir", str(data_dir)]) == 1
    assert "未找到" in capsys.readouterr().err


def test_demo_generates_searchable_matters(data_dir, capsys):
    assert main(["demo", "--count", "300", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    assert main(["list", "--json", "--limit", "0", "--data-dir", str(data_dir)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 300
    assert len({r["number"] for r in rows}) == 300
    counts = table_counts(data_dir)
    # registered + decided for each, then the follow-ups of older matters (受理, 答复, 评价), all queued
    assert counts["matter_event"] > 600
    assert counts["sync_outbox"] == counts["matter_event"]
    with sqlite3.connect(data_dir / "xfdesk.sqlite3") as conn:
        replied = conn.execute("SELECT count(DISTINCT matter_id) FROM matter_event WHERE kind = 'replied'").fetchone()[0]
        status = conn.execute("SELECT count(*) FROM matter WHERE status = '已答复'").fetchone()[0]
        cached = conn.execute("SELECT count(*) FROM matter WHERE replied_on IS NOT NULL AND decision <> '当场答复'"
                              ).fetchone()[0]
    assert replied == status == cached > 0


def test_data_dir_before_the_subcommand_is_honoured(data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_bad_list_date_exits_2(data_dir, capsys):
    assert main(["list", "--from", "2026-02-30", "--data-dir", str(data_dir)]) == 2
    assert capsys.readouterr().err.startswith("--from：")


def test_refusal_string_with_a_long_channel_name(data_dir, tmp_path, capsys):
    doc = dict(GOOD, decision="不予受理", decision_detail="属劳动争议，请申请劳动人事争议调解仲裁")
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["register", "--json", str(path), "--data-dir", str(data_dir)]) == 0
    number = capsys.readouterr().out.strip()
    assert main(["show", number, "--json", "--data-dir", str(data_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["decision_channel"] == "劳动人事争议调解仲裁"


def _pdftext(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_receipt_slip_and_notice_from_the_cli(data_dir, tmp_path):
    doc = dict(GOOD, decision="受理告知", decision_detail=None)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    number = run("register", "--json", str(path), data_dir=data_dir).stdout.strip()
    for kind, width in (("slip", "80"), ("slip", "58"), ("notice", "80")):
        out = tmp_path / f"{kind}-{width}.pdf"
        result = run("receipt", number, "--kind", kind, "--width", width, "--out", str(out), data_dir=data_dir)
        assert result.returncode == 0, result.stderr
        text = _pdftext(out)
        assert number in text and "𠮷收" in text and "受理" in text
        assert "360426********0071" in text and "360426199101010071" not in text
        if kind == "slip":
            info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
            expected = {"80": "226.772", "58": "164.409"}[width]
            assert f"Page size:       {expected} x " in info
        else:
            assert "受理告知书" in text


def test_receipt_notice_for_an_on_the_spot_answer_is_refused(data_dir, tmp_path):
    doc = dict(GOOD, decision="当场答复", decision_detail="已当场解释政策")
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    number = run("register", "--json", str(path), data_dir=data_dir).stdout.strip()
    result = run("receipt", number, "--kind", "notice", "--out", str(tmp_path / "n.pdf"), data_dir=data_dir)
    assert result.returncode == 2
    assert "只出具回执" in result.stderr
    assert not (tmp_path / "n.pdf").exists()


def test_extension_then_its_notice_from_the_cli(data_dir, tmp_path):
    doc = dict(GOOD, decision="受理告知", decision_detail=None)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    number = run("register", "--json", str(path), data_dir=data_dir).stdout.strip()
    out = tmp_path / "ext.pdf"
    early = run("receipt", number, "--kind", "extension", "--out", str(out), data_dir=data_dir)
    assert early.returncode == 2 and "没有延期办理记录" in early.stderr
    bad = run("extend", number, "--days", "31", "--reason", "需要调查", data_dir=data_dir)
    assert bad.returncode == 2 and bad.stderr.startswith("extension.days：")
    ok = run("extend", number, "--days", "15", "--reason", "需要现场勘验", data_dir=data_dir)
    assert ok.returncode == 0, ok.stderr
    result = run("receipt", number, "--kind", "extension", "--out", str(out), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    text = _pdftext(out)
    assert "延期办理告知书" in text and "需要现场勘验" in text and "15日" in text and number in text


def test_a_damaged_database_file_gets_a_chinese_message_not_a_traceback(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "xfdesk.sqlite3").write_bytes(b"this is not a database" * 100)
    for args in (("list", "--json"), ("show", "360426-20260101-0001")):
        result = run(*args, data_dir=broken)
        assert result.returncode == 1
        assert "数据库无法读写" in result.stderr and "Traceback" not in result.stderr


def test_an_unusable_data_dir_gets_a_chinese_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("list", data_dir=blocker / "sub")
    assert result.returncode == 1
    assert "无法访问数据目录" in result.stderr and "Traceback" not in result.stderr


def test_sync_status_and_an_unreachable_server(data_dir, tmp_path, capsys):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(GOOD, ensure_ascii=False), encoding="utf-8")
    assert main(["register", "--json", str(path), "--data-dir", str(data_dir)]) == 0
    assert main(["sync", "--data-dir", str(data_dir)]) == 1
    assert "尚未设置县级服务器" in capsys.readouterr().err
    assert main(["config", "--server-url", "http://127.0.0.1:9", "--token", "t0k", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    assert main(["sync", "--data-dir", str(data_dir)]) == 1
    assert "无法连接县级服务器" in capsys.readouterr().err
    assert main(["sync", "--status", "--json", "--data-dir", str(data_dir)]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["pending"] == 2 and status["waiting_matters"] == 1
    assert status["last_success"] is None and "无法连接" in status["last_error"]


def test_config_refuses_a_bad_url_with_exit_2(data_dir, capsys):
    assert main(["config", "--server-url", "county.local", "--data-dir", str(data_dir)]) == 2
    assert capsys.readouterr().err.startswith("server_url：")


def test_config_selects_the_deadline_rules(data_dir, capsys):
    assert main(["config", "--deadline-rules", "zhejiang", "--data-dir", str(data_dir)]) == 0
    assert "浙江" in capsys.readouterr().out
    assert main(["config", "--deadline-rules", "mars", "--data-dir", str(data_dir)]) == 2
    assert capsys.readouterr().err.startswith("deadline_rules：")
