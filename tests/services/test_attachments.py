"""Letters with their scans: files copied into the data directory, rows, events; refusals write nothing."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
from factories import make_input

from app.services.attachments import MAX_SIZE, check_attachment_paths
from app.services.errors import NotFound, ValidationFailed
from app.services.registration_json import parse_registration
from county_server.protocol import validate_event

NOW = datetime(2026, 11, 23, 9, 30)
POSTMARK = date(2026, 11, 18)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
PDF = b"%PDF-1.4\n% letter scan\n" + b"0" * 5000


@pytest.fixture
def scans(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "scans"
    folder.mkdir()
    files = {"front": folder / "信封正面.PNG", "letter": folder / "来信第1页.pdf"}
    files["front"].write_bytes(PNG)
    files["letter"].write_bytes(PDF)
    return files


def letter(*paths, **overrides):
    values = dict(form="来信", petition_date=POSTMARK, attachments=[str(p) for p in paths])
    values.update(overrides)
    return make_input(**values)


def counts(services) -> dict[str, int]:
    with sqlite3.connect(services.data_dir / "xfdesk.sqlite3") as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("matter", "attachment", "matter_event", "sync_outbox", "daily_sequence")
        }


def stored_files(services) -> list[Path]:
    root = services.data_dir / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_letter_registered_with_postmark_date_and_scans(services, scans):
    result = services.registration.register(letter(scans["front"], scans["letter"]), actor="刘芳", now=NOW)

    row = services.matters.detail(result.number).row
    assert row.form == "来信" and row.petition_date == POSTMARK  # the postmark date is the petition date
    folder = services.data_dir / "attachments" / result.number
    expected = [
        folder / f"01-{sha(PNG)[:12]}.png",
        folder / f"02-{sha(PDF)[:12]}.pdf",
    ]
    assert stored_files(services) == expected
    assert expected[0].read_bytes() == PNG and expected[1].read_bytes() == PDF
    assert not list(folder.glob(".*"))  # no temporary files left

    views = services.attachments.list(result.number)
    assert [(v.name, v.size, v.path) for v in views] == [
        ("信封正面.PNG", len(PNG), expected[0]),
        ("来信第1页.pdf", len(PDF), expected[1]),
    ]
    assert all(v.added_at == NOW and v.path.is_absolute() for v in views)
    assert services.attachments.open_path(views[1].id) == expected[1]

    with sqlite3.connect(services.data_dir / "xfdesk.sqlite3") as conn:
        rows = conn.execute("SELECT original_name, stored_path, sha256, size, added_by FROM attachment ORDER BY id").fetchall()
    assert rows == [
        ("信封正面.PNG", f"attachments/{result.number}/01-{sha(PNG)[:12]}.png", sha(PNG), len(PNG), "刘芳"),
        ("来信第1页.pdf", f"attachments/{result.number}/02-{sha(PDF)[:12]}.pdf", sha(PDF), len(PDF), "刘芳"),
    ]
    events = [e for e in services.matters.detail(result.number).events if e.kind == "attachment_added"]
    assert [(e.label, e.actor, e.occurred_at, e.payload) for e in events] == [
        ("添加附件", "刘芳", NOW, {"name": "信封正面.PNG", "sha256": sha(PNG), "size": len(PNG)}),
        ("添加附件", "刘芳", NOW, {"name": "来信第1页.pdf", "sha256": sha(PDF), "size": len(PDF)}),
    ]
    c = counts(services)
    assert c["attachment"] == 2 and c["sync_outbox"] == c["matter_event"]  # every event is queued for the county


def test_the_county_accepts_the_attachment_event_metadata_only(services, scans):
    result = services.registration.register(letter(scans["letter"]), now=NOW)
    with sqlite3.connect(services.data_dir / "xfdesk.sqlite3") as conn:
        seq, kind, payload, occurred = conn.execute(
            "SELECT station_seq, kind, payload, occurred_at FROM matter_event WHERE kind = 'attachment_added'"
        ).fetchone()
    raw = {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "matter_number": result.number,
        "kind": kind,
        "occurred_at": datetime.fromisoformat(occurred).isoformat(),
        "actor": "",
        "payload": json.loads(payload),
    }
    checked = validate_event(raw, result.number.split("-")[0])
    assert not isinstance(checked, str), checked
    assert set(json.loads(payload)) == {"name", "sha256", "size"}


def test_a_letter_needs_its_postmark_date(services, scans):
    with pytest.raises(ValidationFailed) as refused:
        services.registration.register(letter(scans["letter"], petition_date=None), now=NOW)
    assert refused.value.by_field()["petition_date"] == "来信请填写邮戳日期"
    with pytest.raises(ValidationFailed) as refused:
        services.registration.register(letter(petition_date="2026-11-24"), now=NOW)
    assert refused.value.by_field()["petition_date"] == "邮戳日期不能晚于今天"
    assert stored_files(services) == []
    # Other forms still default to today, and may carry attachments too.
    visit = services.registration.register(make_input(form="走访", attachments=[str(scans["front"])]), now=NOW)
    assert services.matters.detail(visit.number).row.petition_date == NOW.date()
    assert [v.name for v in services.attachments.list(visit.number)] == ["信封正面.PNG"]


def _missing(folder: Path) -> Path:
    return folder / "不存在.pdf"


def _oversized(folder: Path) -> Path:
    path = folder / "超大.tif"
    with open(path, "wb") as f:
        f.truncate(MAX_SIZE + 1)  # sparse: 20 MB + 1 byte without writing them
    return path


def _wrong_type(folder: Path) -> Path:
    path = folder / "x.doc"
    path.write_bytes(b"not a scan")
    return path


def _empty(folder: Path) -> Path:
    path = folder / "空.jpg"
    path.write_bytes(b"")
    return path


def _directory(folder: Path) -> Path:
    path = folder / "文件夹.pdf"
    path.mkdir()
    return path


@pytest.mark.parametrize(
    "make_bad, message",
    [
        (_missing, "找不到文件“不存在.pdf”（可能已被移动或删除），请重新添加"),
        (_oversized, "文件“超大.tif”有20.0 MB，超过20 MB的上限，请降低扫描分辨率或压缩后再添加"),
        (_wrong_type, "文件“x.doc”不是图片或PDF，请扫描或拍照后添加"),
        (_empty, "文件“空.jpg”是空文件，请重新扫描或拍照"),
        (_directory, "“文件夹.pdf”不是文件，请选择信件的扫描件或照片"),
    ],
)
def test_unusable_file_refused_and_nothing_written(services, scans, tmp_path, make_bad, message):
    bad = make_bad(tmp_path / "scans")
    before = counts(services)
    with pytest.raises(ValidationFailed) as refused:
        services.registration.register(letter(scans["letter"], bad), now=NOW)
    assert refused.value.errors == [refused.value.errors[0]]
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == ("attachments[1]", message)
    assert counts(services) == before
    assert stored_files(services) == []


def test_check_is_case_insensitive_and_reports_every_file(tmp_path, scans):
    jpg = tmp_path / "PHOTO.JPEG"
    jpg.write_bytes(b"\xff\xd8\xff" + b"1" * 100)
    assert check_attachment_paths([jpg, scans["front"], scans["letter"]]) == []
    errors = check_attachment_paths([tmp_path / "a.docx", scans["letter"], scans["letter"], ""])
    assert [e.field for e in errors] == ["attachments[0]", "attachments[2]", "attachments[3]"]
    assert errors[1].message == "文件“来信第1页.pdf”重复添加"


def test_failure_while_copying_rolls_back_the_whole_registration(services, scans):
    number = f"360426-{NOW:%Y%m%d}-0001"  # the number the registration will take
    folder = services.data_dir / "attachments" / number
    # The second file's destination is taken by a directory: the first file is copied, the
    # second cannot be renamed into place.
    blocker = folder / f"02-{sha(PDF)[:12]}.pdf"
    blocker.mkdir(parents=True)
    before = counts(services)
    with pytest.raises(OSError):
        services.registration.register(letter(scans["front"], scans["letter"]), now=NOW)
    assert counts(services) == before  # no matter, attachment, event, outbox row; number not used
    assert sorted(p.name for p in folder.iterdir()) == [blocker.name]  # first copy and temp file removed
    blocker.rmdir()
    result = services.registration.register(letter(scans["front"], scans["letter"]), now=NOW)
    assert result.number == number
    assert len(services.attachments.list(number)) == 2


def test_add_to_an_existing_matter_later(services, scans, tmp_path):
    result = services.registration.register(letter(scans["front"]), now=NOW)
    second = tmp_path / "scans" / "第2页.jpg"
    second.write_bytes(b"\xff\xd8\xff" + b"2" * 300)
    added = services.attachments.add(result.number, [second], actor="王芳", now=NOW.replace(hour=11))
    assert [(a.name, a.path.name) for a in added] == [("第2页.jpg", f"02-{sha(second.read_bytes())[:12]}.jpg")]
    assert [v.name for v in services.attachments.list(result.number)] == ["信封正面.PNG", "第2页.jpg"]
    last = services.matters.detail(result.number).events[-1]
    assert (last.kind, last.actor, last.payload["name"]) == ("attachment_added", "王芳", "第2页.jpg")

    before = counts(services)
    with pytest.raises(NotFound, match="未找到信访件“360426-20261123-0099”"):
        services.attachments.add("360426-20261123-0099", [second])
    with pytest.raises(ValidationFailed) as refused:
        services.attachments.add(result.number, [second, tmp_path / "scans" / "x.doc"])
    assert refused.value.by_field() == {"attachments[1]": "找不到文件“x.doc”（可能已被移动或删除），请重新添加"}
    assert counts(services) == before
    assert len(stored_files(services)) == 2
    with pytest.raises(NotFound):
        services.attachments.open_path(999)


def test_open_path_reports_a_file_removed_from_the_data_directory(services, scans):
    result = services.registration.register(letter(scans["letter"]), now=NOW)
    view = services.attachments.list(result.number)[0]
    os.remove(view.path)
    with pytest.raises(NotFound, match="来信第1页.pdf"):
        services.attachments.open_path(view.id)


def test_json_attachments_resolved_against_the_documents_folder(tmp_path):
    inp = parse_registration({"form": "来信", "attachments": ["scans/a.pdf", "/abs/b.png"]}, base_dir=tmp_path)
    assert inp.attachments == [str(tmp_path / "scans" / "a.pdf"), "/abs/b.png"]
    with pytest.raises(ValidationFailed) as refused:
        parse_registration({"attachments": "a.pdf"})
    assert refused.value.by_field() == {"attachments": "应为文件路径的列表，如 [\"信件扫描.pdf\"]"}
    with pytest.raises(ValidationFailed) as refused:
        parse_registration({"attachments": ["a.pdf", 3]})
    assert refused.value.by_field() == {"attachments[1]": "应为文件路径（文本）"}
