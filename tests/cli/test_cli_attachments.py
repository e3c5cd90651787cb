"""`register --json` with a letter's scans, in real processes: paths relative to the JSON file (or the
working directory for stdin), files copied into the data directory, refusals write nothing."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desk_login import INIT_ADMIN, TEST_OPERATOR
from app.cli import main

LETTER = {
    "form": "来信",
    "petition_date": "2026年11月18日",
    "petitioners": [{"name": "李秀英", "id_number": "360426196207080023"}],
    "matter_class": "申诉求决",
    "content_class": "劳动和社会保障/劳动关系/拖欠农民工工资",
    "title": "来信反映拖欠工资",
    "request": "请求督促支付拖欠的工资。",
}
PDF = b"%PDF-1.4\n% scan of a letter\n" + b"x" * 2000
JPG = b"\xff\xd8\xff\xe0" + b"y" * 3000


def run(*args: str, data_dir: Path, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(repo), os.environ.get("PYTHONPATH")]))}
    argv = [sys.executable, "-m", "app", *args, "--data-dir", str(data_dir)]
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env, cwd=cwd, timeout=60)


def table_counts(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "xfdesk.sqlite3") as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("matter", "attachment", "matter_event")}


@pytest.fixture
def data_dir(tmp_path) -> Path:
    d = tmp_path / "data"
    assert main(["init", "--station-code", "360426", "--station-name", "德安县信访局", "--data-dir", str(d), *INIT_ADMIN]) == 0
    return d


@pytest.fixture
def letter_folder(tmp_path) -> Path:
    folder = tmp_path / "letters"
    (folder / "scans").mkdir(parents=True)
    (folder / "scans" / "第1页.pdf").write_bytes(PDF)
    (folder / "信封.jpg").write_bytes(JPG)
    return folder


def test_register_letter_with_attachments_relative_to_the_json_file(data_dir, letter_folder, tmp_path):
    doc = letter_folder / "letter.json"
    doc.write_text(json.dumps({**LETTER, "attachments": ["scans/第1页.pdf", "信封.jpg"]}, ensure_ascii=False), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    reg = run("register", "--json", str(doc), "--operator", TEST_OPERATOR, data_dir=data_dir, cwd=elsewhere)
    assert reg.returncode == 0, reg.stderr
    number = reg.stdout.strip()

    stored = data_dir / "attachments" / number
    names = sorted(p.name for p in stored.iterdir())
    assert names == [f"01-{hashlib.sha256(PDF).hexdigest()[:12]}.pdf", f"02-{hashlib.sha256(JPG).hexdigest()[:12]}.jpg"]
    assert (stored / names[0]).read_bytes() == PDF

    shown = run("show", number, "--json", data_dir=data_dir, cwd=elsewhere)
    assert shown.returncode == 0, shown.stderr
    detail = json.loads(shown.stdout)
    assert detail["row"]["form"] == "来信" and detail["row"]["petition_date"] == "2026-11-18"
    added = [e for e in detail["events"] if e["kind"] == "attachment_added"]
    assert [(e["label"], e["actor"], e["payload"]["name"], e["payload"]["size"]) for e in added] == [
        ("添加附件", TEST_OPERATOR, "第1页.pdf", len(PDF)),  # the logged-in operator
        ("添加附件", TEST_OPERATOR, "信封.jpg", len(JPG)),
    ]


def test_stdin_paths_are_relative_to_the_working_directory(data_dir, letter_folder):
    body = json.dumps({**LETTER, "attachments": ["信封.jpg"]}, ensure_ascii=False)
    reg = run("register", "--json", "-", data_dir=data_dir, cwd=letter_folder, stdin=body)
    assert reg.returncode == 0, reg.stderr
    assert table_counts(data_dir) == {"matter": 1, "attachment": 1, "matter_event": 2}


def test_refused_letter_writes_nothing(data_dir, letter_folder):
    (letter_folder / "说明.docx").write_bytes(b"PK\x03\x04")
    doc = letter_folder / "bad.json"
    bad = {**LETTER, "petition_date": "", "attachments": ["scans/第1页.pdf", "说明.docx", "scans/第2页.pdf"]}
    doc.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    before = table_counts(data_dir)
    reg = run("register", "--json", str(doc), data_dir=data_dir, cwd=letter_folder)
    assert reg.returncode == 2
    assert reg.stdout == ""
    assert reg.stderr.splitlines() == [
        "petition_date：来信请填写邮戳日期",
        "attachments[1]：文件“说明.docx”不是图片或PDF，请扫描或拍照后添加",
        "attachments[2]：找不到文件“第2页.pdf”（可能已被移动或删除），请重新添加",
    ]
    assert table_counts(data_dir) == before
    assert not (data_dir / "attachments").exists()
