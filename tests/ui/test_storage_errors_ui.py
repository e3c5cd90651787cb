"""Saving on a full disk or a read-only data folder: a clear message at the form, nothing lost, nothing stored.

Tests run as root, so chmod cannot make the folder read-only: SQLite itself produces the real
errors here (`max_page_count` at the file's size: "database or disk is full";
`query_only`: "attempt to write a readonly database") on every connection of the engine.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager

import pytest
from ui_support import type_text
from sqlalchemy import event

from app.services.dto import MatterQuery
from app.ui.registration_form import SAVE_KEPT_MESSAGE
from app.ui.registration_page import RegistrationPage

WAGES = "劳动和社会保障 / 劳动关系 / 拖欠农民工工资"


@contextmanager
def every_connection(engine, setup):
    """Run `setup(dbapi_connection)` on each new connection of `engine` (pooled ones are dropped first)."""
    def on_connect(dbapi_connection, _record):
        setup(dbapi_connection)

    engine.dispose()
    event.listen(engine, "connect", on_connect)
    try:
        yield
    finally:
        event.remove(engine, "connect", on_connect)
        engine.dispose()


def disk_full(conn) -> None:
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count={pages}")  # no page may be added (the file was vacuumed: none free)


def read_only(conn) -> None:
    conn.execute("PRAGMA query_only=ON")


def fill(form) -> None:
    p, m = form.petitioner, form.matter
    for widget, text in ((p.name_edit, "𠮷收"), (p.phone_edit, "13807921234"), (m.title_edit, "拖欠工资"),
                         (m.request_edit, "要求支付拖欠的工资，共计三万元"), (m.facts_edit, "工地停工后老板失联")):
        widget.setFocus()
        type_text(widget, text)
    m.facts_edit.insertPlainText("。老板称资金周转困难，" * 400)  # a letter's text pasted in: needs new pages
    p.id_type_combo.set_value("无证件")
    m.matter_class_combo.set_value("申诉求决")
    m.content_class_picker.set_value(WAGES)
    form.visit.headcount_spin.setValue(3)


@pytest.mark.parametrize("setup, start", [
    (disk_full, "无法保存：磁盘空间已满。"),
    (read_only, "无法保存：数据目录只读或没有写入权限。"),
], ids=["disk-full", "read-only"])
def test_a_failed_save_explains_and_keeps_every_field(qtbot, services, setup, start):
    page = RegistrationPage(services)
    qtbot.addWidget(page)
    page.resize(1300, 900)
    page.show()
    form = page.form
    fill(form)
    typed = form.values()
    with sqlite3.connect(services.data_dir / "xfdesk.sqlite3", isolation_level=None) as conn:
        conn.execute("VACUUM")  # no free pages left for a write to reuse
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0

    with every_connection(services.engine, setup):
        assert form.save() is None

    assert form.banner.kind == "error"
    assert form.banner.text().startswith(start) and form.banner.text().endswith(SAVE_KEPT_MESSAGE)
    assert form.values() == typed  # every typed field as it was
    assert form.petitioner.name_edit.text() == "𠮷收"
    assert services.matters.count(MatterQuery()) == 0  # nothing stored
    draft = json.loads(services.guard.cipher.open((services.data_dir / "draft.json").read_text(encoding="utf-8"), "draft"))
    assert draft["values"] == json.loads(json.dumps(typed))  # the draft keeps it across a restart too

    number = form.save()  # space freed / folder writable again: the same form saves
    assert number and services.matters.detail(number).row.title == "拖欠工资"
    assert not (services.data_dir / "draft.json").exists()
